//! Mistakes in an aggregate's declaration, each reported on its token with
//! the fix: a kind that reads a field without one, `sum` without the field's
//! type, a type where the value's is fixed, a name taken, a syntax error.
use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute name: String;
        }
        relationships {
            has_many tickets: Ticket;
        }
        aggregates {
            sum no_field: tickets as i64;
            sum no_type: tickets.priority;
            list list_no_type: tickets.priority;
            count typed_count: tickets as i32;
            count name: tickets;
            count tickets: tickets;
            count twice: tickets;
            count twice: tickets;
            total wrong_kind: tickets;
            count bad_option: tickets { sort priority; }
        }
    }
}

resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute priority: Option<i64>;
        }
        relationships {
            belongs_to representative: Representative;
        }
    }
}

fn main() {}
