//! Attributes named on the destination (a `destination_attribute`, the default
//! `representative_id`, a sort key) are checked by rustc against the
//! destination, each error on the user's token.
use ashore::prelude::*;

#[derive(Debug, Clone, Resource)]
pub struct Representative {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    #[resource(has_many(destination_attribute = rep_id))]
    pub tickets: Loaded<Vec<Ticket>>,
    #[resource(has_many(sort(priorty desc)))]
    pub sorted_tickets: Loaded<Vec<Ticket>>,
    #[resource(has_one)]
    pub note: Loaded<Option<Note>>,
}

#[derive(Debug, Clone, Resource)]
pub struct Ticket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub priority: i64,
    pub representative_id: Option<Uuid>,
}

#[derive(Debug, Clone, Resource)]
pub struct Note {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
}

fn main() {}
