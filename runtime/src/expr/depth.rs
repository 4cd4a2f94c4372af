//! Deep expressions: the nesting limit a filter is checked against before
//! anything walks it recursively ([`MAX_FILTER_DEPTH`], [`Expr::check_depth`]),
//! and the impls of `Clone`, `PartialEq` and `Drop` that use a heap stack
//! rather than the thread's, so an [`Expr`] of any depth (built at run time
//! from user input) can be cloned, compared and dropped on a small task stack.
//! `Display` and `Debug` recurse, but only to the limit: below it they print
//! `…` instead of the operands.

use std::fmt;

use super::{Aggregate, Expr};
use crate::error::{Error, ErrorKind, Result};
use crate::value::Value;

/// How deeply a filter may nest: a constant or an attribute is 1 deep, any
/// other expression one more than its deepest operand (`exists` counts its
/// inner expression as an operand). Reading with a deeper filter, relationship
/// `filter` option or policy condition is [`ErrorKind::InvalidQuery`] naming
/// this limit, before any data layer compiles it, so compiling, evaluating and
/// building SQL stay within a small stack (a 2 MiB task stack, in debug
/// builds). `Display` and `Debug` print `…` for what is nested deeper.
pub const MAX_FILTER_DEPTH: usize = 256;

/// How many levels of [`MAX_FILTER_DEPTH`] each relationship hop uses: the
/// hops of an `exists` path, and those of an attribute path, count this much
/// toward the limit beside the one level of the expression they are in, so a
/// filter nests at most 10 hops (`exists(tickets, exists(comments,
/// author.name == ^n))` is 4 levels with 3 hops, 4 + 3 × 24 = 76 in all). Reading
/// beyond is [`ErrorKind::InvalidQuery`] on every layer alike: SQLite refuses
/// deep expressions under nested subqueries (its expression tree may be 1,000
/// deep, and each `EXISTS` around an expression takes a share of that), and in
/// memory each nested `exists` is a loop over the related records.
pub const RELATIONSHIP_HOP_DEPTH: usize = 24;

/// What stands for the operands nested deeper than [`MAX_FILTER_DEPTH`] when
/// an expression is displayed.
const ELIDED: &str = "…";

impl Expr {
    /// Its operands, in order (`exists`' inner expression included).
    pub(crate) fn operands(&self) -> [Option<&Expr>; 2] {
        match self {
            Expr::Value(_) | Expr::Attr { .. } | Expr::Parent(_) => [None, None],
            Expr::Cmp(_, l, r)
            | Expr::Arith(_, l, r)
            | Expr::TextOp(_, l, r)
            | Expr::And(l, r)
            | Expr::Or(l, r) => [Some(l), Some(r)],
            Expr::In(e, _)
            | Expr::Not(e)
            | Expr::IsNil(e)
            | Expr::Func(_, e)
            | Expr::Exists { expr: e, .. } => [Some(e), None],
            Expr::Aggregate { aggregate, .. } => [aggregate.filter.as_ref(), None],
        }
    }

    fn operands_mut(&mut self) -> [Option<&mut Expr>; 2] {
        match self {
            Expr::Value(_) | Expr::Attr { .. } | Expr::Parent(_) => [None, None],
            Expr::Cmp(_, l, r)
            | Expr::Arith(_, l, r)
            | Expr::TextOp(_, l, r)
            | Expr::And(l, r)
            | Expr::Or(l, r) => [Some(l), Some(r)],
            Expr::In(e, _)
            | Expr::Not(e)
            | Expr::IsNil(e)
            | Expr::Func(_, e)
            | Expr::Exists { expr: e, .. } => [Some(e), None],
            Expr::Aggregate { aggregate, .. } => [aggregate.filter.as_mut(), None],
        }
    }

    fn is_leaf(&self) -> bool {
        matches!(self, Expr::Value(_) | Expr::Attr { .. } | Expr::Parent(_))
    }

