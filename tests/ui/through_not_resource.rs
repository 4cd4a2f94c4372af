//! A `through` that is not a resource is reported on it.
use ashore::prelude::*;

pub struct TicketTag;

resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            many_to_many tags: Tag {
                through TicketTag;
            }
        }
    }
}

resource! {
    #[derive(Debug, Clone)]
    pub struct Tag {
        attributes {
            uuid_primary_key id;
        }
    }
}

fn main() {}
