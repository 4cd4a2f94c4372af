//! The typed layer of filters that `expr!` expands to: each operand is a
//! [`Term`] of a [`kind`], so the compiler checks that a filter compares
//! numbers with numbers and text with text, and that every name exists
//! ([`Fields`]), before anything runs. Each piece builds part of an [`Expr`].

use std::fmt;
use std::marker::PhantomData;

use super::{Expr, Name};
use crate::scalar::{Scalar, kind};
use crate::value::Value;

/// A typed piece of a filter: an [`Expr`] whose kind the compiler knows. `expr!`
/// builds them; [`Query::filter`](crate::Query::filter) takes a closure returning
/// one of kind [`kind::Bool`].
pub struct Term<K> {
    expr: Expr,
    _kind: PhantomData<fn() -> K>,
}

impl<K> Term<K> {
    /// Wraps an expression; the caller vouches for its kind.
    pub fn new(expr: Expr) -> Self {
        Term {
            expr,
            _kind: PhantomData,
        }
    }
    /// The expression.
    pub fn into_expr(self) -> Expr {
        self.expr
    }
}

impl<K> Clone for Term<K> {
    fn clone(&self) -> Self {
        Term::new(self.expr.clone())
    }
}

impl<K> fmt::Debug for Term<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.expr.fmt(f)
    }
}

/// Something that can stand on either side of an operator in `expr!`: an
/// attribute, a literal, or a pinned `^value`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a value in a filter",
    label = "not an attribute, literal or pinned value",
    note = "a relationship is not a value: name one of its attributes, like `representative.id`"
)]
pub trait Operand {
    /// What it compares with.
    type Kind;
    /// The expression.
    fn into_expr(self) -> Expr;
}

impl<K> Operand for Term<K> {
    type Kind = K;
    fn into_expr(self) -> Expr {
        self.expr
    }
}

impl<T: Operand + Clone> Operand for &T {
    type Kind = T::Kind;
    fn into_expr(self) -> Expr {
        self.clone().into_expr()
    }
}

impl Operand for &str {
    type Kind = kind::Text;
    fn into_expr(self) -> Expr {
        Expr::Value(Value::String(self.to_owned()))
    }
}

macro_rules! scalar_operand {
    ($($ty:ty),*) => {$(
        impl Operand for $ty {
            type Kind = <$ty as Scalar>::Kind;
            fn into_expr(self) -> Expr {
                Expr::Value(self.into_value())
            }
        }
    )*};
}

scalar_operand!(
    bool,
    i16,
    i32,
    u32,
    i64,
    f64,
    String,
    uuid::Uuid,
    chrono::DateTime<chrono::Utc>,
    chrono::NaiveDate,
    Vec<u8>,
    Option<bool>,
    Option<i16>,
    Option<i32>,
    Option<u32>,
    Option<i64>,
    Option<f64>,
    Option<String>,
    Option<uuid::Uuid>,
    Option<chrono::DateTime<chrono::Utc>>,
    Option<chrono::NaiveDate>,
    Option<Vec<u8>>
);
#[cfg(feature = "decimal")]
scalar_operand!(rust_decimal::Decimal, Option<rust_decimal::Decimal>);
#[cfg(feature = "json")]
scalar_operand!(serde_json::Value, Option<serde_json::Value>);

/// The right side of `in`: a list literal `[a, b]` or a pinned collection.
#[diagnostic::on_unimplemented(
    message = "`in` needs a list on its right side, found `{Self}`",
    label = "not a list",
    note = "write a list literal like `[1, 2, 3]`, or pin a collection: `^ids` where `ids` is a `Vec`, slice or array"
)]
pub trait List {
    /// The kind of the elements.
    type Kind;
    /// The elements as values.
    fn into_values(self) -> Vec<Value>;
}

impl<T: Operand, const N: usize> List for [T; N] {
    type Kind = T::Kind;
    fn into_values(self) -> Vec<Value> {
        self.into_iter()
            .map(|t| const_value(t.into_expr()))
            .collect()
    }
}

