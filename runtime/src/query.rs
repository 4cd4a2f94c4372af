//! `Query<R>`: what to read (filter, sort, limit, offset) and which relationships
//! to load onto what is read.

use std::fmt;
use std::sync::Arc;

use crate::domain::ReadScope;
use crate::error::Result;
use crate::expr::{Condition, Expr, Term};
use crate::load::Load;
use crate::resource::Resource;

/// Sort direction and where nils go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Order {
    /// Ascending, nils last.
    Asc,
    /// Descending, nils first.
    Desc,
    /// Ascending, nils first.
    AscNilsFirst,
    /// Descending, nils last.
    DescNilsLast,
}

impl Order {
    /// Whether larger values come first.
    pub fn is_descending(self) -> bool {
        matches!(self, Order::Desc | Order::DescNilsLast)
    }
    /// Whether nils come before every value.
    pub fn nils_first(self) -> bool {
        matches!(self, Order::Desc | Order::AscNilsFirst)
    }
}

/// One sort key: an attribute and an order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Sort {
    /// The attribute's name.
    pub field: crate::expr::Name,
    /// The order.
    pub order: Order,
}

impl Sort {
    /// A sort key.
    ///
    /// ```
    /// use ashore_runtime::{Sort, Order};
    /// let s = Sort::new("priority", Order::Desc);
    /// assert_eq!(s.to_string(), "priority desc");
    /// ```
    pub fn new(field: impl Into<crate::expr::Name>, order: Order) -> Self {
        Sort {
            field: field.into(),
            order,
        }
    }
}

impl fmt::Display for Sort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let order = match self.order {
            Order::Asc => "asc",
            Order::Desc => "desc",
            Order::AscNilsFirst => "asc_nils_first",
            Order::DescNilsLast => "desc_nils_last",
        };
        write!(f, "{} {order}", self.field)
    }
}

/// Sort keys in any of the usual shapes: one key, a field (ascending), a `Vec` or
/// an array of keys.
pub trait IntoSorts {
    /// The keys, in priority order.
    fn into_sorts(self) -> Vec<Sort>;
}

impl IntoSorts for Sort {
    fn into_sorts(self) -> Vec<Sort> {
        vec![self]
    }
}
impl<R: Resource, T: crate::value::Scalar> IntoSorts for crate::resource::Field<R, T> {
    fn into_sorts(self) -> Vec<Sort> {
        vec![self.asc()]
    }
}
impl IntoSorts for Vec<Sort> {
    fn into_sorts(self) -> Vec<Sort> {
        self
    }
}
impl IntoSorts for &[Sort] {
    fn into_sorts(self) -> Vec<Sort> {
        self.to_vec()
    }
}
impl<const N: usize> IntoSorts for [Sort; N] {
    fn into_sorts(self) -> Vec<Sort> {
        self.into()
    }
}

/// A part of a query that `Query::unset` can remove (Ash's `Ash.Query.unset`).
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
///
/// As a relationship's query (in `Rel::query` or a manual loader's
/// `LoadContext::query`), sort, limit and offset apply per source record.
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
    /// A query for every record.
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
    /// compiler checks every name and operand type against `R`.
    pub fn filter<K: Condition>(self, filter: impl FnOnce(&R::Fields) -> Term<K>) -> Self {
        let fields = <R::Fields as crate::expr::Fields>::at(Vec::new());
        self.filter_expr(filter(&fields).into_expr())
    }

    /// Adds a filter given as an [`Expr`] (built at run time, or taken from another
    /// query); `None` adds nothing. Its names are checked when the query runs.
    pub fn filter_expr(mut self, filter: impl Into<Option<Expr>>) -> Self {
        if let Some(e) = filter.into() {
            self.filter = Some(Expr::and_maybe(self.filter.take(), e));
        }
        self
    }

    /// Appends sort keys (earlier keys take precedence).
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

    /// Removes parts of the query.
    ///
    /// ```ignore
    /// let fetch = ctx.query.clone().unset([Unset::Limit, Unset::Offset]);
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
    pub fn load(mut self, load: impl Load<R>) -> Self {
        self.loads.push(Arc::new(load));
        self
    }

    /// The filter, if any (Ash's `query.filter`).
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

    /// The offset.
    pub fn get_offset(&self) -> usize {
        self.offset
    }

    /// Names of the relationships this query loads.
    pub fn get_loads(&self) -> Vec<&'static str> {
        self.loads.iter().map(|l| l.name()).collect()
    }

    /// The resource's name (Ash's `query.resource`).
    pub fn resource(&self) -> &'static str {
        R::schema().name
    }

    /// Reads with the domain, actor, authorize flag and tenant of `scope`: inside a
    /// manual loader, pass its `LoadContext` to read as the caller does.
    pub fn read<'a>(
        self,
        scope: &'a impl ReadScope,
    ) -> impl std::future::Future<Output = Result<Vec<R>>> + Send + 'a {
        let scope = scope.read_scope().clone();
        async move { scope.read(self).await }
    }
}

/// Compares two values for sorting by `order`: nils placed as the order says,
/// other values by [`crate::Value::compare`].
pub(crate) fn compare_for_sort(
    a: &crate::Value,
    b: &crate::Value,
    order: Order,
) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a.is_null(), b.is_null()) {
        (true, true) => Ordering::Equal,
        (true, false) => {
            if order.nils_first() {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        (false, true) => {
            if order.nils_first() {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (false, false) => {
            let o = a.sort_cmp(b);
            if order.is_descending() {
                o.reverse()
            } else {
                o
            }
        }
    }
}
