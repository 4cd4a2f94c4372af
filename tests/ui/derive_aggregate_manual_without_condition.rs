//! A derive's aggregate through a manual relationship of the same struct that
//! has no `condition`: one error, on the relationship's name in the path,
//! saying what to add (the derive's spelling).
use ashore::prelude::*;

#[derive(Debug, Clone, Resource)]
pub struct Representative {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub priority_threshold: i64,
    #[resource(has_many(manual = Urgent))]
    pub urgent: Loaded<Vec<Ticket>>,
    #[resource(aggregate(count, urgent))]
    pub urgent_count: Loaded<i64>,
}

#[derive(Debug, Clone, Resource)]
pub struct Ticket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub priority: Option<i64>,
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
