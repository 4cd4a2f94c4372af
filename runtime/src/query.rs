//! `Query<R>`: what to read (filter, sort, limit, offset) and which relationships
//! to load onto what is read.

use std::fmt;
use std::sync::Arc;

use crate::data_layer::BoxFuture;
use crate::domain::Scope;
use crate::error::Result;
use crate::expr::{Condition, Expr, Fields, Term};
use crate::resource::Resource;
use crate::sort::{IntoSorts, Sort};

/// A part of a query that [`Query::unset`] can remove (Ash's `Ash.Query.unset`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unset {
    /// The filter.
    Filter,
    /// The sort.
    Sort,
    /// The limit.
    Limit,
    /// The offset.
    Offset,
    /// The relationship loads.
    Load,
}

/// A read of `R` records: filter, sort, limit, offset, and relationships to load.
/// Start one with `Ticket::query()` (generated for every resource) or [`Query::new`], run it with
/// [`Domain::read`](crate::Domain::read) or, in a manual loader, [`Query::read`].
///
/// As a relationship load's query ([`Rel::query`](crate::Rel::query)), sort,
/// limit and offset apply per source record; a manual loader's
/// [`LoadContext::query`](crate::LoadContext::query) comes without limit and
/// offset (ashore windows what the loader returns, per source record), and a
/// limit the loader puts on a read of its own applies to that read as a whole.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let query = Ticket::query()
///     .filter(expr!(priority >= 2))
///     .sort(Ticket::priority().desc())
///     .offset(1)
///     .limit(2)
///     .load(Ticket::representative());
/// let tickets = support.read(query).await?;
/// assert_eq!(subjects(&tickets), ["Printer on fire", "VPN down"]);
/// let owner = tickets[0]
///     .representative
///     .get()?
///     .as_ref()
///     .map(|r| r.name.as_str());
/// assert_eq!(owner, Some("Alice"));
/// # Ok(()) }
/// ```
pub struct Query<R> {
    filter: Option<Expr>,
    sort: Vec<Sort>,
    limit: Option<usize>,
    offset: usize,
    pub(crate) loads: Vec<Arc<dyn Load<R>>>,
}

impl<R: Resource> Clone for Query<R> {
    fn clone(&self) -> Self {
        Query {
            filter: self.filter.clone(),
            sort: self.sort.clone(),
            limit: self.limit,
            offset: self.offset,
            loads: self.loads.clone(),
        }
    }
}

impl<R: Resource> Default for Query<R> {
    fn default() -> Self {
        Self::new()
    }
}

