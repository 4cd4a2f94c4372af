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
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let query = Ticket::query()
///     .filter(expr!(priority > 1))
///     .sort(Ticket::subject())
///     .limit(2)
///     .offset(1);
/// let everything = query.unset([Unset::Filter, Unset::Sort, Unset::Limit, Unset::Offset]);
/// assert_eq!(support.read(everything).await?.len(), 6);
/// # Ok(()) }
/// ```
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
/// As a relationship's query (in [`Rel::query`](crate::Rel::query) or a manual
/// loader's [`LoadContext::query`](crate::LoadContext::query)), sort, limit and
/// offset apply per source record.
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
pub struct Query<R: Resource> {
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

impl<R: Resource> Query<R> {
    /// A query for every record; the same as the generated `Ticket::query()` of a resource.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let everything: Query<Ticket> = Query::new();
    /// assert_eq!(everything.get_filter(), None);
    /// assert_eq!(support.read(everything).await?.len(), 6);
    /// # Ok(()) }
    /// ```
    pub fn new() -> Self {
        Query {
            filter: None,
            sort: Vec::new(),
            limit: None,
            offset: 0,
            loads: Vec::new(),
        }
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
        let fields = <R::Fields as Fields>::at(Vec::new());
        self.filter_expr(filter(&fields).into_expr())
    }

    /// Adds a filter given as an [`Expr`] (built at run time, or taken from another
    /// query); `None` adds nothing. Its names are checked when the query runs.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let min = Expr::cmp(CmpOp::Ge, Expr::attr("priority"), Expr::value(5_i64));
    /// let urgent = support.read(Ticket::query().filter_expr(min)).await?;
    /// assert_eq!(
    ///     subjects(&urgent),
    ///     ["Printer on fire", "Server room flooded"]
    /// );
    ///
    /// // The filter of one query, reused in another.
    /// let copied = Ticket::query().filter_expr(
    ///     Ticket::query()
    ///         .filter(expr!(priority == 1))
    ///         .get_filter()
    ///         .cloned(),
    /// );
    /// assert_eq!(subjects(&support.read(copied).await?), ["Password reset"]);
    ///
    /// let typo = Expr::cmp(
    ///     CmpOp::Eq,
    ///     Expr::attr("subjet"),
    ///     Expr::value("VPN down".to_string()),
    /// );
    /// let err = support
    ///     .read(Ticket::query().filter_expr(typo))
    ///     .await
    ///     .unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::InvalidQuery { .. }));
    /// # Ok(()) }
    /// ```
    pub fn filter_expr(mut self, filter: impl Into<Option<Expr>>) -> Self {
        if let Some(e) = filter.into() {
            self.filter = Some(Expr::and_maybe(self.filter.take(), e));
        }
        self
    }

    /// Appends sort keys (earlier keys take precedence); records that tie on every
    /// key keep the data layer's order.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// support
    ///     .create(
    ///         Ticket::changeset()
    ///             .set(Ticket::subject(), "Printer jammed")
    ///             .set(Ticket::priority(), 5),
    ///     )
    ///     .await?;
    /// let tickets = support
    ///     .read(
    ///         Ticket::query()
    ///             .sort(Ticket::priority().desc_nils_last())
    ///             .sort(Ticket::subject())
    ///             .limit(3),
    ///     )
    ///     .await?;
    /// assert_eq!(
    ///     subjects(&tickets),
    ///     ["Server room flooded", "Printer jammed", "Printer on fire"]
    /// );
    /// # Ok(()) }
    /// ```
    pub fn sort(mut self, sort: impl IntoSorts) -> Self {
        self.sort.extend(sort.into_sorts());
        self
    }

    /// At most `n` records (per source record, in a relationship load).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let top = support
    ///     .read(
    ///         Ticket::query()
    ///             .sort(Ticket::priority().desc_nils_last())
    ///             .limit(2),
    ///     )
    ///     .await?;
    /// assert_eq!(subjects(&top), ["Server room flooded", "Printer on fire"]);
    ///
    /// // In a load, per representative: the most urgent ticket of each.
    /// let reps = support
    ///     .read(
    ///         Representative::query().sort(Representative::name()).load(
    ///             Representative::tickets()
    ///                 .query(Ticket::query().sort(Ticket::priority().desc()).limit(1)),
    ///         ),
    ///     )
    ///     .await?;
    /// assert_eq!(subjects(reps[0].tickets.get()?), ["Printer on fire"]);
    /// assert_eq!(subjects(reps[1].tickets.get()?), ["Server room flooded"]);
    /// # Ok(()) }
    /// ```
    pub fn limit(mut self, n: usize) -> Self {
        self.limit = Some(n);
        self
    }

    /// Skips `n` records (per source record, in a relationship load).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let page = |n: usize| {
    ///     Ticket::query()
    ///         .sort(Ticket::subject())
    ///         .offset(2 * n)
    ///         .limit(2)
    /// };
    /// assert_eq!(
    ///     subjects(&support.read(page(0)).await?),
    ///     ["Coffee machine empty", "Lost badge"]
    /// );
    /// assert_eq!(
    ///     subjects(&support.read(page(1)).await?),
    ///     ["Password reset", "Printer on fire"]
    /// );
    /// assert_eq!(
    ///     subjects(&support.read(page(2)).await?),
    ///     ["Server room flooded", "VPN down"]
    /// );
    /// # Ok(()) }
    /// ```
    pub fn offset(mut self, n: usize) -> Self {
        self.offset = n;
        self
    }

