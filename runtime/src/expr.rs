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
//! - Text functions ([`TextOp`], [`Func`]) are nil when an operand is nil or
//!   not text; case mapping, `length` and `like` patterns are as [`text`]
//!   defines them, on every layer.
//! - An aggregate (`open_ticket_count`, declared in `aggregates { }`) is the
//!   value its kind computes for the record (see [`Aggregate`]); its own
//!   filter is evaluated on the records it reaches, with bindings of its own.

use std::borrow::Cow;
use std::fmt;

use crate::value::Value;

mod aggregate;
mod depth;
pub mod text;
mod typed;

pub use aggregate::{Aggregate, AggregateKind};

pub use depth::{MAX_FILTER_DEPTH, RELATIONSHIP_HOP_DEPTH};
pub use typed::{
    Comparable, Condition, Dynamic, Fields, LikePattern, List, Numeric, Operand, Path, SameKind,
    Term, Textual,
};

/// A name of an attribute or relationship: borrowed when known at compile time,
/// owned when built at run time.
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
///
/// A filter may nest at most [`MAX_FILTER_DEPTH`] levels: a read with a
/// deeper one is `ErrorKind::InvalidQuery` naming the limit, each relationship
/// hop counted as [`RELATIONSHIP_HOP_DEPTH`] levels. `Clone`,
/// `PartialEq` and `Drop` work at any depth without recursing; `Display` and
/// `Debug` print `…` for operands nested deeper than the limit. Moving an
/// operand out of an `Expr` by pattern is not possible (it implements `Drop`):
/// match on a reference and clone or `std::mem::replace` the operand.
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
    /// A text function of one operand: `lower`, `upper`, `length`.
    Func(Func, Box<Expr>),
    /// A text operator of two operands: the tests `contains`, `starts_with`,
    /// `ends_with`, `like`, `ilike` (conditions) and `concat` (text). The
    /// pattern of `like` and `ilike` (the right operand) must be a constant.
    TextOp(TextOp, Box<Expr>, Box<Expr>),
    /// True when some record reached through `path` satisfies `expr`.
    Exists {
        /// Relationship names from the current resource.
        path: Vec<Name>,
        /// Evaluated on the related record.
        expr: Box<Expr>,
    },
    /// The value of an aggregate, computed for the record reached through
    /// `at` (the record itself when empty; bound as an attribute path is).
    Aggregate {
        /// Relationship names to the record it is computed for.
        at: Vec<Name>,
        /// What it computes; its filter is this expression's operand.
        aggregate: Box<Aggregate>,
    },
    /// `parent(x)`: attribute `x` of the *source* record of the relationship
    /// whose `filter` this expression is (a `no_attributes` relationship, or
    /// a manual relationship's `condition`). Only such a filter may hold one:
    /// anywhere else it is `ErrorKind::InvalidQuery` on every layer.
    Parent(Name),
}

/// A comparison operator. Displays as `expr!` writes it.
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

/// A text function of one operand. Displays as `expr!` writes it. Nil when
/// the operand is nil or not text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Func {
    /// `lower(x)`: every character lowered by simple case mapping
    /// ([`text::lower`]).
    Lower,
    /// `upper(x)`: every character raised by simple case mapping
    /// ([`text::upper`]).
    Upper,
    /// `length(x)`: the number of characters, an integer.
    Length,
}

/// A text operator of two operands. Displays as `expr!` writes it. Nil when
/// either operand is nil or not text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextOp {
    /// `contains(x, y)`: `y` occurs in `x` (the empty text occurs in every text).
    Contains,
    /// `starts_with(x, y)`.
    StartsWith,
    /// `ends_with(x, y)`.
    EndsWith,
    /// `like(x, pattern)`: `%`, `_` and backslash escapes, case sensitive
    /// ([`text`]). The pattern must be a constant.
    Like,
    /// `ilike(x, pattern)`: `like` with both sides lowered.
    Ilike,
    /// `concat(x, y)`: `x` followed by `y`, a text.
    Concat,
}

