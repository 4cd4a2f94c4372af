//! A manual relationship's `condition` is checked like a `no_attributes`
//! relationship's filter: fields of the destination, `parent(..)` of the
//! source, kinds on both sides. The derive spells it `condition(..)`.
use ashore::prelude::*;

#[derive(Debug, Clone, Resource)]
pub struct Representative {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub name: String,
    #[resource(has_many(manual = Urgent, condition(priority > parent(name))))]
    pub urgent: Loaded<Vec<Ticket>>,
    #[resource(has_many(manual = Urgent, condition(level > parent(id))))]
    pub leveled: Loaded<Vec<Ticket>>,
}

#[derive(Debug, Clone, Resource)]
pub struct Ticket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub priority: i64,
    pub representative_id: Option<Uuid>,
}

struct Urgent;

impl ManualRelationship for Urgent {
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
