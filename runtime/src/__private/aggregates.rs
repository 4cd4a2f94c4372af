//! What `aggregates { .. }` (and `#[resource(aggregate(..))]`) expand to: one
//! function per kind building the [`Aggregate`] typed by its value
//! ([`AggregateOf`]), so the compiler checks on the user's tokens that the
//! path names relationships (`at`, a chain of `Fields` fields, each through
//! `through`), that the field
//! is an attribute of the destination of a kind the aggregate takes, that the
//! declared type is of that kind, and that the filter is a condition on the
//! destination.

use super::fields::{Attribute, Relationships};
use crate::expr::{Aggregate, AggregateKind, Expr, Fields, Name, Term};
use crate::rel::{AggregateOf, AggregateValue};
use crate::resource::Resource;
use crate::scalar::{NonNull, Scalar, kind};
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
    message = "`min` and `max` read a number, text, timestamp, date or decimal field, found a `{Self}` field",
    label = "not an ordered field",
    note = "use `count`, `exists` or `first` for other fields"
)]
pub trait Ordered {}
impl Ordered for kind::Number {}
impl Ordered for kind::Text {}
impl Ordered for kind::DateTime {}
impl Ordered for kind::Date {}
#[cfg(feature = "decimal")]
impl Ordered for kind::Decimal {}

/// Proof that a declared aggregate type (of kind `Self`) holds values of a
/// field of kind `K`.
#[diagnostic::on_unimplemented(
    message = "the aggregate's type is of kind `{Self}`, its field of kind `{K}`",
    label = "the type the aggregate is declared with",
    note = "declare the field's own type (for `sum` of an integer field, an integer type)"
)]
pub trait KindOf<K> {}
impl<K> KindOf<K> for K {}

/// Proof that a field holds the value of a `count`.
#[diagnostic::on_unimplemented(
    message = "`count` is an `i64`, not a `{Self}`",
    label = "declare the field `Loaded<i64>`"
)]
pub trait CountValue: Scalar {}
impl CountValue for i64 {}

/// Proof that a field holds the value of an `exists`.
#[diagnostic::on_unimplemented(
    message = "`exists` is a `bool`, not a `{Self}`",
    label = "declare the field `Loaded<bool>`"
)]
pub trait ExistsValue: Scalar {}
impl ExistsValue for bool {}

/// Proof that a field holds the value of an `avg`.
#[diagnostic::on_unimplemented(
    message = "`avg` is an `Option<f64>` (nil when there is no value), not a `{Self}`",
    label = "declare the field `Loaded<Option<f64>>`"
)]
pub trait AvgValue: Scalar {}
impl AvgValue for Option<f64> {}

/// Proof that a field holds the value of a `sum`, `min`, `max` or `first`: an
/// `Option` of a value of the field's kind (nil when there is none).
#[diagnostic::on_unimplemented(
    message = "`sum`, `min`, `max` and `first` are an `Option` (nil when there is no value), not a `{Self}`",
    label = "declare the field `Loaded<Option<..>>` of the field's type"
)]
pub trait OptionalValue: Scalar {
    /// The type inside the `Option`.
    type Inner: Scalar;
}
impl<T: NonNull> OptionalValue for Option<T> {
    type Inner = T;
}

/// Proof that a field holds the value of a `list`: a `Vec` of values of the
/// field's kind.
#[diagnostic::on_unimplemented(
    message = "`list` is a `Vec` of the field's type, not a `{Self}`",
    label = "declare the field `Loaded<Vec<..>>` of the field's type"
)]
pub trait ListValue: AggregateValue {
    /// The type of the elements.
    type Inner: Scalar;
}
impl<T: NonNull> ListValue for Vec<T> {
    type Inner = T;
}

