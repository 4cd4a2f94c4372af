//! `#[derive(Resource)]`: a foreign key declared by hand with another type than
//! the key it holds, and a destination attribute of another type, are compile
//! errors naming both types.
use ashore::prelude::*;

#[derive(Debug, Clone, Resource)]
pub struct Representative {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    #[resource(has_many)]
    pub tickets: Loaded<Vec<Ticket>>,
    #[resource(has_many(destination_attribute = subject))]
    pub by_subject: Loaded<Vec<Ticket>>,
}

#[derive(Debug, Clone, Resource)]
pub struct Ticket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub subject: String,
    // The key of a Uuid primary key, declared as an integer.
    pub representative_id: Option<i64>,
    #[resource(belongs_to)]
    pub representative: Loaded<Option<Representative>>,
    #[resource(many_to_many(through = TicketTag, source_attribute_on_join_resource = ticket_ref))]
    pub tags: Loaded<Vec<Tag>>,
}

#[derive(Debug, Clone, Resource)]
pub struct Tag {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
}

#[derive(Debug, Clone, Resource)]
pub struct TicketTag {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub ticket_ref: String,
    pub tag_id: Option<Uuid>,
}

fn main() {}
