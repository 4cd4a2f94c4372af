//! A destination that is not a resource is reported once, on its name, for each
//! kind but belongs_to: there `resource!` types the foreign key it adds as the
//! destination's primary key, and each use of that field repeats the error
//! (`derive_destination_not_resource` has a belongs_to, whose key is the user's).
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
