//! What `aggregates { .. }` (and `#[resource(aggregate(..))]`) expand to: one
//! function per kind building the [`Aggregate`] typed by its value
//! ([`AggregateOf`]), so the compiler checks on the user's tokens that the
//! path names relationships (`at`, a chain of `Fields` methods), that the field
//! is an attribute of the destination of a kind the aggregate takes, that the
//! declared type is of that kind, and that the filter is a condition on the
//! destination.

use crate::expr::{Aggregate, AggregateKind, Expr, Fields, Path, Term};
use crate::rel::{Agg, AggregateOf, AggregateValue};
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

/// Proof that an aggregate's path names relationships (what `Fields` of a
/// destination are), not an attribute.
#[diagnostic::on_unimplemented(
    message = "an aggregate's path names relationships it can go through, found `{Self}`",
    label = "not a relationship an aggregate can go through",
    note = "name the relationships, then (for `sum`, `min`, `max`, `avg`, `first`) the field: `tickets.priority`",
    note = "a manual relationship needs a `condition` (`condition representative_id == parent(id);`) for an aggregate to go through it"
)]
pub trait Relationships: Fields {}
impl<F: Fields> Relationships for F {}

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
pub fn aggregate_count<S: Resource, F: Relationships, T: CountValue>(
    at: impl FnOnce(&S::Fields) -> F,
    filter: impl FnOnce(&F) -> Term<kind::Bool>,
) -> AggregateOf<T> {
    AggregateOf::new(build::<S, F, kind::Bool>(
        AggregateKind::Count,
        at,
        no_field(),
        filter,
    ))
}

/// `exists name: path { filter .. }`: a `bool`.
pub fn aggregate_exists<S: Resource, F: Relationships, T: ExistsValue>(
    at: impl FnOnce(&S::Fields) -> F,
    filter: impl FnOnce(&F) -> Term<kind::Bool>,
) -> AggregateOf<T> {
    AggregateOf::new(build::<S, F, kind::Bool>(
        AggregateKind::Exists,
        at,
        no_field(),
        filter,
    ))
}

/// `sum name: path.field as T`: an `Option<T>` (`T` of the field's kind) of
/// a number field.
pub fn aggregate_sum<S: Resource, F: Relationships, K: Summable, T: OptionalValue>(
    at: impl FnOnce(&S::Fields) -> F,
    read: impl FnOnce(&F) -> Term<K>,
    filter: impl FnOnce(&F) -> Term<kind::Bool>,
) -> AggregateOf<T>
where
    <T::Inner as Scalar>::Kind: KindOf<K>,
{
    AggregateOf::new(build::<S, F, K>(AggregateKind::Sum, at, Some(read), filter))
}

/// `avg name: path.field`: an `Option<f64>` of a number field.
pub fn aggregate_avg<S: Resource, F: Relationships, K: Summable, T: AvgValue>(
    at: impl FnOnce(&S::Fields) -> F,
    read: impl FnOnce(&F) -> Term<K>,
    filter: impl FnOnce(&F) -> Term<kind::Bool>,
) -> AggregateOf<T> {
    AggregateOf::new(build::<S, F, K>(AggregateKind::Avg, at, Some(read), filter))
}

/// `min` or `max`: an `Option<T>` of a number, text or timestamp field.
pub fn aggregate_extreme<S: Resource, F: Relationships, K: Ordered, T: OptionalValue>(
    max: bool,
    at: impl FnOnce(&S::Fields) -> F,
    read: impl FnOnce(&F) -> Term<K>,
    filter: impl FnOnce(&F) -> Term<kind::Bool>,
) -> AggregateOf<T>
where
    <T::Inner as Scalar>::Kind: KindOf<K>,
{
    let kind = if max {
        AggregateKind::Max
    } else {
        AggregateKind::Min
    };
    AggregateOf::new(build::<S, F, K>(kind, at, Some(read), filter))
}

/// `first name: path.field as T`: an `Option<T>` of any field.
pub fn aggregate_first<S: Resource, F: Relationships, K, T: OptionalValue>(
    at: impl FnOnce(&S::Fields) -> F,
    read: impl FnOnce(&F) -> Term<K>,
    filter: impl FnOnce(&F) -> Term<kind::Bool>,
) -> AggregateOf<T>
where
    <T::Inner as Scalar>::Kind: KindOf<K>,
{
    AggregateOf::new(build::<S, F, K>(
        AggregateKind::First,
        at,
        Some(read),
        filter,
    ))
}

/// `list name: path.field as T`: a `Vec<T>` of any field.
pub fn aggregate_list<S: Resource, F: Relationships, K, T: ListValue>(
    at: impl FnOnce(&S::Fields) -> F,
    read: impl FnOnce(&F) -> Term<K>,
    filter: impl FnOnce(&F) -> Term<kind::Bool>,
) -> AggregateOf<T>
where
    <T::Inner as Scalar>::Kind: KindOf<K>,
{
    AggregateOf::new(build::<S, F, K>(
        AggregateKind::List,
        at,
        Some(read),
        filter,
    ))
}

/// The aggregate `agg` of the record reached through `path`, as a filter
/// operand of the kind of its value: what `expr!` reads for its name.
pub fn aggregate_term<S, T: Scalar>(path: &Path, agg: Agg<S, T>) -> Term<T::Kind> {
    Term::new(Expr::Aggregate {
        at: path.clone(),
        aggregate: Box::new(agg.aggregate()),
    })
}
