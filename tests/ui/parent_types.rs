//! `parent(x)` is checked by rustc like any operand of `expr!`: `x` must be
//! an attribute of the relationship's source, of the kind the operator takes.
use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            attribute priority_threshold: i64;
        }
        relationships {
            has_many tickets: Ticket;
            has_many unknown: Ticket {
                no_attributes;
                filter priority > parent(threshold);
            }
            has_many mismatched: Ticket {
                no_attributes;
                filter priority > parent(name);
            }
            has_many through_relationship: Ticket {
                no_attributes;
                filter priority > parent(tickets);
            }
        }
    }
}

resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute priority: i64;
        }
        relationships {
            belongs_to representative: Representative;
        }
    }
}

fn main() {}
