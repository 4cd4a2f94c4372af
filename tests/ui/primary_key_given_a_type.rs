use ashore::prelude::*;

// A primary key given a type: one error on it, and the key is still read as
// the key (not also "`Ticket` has no primary key"); the same in the derive.
resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id: Uuid;
            attribute subject: String;
        }
    }
}

#[derive(Debug, Clone, Resource)]
pub struct Note {
    #[resource(uuid_primary_key = true)]
    pub id: Uuid,
}

fn main() {}