    /// Removes parts of the query (Ash's `Ash.Query.unset`).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let query = Ticket::query()
    ///     .filter(expr!(priority > 1))
    ///     .sort(Ticket::priority().desc())
    ///     .limit(1)
    ///     .offset(1)
    ///     .load(Ticket::representative());
    /// let fetch = query.unset([Unset::Limit, Unset::Offset, Unset::Load]);
    /// assert_eq!(fetch.get_limit(), None);
    /// assert_eq!(fetch.get_offset(), 0);
    /// assert!(fetch.get_loads().is_empty());
    /// // The filter and sort are kept.
    /// assert_eq!(
    ///     subjects(&support.read(fetch).await?),
    ///     [
    ///         "Server room flooded",
    ///         "Printer on fire",
    ///         "VPN down",
    ///         "Coffee machine empty",
    ///     ]
    /// );
    /// # Ok(()) }
    /// ```
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
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let reps = support
    ///     .read(
    ///         Representative::query()
    ///             .filter(expr!(name == "Bob"))
    ///             .load(Representative::tickets().sort(Ticket::priority()))
    ///             .load(Representative::tickets_above_threshold()),
    ///     )
    ///     .await?;
    /// assert_eq!(
    ///     subjects(reps[0].tickets.get()?),
    ///     ["Password reset", "Server room flooded"]
    /// );
    /// assert_eq!(
    ///     subjects(reps[0].tickets_above_threshold.get()?),
    ///     ["Server room flooded"]
    /// );
    /// # Ok(()) }
    /// ```
    pub fn load(mut self, load: impl Load<R>) -> Self {
        self.loads.push(Arc::new(load));
        self
    }

    /// The filter, if any (Ash's `query.filter`). Several filters are joined with
    /// `and`.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// let query = Ticket::query()
    ///     .filter(expr!(priority > 3))
    ///     .filter(expr!(subject != "VPN down"));
    /// assert_eq!(
    ///     query.get_filter().unwrap().to_string(),
    ///     r#"(priority > 3 and subject != "VPN down")"#
    /// );
    /// assert_eq!(Ticket::query().get_filter(), None);
    /// # }
    /// ```
    pub fn get_filter(&self) -> Option<&Expr> {
        self.filter.as_ref()
    }

    /// The sort keys (Ash's `query.sort`).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// let query = Ticket::query()
    ///     .sort(Ticket::priority().desc())
    ///     .sort(Ticket::subject());
    /// let keys: Vec<String> = query.get_sort().iter().map(ToString::to_string).collect();
    /// assert_eq!(keys, ["priority desc", "subject asc"]);
    /// # }
    /// ```
    pub fn get_sort(&self) -> &[Sort] {
        &self.sort
    }

    /// The limit.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// assert_eq!(Ticket::query().get_limit(), None);
    /// assert_eq!(Ticket::query().limit(10).get_limit(), Some(10));
    /// # }
    /// ```
    pub fn get_limit(&self) -> Option<usize> {
        self.limit
    }

    /// The offset (0 unless set).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// assert_eq!(Ticket::query().get_offset(), 0);
    /// assert_eq!(Ticket::query().offset(20).get_offset(), 20);
    /// # }
    /// ```
    pub fn get_offset(&self) -> usize {
        self.offset
    }

    /// Names of the relationships this query loads, in order.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// let query = Representative::query()
    ///     .load(Representative::tickets())
    ///     .load(Representative::tickets_above_threshold());
    /// assert_eq!(query.get_loads(), ["tickets", "tickets_above_threshold"]);
    /// # }
    /// ```
    pub fn get_loads(&self) -> Vec<&'static str> {
        self.loads.iter().map(|l| l.name()).collect()
    }

    /// The resource's name (Ash's `query.resource`).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// assert_eq!(Ticket::query().resource(), "Ticket");
    /// # }
    /// ```
    pub fn resource(&self) -> &'static str {
        R::schema().name
    }
}

/// A relationship load that can run on records of `S`: what `Query::load` takes.
/// Implemented by [`Rel`]; the loader calls it once per level with every record.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// /// The load of each representative's `n` most urgent tickets.
/// fn most_urgent(n: usize) -> impl Load<Representative> {
///     Representative::tickets()
///         .sort(Ticket::priority().desc())
///         .limit(n)
/// }
///
/// let reps = support
///     .read(
///         Representative::query()
///             .sort(Representative::name())
///             .load(most_urgent(1)),
///     )
///     .await?;
/// assert_eq!(subjects(reps[0].tickets.get()?), ["Printer on fire"]);
/// assert_eq!(subjects(reps[1].tickets.get()?), ["Server room flooded"]);
/// # Ok(()) }
/// ```
pub trait Load<S: Resource>: Send + Sync + 'static {
    /// The relationship's name.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// let load: Box<dyn Load<Representative>> = Box::new(Representative::tickets().limit(3));
    /// assert_eq!(load.name(), "tickets");
    /// # }
    /// ```
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
