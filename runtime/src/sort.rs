//! Sorting: [`Order`] (direction and where nils go), [`Sort`] (one key: an
//! attribute of the resource read, or one reached through to-one
//! relationships) and [`IntoSorts`] (what `Query::sort` takes), and the
//! comparison every data layer's sort agrees with.

use std::fmt;

use crate::expr::{Aggregate, Name};
use crate::value::Value;

/// Sort direction and where nils go. [`Field`](crate::Field)'s `asc`, `desc`,
/// `asc_nils_first` and `desc_nils_last` make a [`Sort`] with each.
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

/// One sort key: an attribute, reached through the to-one relationships of
/// `path` (none for the resource's own), and an order. Usually made from a field
/// reference (`Ticket::priority().desc()`, or through a relationship
/// `Ticket::representative().field(Representative::name()).desc()`);
/// [`Sort::new`] and [`Sort::path`] name it at run time. Displays as Ash
/// writes it (`representative.name desc`).
///
/// A record whose path reaches no record (a nil key, no such record, or one
/// the read may not see: another tenant's, or hidden by the destination's read
/// policies) sorts as if the attribute were nil. A has_one or belongs_to that
/// may reach several records (its destination attribute is not the
/// destination's primary key) reads the first of them in the relationship's
/// own sort order, then insertion order: the record a load of it attaches.
///
/// A key may instead be an aggregate of the resource read
/// (`Representative::open_ticket_count().desc()`, or [`Sort::aggregate`]):
/// its value for each record, nil sorting as the order says.
#[derive(Clone, Debug)]
pub struct Sort {
    /// The names of the relationships leading to the attribute's resource
    /// (empty for the resource read).
    pub path: Vec<Name>,
    /// The attribute's name (an aggregate's, for an aggregate).
    pub field: Name,
    /// The order.
    pub order: Order,
    /// The aggregate sorted by, when the key is one (then `path` is empty).
    pub aggregate: Option<Box<Aggregate>>,
}

/// Keys are equal when they name the same thing in the same order; an
/// aggregate compares by what it computes, as written.
impl PartialEq for Sort {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
            && self.field == other.field
            && self.order == other.order
            && self.aggregate.as_ref().map(ToString::to_string)
                == other.aggregate.as_ref().map(ToString::to_string)
    }
}

impl Eq for Sort {}

impl std::hash::Hash for Sort {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.path.hash(state);
        self.field.hash(state);
        self.order.hash(state);
        self.aggregate.as_ref().map(ToString::to_string).hash(state);
    }
}

impl Sort {
    /// A sort key on an attribute of the resource read. The name is checked
    /// when the query runs.
    pub fn new(field: impl Into<Name>, order: Order) -> Self {
        Sort {
            path: Vec::new(),
            field: field.into(),
            order,
            aggregate: None,
        }
    }

    /// A sort key on the aggregate `aggregate` of the resource read, named
    /// `name` (how the key displays). Checked when the query runs, as a
    /// filter's aggregate is; a `list` is no key (`InvalidQuery`).
    pub fn aggregate(name: impl Into<Name>, aggregate: Aggregate, order: Order) -> Self {
        Sort {
            path: Vec::new(),
            field: name.into(),
            order,
            aggregate: Some(Box::new(aggregate)),
        }
    }

    /// A sort key on an attribute reached through the relationships of `path`,
    /// each a belongs_to or has_one that is not manual. The names are checked
    /// when the query runs: a to-many or manual relationship is an
    /// [`ErrorKind::InvalidQuery`](crate::ErrorKind::InvalidQuery) naming it.
    pub fn path<I, N>(path: I, field: impl Into<Name>, order: Order) -> Self
    where
        I: IntoIterator<Item = N>,
        N: Into<Name>,
    {
        Sort {
            path: path.into_iter().map(Into::into).collect(),
            field: field.into(),
            order,
            aggregate: None,
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
        for relationship in &self.path {
            write!(f, "{relationship}.")?;
        }
        write!(f, "{} {order}", self.field)
    }
}

/// Sort keys in any of the usual shapes: one key, a field (ascending), a `Vec`, a
/// slice or an array of keys. What [`Query::sort`](crate::Query::sort) and [`Rel::sort`](crate::Rel::sort) take.
pub trait IntoSorts {
    /// The keys, in priority order.
    fn into_sorts(self) -> Vec<Sort>;
}

impl IntoSorts for Sort {
    fn into_sorts(self) -> Vec<Sort> {
        vec![self]
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

/// Compares two records' sort values key by key (`a[i]` and `b[i]` by the
/// `i`-th order), the first difference deciding: what every sort compares.
pub(crate) fn compare_keys(
    a: &[Value],
    b: &[Value],
    orders: impl IntoIterator<Item = Order>,
) -> std::cmp::Ordering {
    orders
        .into_iter()
        .zip(a.iter().zip(b))
        .map(|(o, (x, y))| compare_for_sort(x, y, o))
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

/// Compares two values for sorting by `order`: nils placed as the order says,
/// other values by [`crate::Value::compare`].
pub(crate) fn compare_for_sort(a: &Value, b: &Value, order: Order) -> std::cmp::Ordering {
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
