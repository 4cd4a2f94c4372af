//! `resource!` writes an aggregate's type (`sum total: tickets.priority as
//! i64;`); the derive reads it from the field's `Loaded<..>`, so an `as ..`
//! there is one error on the `as`, saying to remove it.
use ashore::prelude::*;

#[derive(Debug, Clone, Resource)]
pub struct Representative {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    #[resource(has_many)]
    pub tickets: Loaded<Vec<Ticket>>,
    #[resource(aggregate(sum, tickets.priority as i64))]
    pub total_priority: Loaded<Option<i64>>,
}

#[derive(Debug, Clone, Resource)]
pub struct Ticket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub priority: Option<i64>,
    pub representative_id: Option<Uuid>,
}

fn main() {}
