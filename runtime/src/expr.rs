//! Filter expressions: the dynamic [`Expr`] tree that data layers evaluate, and the
//! typed layer (`Term`, `Operand`, `List`) that `expr!` expands to so the compiler
//! checks field names and operand types.
//!
//! Semantics (the same on every data layer):
//! - Nil follows SQL's three-valued logic: a comparison or arithmetic with a nil
//!   operand is nil; `and`/`or`/`not` are Kleene's; `x in [..]` is nil when `x` is
//!   nil; a record matches only when the filter is true.
//! - A path through a relationship (`representative.priority_threshold`) reads the
//!   related record. Through a to-many relationship the expression matches if some
//!   related record makes it true; several references through the same path in one
//!   expression bind to the same related record, and a record with no related
//!   records is tested as if against one all-nil record (a LEFT JOIN's view).
//! - `exists(path, expr)` is true when some record reached through `path` makes
//!   `expr` (evaluated on that record) true, and false otherwise, never nil.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use crate::value::{Scalar, Value};

/// A name of an attribute or relationship.
pub type Name = Cow<'static, str>;

/// A filter expression over one resource.
///
/// Build one with `expr!` (checked at compile time) or by hand for filters known
/// only at run time:
///
/// ```
/// use ashore_runtime::{Expr, CmpOp, Value};
/// let e = Expr::cmp(CmpOp::Gt, Expr::attr("priority"), Expr::value(3_i64));
/// assert_eq!(e.to_string(), "priority > 3");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A constant (a literal or a pinned `^value`).
    Value(Value),
    /// An attribute, possibly reached through relationships: `path` are their
    /// names from the resource the expression is on.
    Attr {
        /// Relationship names leading to the attribute's resource.
        path: Vec<Name>,
        /// The attribute's name.
        name: Name,
    },
    /// A comparison.
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    /// Membership in a list of constants.
    In(Box<Expr>, Vec<Value>),
    /// Arithmetic.
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    /// Conjunction (Kleene).
    And(Box<Expr>, Box<Expr>),
    /// Disjunction (Kleene).
    Or(Box<Expr>, Box<Expr>),
    /// Negation (Kleene).
    Not(Box<Expr>),
    /// True when the operand is nil; never nil itself.
    IsNil(Box<Expr>),
    /// True when some record reached through `path` satisfies `expr`.
    Exists {
        /// Relationship names from the current resource.
        path: Vec<Name>,
        /// Evaluated on the related record.
        expr: Box<Expr>,
    },
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// An arithmetic operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/` (nil on division by zero)
    Div,
}

impl Expr {
    /// A constant.
    pub fn value(v: impl Into<Value>) -> Self {
        Expr::Value(v.into())
    }
    /// An attribute of the resource itself.
    pub fn attr(name: impl Into<Name>) -> Self {
        Expr::Attr {
            path: Vec::new(),
            name: name.into(),
        }
    }
    /// An attribute reached through relationships.
    pub fn path_attr<I, N>(path: I, name: impl Into<Name>) -> Self
    where
        I: IntoIterator<Item = N>,
        N: Into<Name>,
    {
        Expr::Attr {
            path: path.into_iter().map(Into::into).collect(),
            name: name.into(),
        }
    }
    /// A comparison.
    pub fn cmp(op: CmpOp, l: Expr, r: Expr) -> Self {
        Expr::Cmp(op, Box::new(l), Box::new(r))
    }
    /// Membership.
    pub fn is_in(l: Expr, list: Vec<Value>) -> Self {
        Expr::In(Box::new(l), list)
    }
    /// Both.
    pub fn and(self, other: Expr) -> Self {
        Expr::And(Box::new(self), Box::new(other))
    }
    /// Either.
    pub fn or(self, other: Expr) -> Self {
        Expr::Or(Box::new(self), Box::new(other))
    }
    /// Negation.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Self {
        Expr::Not(Box::new(self))
    }
    /// Conjunction of an optional filter with another.
    pub fn and_maybe(current: Option<Expr>, other: Expr) -> Expr {
        match current {
            Some(e) => e.and(other),
            None => other,
        }
    }
}