impl<R: Resource> fmt::Debug for Query<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Query")
            .field("resource", &R::schema().name)
            .field("filter", &self.filter.as_ref().map(ToString::to_string))
            .field("sort", &self.sort)
            .field("limit", &self.limit)
            .field("offset", &self.offset)
            .field(
                "loads",
                &self.loads.iter().map(|l| l.name()).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl<R> Query<R> {
    /// A query for every record, for any `R`: what a relationship's `Rel` starts
    /// with (see there why without bounds).
    pub(crate) const fn empty() -> Self {
        Query {
            filter: None,
            sort: Vec::new(),
            limit: None,
            offset: 0,
            loads: Vec::new(),
        }
    }
}

impl<R: Resource> Query<R> {
    /// A query for every record; the same as the generated `Ticket::query()` of a resource.
    pub const fn new() -> Self {
        Self::empty()
    }

    /// Adds a filter written with `expr!`; several filters must all hold.
    ///
    /// `expr!` expands to a closure over the resource's field references, so the
    /// compiler checks every name and operand type against `R`. A record matches
    /// only when the filter is true: a comparison with nil is nil, not false.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let tickets = support
    ///     .read(
    ///         Ticket::query()
    ///             .filter(expr!(priority > 1))
    ///             .filter(expr!(representative.name == "Alice")),
    ///     )
    ///     .await?;
    /// assert_eq!(
    ///     subjects(&tickets),
    ///     ["Printer on fire", "VPN down", "Coffee machine empty"]
    /// );
    ///
    /// // "Lost badge" has no priority: it is neither above nor below 3.
    /// let above = support
    ///     .read(Ticket::query().filter(expr!(priority > 3)))
    ///     .await?;
    /// let not_above = support
    ///     .read(Ticket::query().filter(expr!(not(priority > 3))))
    ///     .await?;
    /// assert_eq!(above.len() + not_above.len(), 5);
    /// # Ok(()) }
    /// ```
    pub fn filter<K: Condition>(self, filter: impl FnOnce(&R::Fields) -> Term<K>) -> Self {
        self.filter_expr(filter(&<R::Fields as Fields>::VALUE).into_expr())
    }

    /// Adds a filter given as an [`Expr`] (built at run time, or taken from another
    /// query); `None` adds nothing. Its names are checked when the query runs.
    pub fn filter_expr(mut self, filter: impl Into<Option<Expr>>) -> Self {
        if let Some(e) = filter.into() {
            self.filter = Some(Expr::and_maybe(self.filter.take(), e));
        }
        self
    }

    /// Appends sort keys (earlier keys take precedence): attributes
    /// (`Ticket::priority().desc()`), or attributes reached through to-one
    /// relationships (`Ticket::representative().field(Representative::name())`,
    /// nil when the relationship reaches no record the read may see). Records
    /// that tie on every key keep insertion order.
    pub fn sort(mut self, sort: impl IntoSorts) -> Self {
        self.sort.extend(sort.into_sorts());
        self
    }

    /// At most `n` records (per source record, in a relationship load).
    pub fn limit(mut self, n: usize) -> Self {
        self.limit = Some(n);
        self
    }

    /// Skips `n` records (per source record, in a relationship load).
    pub fn offset(mut self, n: usize) -> Self {
        self.offset = n;
        self
    }

    /// Removes parts of the query (Ash's `Ash.Query.unset`); the parts not named
    /// are kept.
    pub fn unset(mut self, parts: impl IntoIterator<Item = Unset>) -> Self {
        for part in parts {
            match part {
                Unset::Filter => self.filter = None,
                Unset::Sort => self.sort.clear(),
                Unset::Limit => self.limit = None,
                Unset::Offset => self.offset = 0,
                Unset::Load => self.loads.clear(),
            }
        }
        self
    }

    /// Loads a relationship onto every record read. The relationship may carry its
    /// own query (`Representative::tickets().limit(3)`), loads included.
    pub fn load(mut self, load: impl Load<R>) -> Self {
        self.loads.push(Arc::new(load));
        self
    }

    /// The filter, if any (Ash's `query.filter`). Several filters are joined with
    /// `and`.
    pub fn get_filter(&self) -> Option<&Expr> {
        self.filter.as_ref()
    }

    /// The sort keys (Ash's `query.sort`).
    pub fn get_sort(&self) -> &[Sort] {
        &self.sort
    }

    /// The limit.
    pub fn get_limit(&self) -> Option<usize> {
        self.limit
    }

    /// The offset (0 unless set).
    pub fn get_offset(&self) -> usize {
        self.offset
    }

    /// Names of the relationships this query loads, in order.
    pub fn get_loads(&self) -> Vec<&'static str> {
        self.loads.iter().map(|l| l.name()).collect()
    }

    /// The resource's name (Ash's `query.resource`).
    pub fn resource(&self) -> &'static str {
        R::schema().name
    }
}

/// A relationship load that can run on records of `S`: what `Query::load` takes.
/// Implemented by [`Rel`](crate::Rel); the loader calls it once per level with every record.
pub trait Load<S: Resource>: Send + Sync + 'static {
    /// The relationship's name.
    fn name(&self) -> &'static str;

    /// Loads onto `records`, in `scope`: what [`Query::load`](crate::Query::load)
    /// and [`Domain::load`](crate::Domain::load) do with it. A load of your own
    /// can wrap a relationship's:
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// use ashore::data_layer::BoxFuture;
    ///
    /// /// Loads `tickets`, keeping those above priority 2.
    /// struct TriagedTickets;
    ///
    /// impl Load<Representative> for TriagedTickets {
    ///     fn name(&self) -> &'static str {
    ///         "tickets"
    ///     }
    ///
    ///     fn run<'a>(
    ///         &'a self,
    ///         reps: &'a mut [Representative],
    ///         scope: &'a Scope,
    ///     ) -> BoxFuture<'a, ashore::Result<()>> {
    ///         Box::pin(async move {
    ///             Representative::tickets().run(reps, scope).await?;
    ///             for rep in reps.iter_mut() {
    ///                 rep.tickets.get_mut()?.retain(|t| t.priority > Some(2));
    ///             }
    ///             Ok(())
    ///         })
    ///     }
    /// }
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let reps = support
    ///     .read(
    ///         Representative::query()
    ///             .sort(Representative::name())
    ///             .load(TriagedTickets),
    ///     )
    ///     .await?;
    /// assert_eq!(
    ///     subjects(reps[0].tickets.get()?),
    ///     ["Printer on fire", "VPN down"]
    /// );
    /// assert_eq!(subjects(reps[1].tickets.get()?), ["Server room flooded"]);
    /// # Ok(()) }
    /// ```
    fn run<'a>(&'a self, records: &'a mut [S], scope: &'a Scope) -> BoxFuture<'a, Result<()>>;
}
