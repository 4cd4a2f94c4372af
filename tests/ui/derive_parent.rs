//! The derive spelling of `no_attributes` and `parent(..)`, with the rules of
//! `resource!`: a value given to `no_attributes`, `parent(..)` in a keyed
//! relationship's filter, and rustc's check of `parent(x)`'s kind.
use ashore::prelude::*;

#[derive(Debug, Clone, Resource)]
pub struct Representative {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub name: String,
    pub priority_threshold: i64,
    #[resource(has_many(destination = Ticket, no_attributes = true, filter(priority > 1)))]
    pub valued: Loaded<Vec<Ticket>>,
    #[resource(has_many(destination = Ticket, filter(priority > parent(priority_threshold))))]
    pub keyed: Loaded<Vec<Ticket>>,
    #[resource(has_many(destination = Ticket, no_attributes, filter(priority > parent(name))))]
    pub mismatched: Loaded<Vec<Ticket>>,
}

#[derive(Debug, Clone, Resource)]
pub struct Ticket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub priority: i64,
    pub representative_id: Option<Uuid>,
}

fn main() {}