impl fmt::Display for CmpOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        })
    }
}

impl fmt::Display for ArithOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        })
    }
}

/// Ash-like rendering, for error messages and logs.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Value(v) => write!(f, "{v}"),
            Expr::Attr { path, name } => {
                for p in path {
                    write!(f, "{p}.")?;
                }
                f.write_str(name)
            }
            Expr::Cmp(op, l, r) => write!(f, "{l} {op} {r}"),
            Expr::In(l, list) => {
                write!(f, "{l} in [")?;
                for (i, v) in list.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Expr::Arith(op, l, r) => write!(f, "({l} {op} {r})"),
            Expr::And(l, r) => write!(f, "({l} and {r})"),
            Expr::Or(l, r) => write!(f, "({l} or {r})"),
            Expr::Not(e) => write!(f, "not {e}"),
            Expr::IsNil(e) => write!(f, "is_nil({e})"),
            Expr::Exists { path, expr } => write!(f, "exists({}, {expr})", path.join(".")),
        }
    }
}

/// Type-level kinds: what a filter may compare with what.
pub mod kind {
    /// `bool`
    #[derive(Debug)]
    pub enum Bool {}
    /// Integers and floats (they compare with each other).
    #[derive(Debug)]
    pub enum Number {}
    /// Strings.
    #[derive(Debug)]
    pub enum Text {}
    /// UUIDs.
    #[derive(Debug)]
    pub enum Uuid {}
    /// Timestamps.
    #[derive(Debug)]
    pub enum DateTime {}
}

/// A typed piece of a filter: an [`Expr`] whose kind the compiler knows.
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
    i64,
    f64,
    String,
    uuid::Uuid,
    chrono::DateTime<chrono::Utc>,
    Option<bool>,
    Option<i16>,
    Option<i32>,
    Option<i64>,
    Option<f64>,
    Option<String>,
    Option<uuid::Uuid>,
    Option<chrono::DateTime<chrono::Utc>>
);

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

fn const_value(e: Expr) -> Value {
    match e {
        Expr::Value(v) => v,
        // Attributes in a list literal are not supported by `in`; the macro only
        // builds lists of constants, so this is unreachable from `expr!`.
        _ => Value::Null,
    }
}

/// Proof that two kinds may be compared: implemented only for equal kinds.
#[diagnostic::on_unimplemented(
    message = "mismatched types in filter: cannot compare a `{Other}` value with a `{Self}` value",
    label = "this is a `{Self}`, the other side is a `{Other}`",
    note = "numbers compare with numbers, text with text, uuids with uuids, timestamps with timestamps"
)]
pub trait SameKind<Other> {}
impl<K> SameKind<K> for K {}

/// Proof that a kind takes arithmetic.
#[diagnostic::on_unimplemented(
    message = "arithmetic needs numbers, found a `{Self}` value",
    label = "not a number"
)]
pub trait Numeric {}
impl Numeric for kind::Number {}

/// Proof that a term is a condition.
#[diagnostic::on_unimplemented(
    message = "a filter condition must be true or false, found a `{Self}` value",
    label = "not a condition",
    note = "compare it with something, e.g. `priority > 3`, or test it with `is_nil(..)`"
)]
pub trait Condition {}
impl Condition for kind::Bool {}

/// A path from the resource an expression is on, used by `Fields` values.
pub type Path = Vec<Name>;

/// The generated field-reference type of a resource (`<R as Resource>::Fields`):
/// one method per attribute returning a `Term`, one per relationship returning the
/// destination's `Fields` one step further along the path.
pub trait Fields: Sized {
    /// Fields reached through `path`.
    fn at(path: Path) -> Self;
    /// The path these fields are reached through.
    fn path(&self) -> &Path;
}
