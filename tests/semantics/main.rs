//! The behaviour suites on the `resource!` front end: the Helpdesk resources of
//! `tests/common` (`common::resources`), on memory, SQLite and PostgreSQL.
//!
//! One test binary for every suite, each a module that reaches the shared code
//! as `crate::common`. `tests/derive_parity/main.rs` compiles the same suite
//! files (the ones under "Shared") as modules of its own binary, where
//! `crate::common` holds the Helpdesk declared with `#[derive(Resource)]`: write
//! a suite once, here, and add it to both lists to run it on both front ends.
//! Test names are `<suite>::<test>::<layer>`, e.g.
//! `loading::duplicate_parent_keys_are_asked_for_once::sqlite`; run one suite with
//! `cargo test --test semantics loading::`.

#[path = "../common/mod.rs"]
mod common;

// Shared with `derive_parity`: the same files, on the derive's Helpdesk there.
mod aggregates;
mod cancelled_writes;
mod contract;
mod create_errors;
mod depth;
pub mod documented;
mod errors;
mod expr;
mod hidden_in_hand;
mod identities;
mod key_aliases;
mod loading;
mod loading_nested;
mod loading_windows;
mod manual;
mod manual_conditions;
mod manual_content;
mod parent_relationships;
mod paths;
mod raw_names;
mod reading_one;
mod relationship_writes;
mod self_reference;
mod sorting;
mod spans;
mod sql;
mod text;
mod transactions;
mod upsert_policies;
mod write_policies;
mod writes;

// Only here: suites that declare resources of their own with `resource!`.
mod aggregates_policies;
mod custom_types;
mod dates_bytes;
mod decimal_json;
mod decimal_keys;
mod edge_values;
mod filter_cycles;
mod float_values;
mod has_one_cycle;
mod has_one_first;
mod parent_policies;
mod policies;
mod relationship_write_guards;
mod scoped;
mod sorting_policies;
mod stored_values;
mod tenant_writes;
mod typed_aggregates;
