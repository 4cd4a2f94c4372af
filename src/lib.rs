//! # ashore
//!
//! Elixir Ash's resource DSL for Rust, centred on relationships and manual
//! relationships. Declare resources with [`resource!`], filter with [`expr!`]
//! (field names and types checked by the compiler), and load relationships in
//! batches: one data-layer read per relationship per level, sort, offset and limit
//! per parent record, and manual relationships handed to your own loader.
//!
//! See the README and `examples/helpdesk.rs` for the whole tour.
//!
//! # Features
//!
//! - `sqlite` (on by default): the embedded layer `ashore::sql::Sqlite`, on
//!   rusqlite 0.40 with SQLite bundled, re-exported as `ashore::sql::rusqlite`.
//! - `postgres` (opt-in): `ashore::sql::Postgres`, on tokio-postgres 0.7,
//!   re-exported as `ashore::sql::tokio_postgres`.
//!
//! With neither, the in-memory layer [`Memory`] alone. Use the re-exported
//! drivers rather than dependencies of your own: a second `libsqlite3-sys` in one
//! build does not resolve (the `ashore::sql` docs say why and what to do).
//!
//! The minimum supported Rust version is 1.95.
//!
//! # Quick start
//!
//! The Helpdesk of Ash's guide "Defining Manual Relationships": representatives,
//! their tickets, and the tickets above each representative's priority
//! threshold, found by a loader of your own.
//!
//! ```
//! use ashore::prelude::*;
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
//!             has_many tickets_above_threshold: Ticket {
//!                 manual TicketsAboveThreshold;
//!             }
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
//!             attribute priority: Option<i64>; // Option: may be nil
//!         }
//!         relationships {
//!             belongs_to representative: Representative; // adds `representative_id`
//!         }
//!     }
//! }
//!
//! /// The manual relationship's loader: called once with every representative.
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
//!         let rep_ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
//!         let tickets = ctx
//!             .query
//!             .clone()
//!             .filter(expr!(representative_id in ^rep_ids))
//!             .filter(expr!(priority > representative.priority_threshold))
//!             .read(ctx) // as the caller reads: same actor, authorize flag, tenant
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
//!     for (name, threshold, tickets) in [
//!         (
//!             "Alice",
//!             3,
//!             vec![
//!                 ("Printer on fire", 5),
//!                 ("VPN down", 4),
//!                 ("Coffee machine empty", 2),
//!             ],
//!         ),
//!         (
//!             "Bob",
//!             5,
//!             vec![("Server room flooded", 9), ("Password reset", 1)],
//!         ),
//!     ] {
//!         let rep = support
//!             .create(
//!                 Representative::changeset()
//!                     .set(Representative::name(), name)
//!                     .set(Representative::priority_threshold(), threshold),
//!             )
//!             .await?;
//!         support
//!             .create_many(tickets.into_iter().map(|(subject, priority)| {
//!                 Ticket::changeset()
//!                     .set(Ticket::subject(), subject)
//!                     .set(Ticket::priority(), priority)
//!                     .set(Ticket::representative_id(), rep.id)
//!             }))
//!             .await?;
//!     }
//!
//!     // Each representative with their most urgent ticket above the threshold,
//!     // and their two most urgent tickets of all: limits count per representative.
//!     let reps = support
//!         .read(
//!             Representative::query()
//!                 .sort(Representative::name())
//!                 .load(
//!                     Representative::tickets_above_threshold()
//!                         .sort(Ticket::priority().desc())
//!                         .limit(1),
//!                 )
//!                 .load(
//!                     Representative::tickets()
//!                         .sort(Ticket::priority().desc())
//!                         .limit(2),
//!                 ),
//!         )
//!         .await?;
//!
//!     let subjects = |tickets: &[Ticket]| -> Vec<String> {
//!         tickets.iter().map(|t| t.subject.clone()).collect()
//!     };
//!     assert_eq!(reps[0].name, "Alice");
//!     assert_eq!(
//!         subjects(reps[0].tickets_above_threshold.get()?),
//!         ["Printer on fire"]
//!     );
//!     assert_eq!(
//!         subjects(reps[0].tickets.get()?),
//!         ["Printer on fire", "VPN down"]
//!     );
//!     assert_eq!(reps[1].name, "Bob");
//!     assert_eq!(
//!         subjects(reps[1].tickets_above_threshold.get()?),
//!         ["Server room flooded"]
//!     );
//!     assert_eq!(
//!         subjects(reps[1].tickets.get()?),
//!         ["Server room flooded", "Password reset"]
//!     );
//!
//!     // A relationship that was not loaded is an error, not a panic.
//!     let plain = support.read(Representative::query()).await?;
//!     assert!(matches!(
//!         plain[0].tickets.get().unwrap_err().kind(),
//!         ErrorKind::NotLoaded
//!     ));
//!     Ok(())
//! }
//! ```
//!
//! Every item's documentation has an example on this Helpdesk; those examples
//! declare the resources out of sight and start with the records created above,
//! plus a ticket "Lost badge" with no priority and no representative.

