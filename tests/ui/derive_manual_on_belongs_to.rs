//! `manual` is for has_one and has_many only, and a manual relationship takes
//! no `source_attribute`: the same rules and messages as `resource!`.
use ashore::prelude::*;

#[derive(Debug, Clone, Resource)]
pub struct Representative {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    #[resource(has_many(manual = Loader, source_attribute = id))]
    pub tickets: Loaded<Vec<Ticket>>,
}

#[derive(Debug, Clone, Resource)]
pub struct Ticket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub representative_id: Option<Uuid>,
    #[resource(belongs_to(manual = Loader))]
    pub representative: Loaded<Option<Representative>>,
}

struct Loader;

impl ManualRelationship for Loader {
    type Source = Representative;
    type Destination = Ticket;

    async fn load(
        &self,
        _records: &[Representative],
        _ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Representative, Ticket>> {
        Ok(Related::empty())
    }
}

fn main() {}
