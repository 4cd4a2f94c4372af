use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            many_to_many tags: Tag {
                through TicketTag;
                manual FindTags;
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

resource! {
    #[derive(Debug, Clone)]
    pub struct TicketTag {
        attributes {
            uuid_primary_key id;
            attribute ticket_id: Uuid;
            attribute tag_id: Uuid;
        }
    }
}

struct FindTags;

fn main() {}