    /// Whether it nests at most `limit` deep (see [`MAX_FILTER_DEPTH`]);
    /// walks at most `limit` levels, with a heap stack.
    pub fn depth_within(&self, limit: usize) -> bool {
        let mut stack = vec![(self, 1)];
        while let Some((expr, depth)) = stack.pop() {
            if depth > limit {
                return false;
            }
            stack.extend(
                expr.operands()
                    .into_iter()
                    .flatten()
                    .map(|e| (e, depth + 1)),
            );
        }
        true
    }

    /// Its depth with each relationship hop counted as
    /// [`RELATIONSHIP_HOP_DEPTH`] levels more: whether it is at most `limit`.
    /// Walks at most `limit` levels, with a heap stack.
    fn weighted_depth_within(&self, limit: usize) -> bool {
        let mut stack = vec![(self, 0)];
        while let Some((expr, above)) = stack.pop() {
            let hops = match expr {
                Expr::Attr { path, .. } | Expr::Exists { path, .. } => path.len(),
                Expr::Aggregate { at, aggregate } => at.len() + aggregate.path.len(),
                _ => 0,
            };
            let depth = above + 1 + hops * RELATIONSHIP_HOP_DEPTH;
            if depth > limit {
                return false;
            }
            stack.extend(expr.operands().into_iter().flatten().map(|e| (e, depth)));
        }
        true
    }

    /// `InvalidQuery` on `resource` when it nests deeper than
    /// [`MAX_FILTER_DEPTH`], relationship hops counted as
    /// [`RELATIONSHIP_HOP_DEPTH`] levels each; `what` names it in the message
    /// ("the filter").
    pub(crate) fn check_depth(
        &self,
        resource: &'static str,
        what: &dyn fmt::Display,
    ) -> Result<()> {
        // The weighted depth is never below the plain one: one walk when it passes.
        if self.weighted_depth_within(MAX_FILTER_DEPTH) {
            return Ok(());
        }
        let message = if !self.depth_within(MAX_FILTER_DEPTH) {
            format!("{what} nests deeper than MAX_FILTER_DEPTH ({MAX_FILTER_DEPTH} levels)")
        } else {
            format!(
                "{what} nests too many relationship hops (`exists` and paths) for \
                 MAX_FILTER_DEPTH ({MAX_FILTER_DEPTH} levels): each hop counts as \
                 RELATIONSHIP_HOP_DEPTH ({RELATIONSHIP_HOP_DEPTH}) levels"
            )
        };
        Err(Error::new(ErrorKind::InvalidQuery { resource, message }))
    }

    /// Moves out its operands that have operands of their own onto `stack`,
    /// leaving constants in their place: what `drop` does level by level.
    fn take_deep_operands(&mut self, stack: &mut Vec<Expr>) {
        for operand in self.operands_mut().into_iter().flatten() {
            if !operand.is_leaf() {
                stack.push(std::mem::replace(operand, Expr::Value(Value::Null)));
            }
        }
    }
}

/// Drops level by level from a heap stack, so dropping a deep expression
/// does not recurse.
impl Drop for Expr {
    fn drop(&mut self) {
        let mut stack = Vec::new();
        self.take_deep_operands(&mut stack);
        while let Some(mut expr) = stack.pop() {
            expr.take_deep_operands(&mut stack);
        }
    }
}

