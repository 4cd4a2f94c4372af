//! A relationship option that cannot be read is one error, on it: the
//! relationship's defaults are not checked as if the option were missing
//! (it may have been the one that names the key), in both front ends.
use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            // `,` where `;` ends an option.
            has_many tickets: Ticket { destination_attribute rep_id, sort subject; }
        }
    }
}

#[derive(Debug, Clone, Resource)]
pub struct Team {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    // A type with generic arguments, unquoted.
    #[resource(has_many(destination_attribute = team, destination = Vec<Ticket>))]
    pub tickets: Loaded<Vec<Ticket>>,
}

resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
            attribute rep_id: Option<Uuid>;
            attribute team: Option<Uuid>;
        }
    }
}

fn main() {}
