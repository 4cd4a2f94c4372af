//! A destination that is not a resource is reported once, on its name, for each
//! kind (a belongs_to here names its foreign key's type by the destination's
//! primary key, so it is left to `derive_destination_not_resource`).
use ashore::prelude::*;

#[derive(Debug, Clone)]
pub struct Ticket {
    pub id: Uuid,
}

#[derive(Debug, Clone)]
pub struct Tag;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            has_many tickets: Ticket;
            has_one latest_ticket: Ticket;
            many_to_many tags: Tag {
                through RepresentativeTag;
            }
        }
    }
}

resource! {
    #[derive(Debug, Clone)]
    pub struct RepresentativeTag {
        attributes {
            uuid_primary_key id;
            attribute representative_id: Option<Uuid>;
            attribute tag_id: Option<Uuid>;
        }
    }
}

fn main() {}
