//! `crate::common` of `derive_parity`: the same calls, counting layer,
//! fixtures, layers and loaders as `tests/common`, with the Helpdesk resources
//! of `resources.rs` (declared with `#[derive(Resource)]`) in place of
//! `tests/common/resources.rs` (declared with `resource!`), and the
//! `manual_content` suite's resources of `content_resources.rs` in place of
//! `tests/common/content_resources.rs`, and the `identities` suite's of
//! `identity_resources.rs` in place of `tests/common/identity_resources.rs`, and
//! the `write_policies` suite's of `write_policy_resources.rs`, and the
//! `hidden_in_hand` and `self_reference` suites' of the files of those names. Like
//! `tests/common/mod.rs`, it re-exports `layers!`, so that the shared suites'
//! `use crate::common::*;` finds everything they use.
#![allow(dead_code, unused_imports)]

#[path = "../common/calls.rs"]
mod calls;
#[path = "../common/counting.rs"]
mod counting;
#[path = "../common/fixtures.rs"]
mod fixtures;
#[path = "../common/interest.rs"]
mod interest;
#[path = "../common/layers.rs"]
mod layers;
#[path = "../common/loaders.rs"]
mod loaders;
mod resources;

pub mod content_resources;
pub mod hidden_in_hand_resources;
pub mod identity_resources;
pub mod self_reference_resources;
pub mod write_policy_resources;

pub use calls::*;
pub use counting::*;
pub use fixtures::*;
pub use interest::*;
pub use layers::*;
pub use loaders::*;
pub use resources::*;

pub use crate::layers;
