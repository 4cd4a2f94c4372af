//! Runtime of [ashore](https://docs.rs/ashore): resources, queries, the
//! relationship loader, manual relationships and data layers.
//!
//! Users depend on the `ashore` facade crate, which re-exports this crate and the
//! macros; this crate holds all behaviour, the macros only generate calls into it.

#![warn(missing_docs)]

mod changeset;
pub mod data_layer;
mod domain;
mod error;
mod expr;
mod load;
mod manual;
mod query;
mod relationship;
mod resource;
mod store;
mod value;

#[doc(hidden)]
pub mod __private;

pub use changeset::Changeset;
pub use data_layer::memory::Memory;
pub use data_layer::{BoxFuture, DataLayer};
/// The SQL data layers: `ashore::sql::Sqlite` and `ashore::sql::Postgres`.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub use data_layer::sql;
pub use domain::{Create, CreateMany, Domain, DomainBuilder, LoadOnto, Read, ReadScope, Scope};
pub use error::{Constraint, Error, ErrorKind, Result};
pub use expr::{ArithOp, CmpOp, Expr, Name, Term, kind};
pub use load::Load;
pub use manual::{LoadContext, ManualRelationship, Related};
pub use query::{IntoSorts, Order, Query, Sort, Unset};
pub use relationship::{Loaded, Rel};
pub use resource::{
    Actor, AttributeInfo, Field, Generated, RelationshipInfo, RelationshipKind, Resource, Row,
    Schema, Through,
};
pub use value::{Scalar, Value, ValueType};

pub use chrono;
pub use uuid;