/// Clones with a heap stack: operands first, then the expression around them.
impl Clone for Expr {
    fn clone(&self) -> Self {
        enum Task<'e> {
            Visit(&'e Expr),
            Build(&'e Expr),
        }
        let mut tasks = vec![Task::Visit(self)];
        let mut built: Vec<Expr> = Vec::new();
        while let Some(task) = tasks.pop() {
            match task {
                Task::Visit(expr) => {
                    tasks.push(Task::Build(expr));
                    let operands = expr.operands().into_iter().flatten();
                    tasks.extend(operands.rev().map(Task::Visit));
                }
                Task::Build(expr) => {
                    let mut operand = || Box::new(built.pop().unwrap_or(Expr::Value(Value::Null)));
                    let copy = match expr {
                        Expr::Value(v) => Expr::Value(v.clone()),
                        Expr::Parent(name) => Expr::Parent(name.clone()),
                        Expr::Attr { path, name } => Expr::Attr {
                            path: path.clone(),
                            name: name.clone(),
                        },
                        Expr::Cmp(op, ..) => {
                            let r = operand();
                            Expr::Cmp(*op, operand(), r)
                        }
                        Expr::Arith(op, ..) => {
                            let r = operand();
                            Expr::Arith(*op, operand(), r)
                        }
                        Expr::TextOp(op, ..) => {
                            let r = operand();
                            Expr::TextOp(*op, operand(), r)
                        }
                        Expr::Func(func, _) => Expr::Func(*func, operand()),
                        Expr::And(..) => {
                            let r = operand();
                            Expr::And(operand(), r)
                        }
                        Expr::Or(..) => {
                            let r = operand();
                            Expr::Or(operand(), r)
                        }
                        Expr::In(_, list) => Expr::In(operand(), list.clone()),
                        Expr::Not(_) => Expr::Not(operand()),
                        Expr::IsNil(_) => Expr::IsNil(operand()),
                        Expr::Exists { path, .. } => Expr::Exists {
                            path: path.clone(),
                            expr: operand(),
                        },
                        Expr::Aggregate { at, aggregate } => Expr::Aggregate {
                            at: at.clone(),
                            aggregate: Box::new(Aggregate {
                                kind: aggregate.kind,
                                path: aggregate.path.clone(),
                                field: aggregate.field.clone(),
                                filter: aggregate.filter.as_ref().map(|_| *operand()),
                            }),
                        },
                    };
                    built.push(copy);
                }
            }
        }
        built.pop().unwrap_or(Expr::Value(Value::Null))
    }
}

/// Structural equality, compared with a heap stack.
impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        let mut stack = vec![(self, other)];
        while let Some((a, b)) = stack.pop() {
            let same_node = match (a, b) {
                (Expr::Value(x), Expr::Value(y)) => x == y,
                (Expr::Parent(x), Expr::Parent(y)) => x == y,
                (Expr::Attr { path, name }, Expr::Attr { path: p, name: n }) => {
                    path == p && name == n
                }
                (Expr::Cmp(x, ..), Expr::Cmp(y, ..)) => x == y,
                (Expr::Arith(x, ..), Expr::Arith(y, ..)) => x == y,
                (Expr::TextOp(x, ..), Expr::TextOp(y, ..)) => x == y,
                (Expr::Func(x, _), Expr::Func(y, _)) => x == y,
                (Expr::In(_, x), Expr::In(_, y)) => x == y,
                (Expr::Exists { path, .. }, Expr::Exists { path: p, .. }) => path == p,
                (
                    Expr::Aggregate { at, aggregate: x },
                    Expr::Aggregate {
                        at: at2,
                        aggregate: y,
                    },
                ) => {
                    at == at2
                        && x.kind == y.kind
                        && x.path == y.path
                        && x.field == y.field
                        && x.filter.is_some() == y.filter.is_some()
                }
                (Expr::And(..), Expr::And(..))
                | (Expr::Or(..), Expr::Or(..))
                | (Expr::Not(_), Expr::Not(_))
                | (Expr::IsNil(_), Expr::IsNil(_)) => true,
                _ => false,
            };
            if !same_node {
                return false;
            }
            let pairs = a
                .operands()
                .into_iter()
                .zip(b.operands())
                .filter_map(|p| match p {
                    (Some(x), Some(y)) => Some((x, y)),
                    _ => None,
                });
            stack.extend(pairs);
        }
        true
    }
}

/// An expression displayed `depth` levels down (1 at the top).
struct Shown<'e>(&'e Expr, usize);

impl Shown<'_> {
    fn operand<'o>(&self, expr: &'o Expr) -> Shown<'o> {
        Shown(expr, self.1 + 1)
    }
}