/// The aggregate of `kind` through `path`, with `filter` (on the
/// destination's fields `F`) and the attribute `field` it reads, if any. (The
/// callers take the closures `at` and `read` only for their types: the
/// relationships a path goes through, the attribute read.)
fn build<F: Fields>(
    kind: AggregateKind,
    path: &[&'static str],
    field: Option<&'static str>,
    filter: impl FnOnce(&F) -> Term<kind::Bool>,
) -> Aggregate {
    let mut aggregate = Aggregate::new(kind, path.iter().map(|&n| Name::Borrowed(n)));
    aggregate.field = field.map(Name::Borrowed);
    aggregate.filter = match filter(&F::VALUE).into_expr() {
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

/// `count name: path { filter .. }`: an `i64`.
pub fn aggregate_count<S: Resource, H: Relationships, T: CountValue>(
    path: &[&'static str],
    _at: impl FnOnce(&S::Fields) -> H,
    filter: impl FnOnce(&H::Fields) -> Term<kind::Bool>,
) -> AggregateOf<T> {
    AggregateOf::new(build(AggregateKind::Count, path, None, filter))
}

/// `exists name: path { filter .. }`: a `bool`.
pub fn aggregate_exists<S: Resource, H: Relationships, T: ExistsValue>(
    path: &[&'static str],
    _at: impl FnOnce(&S::Fields) -> H,
    filter: impl FnOnce(&H::Fields) -> Term<kind::Bool>,
) -> AggregateOf<T> {
    AggregateOf::new(build(AggregateKind::Exists, path, None, filter))
}

/// `sum name: path.field as T`: an `Option<T>` (`T` of the field's kind) of
/// a number field.
pub fn aggregate_sum<
    S: Resource,
    H: Relationships,
    A: Attribute<Kind: Summable>,
    T: OptionalValue,
>(
    path: &[&'static str],
    _at: impl FnOnce(&S::Fields) -> H,
    field: &'static str,
    _read: impl FnOnce(&H::Fields) -> A,
    filter: impl FnOnce(&H::Fields) -> Term<kind::Bool>,
) -> AggregateOf<T>
where
    <T::Inner as Scalar>::Kind: KindOf<A::Kind>,
{
    AggregateOf::new(build(AggregateKind::Sum, path, Some(field), filter))
}

/// `avg name: path.field`: an `Option<f64>` of a number field.
pub fn aggregate_avg<S: Resource, H: Relationships, A: Attribute<Kind: Summable>, T: AvgValue>(
    path: &[&'static str],
    _at: impl FnOnce(&S::Fields) -> H,
    field: &'static str,
    _read: impl FnOnce(&H::Fields) -> A,
    filter: impl FnOnce(&H::Fields) -> Term<kind::Bool>,
) -> AggregateOf<T> {
    AggregateOf::new(build(AggregateKind::Avg, path, Some(field), filter))
}

/// `min` or `max`: an `Option<T>` of a number, text or timestamp field.
pub fn aggregate_extreme<
    S: Resource,
    H: Relationships,
    A: Attribute<Kind: Ordered>,
    T: OptionalValue,
>(
    max: bool,
    path: &[&'static str],
    _at: impl FnOnce(&S::Fields) -> H,
    field: &'static str,
    _read: impl FnOnce(&H::Fields) -> A,
    filter: impl FnOnce(&H::Fields) -> Term<kind::Bool>,
) -> AggregateOf<T>
where
    <T::Inner as Scalar>::Kind: KindOf<A::Kind>,
{
    let kind = if max {
        AggregateKind::Max
    } else {
        AggregateKind::Min
    };
    AggregateOf::new(build(kind, path, Some(field), filter))
}

/// `first name: path.field as T`: an `Option<T>` of any field.
pub fn aggregate_first<S: Resource, H: Relationships, A: Attribute, T: OptionalValue>(
    path: &[&'static str],
    _at: impl FnOnce(&S::Fields) -> H,
    field: &'static str,
    _read: impl FnOnce(&H::Fields) -> A,
    filter: impl FnOnce(&H::Fields) -> Term<kind::Bool>,
) -> AggregateOf<T>
where
    <T::Inner as Scalar>::Kind: KindOf<A::Kind>,
{
    AggregateOf::new(build(AggregateKind::First, path, Some(field), filter))
}

/// `list name: path.field as T`: a `Vec<T>` of any field.
pub fn aggregate_list<S: Resource, H: Relationships, A: Attribute, T: ListValue>(
    path: &[&'static str],
    _at: impl FnOnce(&S::Fields) -> H,
    field: &'static str,
    _read: impl FnOnce(&H::Fields) -> A,
    filter: impl FnOnce(&H::Fields) -> Term<kind::Bool>,
) -> AggregateOf<T>
where
    <T::Inner as Scalar>::Kind: KindOf<A::Kind>,
{
    AggregateOf::new(build(AggregateKind::List, path, Some(field), filter))
}
