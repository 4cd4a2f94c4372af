//! The resources of the `identities` suite, declared with `#[derive(Resource)]`:
//! the same as `tests/common/identity_resources.rs` declares with `resource!`.

use ashore::prelude::*;

/// A member of an organisation.
#[derive(Debug, Clone, PartialEq, Resource)]
#[resource(identity(unique_email, keys(email)))]
#[resource(identity(unique_name_per_team, keys(name, team)))]
#[resource(multitenancy(attribute = org))]
pub struct Member {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub email: Option<String>,
    pub name: String,
    pub team: Option<String>,
    pub visits: i64,
    pub note: Option<String>,
    pub org: String,
}

/// A label every organisation shares.
#[derive(Debug, Clone, PartialEq, Resource)]
#[resource(identity(unique_text, keys(text)))]
pub struct Label {
    #[resource(integer_primary_key)]
    pub id: i64,
    pub text: String,
    pub uses: i64,
    pub color: Option<String>,
}