impl<T: Operand> List for Vec<T> {
    type Kind = T::Kind;
    fn into_values(self) -> Vec<Value> {
        self.into_iter()
            .map(|t| const_value(t.into_expr()))
            .collect()
    }
}

impl<T: Operand + Clone> List for &[T] {
    type Kind = T::Kind;
    fn into_values(self) -> Vec<Value> {
        self.iter()
            .map(|t| const_value(t.clone().into_expr()))
            .collect()
    }
}

impl<L: List + Clone> List for &L {
    type Kind = L::Kind;
    fn into_values(self) -> Vec<Value> {
        self.clone().into_values()
    }
}

fn const_value(mut e: Expr) -> Value {
    match &mut e {
        Expr::Value(v) => std::mem::replace(v, Value::Null),
        // Attributes in a list literal are not supported by `in`; the macro only
        // builds lists of constants, so this is unreachable from `expr!`.
        _ => Value::Null,
    }
}

/// Proof that two kinds may be compared: implemented only for equal kinds.
#[diagnostic::on_unimplemented(
    message = "mismatched types in filter: cannot compare a `{Other}` value with a `{Self}` value",
    label = "this is a `{Self}`, the other side is a `{Other}`",
    note = "numbers compare with numbers, text with text, uuids with uuids, timestamps with timestamps, dates with dates, decimals with decimals, bytes with bytes, JSON with JSON"
)]
pub trait SameKind<Other> {}
impl<K> SameKind<K> for K {}

/// A template's value in a policy's `expr(..)` (`^actor(id)`, `^tenant()`),
/// known only when the read runs: the macro gives it the kind of what it is
/// compared with ([`Dynamic::like`]), or the kind its place needs (a number in
/// arithmetic, a condition in `and`), or [`kind::Any`] next to another
/// template. A value of another kind simply matches nothing.
pub struct Dynamic<K> {
    value: Value,
    _kind: PhantomData<fn() -> K>,
}

impl<K> Dynamic<K> {
    /// The value, as an operand of kind `K`.
    pub fn new(value: Value) -> Self {
        Dynamic {
            value,
            _kind: PhantomData,
        }
    }
}

impl Dynamic<kind::Any> {
    /// The value, as an operand of the kind of `other`.
    pub fn like<O: Operand>(_other: &O, value: Value) -> Dynamic<O::Kind> {
        Dynamic::new(value)
    }

    /// The value, as an operand of the kind of `list`'s elements.
    pub fn like_list<L: List>(_list: &L, value: Value) -> Dynamic<L::Kind> {
        Dynamic::new(value)
    }
}

impl<K> Operand for Dynamic<K> {
    type Kind = K;
    fn into_expr(self) -> Expr {
        Expr::Value(self.value)
    }
}

/// Proof that values of a kind have an order every data layer agrees on: what
/// `<`, `<=`, `>`, `>=` and sorting take. All kinds but JSON documents, which
/// compare by `==`, `!=` and `in` only.
#[diagnostic::on_unimplemented(
    message = "`{Self}` values have no order: they compare with `==`, `!=` and `in` only",
    label = "not ordered",
    note = "`<`, `<=`, `>`, `>=` and sorting take numbers, text, timestamps, dates, decimals, bytes, UUIDs and booleans; JSON documents have no order the data layers agree on"
)]
pub trait Comparable {}
impl Comparable for kind::Bool {}
impl Comparable for kind::Number {}
impl Comparable for kind::Text {}
impl Comparable for kind::Uuid {}
impl Comparable for kind::DateTime {}
impl Comparable for kind::Date {}
impl Comparable for kind::Bytes {}
#[cfg(feature = "decimal")]
impl Comparable for kind::Decimal {}
impl Comparable for kind::Any {}

