//! What an aggregate reads must suit its kind: `sum` and `avg` read numbers,
//! `min` and `max` no booleans or UUIDs, the declared type is of the field's
//! kind, and the filter is a condition on the destination whose operands
//! agree — each rustc's error on the user's token.
use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            has_many tickets: Ticket;
        }
        aggregates {
            sum sum_of_text: tickets.subject as String;
            avg avg_of_text: tickets.subject;
            max max_of_bool: tickets.open as bool;
            sum declared_as_text: tickets.priority as String;
            count filter_of_the_wrong_type: tickets { filter priority == "high"; }
            count filter_on_an_unknown_field: tickets { filter status == "open"; }
        }
    }
}

resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
            attribute priority: Option<i64>;
            attribute open: bool;
        }
        relationships {
            belongs_to representative: Representative;
        }
    }
}

fn main() {}
