//! Sorting: [`Order`] (direction and where nils go), [`Sort`] (one key) and
//! [`IntoSorts`] (what `Query::sort` takes), and the comparison every data
//! layer's sort agrees with.

use std::fmt;

use crate::expr::Name;
use crate::value::Value;

/// Sort direction and where nils go. [`Field`](crate::Field)'s `asc`, `desc`,
/// `asc_nils_first` and `desc_nils_last` make a [`Sort`] with each.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let tickets = support
///     .read(Ticket::query().sort(Sort::new("priority", Order::DescNilsLast)))
///     .await?;
/// assert_eq!(tickets[0].subject, "Server room flooded");
/// assert_eq!(tickets[5].subject, "Lost badge"); // nil priority, last
/// # Ok(()) }
/// ```
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
    ///
    /// ```
    /// # extern crate ashore_runtime as ashore;
    /// use ashore::Order;
    /// assert!(Order::Desc.is_descending());
    /// assert!(Order::DescNilsLast.is_descending());
    /// assert!(!Order::AscNilsFirst.is_descending());
    /// ```
    pub fn is_descending(self) -> bool {
        matches!(self, Order::Desc | Order::DescNilsLast)
    }
    /// Whether nils come before every value.
    ///
    /// ```
    /// # extern crate ashore_runtime as ashore;
    /// use ashore::Order;
    /// assert!(Order::Desc.nils_first());
    /// assert!(Order::AscNilsFirst.nils_first());
    /// assert!(!Order::Asc.nils_first());
    /// assert!(!Order::DescNilsLast.nils_first());
    /// ```
    pub fn nils_first(self) -> bool {
        matches!(self, Order::Desc | Order::AscNilsFirst)
    }
}

/// One sort key: an attribute and an order. Usually made from a field reference
/// (`Ticket::priority().desc()`); [`Sort::new`] names the attribute at run time.
/// Displays as Ash writes it.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let by_priority = Ticket::priority().desc();
/// assert_eq!(by_priority, Sort::new("priority", Order::Desc));
/// assert_eq!(by_priority.to_string(), "priority desc");
///
/// let top = support
///     .read(Ticket::query().sort(by_priority).limit(1))
///     .await?;
/// assert_eq!(top[0].subject, "Lost badge"); // desc puts nils first
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Sort {
    /// The attribute's name.
    pub field: Name,
    /// The order.
    pub order: Order,
}

impl Sort {
    /// A sort key. The attribute's name is checked when the query runs.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let s = Sort::new("priority", Order::Desc);
    /// assert_eq!(s.to_string(), "priority desc");
    ///
    /// let err = support
    ///     .read(Ticket::query().sort(Sort::new("urgency", Order::Asc)))
    ///     .await
    ///     .unwrap_err();
    /// assert!(matches!(
    ///     err.kind(),
    ///     ErrorKind::InvalidQuery {
    ///         resource: "Ticket",
    ///         ..
    ///     }
    /// ));
    /// assert_eq!(
    ///     err.to_string(),
    ///     "Ticket: invalid query on Ticket: no attribute named `urgency` to sort by"
    /// );
    /// # Ok(()) }
    /// ```
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
/// slice or an array of keys. What [`Query::sort`] and [`Rel::sort`](crate::Rel::sort) take.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let by_priority_then_subject = [Ticket::priority().desc_nils_last(), Ticket::subject().asc()];
/// let tickets = support
///     .read(Ticket::query().sort(by_priority_then_subject))
///     .await?;
/// assert_eq!(tickets[0].subject, "Server room flooded");
///
/// // A field alone sorts ascending.
/// let tickets = support
///     .read(Ticket::query().sort(Ticket::subject()))
///     .await?;
/// assert_eq!(tickets[0].subject, "Coffee machine empty");
/// # Ok(()) }
/// ```
pub trait IntoSorts {
    /// The keys, in priority order.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// let keys = vec![Ticket::priority().desc(), Ticket::subject().into()];
    /// assert_eq!(
    ///     keys.into_sorts(),
    ///     [
    ///         Sort::new("priority", Order::Desc),
    ///         Sort::new("subject", Order::Asc)
    ///     ]
    /// );
    /// assert_eq!(Ticket::subject().into_sorts(), [Ticket::subject().asc()]);
    /// # }
    /// ```
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
