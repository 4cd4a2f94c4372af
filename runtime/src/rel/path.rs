//! Sort keys through to-one relationships: [`Rel::field`] names an attribute
//! of a belongs_to's or has_one's destination ([`RelatedField`]), from which a
//! [`Sort`] is made as from a [`Field`]. Through a to-many relationship the
//! method does not exist ([`ToOneRelationship`] is not implemented for
//! [`ToMany`](super::ToMany)), so such a sort does not compile.

use std::fmt;
use std::marker::PhantomData;

use super::{Rel, ToOne};
use crate::expr::{Comparable, Name};
use crate::resource::{Field, Resource};
use crate::scalar::Scalar;
use crate::sort::{IntoSorts, Order, Sort};

/// An attribute of `R`, or one reached from `R` through to-one relationships:
/// what [`Rel::field`] takes, so paths nest
/// (`Comment::ticket().field(Ticket::representative().field(Representative::name()))`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an attribute of `{R}`, the relationship's destination",
    label = "not a field of `{R}`",
    note = "name an attribute of the destination (`{R}::<attribute>()`), or one further along (`{R}::<relationship>().field(..)`)"
)]
pub trait FieldOf<R> {
    /// The attribute's type.
    type Type;
    /// The names of the relationships from `R` to the attribute's resource,
    /// and the attribute's name.
    fn into_path(self) -> (Vec<Name>, Name);
}

impl<R: Resource, T: Scalar> FieldOf<R> for Field<R, T> {
    type Type = T;
    fn into_path(self) -> (Vec<Name>, Name) {
        (Vec::new(), Name::Borrowed(self.name()))
    }
}

impl<R, T> FieldOf<R> for RelatedField<R, T> {
    type Type = T;
    fn into_path(self) -> (Vec<Name>, Name) {
        (self.path, self.name)
    }
}

/// A typed reference to an attribute reached from `R` through to-one
/// relationships, e.g. `Ticket::representative().field(Representative::name())`:
/// a sort key like a [`Field`], `T` being the attribute's type.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let by_owner = Ticket::representative().field(Representative::name());
/// assert_eq!(by_owner.clone().desc().to_string(), "representative.name desc");
/// let tickets = support
///     .read(Ticket::query().sort([by_owner.asc(), Ticket::subject().asc()]))
///     .await?;
/// // Alice's, then Bob's; "Lost badge" has no representative: nil, last.
/// assert_eq!(
///     subjects(&tickets),
///     [
///         "Coffee machine empty",
///         "Printer on fire",
///         "VPN down",
///         "Password reset",
///         "Server room flooded",
///         "Lost badge"
///     ]
/// );
/// # Ok(()) }
/// ```
pub struct RelatedField<R, T> {
    path: Vec<Name>,
    name: Name,
    _marker: PhantomData<fn() -> (R, T)>,
}

impl<R, T> Clone for RelatedField<R, T> {
    fn clone(&self) -> Self {
        RelatedField {
            path: self.path.clone(),
            name: self.name.clone(),
            _marker: PhantomData,
        }
    }
}

impl<R, T> fmt::Debug for RelatedField<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RelatedField(")?;
        for relationship in &self.path {
            write!(f, "{relationship}.")?;
        }
        write!(f, "{})", self.name)
    }
}

impl<R, T> RelatedField<R, T> {
    /// The names of the relationships leading to the attribute's resource.
    pub fn path(&self) -> &[Name] {
        &self.path
    }
    /// The attribute's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// Sort keys: attributes whose values have an order every layer agrees on
/// (not JSON documents).
impl<R, T: Scalar> RelatedField<R, T>
where
    T::Kind: Comparable,
{
    fn sort(self, order: Order) -> Sort {
        Sort::path(self.path, self.name, order)
    }
    /// Ascending, nils last (a record whose path reaches no record is nil).
    pub fn asc(self) -> Sort {
        self.sort(Order::Asc)
    }
    /// Descending, nils first.
    pub fn desc(self) -> Sort {
        self.sort(Order::Desc)
    }
    /// Ascending, nils first.
    pub fn asc_nils_first(self) -> Sort {
        self.sort(Order::AscNilsFirst)
    }
    /// Descending, nils last.
    pub fn desc_nils_last(self) -> Sort {
        self.sort(Order::DescNilsLast)
    }
}

impl<R, T: Scalar> From<RelatedField<R, T>> for Sort
where
    T::Kind: Comparable,
{
    fn from(f: RelatedField<R, T>) -> Sort {
        f.asc()
    }
}

/// A related field sorts ascending.
impl<R, T: Scalar> IntoSorts for RelatedField<R, T>
where
    T::Kind: Comparable,
{
    fn into_sorts(self) -> Vec<Sort> {
        vec![self.asc()]
    }
}

/// Proof that a relationship reaches at most one record (a belongs_to or a
/// has_one), so a sort key can go through it.
#[diagnostic::on_unimplemented(
    message = "a sort key cannot go through a to-many relationship",
    label = "this relationship is a has_many or many_to_many (`{Self}`)",
    note = "a sort key goes through belongs_to and has_one relationships only; to order the related records, sort the load: `.load(Source::rel().sort(..))`"
)]
pub trait ToOneRelationship {}
impl ToOneRelationship for ToOne {}

impl<S: Resource, D: Resource, C> Rel<S, D, C> {
    /// The attribute `field` of the destination (or one reached from it through
    /// further to-one relationships), as a sort key of `S`:
    /// `Ticket::representative().field(Representative::name()).desc()`.
    ///
    /// A record whose relationship reaches no record (a nil key, or a record
    /// hidden from the read by its tenant or read policies) sorts as nil. Only
    /// the relationship's declared `filter` applies to what it reaches, not a
    /// query set on this `Rel`. A manual relationship is refused when the
    /// query runs ([`ErrorKind::InvalidQuery`](crate::ErrorKind::InvalidQuery)).
    pub fn field<F: FieldOf<D>>(self, field: F) -> RelatedField<S, F::Type>
    where
        C: ToOneRelationship,
    {
        let (mut path, name) = field.into_path();
        path.insert(0, Name::Borrowed(self.info.name));
        RelatedField {
            path,
            name,
            _marker: PhantomData,
        }
    }
}
