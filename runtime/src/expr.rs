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

/// A name of an attribute or relationship: borrowed when known at compile time,
/// owned when built at run time.
///
/// ```
/// # extern crate ashore_runtime as ashore;
/// use ashore::{Expr, Name};
/// let column = String::from("priority");
/// let names: [Name; 2] = ["subject".into(), column.into()];
/// assert_eq!(Expr::attr(names[1].clone()).to_string(), "priority");
/// ```
pub type Name = Cow<'static, str>;

/// A filter expression over one resource.
///
/// Build one with `expr!` (checked at compile time) or by hand for filters known
/// only at run time:
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let e = Expr::cmp(CmpOp::Gt, Expr::attr("priority"), Expr::value(3_i64));
/// assert_eq!(e.to_string(), "priority > 3");
///
/// // The same filter as `expr!(priority > 3)`, checked when the query runs.
/// let typed = Ticket::query().filter(expr!(priority > 3));
/// assert_eq!(typed.get_filter(), Some(&e));
/// let tickets = support.read(Ticket::query().filter_expr(e)).await?;
/// assert_eq!(
///     subjects(&tickets),
///     ["Printer on fire", "VPN down", "Server room flooded"]
/// );
/// # Ok(()) }
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

/// A comparison operator. Displays as `expr!` writes it.
///
/// ```
/// # extern crate ashore_runtime as ashore;
/// use ashore::{CmpOp, Expr};
/// assert_eq!(CmpOp::Le.to_string(), "<=");
/// let e = Expr::cmp(
///     CmpOp::Ne,
///     Expr::attr("subject"),
///     Expr::value("VPN down".to_string()),
/// );
/// assert_eq!(e.to_string(), r#"subject != "VPN down""#);
/// ```
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

