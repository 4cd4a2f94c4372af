//! A destination that is not a resource is reported once, on its name, for each
//! kind: for a belongs_to too, though `resource!` types the foreign key it adds
//! (`team_id`) as the destination's primary key and the generated code uses that
//! field throughout; for a path (`offices::Office`) too, marked whole, a
//! belongs_to's included (its foreign key's type is spanned as the whole path).
use ashore::prelude::*;

#[derive(Debug, Clone)]
pub struct Ticket {
    pub id: Uuid,
}

#[derive(Debug, Clone)]
pub struct Tag;

#[derive(Debug, Clone)]
pub struct Team;

pub mod offices {
    #[derive(Debug, Clone)]
    pub struct Office;
}

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            has_many tickets: Ticket;
            has_one latest_ticket: Ticket;
            has_many offices: offices::Office;
            belongs_to team: Team;
            belongs_to office: offices::Office;
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
