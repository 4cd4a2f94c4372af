use ashore::prelude::*;

#[derive(Debug, Clone, PartialEq, Resource)]
#[resource(policy(actor_is(admin), authorize_if(actor_present())))]
#[resource(policy(always(), authorise_if(actor_present()), forbid_if(expr(status == "closed"))))]
#[resource(policy(always()))]
#[resource(multitenancy(attribute = organisation_id))]
pub struct Ticket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub status: String,
    pub organization_id: Uuid,
    pub parent_id: Option<Uuid>,
    #[resource(has_many(
        destination_attribute = parent_id,
        filter(id == ^actor(id)),
        authorize_read_with = erorr
    ))]
    pub children: Loaded<Vec<Ticket>>,
}

fn main() {}
