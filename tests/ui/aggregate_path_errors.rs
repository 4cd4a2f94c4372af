//! An aggregate's path goes through the resource's `Fields`: a relationship
//! the resource does not have, a field the destination does not have, and an
//! attribute of its own where a relationship belongs (the macro's) are errors on the user's
//! tokens.
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
            count unknown_relationship: tickez;
            max unknown_field: tickets.priorty as i64;
            count through_an_attribute: name;
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
        }
        relationships {
            belongs_to representative: Representative;
        }
    }
}

fn main() {}