/// An arithmetic operator. Displays as `expr!` writes it; [`Expr::Arith`] has no
/// constructor function, so build it with the variant.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let over = Expr::Arith(
///     ArithOp::Sub,
///     Box::new(Expr::attr("priority")),
///     Box::new(Expr::value(2_i64)),
/// );
/// let e = Expr::cmp(CmpOp::Ge, over, Expr::value(3_i64));
/// assert_eq!(e.to_string(), "(priority - 2) >= 3");
/// let tickets = support.read(Ticket::query().filter_expr(e)).await?;
/// assert_eq!(
///     subjects(&tickets),
///     ["Printer on fire", "Server room flooded"]
/// );
/// assert_eq!(ArithOp::Div.to_string(), "/");
/// # Ok(()) }
/// ```
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
    ///
    /// ```
    /// # extern crate ashore_runtime as ashore;
    /// use ashore::{Expr, Value};
    /// assert_eq!(Expr::value(3_i64), Expr::Value(Value::Int(3)));
    /// assert_eq!(Expr::value(None::<i64>).to_string(), "nil");
    /// ```
    pub fn value(v: impl Into<Value>) -> Self {
        Expr::Value(v.into())
    }
    /// An attribute of the resource itself.
    ///
    /// ```
    /// # extern crate ashore_runtime as ashore;
    /// use ashore::Expr;
    /// assert_eq!(
    ///     Expr::attr("priority"),
    ///     Expr::Attr {
    ///         path: vec![],
    ///         name: "priority".into()
    ///     }
    /// );
    /// ```
    pub fn attr(name: impl Into<Name>) -> Self {
        Expr::Attr {
            path: Vec::new(),
            name: name.into(),
        }
    }
    /// An attribute reached through relationships: `path` names them from the
    /// resource the expression is on.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let threshold = Expr::path_attr(["representative"], "priority_threshold");
    /// assert_eq!(threshold.to_string(), "representative.priority_threshold");
    /// let above = Expr::cmp(CmpOp::Gt, Expr::attr("priority"), threshold);
    /// let tickets = support.read(Ticket::query().filter_expr(above)).await?;
    /// assert_eq!(
    ///     subjects(&tickets),
    ///     ["Printer on fire", "VPN down", "Server room flooded"]
    /// );
    /// # Ok(()) }
    /// ```
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
    /// A comparison. Nil on either side makes it nil, which no record matches.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let not_five = Expr::cmp(CmpOp::Ne, Expr::attr("priority"), Expr::value(5_i64));
    /// let tickets = support.read(Ticket::query().filter_expr(not_five)).await?;
    /// // Neither "Printer on fire" (5) nor "Lost badge" (nil).
    /// assert_eq!(tickets.len(), 4);
    /// # Ok(()) }
    /// ```
    pub fn cmp(op: CmpOp, l: Expr, r: Expr) -> Self {
        Expr::Cmp(op, Box::new(l), Box::new(r))
    }
    /// Membership in a list of constants.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let e = Expr::is_in(Expr::attr("priority"), vec![Value::Int(1), Value::Int(9)]);
    /// assert_eq!(e.to_string(), "priority in [1, 9]");
    /// let tickets = support.read(Ticket::query().filter_expr(e)).await?;
    /// assert_eq!(
    ///     subjects(&tickets),
    ///     ["Server room flooded", "Password reset"]
    /// );
    /// # Ok(()) }
    /// ```
    pub fn is_in(l: Expr, list: Vec<Value>) -> Self {
        Expr::In(Box::new(l), list)
    }
    /// Both (Kleene: false and nil is false).
    ///
    /// ```
    /// # extern crate ashore_runtime as ashore;
    /// use ashore::{CmpOp, Expr};
    /// let e = Expr::cmp(CmpOp::Gt, Expr::attr("priority"), Expr::value(1_i64)).and(Expr::cmp(
    ///     CmpOp::Lt,
    ///     Expr::attr("priority"),
    ///     Expr::value(5_i64),
    /// ));
    /// assert_eq!(e.to_string(), "(priority > 1 and priority < 5)");
    /// ```
    pub fn and(self, other: Expr) -> Self {
        Expr::And(Box::new(self), Box::new(other))
    }
    /// Either (Kleene: true or nil is true).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let e = Expr::IsNil(Box::new(Expr::attr("priority"))).or(Expr::cmp(
    ///     CmpOp::Ge,
    ///     Expr::attr("priority"),
    ///     Expr::value(9_i64),
    /// ));
    /// assert_eq!(e.to_string(), "(is_nil(priority) or priority >= 9)");
    /// let tickets = support.read(Ticket::query().filter_expr(e)).await?;
    /// assert_eq!(subjects(&tickets), ["Server room flooded", "Lost badge"]);
    /// # Ok(()) }
    /// ```
    pub fn or(self, other: Expr) -> Self {
        Expr::Or(Box::new(self), Box::new(other))
    }
    /// Negation (Kleene: not nil is nil).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let e = Expr::cmp(CmpOp::Gt, Expr::attr("priority"), Expr::value(2_i64)).not();
    /// assert_eq!(e.to_string(), "not priority > 2");
    /// let tickets = support.read(Ticket::query().filter_expr(e)).await?;
    /// // "Lost badge" has no priority: not (nil > 2) is nil, so it does not match.
    /// assert_eq!(
    ///     subjects(&tickets),
    ///     ["Coffee machine empty", "Password reset"]
    /// );
    /// # Ok(()) }
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Self {
        Expr::Not(Box::new(self))
    }
    /// Conjunction of an optional filter with another: `other` alone when there
    /// is none.
    ///
    /// ```
    /// # extern crate ashore_runtime as ashore;
    /// use ashore::{CmpOp, Expr};
    /// let urgent = Expr::cmp(CmpOp::Ge, Expr::attr("priority"), Expr::value(5_i64));
    /// assert_eq!(Expr::and_maybe(None, urgent.clone()), urgent);
    /// let both = Expr::and_maybe(Some(Expr::attr("open")), urgent);
    /// assert_eq!(both.to_string(), "(open and priority >= 5)");
    /// ```
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
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # fn main() {
/// let q = Ticket::query().filter(expr!(
///     (priority > representative.priority_threshold or is_nil(priority))
///         and subject in ["VPN down", "Lost badge"]
/// ));
/// assert_eq!(
///     q.get_filter().unwrap().to_string(),
///     "((priority > representative.priority_threshold or is_nil(priority)) \
///  and subject in [\"VPN down\", \"Lost badge\"])"
/// );
/// let q = Representative::query().filter(expr!(exists(tickets, priority * 2 >= 18)));
/// assert_eq!(
///     q.get_filter().unwrap().to_string(),
///     "exists(tickets, (priority * 2) >= 18)"
/// );
/// # }
/// ```
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

