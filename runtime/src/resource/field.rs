//! [`Field`]: a typed reference to one attribute of a resource, for sorts,
//! changesets and record access.

use std::fmt;
use std::marker::PhantomData;

use crate::scalar::Scalar;
use crate::sort::{IntoSorts, Order, Sort};

use super::Resource;

/// A typed reference to one attribute, e.g. `Ticket::priority()`: used to sort and
/// to set values on a create. Its type parameters are the resource and the
/// attribute's type, so the compiler rejects a value of the wrong type.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let priority: Field<Ticket, Option<i64>> = Ticket::priority();
/// assert_eq!(priority.name(), "priority");
/// let ticket = support
///     .create(
///         Ticket::changeset()
///             .set(Ticket::subject(), "Toner low")
///             .set(priority, 0),
///     )
///     .await?;
/// let low = support
///     .read(Ticket::query().sort(priority).limit(2))
///     .await?;
/// assert_eq!(subjects(&low), ["Toner low", "Password reset"]);
/// assert_eq!(low[0], ticket);
/// # Ok(()) }
/// ```
pub struct Field<R, T> {
    name: &'static str,
    index: usize,
    _marker: PhantomData<fn() -> (R, T)>,
}

impl<R, T> Clone for Field<R, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R, T> Copy for Field<R, T> {}

impl<R, T> fmt::Debug for Field<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Field({})", self.name)
    }
}

impl<R: Resource, T: Scalar> Field<R, T> {
    /// Generated code makes these; `index` is the attribute's place in the schema.
    #[doc(hidden)]
    pub const fn new(name: &'static str, index: usize) -> Self {
        Field {
            name,
            index,
            _marker: PhantomData,
        }
    }
    /// The attribute's name.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// assert_eq!(Ticket::representative_id().name(), "representative_id");
    /// # }
    /// ```
    pub fn name(&self) -> &'static str {
        self.name
    }
    /// The attribute's index in the schema, as [`Resource::get`] takes it.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// assert_eq!(Ticket::subject().index(), 1);
    /// assert_eq!(
    ///     Ticket::schema().attributes[Ticket::subject().index()].name,
    ///     "subject"
    /// );
    /// # }
    /// ```
    pub fn index(&self) -> usize {
        self.index
    }
    /// Ascending, nils last.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let tickets = support
    ///     .read(Ticket::query().sort(Ticket::priority().asc()))
    ///     .await?;
    /// assert_eq!(tickets[0].subject, "Password reset");
    /// assert_eq!(tickets[5].subject, "Lost badge"); // nil
    /// # Ok(()) }
    /// ```
    pub fn asc(self) -> Sort {
        Sort::new(self.name, Order::Asc)
    }
    /// Descending, nils first.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let tickets = support
    ///     .read(Ticket::query().sort(Ticket::priority().desc()))
    ///     .await?;
    /// assert_eq!(tickets[0].subject, "Lost badge"); // nil
    /// assert_eq!(tickets[1].subject, "Server room flooded");
    /// # Ok(()) }
    /// ```
    pub fn desc(self) -> Sort {
        Sort::new(self.name, Order::Desc)
    }
    /// Ascending, nils first.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let tickets = support
    ///     .read(Ticket::query().sort(Ticket::priority().asc_nils_first()))
    ///     .await?;
    /// assert_eq!(tickets[0].subject, "Lost badge"); // nil
    /// assert_eq!(tickets[1].subject, "Password reset");
    /// # Ok(()) }
    /// ```
    pub fn asc_nils_first(self) -> Sort {
        Sort::new(self.name, Order::AscNilsFirst)
    }
    /// Descending, nils last.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let tickets = support
    ///     .read(Ticket::query().sort(Ticket::priority().desc_nils_last()))
    ///     .await?;
    /// assert_eq!(tickets[0].subject, "Server room flooded");
    /// assert_eq!(tickets[5].subject, "Lost badge"); // nil
    /// # Ok(()) }
    /// ```
    pub fn desc_nils_last(self) -> Sort {
        Sort::new(self.name, Order::DescNilsLast)
    }
}

impl<R: Resource, T: Scalar> From<Field<R, T>> for Sort {
    fn from(f: Field<R, T>) -> Sort {
        f.asc()
    }
}

/// A field sorts ascending.
impl<R: Resource, T: Scalar> IntoSorts for Field<R, T> {
    fn into_sorts(self) -> Vec<Sort> {
        vec![self.asc()]
    }
}
