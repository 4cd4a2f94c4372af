//! The two front ends, each turning its input into a
//! [`model::Resource`](crate::model::Resource): `dsl` reads the block syntax of
//! `resource!`, `derive` the `#[resource(..)]` attributes of
//! `#[derive(Resource)]`. Values written the same way in both (checks, sort
//! keys, `authorize_read_with`) are parsed once, in `syntax`; the two front ends
//! never import each other.
//!
//! Neither decides what is wrong across items: words where a keyword belongs are
//! kept as `model::Unknown`, repeated or misplaced options as written, for
//! `validate` to report the same way for both.

pub(crate) mod aggregates;
pub mod derive;
pub mod dsl;
mod syntax;
