//! Runtime of [ashore](https://docs.rs/ashore): resources, queries, the
//! relationship loader, manual relationships and data layers.
//!
//! Users depend on the `ashore` facade crate, which re-exports this crate and the
//! macros; this crate holds all behaviour, the macros only generate calls into it.
//!
//! # The Helpdesk of the examples
//!
//! The examples in this crate's documentation use the Helpdesk of Ash's guide
//! "Defining Manual Relationships": representatives, their tickets, and the manual
//! relationship `tickets_above_threshold`. Declared and used in full:
//!
//! ```
//! # extern crate ashore_runtime as ashore;
//! use ashore::uuid::Uuid;
//! use ashore::{Domain, LoadContext, ManualRelationship, Memory, Related, Resource};
//! use ashore_macros::{expr, resource}; // `ashore::{expr, resource}` in the facade
//!
//! resource! {
//!     /// A support representative.
//!     #[derive(Debug, Clone, PartialEq)]
//!     pub struct Representative {
//!         attributes {
//!             uuid_primary_key id;
//!             attribute name: String;
//!             attribute priority_threshold: i64;
//!         }
//!         relationships {
//!             has_many tickets: Ticket;
//!             has_many tickets_above_threshold: Ticket { manual TicketsAboveThreshold; }
//!         }
//!     }
//! }
//!
//! resource! {
//!     /// A support ticket.
//!     #[derive(Debug, Clone, PartialEq)]
//!     pub struct Ticket {
//!         attributes {
//!             uuid_primary_key id;
//!             attribute subject: String;
//!             attribute priority: Option<i64>;
//!         }
//!         relationships {
//!             belongs_to representative: Representative;
//!         }
//!     }
//! }
//!
//! /// Tickets whose priority is above their representative's threshold.
//! struct TicketsAboveThreshold;
//!
//! impl ManualRelationship for TicketsAboveThreshold {
//!     type Source = Representative;
//!     type Destination = Ticket;
//!
//!     async fn load(
//!         &self,
//!         reps: &[Representative],
//!         ctx: &LoadContext<'_, Ticket>,
//!     ) -> ashore::Result<Related<Representative, Ticket>> {
//!         let ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
//!         let tickets = ctx
//!             .query
//!             .clone()
//!             .filter(expr!(representative_id in ^ids))
//!             .filter(expr!(priority > representative.priority_threshold))
//!             .read(ctx)
//!             .await?;
//!         Ok(Related::group_by(tickets, |t| t.representative_id))
//!     }
//! }
//!
//! #[tokio::main]
//! async fn main() -> ashore::Result<()> {
//!     let support = Domain::builder()
//!         .data_layer(Memory::new())
//!         .resource::<Representative>()
//!         .resource::<Ticket>()
//!         .build()?;
//!
//!     let alice = support
//!         .create(
//!             Representative::changeset()
//!                 .set(Representative::name(), "Alice")
//!                 .set(Representative::priority_threshold(), 3),
//!         )
//!         .await?;
//!     support
//!         .create_many(
//!             [
//!                 ("Printer on fire", 5),
//!                 ("VPN down", 4),
//!                 ("Coffee machine empty", 2),
//!             ]
//!             .map(|(subject, priority)| {
//!                 Ticket::changeset()
//!                     .set(Ticket::subject(), subject)
//!                     .set(Ticket::priority(), priority)
//!                     .set(Ticket::representative_id(), alice.id)
//!             }),
//!         )
//!         .await?;
//!
//!     // The most urgent ticket above each representative's threshold.
//!     let reps = support
//!         .read(
//!             Representative::query().load(
//!                 Representative::tickets_above_threshold()
//!                     .sort(Ticket::priority().desc())
//!                     .limit(1),
//!             ),
//!         )
//!         .await?;
//!     let top = reps[0].tickets_above_threshold.get()?;
//!     assert_eq!(top.len(), 1);
//!     assert_eq!(top[0].subject, "Printer on fire");
//!     Ok(())
//! }
//! ```
//!
//! The other examples declare these two resources out of sight (from
//! `runtime/doc/helpdesk.rs`), start in an `async fn main` returning
//! `ashore::Result<()>`, and most have `support`, a [`Domain`] on the in-memory
//! layer holding:
//!
//! | representative | `priority_threshold` | tickets (`subject`, `priority`) |
//! | --- | --- | --- |
//! | Alice | 3 | "Printer on fire" 5, "VPN down" 4, "Coffee machine empty" 2 |
//! | Bob | 5 | "Server room flooded" 9, "Password reset" 1 |
//! | none | | "Lost badge" nil |
//!
//! They may call three helpers: `seed(&domain)` creates those records in a domain
//! of the example's own, `representative(&support, "Alice")` reads a
//! representative by name, and `subjects(&tickets)` lists tickets' subjects in
//! order. Besides `tickets_above_threshold`, `Representative` has the manual
//! relationship `my_tickets`: each representative's tickets, which when
//! authorizing (the default) go only to the representative who is the actor. Examples
//! that show a manual loader of their own declare it in sight, with a comment
//! giving the relationship that uses it.
//!
//! These docs write the crate's name as `ashore`, as code using the facade does.

