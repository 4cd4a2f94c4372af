//! The resources of the `hidden_in_hand` suite, declared with
//! `#[derive(Resource)]`: the same as `tests/common/hidden_in_hand_resources.rs`
//! declares with `resource!`.

use ashore::prelude::*;

/// A crate of parts, readable when public.
#[derive(Debug, Clone, PartialEq, Resource)]
#[resource(policy(action_type(read), authorize_if(expr(public == true))))]
pub struct Bin {
    #[resource(integer_primary_key)]
    pub id: i64,
    pub label: String,
    pub public: bool,
    #[resource(has_many)]
    pub parts: Loaded<Vec<Part>>,
    #[resource(aggregate(count, parts))]
    pub part_count: Loaded<i64>,
    #[resource(aggregate(sum, parts.size))]
    pub total_size: Loaded<Option<i64>>,
    #[resource(aggregate(list, parts.size))]
    pub sizes: Loaded<Vec<i64>>,
}

/// A part in a bin.
#[derive(Debug, Clone, PartialEq, Resource)]
pub struct Part {
    #[resource(integer_primary_key)]
    pub id: i64,
    pub size: i64,
    pub bin_id: Option<i64>,
    #[resource(belongs_to)]
    pub bin: Loaded<Option<Bin>>,
}
