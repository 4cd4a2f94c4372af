//! # ashore
//!
//! Elixir Ash's resource DSL for Rust, centred on relationships and manual
//! relationships. Declare resources with [`resource!`], filter with [`expr!`]
//! (field names and types checked by the compiler), and load relationships in
//! batches: one data-layer read per relationship per level, sort, offset and limit
//! per parent record, and manual relationships handed to your own loader.
//!
//! See the README and `examples/helpdesk.rs` for the whole tour.

pub use ashore_macros::{expr, resource};
pub use ashore_runtime::*;

/// What most code needs: `use ashore::prelude::*;`.
pub mod prelude {
    pub use crate::{
        Changeset, Domain, Error, ErrorKind, Expr, LoadContext, Loaded, ManualRelationship, Memory,
        Order, Query, Related, Resource, Result, Sort, Unset, expr, resource,
    };
    pub use ashore_runtime::chrono::{DateTime, Utc};
    pub use ashore_runtime::uuid::Uuid;
}

#[doc(hidden)]
pub use ashore_runtime::__private;
