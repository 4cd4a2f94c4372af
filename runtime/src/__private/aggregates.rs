//! What `aggregates { .. }` (and `#[resource(aggregate(..))]`) expand to: one
//! function per kind building the [`Aggregate`] typed by its value
//! ([`AggregateOf`]), so the compiler checks on the user's tokens that the
//! path names relationships (`at`, a chain of `Fields` methods), that the field
//! is an attribute of the destination of a kind the aggregate takes, that the
//! declared type is of that kind, and that the filter is a condition on the
//! destination.

use crate::expr::{Aggregate, AggregateKind, Expr, Fields, Path, Term};
use crate::rel::AggregateOf;
use crate::resource::Resource;
use crate::scalar::{Scalar, kind};
use crate::value::Value;

/// Proof that `sum` and `avg` can read a field of this kind.
#[diagnostic::on_unimplemented(
    message = "`sum` and `avg` read a number field, found a `{Self}` field",
    label = "not a number field",
    note = "use `count`, `min`, `max` or `first` for other fields"
)]
pub trait Summable {}
impl Summable for kind::Number {}

/// Proof that `min` and `max` can read a field of this kind.
#[diagnostic::on_unimplemented(
    message = "`min` and `max` read a number, text or timestamp field, found a `{Self}` field",
    label = "not an ordered field",
    note = "use `count`, `exists` or `first` for other fields"
)]
pub trait Ordered {}
impl Ordered for kind::Number {}
impl Ordered for kind::Text {}
impl Ordered for kind::DateTime {}

/// Proof that a declared aggregate type (of kind `Self`) holds values of a
/// field of kind `K`.
#[diagnostic::on_unimplemented(
    message = "the aggregate's type is of kind `{Self}`, its field of kind `{K}`",
    label = "the type the aggregate is declared with",
    note = "declare the field's own type (for `sum` of an integer field, an integer type)"
)]
pub trait KindOf<K> {}
impl<K> KindOf<K> for K {}

/// The path `at` reaches from `S`'s fields, and the destination's fields.
fn reach<S: Resource, F: Fields>(at: impl FnOnce(&S::Fields) -> F) -> (Path, F) {
    let destination = at(&S::Fields::at(Path::new()));
    let path = destination.path().clone();
    (path, F::at(Path::new()))
}

/// The aggregate of `kind` through the path `at` reaches, with `filter` (on
/// the destination's fields) and the field `read` reads.
fn build<S: Resource, F: Fields, K>(
    kind: AggregateKind,
    at: impl FnOnce(&S::Fields) -> F,
    read: Option<impl FnOnce(&F) -> Term<K>>,
    filter: impl FnOnce(&F) -> Term<kind::Bool>,
) -> Aggregate {
    let (path, fields) = reach::<S, F>(at);
    let mut aggregate = Aggregate::new(kind, path);
    if let Some(read) = read
        && let Expr::Attr { name, .. } = &read(&fields).into_expr()
    {
        aggregate.field = Some(name.clone());
    }
    aggregate.filter = match filter(&fields).into_expr() {
        // No filter (`no_filter`), or one that keeps every record.
        Expr::Value(Value::Bool(true)) => None,
        other => Some(other),
    };
    aggregate
}

/// The filter of an aggregate declared without one: keeps every record.
pub fn no_filter() -> Term<kind::Bool> {
    Term::new(Expr::Value(Value::Bool(true)))
}

/// No field: what `count` and `exists` pass.
fn no_field<F>() -> Option<fn(&F) -> Term<kind::Bool>> {
    None
}

/// `count name: path { filter .. }`: an `i64`.
pub fn aggregate_count<S: Resource, F: Fields>(
    at: impl FnOnce(&S::Fields) -> F,
    filter: impl FnOnce(&F) -> Term<kind::Bool>,
) -> AggregateOf<i64> {
    AggregateOf::new(build::<S, F, kind::Bool>(
        AggregateKind::Count,
        at,
        no_field(),
        filter,
    ))
}

/// `exists name: path { filter .. }`: a `bool`.
pub fn aggregate_exists<S: Resource, F: Fields>(
    at: impl FnOnce(&S::Fields) -> F,
    filter: impl FnOnce(&F) -> Term<kind::Bool>,
) -> AggregateOf<bool> {
    AggregateOf::new(build::<S, F, kind::Bool>(
        AggregateKind::Exists,
        at,
        no_field(),
        filter,
    ))
}

/// `sum name: path.field as T`: an `Option<T>` of a number field.
pub fn aggregate_sum<S: Resource, F: Fields, K: Summable, T: Scalar>(
    at: impl FnOnce(&S::Fields) -> F,
    read: impl FnOnce(&F) -> Term<K>,
    filter: impl FnOnce(&F) -> Term<kind::Bool>,
) -> AggregateOf<Option<T>>
where
    T::Kind: KindOf<K>,
{
    AggregateOf::new(build::<S, F, K>(AggregateKind::Sum, at, Some(read), filter))
}

/// `avg name: path.field`: an `Option<f64>` of a number field.
pub fn aggregate_avg<S: Resource, F: Fields, K: Summable>(
    at: impl FnOnce(&S::Fields) -> F,
    read: impl FnOnce(&F) -> Term<K>,
    filter: impl FnOnce(&F) -> Term<kind::Bool>,
) -> AggregateOf<Option<f64>> {
    AggregateOf::new(build::<S, F, K>(AggregateKind::Avg, at, Some(read), filter))
}

/// `min` or `max`: an `Option<T>` of a number, text or timestamp field.
pub fn aggregate_extreme<S: Resource, F: Fields, K: Ordered, T: Scalar>(
    max: bool,
    at: impl FnOnce(&S::Fields) -> F,
    read: impl FnOnce(&F) -> Term<K>,
    filter: impl FnOnce(&F) -> Term<kind::Bool>,
) -> AggregateOf<Option<T>>
where
    T::Kind: KindOf<K>,
{
    let kind = if max {
        AggregateKind::Max
    } else {
        AggregateKind::Min
    };
    AggregateOf::new(build::<S, F, K>(kind, at, Some(read), filter))
}

/// `first name: path.field as T`: an `Option<T>` of any field.
pub fn aggregate_first<S: Resource, F: Fields, K, T: Scalar>(
    at: impl FnOnce(&S::Fields) -> F,
    read: impl FnOnce(&F) -> Term<K>,
    filter: impl FnOnce(&F) -> Term<kind::Bool>,
) -> AggregateOf<Option<T>>
where
    T::Kind: KindOf<K>,
{
    AggregateOf::new(build::<S, F, K>(
        AggregateKind::First,
        at,
        Some(read),
        filter,
    ))
}
