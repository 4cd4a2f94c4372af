//! Aggregate markers: `Representative::open_ticket_count()` returns an
//! [`Agg`], the aggregate declared in `aggregates { .. }` with the field that
//! holds its value on a record; pass it to `Query::load` (or `Rel::load`,
//! `Domain::load`) and the field holds the value (`Loaded<T>`). Computing it is
//! the engine's (`engine/load/aggregate.rs`).

use std::fmt;
use std::marker::PhantomData;

use crate::expr::Aggregate;
use crate::scalar::{NonNull, Scalar};
use crate::sort::{IntoSorts, Order, Sort};
use crate::value::Value;

/// What a loaded aggregate is held as: a scalar (`i64` for `count`, `bool`
/// for `exists`, an `Option` for the others), or a `Vec` for `list`.
pub trait AggregateValue: Sized + Send + Sync + 'static {
    /// Whether it is a `list`'s value.
    #[doc(hidden)]
    const LIST: bool;
    /// From the value of a scalar aggregate; `Err` holds what does not fit.
    #[doc(hidden)]
    fn from_one(value: Value) -> Result<Self, Value>;
    /// From the values of a `list`; `Err` holds the first that does not fit.
    #[doc(hidden)]
    fn from_list(values: Vec<Value>) -> Result<Self, Value>;
    /// How an error names the type.
    #[doc(hidden)]
    fn type_name() -> &'static str;
}

impl<T: Scalar> AggregateValue for T {
    const LIST: bool = false;
    fn from_one(value: Value) -> Result<Self, Value> {
        T::from_value(value)
    }
    fn from_list(_: Vec<Value>) -> Result<Self, Value> {
        Err(Value::Null)
    }
    fn type_name() -> &'static str {
        T::TYPE.rust_name(T::NULLABLE)
    }
}

impl<T: NonNull> AggregateValue for Vec<T> {
    const LIST: bool = true;
    fn from_one(value: Value) -> Result<Self, Value> {
        Err(value)
    }
    fn from_list(values: Vec<Value>) -> Result<Self, Value> {
        values.into_iter().map(T::from_value).collect()
    }
    fn type_name() -> &'static str {
        "a list"
    }
}

/// An [`Aggregate`] whose value is a `T`: what generated code builds, so
/// the compiler ties the aggregate's kind and field to the type of the field
/// that holds it.
#[doc(hidden)]
pub struct AggregateOf<T> {
    aggregate: Aggregate,
    value: PhantomData<fn() -> T>,
}

impl<T> AggregateOf<T> {
    /// Types `aggregate`; the caller vouches for its value's type.
    pub fn new(aggregate: Aggregate) -> Self {
        AggregateOf {
            aggregate,
            value: PhantomData,
        }
    }
}

/// An aggregate of `S` whose value is a `T` (`i64` for `count`, `bool` for
/// `exists`, `Vec<..>` for `list`, `Option<..>` for the others), with the
/// field it is loaded into.
/// `Representative::open_ticket_count()` returns one; pass it to
/// [`Query::load`](crate::Query::load).
pub struct Agg<S, T> {
    pub(crate) name: &'static str,
    pub(crate) aggregate: fn() -> AggregateOf<T>,
    pub(crate) set: fn(&mut S, T),
}

impl<S, T> Agg<S, T> {
    /// The aggregate `name`, described by `aggregate`, whose value `set` puts
    /// on a record. What generated code calls.
    #[doc(hidden)]
    pub fn new(name: &'static str, aggregate: fn() -> AggregateOf<T>, set: fn(&mut S, T)) -> Self {
        Agg {
            name,
            aggregate,
            set,
        }
    }

    /// Its name, as declared.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// What it computes.
    pub fn aggregate(&self) -> Aggregate {
        (self.aggregate)().aggregate
    }

    fn sort(&self, order: Order) -> Sort {
        Sort::aggregate(self.name, self.aggregate(), order)
    }

    /// A sort key on its value, ascending (nils last). Not for a `list`
    /// (`InvalidQuery` when the query runs).
    pub fn asc(&self) -> Sort {
        self.sort(Order::Asc)
    }

    /// A sort key on its value, descending (nils first).
    pub fn desc(&self) -> Sort {
        self.sort(Order::Desc)
    }

    /// A sort key on its value, ascending with nils first.
    pub fn asc_nils_first(&self) -> Sort {
        self.sort(Order::AscNilsFirst)
    }

    /// A sort key on its value, descending with nils last.
    pub fn desc_nils_last(&self) -> Sort {
        self.sort(Order::DescNilsLast)
    }
}

/// An aggregate alone sorts ascending, as a field does
/// (`query.sort(Representative::open_ticket_count())`).
impl<S, T> IntoSorts for Agg<S, T> {
    fn into_sorts(self) -> Vec<Sort> {
        vec![self.asc()]
    }
}

/// An aggregate alone is its ascending key.
impl<S, T> From<Agg<S, T>> for Sort {
    fn from(a: Agg<S, T>) -> Sort {
        a.asc()
    }
}

impl<S, T> Clone for Agg<S, T> {
    fn clone(&self) -> Self {
        Agg {
            name: self.name,
            aggregate: self.aggregate,
            set: self.set,
        }
    }
}

impl<S, T> fmt::Debug for Agg<S, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Agg")
            .field("name", &self.name)
            .field("aggregate", &self.aggregate())
            .finish()
    }
}
