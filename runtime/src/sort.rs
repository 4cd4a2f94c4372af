//! Sorting: [`Order`] (direction and where nils go), [`Sort`] (one key) and
//! [`IntoSorts`] (what `Query::sort` takes), and the comparison every data
//! layer's sort agrees with.

use std::fmt;

use crate::expr::Name;
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

/// One sort key: an attribute and an order. Usually made from a field reference
/// (`Ticket::priority().desc()`); [`Sort::new`] names the attribute at run time.
/// Displays as Ash writes it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Sort {
    /// The attribute's name.
    pub field: Name,
    /// The order.
    pub order: Order,
}

impl Sort {
    /// A sort key. The attribute's name is checked when the query runs.
    pub fn new(field: impl Into<Name>, order: Order) -> Self {
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
