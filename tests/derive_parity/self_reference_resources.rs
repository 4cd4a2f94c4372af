//! The resource of the `self_reference` suite, declared with
//! `#[derive(Resource)]`: the same as `tests/common/self_reference_resources.rs`
//! declares with `resource!`.

use ashore::prelude::*;

/// A node of a tree.
#[derive(Debug, Clone, PartialEq, Resource)]
#[resource(identity(unique_name, keys(name)))]
pub struct Node {
    #[resource(integer_primary_key)]
    pub id: i64,
    pub name: String,
    pub parent_id: Option<i64>,
    #[resource(belongs_to)]
    pub parent: Loaded<Option<Node>>,
}
