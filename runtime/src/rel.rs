//! Relationship markers: `Representative::tickets()` returns a [`Rel`], the
//! relationship with the query its load runs, typed by how many records it
//! reaches ([`ToOne`], [`ToMany`]); through a to-one one, a sort key names an
//! attribute of the destination ([`RelatedField`], in `path`). Executing a load
//! is the engine's (`engine/load.rs`).

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use crate::expr::{Condition, Expr, Term};
use crate::manual::DynManual;
use crate::query::{Load, Query};
use crate::resource::{RelationshipInfo, Resource};
use crate::sort::IntoSorts;

mod aggregate;
mod path;

pub use aggregate::{Agg, AggregateOf, AggregateValue};
pub use path::{FieldOf, RelatedField, ToOneRelationship};

/// The cardinality of a belongs_to or has_one: [`Rel`]'s third parameter. A
/// sort key can go through it ([`Rel::field`]).
#[derive(Clone, Copy, Debug)]
pub enum ToOne {}

/// The cardinality of a has_many or many_to_many: [`Rel`]'s third parameter,
/// and its default.
#[derive(Clone, Copy, Debug)]
pub enum ToMany {}

/// Any cardinality: how the crate keeps a relationship whose cardinality it
/// does not need.
#[derive(Clone, Copy, Debug)]
pub(crate) enum AnyCardinality {}

/// How a load puts its result on a source record.
pub(crate) enum Attach<S, D> {
    One(fn(&mut S, Option<D>)),
    Many(fn(&mut S, Vec<D>)),
}

impl<S, D> Clone for Attach<S, D> {
    fn clone(&self) -> Self {
        match self {
            Attach::One(f) => Attach::One(*f),
            Attach::Many(f) => Attach::Many(*f),
        }
    }
}

/// A relationship of `S` to `D`, with the query its load runs:
/// `Representative::tickets()` returns one. Refine the load with the same methods
/// as a `Query` (they apply per source record) and pass it to `Query::load`.
///
/// `C` says how many records it reaches: [`ToOne`] for a belongs_to or
/// has_one, [`ToMany`] (the default) for a has_many or many_to_many. Through a
/// to-one relationship a sort key can name an attribute of the destination
/// ([`Rel::field`]).
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let top_two = Representative::tickets()
///     .sort(Ticket::priority().desc())
///     .limit(2);
/// let reps = support
///     .read(
///         Representative::query()
///             .sort(Representative::name())
///             .load(top_two),
///     )
///     .await?;
/// assert_eq!(
///     subjects(reps[0].tickets.get()?),
///     ["Printer on fire", "VPN down"]
/// );
/// assert_eq!(
///     subjects(reps[1].tickets.get()?),
///     ["Server room flooded", "Password reset"]
/// );
/// # Ok(()) }
/// ```
pub struct Rel<S, D, C = ToMany> {
    pub(crate) info: &'static RelationshipInfo,
    pub(crate) attach: Attach<S, D>,
    pub(crate) manual: Option<Arc<dyn DynManual<S, D>>>,
    pub(crate) query: Query<D>,
    cardinality: PhantomData<fn() -> C>,
}

impl<S: Resource, D: Resource, C> Clone for Rel<S, D, C> {
    fn clone(&self) -> Self {
        Rel {
            info: self.info,
            attach: self.attach.clone(),
            manual: self.manual.clone(),
            query: self.query.clone(),
            cardinality: PhantomData,
        }
    }
}

impl<S: Resource, D: Resource, C> fmt::Debug for Rel<S, D, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rel")
            .field("source", &S::schema().name)
            .field("name", &self.info.name)
            .field("query", &self.query)
            .finish()
    }
}

// Without bounds on `D` (nor on the struct): a relationship to a type that is
// not a resource is reported once, where the generated `RelationshipInfo`
// names the destination, not again on the generated constructor.
#[doc(hidden)]
impl<S, D> Rel<S, D, ToOne> {
    // The query is made first: built after `manual`, a panic while making it
    // would drop `manual`, and that drop (an `Arc<dyn ..>`'s) would be
    // compiled once per relationship.

    /// A to-one relationship (generated code).
    #[doc(hidden)]
    pub fn one(info: &'static RelationshipInfo, attach: fn(&mut S, Option<D>)) -> Self {
        let query = Query::empty();
        Rel {
            info,
            attach: Attach::One(attach),
            manual: None,
            query,
            cardinality: PhantomData,
        }
    }
}

#[doc(hidden)]
impl<S, D> Rel<S, D, ToMany> {
    /// A to-many relationship (generated code).
    #[doc(hidden)]
    pub fn many(info: &'static RelationshipInfo, attach: fn(&mut S, Vec<D>)) -> Self {
        let query = Query::empty();
        Rel {
            info,
            attach: Attach::Many(attach),
            manual: None,
            query,
            cardinality: PhantomData,
        }
    }
}

#[doc(hidden)]
impl<S, D, C> Rel<S, D, C> {
    /// Sets the manual loader (generated code).
    #[doc(hidden)]
    pub fn with_manual(mut self, manual: Arc<dyn DynManual<S, D>>) -> Self {
        self.manual = Some(manual);
        self
    }
}

impl<S: Resource, D: Resource, C> Rel<S, D, C> {
    /// The same relationship, its cardinality forgotten: how the crate keeps
    /// one it only loads or writes.
    pub(crate) fn any_cardinality(self) -> Rel<S, D, AnyCardinality> {
        Rel {
            info: self.info,
            attach: self.attach,
            manual: self.manual,
            query: self.query,
            cardinality: PhantomData,
        }
    }

    /// The relationship's static description.
    pub fn info(&self) -> &'static RelationshipInfo {
        self.info
    }

    /// The query this load runs (before the relationship's own filter and sort).
    pub fn get_query(&self) -> &Query<D> {
        &self.query
    }

    /// Replaces the query this load runs. Its sort, offset and limit apply per
    /// source record, and its loads run on the related records.
    pub fn query(mut self, query: Query<D>) -> Self {
        self.query = query;
        self
    }

    /// Filters the related records (`expr!` on the destination, which may follow
    /// the destination's relationships: `priority < representative.priority_threshold`).
    pub fn filter<K: Condition>(mut self, filter: impl FnOnce(&D::Fields) -> Term<K>) -> Self {
        self.query = self.query.filter(filter);
        self
    }

    /// Filters the related records with a run-time expression; `None` adds
    /// nothing.
    pub fn filter_expr(mut self, filter: impl Into<Option<Expr>>) -> Self {
        self.query = self.query.filter_expr(filter);
        self
    }

    /// Sorts each source record's related records.
    pub fn sort(mut self, sort: impl IntoSorts) -> Self {
        self.query = self.query.sort(sort);
        self
    }

    /// At most `n` related records per source record (not in all).
    pub fn limit(mut self, n: usize) -> Self {
        self.query = self.query.limit(n);
        self
    }

    /// Skips `n` related records per source record (not in all).
    pub fn offset(mut self, n: usize) -> Self {
        self.query = self.query.offset(n);
        self
    }

    /// Loads a relationship of the destination onto the related records: one more
    /// data-layer read for all of them.
    pub fn load(mut self, load: impl Load<D>) -> Self {
        self.query = self.query.load(load);
        self
    }
}