pub use ashore_macros::{expr, resource};
pub use ashore_runtime::*;

/// `#[derive(Resource)]`: declares a resource on a struct you write, the same
/// resource [`resource!`] declares. It lives in the macro namespace, next to the
/// [`Resource`](trait@Resource) trait it implements, as serde's `Serialize`
/// derive lives next to its trait; `use ashore::prelude::*;` brings both.
///
/// A plain field is an attribute; `#[resource(uuid_primary_key)]` (an `id: Uuid`)
/// or `#[resource(integer_primary_key)]` (an `id: i64`) marks the primary key; a
/// relationship is a field typed `Loaded<Vec<D>>` (has_many, many_to_many) or
/// `Loaded<Option<D>>` (has_one, belongs_to) marked with its kind and the options
/// of `resource!` in parentheses. A belongs_to keeps its key in a field of the
/// struct (`representative_id` for `representative`).
///
/// ```
/// use ashore::prelude::*;
///
/// /// A support representative.
/// #[derive(Debug, Clone, PartialEq, Resource)]
/// #[resource(table = "representatives")]
/// pub struct Representative {
///     #[resource(uuid_primary_key)]
///     pub id: Uuid,
///     pub name: String,
///     pub priority_threshold: i64,
///     /// Every ticket of the representative.
///     #[resource(has_many)]
///     pub tickets: Loaded<Vec<Ticket>>,
///     #[resource(has_many(manual = TicketsAboveThreshold, sort(priority desc)))]
///     pub tickets_above_threshold: Loaded<Vec<Ticket>>,
///     #[resource(has_many(filter(priority >= 5 and not is_nil(subject))))]
///     pub urgent_tickets: Loaded<Vec<Ticket>>,
/// }
///
/// /// A support ticket.
/// #[derive(Debug, Clone, PartialEq, Resource)]
/// pub struct Ticket {
///     #[resource(uuid_primary_key)]
///     pub id: Uuid,
///     pub subject: String,
///     pub priority: Option<i64>,
///     /// The key of `representative`.
///     pub representative_id: Option<Uuid>,
///     #[resource(belongs_to)]
///     pub representative: Loaded<Option<Representative>>,
/// }
///
/// struct TicketsAboveThreshold;
///
/// impl ManualRelationship for TicketsAboveThreshold {
///     type Source = Representative;
///     type Destination = Ticket;
///
///     async fn load(
///         &self,
///         reps: &[Representative],
///         ctx: &LoadContext<'_, Ticket>,
///     ) -> ashore::Result<Related<Representative, Ticket>> {
///         let rep_ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
///         let tickets = ctx
///             .query
///             .clone()
///             .filter(expr!(representative_id in ^rep_ids))
///             .filter(expr!(priority > representative.priority_threshold))
///             .read(ctx)
///             .await?;
///         Ok(Related::group_by(tickets, |t| t.representative_id))
///     }
/// }
///
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// let support = Domain::builder()
///     .resource::<Representative>()
///     .resource::<Ticket>()
///     .build()?;
/// assert_eq!(Representative::schema().table, "representatives");
/// let alice = support
///     .create(
///         Representative::changeset()
///             .set(Representative::name(), "Alice")
///             .set(Representative::priority_threshold(), 3),
///     )
///     .await?;
/// support
///     .create_many([("Printer on fire", 5), ("VPN down", 4), ("Coffee", 2)].map(
///         |(subject, priority)| {
///             Ticket::changeset()
///                 .set(Ticket::subject(), subject)
///                 .set(Ticket::priority(), priority)
///                 .set(Ticket::representative_id(), alice.id)
///         },
///     ))
///     .await?;
///
/// let reps = support
///     .read(
///         Representative::query()
///             .load(Representative::tickets())
///             .load(Representative::tickets_above_threshold())
///             .load(Representative::urgent_tickets().load(Ticket::representative())),
///     )
///     .await?;
/// let subjects = |tickets: &[Ticket]| -> Vec<String> {
///     tickets.iter().map(|t| t.subject.clone()).collect()
/// };
/// assert_eq!(reps[0].tickets.get()?.len(), 3);
/// assert_eq!(
///     subjects(reps[0].tickets_above_threshold.get()?),
///     ["Printer on fire", "VPN down"]
/// );
/// let urgent = reps[0].urgent_tickets.get()?;
/// assert_eq!(subjects(urgent), ["Printer on fire"]);
/// assert_eq!(urgent[0].representative.get()?.as_ref().map(|r| r.id), Some(alice.id));
/// # Ok(()) }
/// ```
pub use ashore_macros::{Resource, Scalar};

