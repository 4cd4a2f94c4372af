//! `#[derive(Resource)]`: a default key the other resource lacks is reported
//! with the default looked for and the option that names another.
use ashore::prelude::*;

#[derive(Debug, Clone, Resource)]
pub struct Representative {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    #[resource(has_many)]
    pub tickets: Loaded<Vec<Ticket>>,
}

#[derive(Debug, Clone, Resource)]
pub struct Ticket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub rep_id: Option<Uuid>,
}

fn main() {}
