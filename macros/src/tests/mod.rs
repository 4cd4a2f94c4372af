//! Tests of the whole crate that need its private functions (a proc-macro crate
//! exports only its macros, so they cannot live in `macros/tests/`): the macros
//! never panic (`no_panic.rs`, property tests on the token streams of
//! `tokens.rs`), and what they expand to (`snapshots.rs`). `helpdesk.rs` holds
//! the inputs both use.

mod helpdesk;
mod no_panic;
mod snapshots;
mod tokens;
