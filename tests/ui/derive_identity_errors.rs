use ashore::prelude::*;

#[derive(Debug, Clone, PartialEq, Resource)]
#[resource(identity(unique_email, keys(emial)), identity(nothing, keys()))]
#[resource(identity(keys(email)), identity(subject, keys(subject)), identity(x, kyes(email)))]
pub struct Ticket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub email: String,
    pub subject: String,
}

fn main() {}
