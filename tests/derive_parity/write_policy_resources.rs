//! The resources of the `write_policies` suite, declared with
//! `#[derive(Resource)]`: the same as `tests/common/write_policy_resources.rs`
//! declares with `resource!`.

use ashore::prelude::*;

/// A member of an organisation: the actor of these tests.
#[derive(Debug, Clone, PartialEq, Resource)]
#[resource(multitenancy(attribute = org))]
pub struct Member {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub name: String,
    pub admin: bool,
    pub org: String,
}

/// A note: anyone signed in reads; an admin creates any note, a member only
/// its own, and never one by an admin; a locked note is never changed, and an
/// unlocked one only by an admin or its author.
#[derive(Debug, Clone, PartialEq, Resource)]
#[resource(policy(action_type(read), authorize_if(actor_present())))]
#[resource(policy(
    action_type(create),
    authorize_if(actor_attribute_equals(admin, true)),
    authorize_if(expr(author_id == ^actor(id) and author.admin == false))
))]
#[resource(policy(
    action_type(update, destroy),
    forbid_if(expr(locked == true)),
    authorize_if(actor_attribute_equals(admin, true)),
    authorize_if(expr(author_id == ^actor(id)))
))]
#[resource(multitenancy(attribute = org))]
pub struct Note {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub body: String,
    pub locked: bool,
    pub org: String,
    pub author_id: Option<Uuid>,
    #[resource(belongs_to)]
    pub author: Loaded<Option<Member>>,
}

/// One policy for every action.
#[derive(Debug, Clone, PartialEq, Resource)]
#[resource(policy(always(), authorize_if(actor_present())))]
pub struct Memo {
    #[resource(integer_primary_key)]
    pub id: i64,
    pub body: String,
}

/// Policies for reads only: no policy governs a write, which forbids it.
#[derive(Debug, Clone, PartialEq, Resource)]
#[resource(policy(action_type(read), authorize_if(always())))]
pub struct Board {
    #[resource(integer_primary_key)]
    pub id: i64,
    pub title: String,
}

/// A pin, found by its slug within the organisation: anyone signed in reads;
/// an admin creates any pin, a member only its own; a locked pin is never
/// changed, nor an admin's by anyone else (a path in the condition), and an
/// unlocked one only by an admin or its author (the `upsert_policies` suite).
#[derive(Debug, Clone, PartialEq, Resource)]
#[resource(identity(unique_slug, keys(slug)))]
#[resource(policy(action_type(read), authorize_if(actor_present())))]
#[resource(policy(
    action_type(create),
    authorize_if(actor_attribute_equals(admin, true)),
    authorize_if(expr(author_id == ^actor(id)))
))]
#[resource(policy(
    action_type(update, destroy),
    forbid_if(expr(locked == true)),
    forbid_if(expr(author.admin == true and author_id != ^actor(id))),
    authorize_if(actor_attribute_equals(admin, true)),
    authorize_if(expr(author_id == ^actor(id)))
))]
#[resource(multitenancy(attribute = org))]
pub struct Pin {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub slug: String,
    pub body: String,
    pub locked: bool,
    pub org: String,
    pub author_id: Option<Uuid>,
    #[resource(belongs_to)]
    pub author: Loaded<Option<Member>>,
}

/// A stamp, found by its code: anyone signed in reads and creates; no policy
/// governs updates, which forbids them.
#[derive(Debug, Clone, PartialEq, Resource)]
#[resource(identity(unique_code, keys(code)))]
#[resource(policy(action_type(read, create), authorize_if(actor_present())))]
pub struct Stamp {
    #[resource(integer_primary_key)]
    pub id: i64,
    pub code: String,
    pub uses: i64,
}
