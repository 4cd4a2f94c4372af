//! A manual loader whose `Source` or `Destination` is not the relationship's:
//! rustc's error is on the loader in the user's attribute.
use ashore::prelude::*;

#[derive(Debug, Clone, Resource)]
pub struct Representative {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    #[resource(has_many(manual = ForTags))]
    pub urgent_tickets: Loaded<Vec<Ticket>>,
    #[resource(has_many(manual = TagsOfReps))]
    pub other_tickets: Loaded<Vec<Ticket>>,
}

#[derive(Debug, Clone, Resource)]
pub struct Ticket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
}

#[derive(Debug, Clone, Resource)]
pub struct Tag {
    #[resource(integer_primary_key)]
    pub id: i64,
}

/// Declared for `Tag`, used on `Representative`.
struct ForTags;

impl ManualRelationship for ForTags {
    type Source = Tag;
    type Destination = Ticket;

    async fn load(
        &self,
        _records: &[Tag],
        _ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Tag, Ticket>> {
        Ok(Related::empty())
    }
}

/// Loads tags, used for tickets.
struct TagsOfReps;

impl ManualRelationship for TagsOfReps {
    type Source = Representative;
    type Destination = Tag;

    async fn load(
        &self,
        _records: &[Representative],
        _ctx: &LoadContext<'_, Tag>,
    ) -> ashore::Result<Related<Representative, Tag>> {
        Ok(Related::empty())
    }
}

fn main() {}
