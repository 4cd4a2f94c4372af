use ashore::prelude::*;

#[derive(Debug, Clone, PartialEq, Resource)]
#[resource(policy(action_type(updat), authorize_if(actor_present())))]
#[resource(policy(action_type(read), forbid_if(action_type(create)), authorize_if(always())))]
pub struct Ticket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub status: String,
}

fn main() {}
