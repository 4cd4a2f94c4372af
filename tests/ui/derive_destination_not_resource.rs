//! `#[derive(Resource)]`: a destination or a `through` that is not a resource is
//! reported once, on its name, for each kind.
use ashore::prelude::*;

#[derive(Debug, Clone)]
pub struct Ticket;

#[derive(Debug, Clone)]
pub struct Team;

#[derive(Debug, Clone)]
pub struct Tag;

pub struct RepresentativeTag;

#[derive(Debug, Clone, Resource)]
pub struct Representative {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub team_id: Option<Uuid>,
    #[resource(has_many)]
    pub tickets: Loaded<Vec<Ticket>>,
    #[resource(has_one)]
    pub latest_ticket: Loaded<Option<Ticket>>,
    #[resource(belongs_to)]
    pub team: Loaded<Option<Team>>,
    #[resource(many_to_many(through = RepresentativeTag))]
    pub tags: Loaded<Vec<Tag>>,
}

fn main() {}
