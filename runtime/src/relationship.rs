//! Relationship markers (`Representative::tickets()`) and `Loaded<T>`, the state of
//! a relationship field on a record.

use std::fmt;
use std::sync::Arc;

use crate::data_layer::BoxFuture;
use crate::domain::Scope;
use crate::error::{Error, ErrorKind, Result};
use crate::expr::{Condition, Expr, Term};
use crate::load::{self, Load};
use crate::manual::DynManual;
use crate::query::{IntoSorts, Query};
use crate::resource::{RelationshipInfo, Resource};

/// A relationship field: not loaded until a query or `Domain::load` loads it.
///
/// has_one and belongs_to hold `Loaded<Option<T>>`; has_many and many_to_many hold
/// `Loaded<Vec<T>>`. Reading an unloaded relationship is an error, never a panic.
///
/// The value is boxed, so two resources may hold each other through to-one
/// relationships (a has_one and the belongs_to back) without an infinitely sized
/// struct.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let reps = support
///     .read(Representative::query().filter(expr!(name == "Alice")))
///     .await?;
/// let err = reps[0].tickets.get().unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::NotLoaded));
///
/// let reps = support
///     .read(
///         Representative::query()
///             .filter(expr!(name == "Alice"))
///             .load(Representative::tickets()),
///     )
///     .await?;
/// assert_eq!(reps[0].tickets.get()?.len(), 3);
///
/// // A to-one relationship with no record is loaded as `None`.
/// let badge = support
///     .read(
///         Ticket::query()
///             .filter(expr!(subject == "Lost badge"))
///             .load(Ticket::representative()),
///     )
///     .await?;
/// assert_eq!(badge[0].representative, Loaded::new(None));
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Loaded<T> {
    /// Not loaded (the state of every relationship of a freshly read record).
    #[default]
    NotLoaded,
    /// Loaded.
    Loaded(Box<T>),
}

impl<T> Loaded<T> {
    /// A loaded value.
    pub fn new(value: T) -> Self {
        Loaded::Loaded(Box::new(value))
    }

    /// The loaded value, or an [`ErrorKind::NotLoaded`] error if it was not loaded.
    pub fn get(&self) -> Result<&T> {
        match self {
            Loaded::Loaded(v) => Ok(v),
            Loaded::NotLoaded => Err(Error::new(ErrorKind::NotLoaded)),
        }
    }

    /// The loaded value, mutably, or an [`ErrorKind::NotLoaded`] error.
    pub fn get_mut(&mut self) -> Result<&mut T> {
        match self {
            Loaded::Loaded(v) => Ok(v),
            Loaded::NotLoaded => Err(Error::new(ErrorKind::NotLoaded)),
        }
    }

    /// The loaded value, by value, or an [`ErrorKind::NotLoaded`] error.
    pub fn into_inner(self) -> Result<T> {
        match self {
            Loaded::Loaded(v) => Ok(*v),
            Loaded::NotLoaded => Err(Error::new(ErrorKind::NotLoaded)),
        }
    }

    /// Whether it was loaded.
    pub fn is_loaded(&self) -> bool {
        matches!(self, Loaded::Loaded(_))
    }

    /// The loaded value, if any.
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Loaded::Loaded(v) => Some(v),
            Loaded::NotLoaded => None,
        }
    }
}

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
pub struct Rel<S: Resource, D: Resource> {
    pub(crate) info: &'static RelationshipInfo,
    pub(crate) attach: Attach<S, D>,
    pub(crate) manual: Option<Arc<dyn DynManual<S, D>>>,
    pub(crate) query: Query<D>,
}

impl<S: Resource, D: Resource> Clone for Rel<S, D> {
    fn clone(&self) -> Self {
        Rel {
            info: self.info,
            attach: self.attach.clone(),
            manual: self.manual.clone(),
            query: self.query.clone(),
        }
    }
}

impl<S: Resource, D: Resource> fmt::Debug for Rel<S, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rel")
            .field("source", &S::schema().name)
            .field("name", &self.info.name)
            .field("query", &self.query)
            .finish()
    }
}

impl<S: Resource, D: Resource> Rel<S, D> {
    /// A to-one relationship (generated code).
    #[doc(hidden)]
    pub fn one(info: &'static RelationshipInfo, attach: fn(&mut S, Option<D>)) -> Self {
        Rel {
            info,
            attach: Attach::One(attach),
            manual: None,
            query: Query::new(),
        }
    }

    /// A to-many relationship (generated code).
    #[doc(hidden)]
    pub fn many(info: &'static RelationshipInfo, attach: fn(&mut S, Vec<D>)) -> Self {
        Rel {
            info,
            attach: Attach::Many(attach),
            manual: None,
            query: Query::new(),
        }
    }

    /// Sets the manual loader (generated code).
    #[doc(hidden)]
    pub fn with_manual(mut self, manual: Arc<dyn DynManual<S, D>>) -> Self {
        self.manual = Some(manual);
        self
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

impl<S: Resource, D: Resource> Load<S> for Rel<S, D> {
    fn name(&self) -> &'static str {
        self.info.name
    }

    fn run<'a>(&'a self, records: &'a mut [S], scope: &'a Scope) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            load::run(self, records, scope)
                .await
                .map_err(|e| e.in_relationship(S::schema().name, self.info.name))
        })
    }
}
