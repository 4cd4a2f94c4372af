//! A default key the other resource lacks: the error says which default was
//! looked for and which option names another, on the relationship's name.
use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            // TicketTag has neither `ticket_id` nor `tag_id`.
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
        relationships {
            // Ticket has no `tag_id`.
            has_one ticket: Ticket;
        }
    }
}

resource! {
    #[derive(Debug, Clone)]
    pub struct TicketTag {
        attributes {
            uuid_primary_key id;
            attribute ticket: Option<Uuid>;
            attribute tag: Option<Uuid>;
        }
    }
}

fn main() {}
