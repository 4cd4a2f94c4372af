//! `no_attributes` and `parent(..)` in `resource!`: `parent(..)` only in the
//! filter of a `no_attributes` relationship, `no_attributes` only on has_one
//! and has_many and without keys or a loader, `parent(..)` naming an
//! attribute (not an aggregate) of the source.
use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute priority_threshold: i64;
        }
        relationships {
            // Keyed: its filter cannot read the source.
            has_many keyed: Ticket {
                filter priority > parent(priority_threshold);
            }
            has_many keyed_too: Ticket {
                no_attributes;
                destination_attribute representative_id;
                filter representative_id == parent(id);
            }
            has_many by_count: Ticket {
                no_attributes;
                filter priority > parent(ticket_count);
            }
        }
        aggregates {
            count ticket_count: keyed;
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
            belongs_to representative: Representative { no_attributes; }
        }
    }
}

fn main() {}