#![warn(missing_docs)]

// The layers, bottom-up (ARCHITECTURE.md): each module uses only those above it
// in this list.
mod action;
mod actor;
mod changeset;
pub mod data_layer;
mod domain;
mod engine;
mod error;
mod expr;
mod loaded;
mod manual;
mod policy;
mod query;
mod rel;
mod resource;
mod scalar;
mod sort;
#[cfg(test)]
mod testing;
mod value;
mod verbs;

#[doc(hidden)]
pub mod __private;

pub use changeset::Changeset;
pub use data_layer::memory::Memory;
/// The SQL data layers, `ashore::sql::Sqlite` (feature `sqlite`, on by default)
/// and `ashore::sql::Postgres` (feature `postgres`), and the drivers they are
/// built on, `ashore::sql::rusqlite` and `ashore::sql::tokio_postgres`: use
/// these rather than a dependency of your own (a second libsqlite3-sys does not
/// build; see the module's "The drivers").
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub use data_layer::sql;
pub use data_layer::{BoxFuture, DataLayer};
pub use domain::{Domain, DomainBuilder, ReadScope, Scope, Scoped};
pub use error::{Constraint, Error, ErrorKind, Result, Waiting};
/// What the text functions of a filter compute, on every data layer: simple
/// case mapping, `length` in characters, `like` patterns.
pub use expr::text;
pub use expr::{
    Aggregate, AggregateKind, ArithOp, CmpOp, Comparable, Expr, Func, MAX_FILTER_DEPTH, Name,
    RELATIONSHIP_HOP_DEPTH, Term, TextOp,
};
pub use loaded::{Held, Loaded};
pub use manual::{LoadContext, ManualRelationship, Related};
pub use policy::{
    Action, AuthorizeReadWith, Check, Effect, Multitenancy, Policy, PolicyCheck, Templates,
};
pub use query::{Load, Query, Unset};
pub use rel::{Agg, AggregateValue, FieldOf, Rel, RelatedField, ToMany, ToOne, ToOneRelationship};
pub use resource::{
    Actor, AttributeInfo, Field, Generated, Identity, IdentityRef, RelationshipInfo,
    RelationshipKind, Resource, Row, Rows, Schema, Through,
};
pub use scalar::{NonNull, Scalar, kind};
pub use sort::{IntoSorts, Order, Sort};
pub use value::{Value, ValueType};
pub use verbs::{
    Count, Create, CreateMany, Destroy, DestroyAll, First, LoadOnto, Read, Relate, Relinked,
    Update, UpdateAll,
};

/// The `chrono` crate, whose `DateTime<Utc>` is the timestamp attribute type.
pub use chrono;
/// The `rust_decimal` crate, whose `Decimal` is the exact decimal attribute
/// type (feature `decimal`).
#[cfg(feature = "decimal")]
pub use rust_decimal;
/// The `serde_json` crate, whose `Value` is the JSON attribute type (feature
/// `json`).
#[cfg(feature = "json")]
pub use serde_json;
/// The `uuid` crate, whose `Uuid` is the type of a `uuid_primary_key`.
pub use uuid;