/// Ash-like rendering, for error messages and logs; operands nested deeper
/// than [`MAX_FILTER_DEPTH`] print as `…`.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Shown(self, 1), f)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.1 > MAX_FILTER_DEPTH {
            return f.write_str(ELIDED);
        }
        let sub = |e| self.operand(e);
        match self.0 {
            Expr::Value(v) => write!(f, "{v}"),
            Expr::Parent(name) => write!(f, "parent({name})"),
            Expr::Attr { path, name } => {
                for p in path {
                    write!(f, "{p}.")?;
                }
                f.write_str(name)
            }
            Expr::Cmp(op, l, r) => write!(f, "{} {op} {}", sub(l), sub(r)),
            Expr::In(l, list) => {
                write!(f, "{} in [", sub(l))?;
                for (i, v) in list.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Expr::Arith(op, l, r) => write!(f, "({} {op} {})", sub(l), sub(r)),
            Expr::And(l, r) => write!(f, "({} and {})", sub(l), sub(r)),
            Expr::Or(l, r) => write!(f, "({} or {})", sub(l), sub(r)),
            Expr::Not(e) => write!(f, "not {}", sub(e)),
            Expr::IsNil(e) => write!(f, "is_nil({})", sub(e)),
            Expr::Func(func, e) => write!(f, "{func}({})", sub(e)),
            Expr::TextOp(op, l, r) => write!(f, "{op}({}, {})", sub(l), sub(r)),
            Expr::Exists { path, expr } => write!(f, "exists({}, {})", path.join("."), sub(expr)),
            Expr::Aggregate { at, aggregate } => {
                for p in at {
                    write!(f, "{p}.")?;
                }
                write!(
                    f,
                    "{}({}",
                    aggregate.kind.keyword(),
                    aggregate.path.join(".")
                )?;
                if let Some(field) = &aggregate.field {
                    write!(f, ".{field}")?;
                }
                if let Some(filter) = &aggregate.filter {
                    write!(f, ", {}", sub(filter))?;
                }
                f.write_str(")")
            }
        }
    }
}

/// As derived, except that operands nested deeper than [`MAX_FILTER_DEPTH`]
/// print as `…`.
impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&Shown(self, 1), f)
    }
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.1 > MAX_FILTER_DEPTH {
            return f.write_str(ELIDED);
        }
        let sub = |e| self.operand(e);
        match self.0 {
            Expr::Value(v) => f.debug_tuple("Value").field(v).finish(),
            Expr::Parent(name) => f.debug_tuple("Parent").field(name).finish(),
            Expr::Attr { path, name } => f
                .debug_struct("Attr")
                .field("path", path)
                .field("name", name)
                .finish(),
            Expr::Cmp(op, l, r) => f
                .debug_tuple("Cmp")
                .field(op)
                .field(&sub(l))
                .field(&sub(r))
                .finish(),
            Expr::In(x, list) => f.debug_tuple("In").field(&sub(x)).field(list).finish(),
            Expr::Arith(op, l, r) => f
                .debug_tuple("Arith")
                .field(op)
                .field(&sub(l))
                .field(&sub(r))
                .finish(),
            Expr::And(l, r) => f.debug_tuple("And").field(&sub(l)).field(&sub(r)).finish(),
            Expr::Or(l, r) => f.debug_tuple("Or").field(&sub(l)).field(&sub(r)).finish(),
            Expr::Not(e) => f.debug_tuple("Not").field(&sub(e)).finish(),
            Expr::IsNil(e) => f.debug_tuple("IsNil").field(&sub(e)).finish(),
            Expr::Func(func, e) => f.debug_tuple("Func").field(func).field(&sub(e)).finish(),
            Expr::TextOp(op, l, r) => f
                .debug_tuple("TextOp")
                .field(op)
                .field(&sub(l))
                .field(&sub(r))
                .finish(),
            Expr::Exists { path, expr } => f
                .debug_struct("Exists")
                .field("path", path)
                .field("expr", &sub(expr))
                .finish(),
            Expr::Aggregate { at, aggregate } => f
                .debug_struct("Aggregate")
                .field("at", at)
                .field("kind", &aggregate.kind)
                .field("path", &aggregate.path)
                .field("field", &aggregate.field)
                .field("filter", &aggregate.filter.as_ref().map(sub))
                .finish(),
        }
    }
}