impl Expr {
    /// The operands of its top-level `and`s, left to right (itself when it is
    /// no `and`). The SQL builder splits filters by them, and the memory
    /// layer the filters restricting its grouped aggregates.
    pub(crate) fn conjuncts(&self) -> Vec<&Expr> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(expr) = stack.pop() {
            match expr {
                Expr::And(l, r) => {
                    stack.push(r);
                    stack.push(l);
                }
                other => out.push(other),
            }
        }
        out
    }

    /// The relationship paths of the attributes it reads (not those inside
    /// `exists`), in order of appearance: what a data layer binds, once per
    /// path, so references through the same to-many path see the same record.
    pub(crate) fn paths(&self) -> Vec<&[Name]> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(expr) = stack.pop() {
            match expr {
                Expr::Exists { .. } => {}
                Expr::Attr { path, .. } | Expr::Aggregate { at: path, .. } if !path.is_empty() => {
                    out.push(&path[..])
                }
                Expr::Aggregate { .. } => {}
                _ => stack.extend(expr.operands().into_iter().flatten().rev()),
            }
        }
        out
    }

    /// The slots this expression binds, for every data layer alike: slot 0 is
    /// the record itself; each distinct prefix of a relationship path is one
    /// more slot, bound to one related record of the slot of the prefix one
    /// shorter (given as `parent`, always an earlier slot). References through
    /// the same path share a slot, so they bind to the same related record
    /// (DESIGN "Expressions" 10); a memory scope enumerates the combinations of
    /// bindings, SQL left-joins one alias per slot inside one `EXISTS`.
    pub(crate) fn bindings(&self) -> Vec<Binding<'_>> {
        let mut slots: Vec<Binding<'_>> = vec![Binding {
            path: &[],
            parent: 0,
        }];
        for path in self.paths() {
            for len in 1..=path.len() {
                let prefix = &path[..len];
                if slots.iter().any(|s| s.path == prefix) {
                    continue;
                }
                // Shorter prefixes were added first.
                let parent = slots
                    .iter()
                    .position(|s| s.path == &prefix[..len - 1])
                    .unwrap_or(0);
                slots.push(Binding {
                    path: prefix,
                    parent,
                });
            }
        }
        slots
    }

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
    /// `parent(name)`: an attribute of the source record of the relationship
    /// whose filter this is (see [`Expr::Parent`]).
    pub fn parent(name: impl Into<Name>) -> Self {
        Expr::Parent(name.into())
    }
    /// Whether it reads an attribute of a relationship's source
    /// (`parent(..)`), anywhere in it.
    pub fn reads_parent(&self) -> bool {
        let mut stack = vec![self];
        while let Some(expr) = stack.pop() {
            if let Expr::Parent(_) = expr {
                return true;
            }
            stack.extend(expr.operands().into_iter().flatten());
        }
        false
    }
    /// Whether it holds an aggregate anywhere.
    pub(crate) fn holds_aggregate(&self) -> bool {
        let mut stack = vec![self];
        while let Some(expr) = stack.pop() {
            if let Expr::Aggregate { .. } = expr {
                return true;
            }
            stack.extend(expr.operands().into_iter().flatten());
        }
        false
    }
    /// An attribute reached through relationships: `path` names them from the
    /// resource the expression is on.
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
    pub fn cmp(op: CmpOp, l: Expr, r: Expr) -> Self {
        Expr::Cmp(op, Box::new(l), Box::new(r))
    }
    /// Membership in a list of constants.
    pub fn is_in(l: Expr, list: Vec<Value>) -> Self {
        Expr::In(Box::new(l), list)
    }
    /// `contains(text, part)`: true when `part` occurs in `text`; nil when
    /// either is nil or not text. `%` and `_` are plain characters here.
    pub fn contains(text: Expr, part: Expr) -> Self {
        Expr::TextOp(TextOp::Contains, Box::new(text), Box::new(part))
    }
    /// `starts_with(text, prefix)`; nil when either is nil or not text.
    pub fn starts_with(text: Expr, prefix: Expr) -> Self {
        Expr::TextOp(TextOp::StartsWith, Box::new(text), Box::new(prefix))
    }
    /// `ends_with(text, suffix)`; nil when either is nil or not text.
    pub fn ends_with(text: Expr, suffix: Expr) -> Self {
        Expr::TextOp(TextOp::EndsWith, Box::new(text), Box::new(suffix))
    }
    /// `like(text, pattern)`: `%` any run of characters, `_` one character,
    /// a backslash makes the next character literal; case sensitive; the
    /// whole text must match ([`text`]). Nil when `text` is nil or not text.
    pub fn like(text: Expr, pattern: &str) -> Self {
        Expr::TextOp(TextOp::Like, Box::new(text), Box::new(Expr::value(pattern)))
    }
    /// `ilike(text, pattern)`: [`Expr::like`] with both sides lowered by
    /// simple case mapping.
    pub fn ilike(text: Expr, pattern: &str) -> Self {
        Expr::TextOp(
            TextOp::Ilike,
            Box::new(text),
            Box::new(Expr::value(pattern)),
        )
    }
    /// `concat(a, b)`: `a` followed by `b`; nil when either is nil or not text.
    pub fn concat(a: Expr, b: Expr) -> Self {
        Expr::TextOp(TextOp::Concat, Box::new(a), Box::new(b))
    }
    /// `lower(text)`: every character lowered by simple case mapping (the
    /// length is kept: `lower("ÉCOLE")` is `"école"`).
    pub fn lower(text: Expr) -> Self {
        Expr::Func(Func::Lower, Box::new(text))
    }
    /// `upper(text)`: every character raised by simple case mapping
    /// (`upper("straße")` is `"STRAßE"`).
    pub fn upper(text: Expr) -> Self {
        Expr::Func(Func::Upper, Box::new(text))
    }
    /// `length(text)`: how many characters it has, an integer.
    pub fn length(text: Expr) -> Self {
        Expr::Func(Func::Length, Box::new(text))
    }
    /// True when `e` is nil; never nil itself.
    pub fn is_nil(e: Expr) -> Self {
        Expr::IsNil(Box::new(e))
    }
    /// Both (Kleene: false and nil is false).
    pub fn and(self, other: Expr) -> Self {
        Expr::And(Box::new(self), Box::new(other))
    }
    /// Either (Kleene: true or nil is true).
    pub fn or(self, other: Expr) -> Self {
        Expr::Or(Box::new(self), Box::new(other))
    }
    /// Negation (Kleene: not nil is nil).
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Self {
        Expr::Not(Box::new(self))
    }
    /// Conjunction of an optional filter with another: `other` alone when there
    /// is none.
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

impl fmt::Display for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Func::Lower => "lower",
            Func::Upper => "upper",
            Func::Length => "length",
        })
    }
}

impl fmt::Display for TextOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TextOp::Contains => "contains",
            TextOp::StartsWith => "starts_with",
            TextOp::EndsWith => "ends_with",
            TextOp::Like => "like",
            TextOp::Ilike => "ilike",
            TextOp::Concat => "concat",
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

/// One slot of an expression's scope (see [`Expr::bindings`]): the record
/// reached through `path` from the scope's own, one step from slot `parent`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Binding<'e> {
    /// The relationship path from the scope's record (empty for slot 0).
    pub(crate) path: &'e [Name],
    /// The slot this one is one relationship further from.
    pub(crate) parent: usize,
}