/// What most code needs: `use ashore::prelude::*;`. The resource and filter
/// macros (`resource!`, `#[derive(Resource)]`, `expr!`), the domain, queries, manual relationships, errors, and the `Uuid` and
/// `DateTime<Utc>` attribute types.
///
/// ```
/// use ashore::prelude::*;
///
/// resource! {
///     #[derive(Debug, Clone, PartialEq)]
///     pub struct Shift {
///         attributes {
///             integer_primary_key id;
///             attribute desk: String;
///             attribute starts_at: DateTime<Utc>;
///             attribute representative_id: Option<Uuid>;
///         }
///     }
/// }
///
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// let support = Domain::builder().resource::<Shift>().build()?;
/// let shift = support
///     .create(
///         Shift::changeset()
///             .set(Shift::desk(), "Front")
///             .set(Shift::starts_at(), Utc::now()),
///     )
///     .await?;
/// assert_eq!(shift.id, 1);
/// let now = Utc::now();
/// let started = support
///     .read(Shift::query().filter(expr!(starts_at <= ^now)))
///     .await?;
/// assert_eq!(started, [shift]);
/// # Ok(()) }
/// ```
pub mod prelude {
    pub use crate::{
        Actor, Changeset, Domain, Error, ErrorKind, Expr, LoadContext, Loaded, ManualRelationship,
        Memory, Order, Query, Related, Resource, Result, Scalar, Scoped, Sort, Unset, Value, expr,
        resource,
    };
    pub use ashore_runtime::chrono::{DateTime, NaiveDate, Utc};
    pub use ashore_runtime::uuid::Uuid;
}

#[doc(hidden)]
pub use ashore_runtime::__private;

/// The README's Rust blocks, compiled and run as doc tests (`cargo test --doc`)
/// so the first code a user copies cannot drift from the API. Each block is a
/// whole program; the setup a block leaves out of sight comes from
/// `doc/readme.rs`, included by hidden `# ` lines.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