/// Type-level kinds: what a filter may compare with what. A [`Term`] carries one;
/// `expr!` only compares terms of the same kind, and a filter must be a
/// [`kind::Bool`] term.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # fn main() {
/// // Each attribute type has a kind: `Option<i64>` and `i64` are both numbers.
/// fn kind_of<T: Scalar>(_: Field<Ticket, T>) -> std::any::TypeId
/// where
///     T::Kind: 'static,
/// {
///     std::any::TypeId::of::<T::Kind>()
/// }
/// assert_eq!(
///     kind_of(Ticket::priority()),
///     std::any::TypeId::of::<kind::Number>()
/// );
/// assert_eq!(
///     kind_of(Ticket::subject()),
///     std::any::TypeId::of::<kind::Text>()
/// );
/// # }
/// ```
pub mod kind {
    /// `bool`, and every condition: what a filter must be.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// let open: Term<kind::Bool> =
    ///     Term::new(Expr::IsNil(Box::new(Expr::attr("representative_id"))));
    /// let unassigned = Ticket::query().filter(|_| open);
    /// assert_eq!(
    ///     unassigned.get_filter().unwrap().to_string(),
    ///     "is_nil(representative_id)"
    /// );
    /// # }
    /// ```
    #[derive(Debug)]
    pub enum Bool {}
    /// Integers and floats (they compare with each other).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// let priority: Term<kind::Number> = Term::new(Expr::attr("priority"));
    /// assert_eq!(priority.into_expr(), Expr::attr("priority"));
    /// assert_eq!(
    ///     Value::Int(2).compare(&Value::Float(2.5)),
    ///     Some(std::cmp::Ordering::Less)
    /// );
    /// # }
    /// ```
    #[derive(Debug)]
    pub enum Number {}
    /// Strings.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// fn text<T: Scalar<Kind = kind::Text>>(value: T) -> Value {
    ///     value.into_value()
    /// }
    /// assert_eq!(
    ///     text(Some("VPN down".to_string())),
    ///     Value::String("VPN down".into())
    /// );
    /// # }
    /// ```
    #[derive(Debug)]
    pub enum Text {}
    /// UUIDs.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// fn uuid_valued<T: Scalar<Kind = kind::Uuid>>(_: Field<Ticket, T>) {}
    /// uuid_valued(Ticket::id());
    /// uuid_valued(Ticket::representative_id());
    /// # }
    /// ```
    #[derive(Debug)]
    pub enum Uuid {}
    /// Timestamps.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// use ashore::chrono::{DateTime, Utc};
    /// fn timestamp<T: Scalar<Kind = kind::DateTime>>(value: T) -> Value {
    ///     value.into_value()
    /// }
    /// let now = Utc::now();
    /// assert_eq!(timestamp(now), Value::DateTime(now));
    /// assert_eq!(<DateTime<Utc> as Scalar>::TYPE, ValueType::DateTime);
    /// # }
    /// ```
    #[derive(Debug)]
    pub enum DateTime {}
    /// The kind of a template (`^actor(field)`, `^tenant()`) in a policy's
    /// `expr(..)` compared with another template, or tested with `is_nil`: it
    /// compares with itself only (see [`Dynamic`](crate::__private::Dynamic)).
    #[derive(Debug)]
    pub enum Any {}
}

/// A typed piece of a filter: an [`Expr`] whose kind the compiler knows. `expr!`
/// builds them; [`Query::filter`](crate::Query::filter) takes a closure returning
/// one of kind [`kind::Bool`].
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// // A condition built at run time, vouched for as a boolean.
/// let urgent: Term<kind::Bool> = Term::new(Expr::cmp(
///     CmpOp::Ge,
///     Expr::attr("priority"),
///     Expr::value(5_i64),
/// ));
/// let tickets = support.read(Ticket::query().filter(|_| urgent)).await?;
/// assert_eq!(
///     subjects(&tickets),
///     ["Printer on fire", "Server room flooded"]
/// );
/// # Ok(()) }
/// ```
pub struct Term<K> {
    expr: Expr,
    _kind: PhantomData<fn() -> K>,
}

impl<K> Term<K> {
    /// Wraps an expression; the caller vouches for its kind.
    ///
    /// ```
    /// # extern crate ashore_runtime as ashore;
    /// use ashore::{Expr, Term, kind};
    /// let term: Term<kind::Text> = Term::new(Expr::attr("subject"));
    /// assert_eq!(term.into_expr(), Expr::attr("subject"));
    /// ```
    pub fn new(expr: Expr) -> Self {
        Term {
            expr,
            _kind: PhantomData,
        }
    }
    /// The expression.
    ///
    /// ```
    /// # extern crate ashore_runtime as ashore;
    /// use ashore::{CmpOp, Expr, Term, kind};
    /// let urgent: Term<kind::Bool> = Term::new(Expr::cmp(
    ///     CmpOp::Ge,
    ///     Expr::attr("priority"),
    ///     Expr::value(5_i64),
    /// ));
    /// assert_eq!(urgent.into_expr().to_string(), "priority >= 5");
    /// ```
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
