//! [`Field`]: a typed reference to one attribute of a resource, for sorts,
//! changesets and record access.

use std::fmt;
use std::marker::PhantomData;

use crate::expr::Comparable;
use crate::scalar::Scalar;
use crate::sort::{IntoSorts, Order, Sort};

use super::Resource;

/// A typed reference to one attribute, e.g. `Ticket::priority()`: used to sort and
/// to set values on a create. Its type parameters are the resource and the
/// attribute's type, so the compiler rejects a value of the wrong type.
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

impl<R, T> Field<R, T> {
    /// Generated code makes these; `index` is the attribute's place in the schema.
    /// (No `Scalar` bound here: an attribute of a type that is not one is
    /// reported once, where the schema names its type, not again here.)
    #[doc(hidden)]
    pub const fn new(name: &'static str, index: usize) -> Self {
        Field {
            name,
            index,
            _marker: PhantomData,
        }
    }
}

impl<R: Resource, T: Scalar> Field<R, T> {
    /// The attribute's name.
    pub fn name(&self) -> &'static str {
        self.name
    }
    /// The attribute's index in the schema, as [`Resource::get`] takes it.
    pub fn index(&self) -> usize {
        self.index
    }
}

/// Sort keys: attributes whose values have an order every layer agrees on
/// (not JSON documents).
impl<R: Resource, T: Scalar> Field<R, T>
where
    T::Kind: Comparable,
{
    /// Ascending, nils last.
    pub fn asc(self) -> Sort {
        Sort::new(self.name, Order::Asc)
    }
    /// Descending, nils first.
    pub fn desc(self) -> Sort {
        Sort::new(self.name, Order::Desc)
    }
    /// Ascending, nils first.
    pub fn asc_nils_first(self) -> Sort {
        Sort::new(self.name, Order::AscNilsFirst)
    }
    /// Descending, nils last.
    pub fn desc_nils_last(self) -> Sort {
        Sort::new(self.name, Order::DescNilsLast)
    }
}

impl<R: Resource, T: Scalar> From<Field<R, T>> for Sort
where
    T::Kind: Comparable,
{
    fn from(f: Field<R, T>) -> Sort {
        f.asc()
    }
}

/// A field sorts ascending.
impl<R: Resource, T: Scalar> IntoSorts for Field<R, T>
where
    T::Kind: Comparable,
{
    fn into_sorts(self) -> Vec<Sort> {
        vec![self.asc()]
    }
}
