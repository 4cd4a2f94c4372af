//! Relationship fields must be `Loaded<..>` of the kind's container: a list
//! for has_many and many_to_many, an `Option` for has_one and belongs_to. A
//! `Loaded<..>` field with no relationship is an error too. Each error is on
//! the type (or the field) and shows the field to write.
use ashore::prelude::*;

#[derive(Debug, Clone, Resource)]
pub struct Representative {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    #[resource(has_many)]
    pub tickets: Vec<Ticket>,
    #[resource(has_one)]
    pub latest_ticket: Loaded<Vec<Ticket>>,
    pub open_tickets: Loaded<Vec<Ticket>>,
}

#[derive(Debug, Clone, Resource)]
pub struct Ticket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub representative_id: Option<Uuid>,
}

/// The fix shows the field's own destination.
#[derive(Debug, Clone, Resource)]
pub struct Desk {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    #[resource(has_many(destination_attribute = id))]
    pub reps: Vec<Representative>,
}

fn main() {
    let _ = Representative::query();
}