/// Proof that a kind takes arithmetic.
#[diagnostic::on_unimplemented(
    message = "arithmetic needs numbers, found a `{Self}` value",
    label = "not a number",
    note = "arithmetic takes integers and floats; a `Decimal` compares with decimals but takes no arithmetic in a filter: compute the value in Rust and pin it with `^`"
)]
pub trait Numeric {}
impl Numeric for kind::Number {}

/// Proof that a kind is text: what `contains`, `starts_with`, `ends_with`,
/// `like`, `ilike`, `lower`, `upper`, `length` and `concat` take.
#[diagnostic::on_unimplemented(
    message = "text functions need text, found a `{Self}` value",
    label = "not text",
    note = "`contains`, `starts_with`, `ends_with`, `like`, `ilike`, `lower`, `upper`, `length` and `concat` take `String` attributes, string literals and pinned strings; compare other values with `==`, `<`, `>`"
)]
pub trait Textual {}
impl Textual for kind::Text {}

/// The pattern of `like` and `ilike`: a constant text (a string literal or a
/// pinned `String`/`&str`, `Option<String>` for a pattern that may be nil).
#[diagnostic::on_unimplemented(
    message = "the pattern of `like`/`ilike` must be a string literal or a pinned string, found `{Self}`",
    label = "not a constant text pattern",
    note = "write `like(name, \"A%\")` or pin a value: `like(name, ^pattern)`; to look for another attribute's text use `contains`, `starts_with` or `ends_with`"
)]
pub trait LikePattern {
    /// The pattern as a value.
    fn into_pattern(self) -> Value;
}

impl LikePattern for &str {
    fn into_pattern(self) -> Value {
        Value::String(self.to_owned())
    }
}

impl LikePattern for String {
    fn into_pattern(self) -> Value {
        Value::String(self)
    }
}

impl LikePattern for Option<String> {
    fn into_pattern(self) -> Value {
        self.map_or(Value::Null, Value::String)
    }
}

impl<T: LikePattern + Clone> LikePattern for &T {
    fn into_pattern(self) -> Value {
        self.clone().into_pattern()
    }
}

/// A template (`^actor(name)`) in a policy's `expr(..)`.
impl LikePattern for Dynamic<kind::Text> {
    fn into_pattern(self) -> Value {
        self.value
    }
}

/// Proof that a term is a condition.
#[diagnostic::on_unimplemented(
    message = "a filter condition must be true or false, found a `{Self}` value",
    label = "not a condition",
    note = "compare it with something, e.g. `priority > 3`, or test it with `is_nil(..)`"
)]
pub trait Condition {}
impl Condition for kind::Bool {}

/// A path from the resource an expression is on: the relationships it goes
/// through, by name.
pub type Path = Vec<Name>;

/// The generated field-reference type of a resource (`<R as Resource>::Fields`),
/// what [`Query::filter`](crate::Query::filter)'s closure receives: a
/// zero-sized struct with one field per attribute, relationship and aggregate,
/// each a marker typed by what it names, which `expr!` reads for its type (so
/// the compiler checks that every name exists, and its kind); the paths and
/// names are `expr!`'s own.
///
/// Only generated code implements it, for a struct of zero-sized markers
/// (`__private::fields`), whose value [`Fields::VALUE`] makes from no bytes:
/// one empty impl per resource, where a constant listing every field cost
/// rustc a body to check per resource (`benches/compile_time/`).
#[diagnostic::on_unimplemented(
    message = "`exists(..)` goes through a relationship, not an attribute",
    label = "not a relationship",
    note = "name a relationship, like `exists(tickets, priority > 3)`"
)]
pub trait Fields: Sized {
    /// The value (it holds nothing).
    const VALUE: Self = {
        assert!(
            size_of::<Self>() == 0,
            "a `Fields` struct holds zero-sized markers only"
        );
        // SAFETY: `Self` is zero-sized (checked above) and, being a struct of
        // `PhantomData` markers, inhabited: there is no byte to be invalid.
        unsafe { std::mem::zeroed() }
    };
}
