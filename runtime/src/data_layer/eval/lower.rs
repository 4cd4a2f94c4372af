//! Lowering a compiled expression ([`Node`]) to closures, once per read: each
//! node becomes a closure over the scope's slots that calls its operands'
//! closures directly, so evaluating a row walks no tree and matches no node
//! kind. Leaves are read in place: a comparison or an `in` whose operands are
//! attributes and constants reads the columns itself and compares the values
//! read, borrowing constants rather than cloning them.
//!
//! The semantics are those of `eval`'s module doc, unchanged: every closure
//! computes what the node it replaces computed.

use std::borrow::Cow;
use std::cell::{Cell, OnceCell};
use std::cmp::Ordering;
use std::rc::Rc;

use super::list::InList;
use super::text::{func, like, text_op};
use super::{Index, Node, Scope, Step, exists_from};
use crate::data_layer::store::Table;
use crate::expr::{ArithOp, CmpOp, TextOp};
use crate::value::{Value, ValueType};
use uuid::Uuid;

/// A condition on a scope's slots (slot 0 the row, then one record or none per
/// binding): its truth, `None` for nil.
pub(super) type Cond<'a> = Box<dyn Fn(&[Option<usize>], &[Index<'a>]) -> Option<bool> + 'a>;

/// A value computed from a scope's slots (`Value::Null` for nil).
pub(super) type Val<'a> = Box<dyn Fn(&[Option<usize>], &[Index<'a>]) -> Value + 'a>;

/// An attribute of the record in a slot.
#[derive(Clone, Copy)]
pub(super) struct Column<'a> {
    pub(super) slot: usize,
    pub(super) table: &'a dyn Table,
    pub(super) attr: usize,
    /// Its type: every value read is of it, or nil.
    pub(super) ty: ValueType,
}

impl Column<'_> {
    /// Its value, nil when the slot holds no record.
    #[inline]
    fn read(&self, slots: &[Option<usize>]) -> Value {
        match slots[self.slot] {
            Some(row) => self.table.get(row, self.attr),
            None => Value::Null,
        }
    }

    /// Whether it holds integers (read as `Value::Int`, or nil).
    fn is_int(&self) -> bool {
        matches!(self.ty, ValueType::I16 | ValueType::I32 | ValueType::I64)
    }

    /// The value of an integer column (`is_int`), `None` for nil.
    #[inline]
    fn int(&self, slots: &[Option<usize>]) -> Option<i64> {
        match self.read(slots) {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }

    /// The value of a UUID column, `None` for nil.
    #[inline]
    fn uuid(&self, slots: &[Option<usize>]) -> Option<Uuid> {
        match self.read(slots) {
            Value::Uuid(u) => Some(u),
            _ => None,
        }
    }
}

/// An operand of a comparison or an `in`: read in place when it is a leaf.
pub(super) enum Operand<'a> {
    Const(Value),
    Column(Column<'a>),
    Computed(Val<'a>),
}

impl<'a> Operand<'a> {
    pub(super) fn new(node: Node<'a>) -> Self {
        match node {
            Node::Const(v) => Operand::Const(v),
            Node::Attr(column) => Operand::Column(column),
            other => Operand::Computed(value(other)),
        }
    }

    #[inline]
    pub(super) fn get(&self, slots: &[Option<usize>], ix: &[Index<'a>]) -> Cow<'_, Value> {
        match self {
            Operand::Const(v) => Cow::Borrowed(v),
            Operand::Column(c) => Cow::Owned(c.read(slots)),
            Operand::Computed(f) => Cow::Owned(f(slots, ix)),
        }
    }
}

/// The closure computing condition `node`.
pub(super) fn cond<'a>(node: Node<'a>) -> Cond<'a> {
    match node {
        Node::Const(v) => {
            let truth = as_truth(&v);
            Box::new(move |_, _| truth)
        }
        Node::Attr(column) => Box::new(move |slots, _| as_truth(&column.read(slots))),
        node @ (Node::Arith(..)
        | Node::Parent(..)
        | Node::Func(..)
        | Node::TextOp(TextOp::Concat, ..)
        | Node::Aggregate(..)) => {
            let v = value(node);
            Box::new(move |slots, ix| as_truth(&v(slots, ix)))
        }
        Node::Cmp(op, l, r) => compare(op, Operand::new(*l), Operand::new(*r)),
        Node::In(x, list) => is_in(Operand::new(*x), list),
        Node::TextOp(op, l, r) => {
            let v = text_op(op, Operand::new(*l), Operand::new(*r));
            Box::new(move |slots, ix| as_truth(&v(slots, ix)))
        }
        Node::Like {
            text,
            pattern,
            fold,
        } => like(Operand::new(*text), pattern, fold),
        Node::And(l, r) => {
            let (l, r) = (cond(*l), cond(*r));
            Box::new(move |slots, ix| match l(slots, ix) {
                Some(false) => Some(false),
                a => match (a, r(slots, ix)) {
                    (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                },
            })
        }
        Node::Or(l, r) => {
            let (l, r) = (cond(*l), cond(*r));
            Box::new(move |slots, ix| match l(slots, ix) {
                Some(true) => Some(true),
                a => match (a, r(slots, ix)) {
                    (_, Some(true)) => Some(true),
                    (Some(false), Some(false)) => Some(false),
                    _ => None,
                },
            })
        }
        Node::Not(e) => {
            let e = cond(*e);
            Box::new(move |slots, ix| e(slots, ix).map(|b| !b))
        }
        Node::IsNil(e) => match Operand::new(*e) {
            Operand::Column(c) => Box::new(move |slots, _| Some(c.read(slots).is_null())),
            e => Box::new(move |slots, ix| Some(e.get(slots, ix).is_null())),
        },
        Node::Exists(steps, inner, remember) => exists(steps, inner, remember),
    }
}

/// The closure of `exists`: through `steps`, some record makes `inner` true.
/// Out of `cond`, whose frame every level of a deep filter takes.
#[inline(never)]
fn exists<'a>(steps: Vec<Step<'a>>, inner: Box<Scope<'a>>, remember: bool) -> Cond<'a> {
    if !remember {
        return Box::new(move |slots, ix| {
            Some(slots[0].is_some_and(|row| exists_from(row, &steps, &inner, ix)))
        });
    }
    // Its truth on a row depends on the row alone (the inner expression
    // has bindings of its own), so each row's is found once per read:
    // nested `exists` through to-many hops would otherwise try every
    // related record again at each level, exponentially.
    let rows = steps.first().map_or(0, |s| s.source_table.len());
    let memo = Memo::new(rows);
    Box::new(move |slots, ix| {
        Some(slots[0].is_some_and(|row| memo.get_or(row, || exists_from(row, &steps, &inner, ix))))
    })
}

/// The truths already found, per row of a table: unknown, false or true.
struct Memo(OnceCell<Vec<Cell<u8>>>, usize);

impl Memo {
    const UNKNOWN: u8 = 0;
    const FALSE: u8 = 1;
    const TRUE: u8 = 2;

    /// For a table of `rows` rows; allocated on first use.
    fn new(rows: usize) -> Self {
        Memo(OnceCell::new(), rows)
    }

    /// Row `row`'s truth: remembered, or `find`'s, then remembered.
    #[inline]
    fn get_or(&self, row: usize, find: impl FnOnce() -> bool) -> bool {
        let cells = self
            .0
            .get_or_init(|| vec![Cell::new(Self::UNKNOWN); self.1]);
        let Some(cell) = cells.get(row) else {
            return find();
        };
        match cell.get() {
            Self::TRUE => true,
            Self::FALSE => false,
            _ => {
                let truth = find();
                cell.set(if truth { Self::TRUE } else { Self::FALSE });
                truth
            }
        }
    }
}

/// The closure computing value `node`; a condition used as a value is a
/// boolean, nil when unknown.
pub(super) fn value<'a>(node: Node<'a>) -> Val<'a> {
    match node {
        Node::Const(v) => Box::new(move |_, _| v.clone()),
        Node::Attr(column) => Box::new(move |slots, _| column.read(slots)),
        Node::Parent(column) => Box::new(move |_, _| column.read()),
        Node::Arith(op, l, r) => {
            let (l, r) = (Operand::new(*l), Operand::new(*r));
            Box::new(move |slots, ix| arith(op, &l.get(slots, ix), &r.get(slots, ix)))
        }
        Node::Func(f, e) => func(f, Operand::new(*e)),
        Node::TextOp(TextOp::Concat, l, r) => {
            text_op(TextOp::Concat, Operand::new(*l), Operand::new(*r))
        }
        // An overflowing sum is nil: a filter has no error to give.
        Node::Aggregate(slot, compiled) => Box::new(move |slots, ix| match slots[slot] {
            Some(row) => compiled.value(row, ix).unwrap_or(Value::Null),
            None => Value::Null,
        }),
        condition => {
            let c = cond(condition);
            Box::new(move |slots, ix| c(slots, ix).map_or(Value::Null, Value::Bool))
        }
    }
}

/// A boolean value's truth; any other value (nil included) is nil.
#[inline]
pub(super) fn as_truth(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        _ => None,
    }
}

/// `l op r`: nil when either is nil or they do not compare.
fn compare<'a>(op: CmpOp, l: Operand<'a>, r: Operand<'a>) -> Cond<'a> {
    let accepts = Accepts::of(op);
    match (l, r) {
        // Integers on both sides: compared as `i64`s.
        (Operand::Column(l), Operand::Column(r)) if l.is_int() && r.is_int() => {
            Box::new(move |slots, _| Some(accepts.ordering(l.int(slots)?.cmp(&r.int(slots)?))))
        }
        (Operand::Column(l), Operand::Const(Value::Int(r))) if l.is_int() => {
            Box::new(move |slots, _| Some(accepts.ordering(l.int(slots)?.cmp(&r))))
        }
        (Operand::Const(Value::Int(l)), Operand::Column(r)) if r.is_int() => {
            Box::new(move |slots, _| Some(accepts.ordering(l.cmp(&r.int(slots)?))))
        }
        (Operand::Column(l), Operand::Const(r)) => {
            Box::new(move |slots, _| accepts.values(&l.read(slots), &r))
        }
        (Operand::Const(l), Operand::Column(r)) => {
            Box::new(move |slots, _| accepts.values(&l, &r.read(slots)))
        }
        (Operand::Column(l), Operand::Column(r)) => {
            Box::new(move |slots, _| accepts.values(&l.read(slots), &r.read(slots)))
        }
        (l, r) => Box::new(move |slots, ix| accepts.values(&l.get(slots, ix), &r.get(slots, ix))),
    }
}

/// The orderings a comparison operator accepts, one bit each.
#[derive(Clone, Copy)]
pub(super) struct Accepts(u8, bool);

impl Accepts {
    pub(super) fn of(op: CmpOp) -> Self {
        const LESS: u8 = 1;
        const EQUAL: u8 = 2;
        const GREATER: u8 = 4;
        let bits = match op {
            CmpOp::Eq => EQUAL,
            CmpOp::Ne => LESS | GREATER,
            CmpOp::Lt => LESS,
            CmpOp::Le => LESS | EQUAL,
            CmpOp::Gt => GREATER,
            CmpOp::Ge => GREATER | EQUAL,
        };
        Accepts(bits, !matches!(op, CmpOp::Eq | CmpOp::Ne))
    }

    /// `l op r` on two values: nil when either is nil, they do not compare,
    /// or the operator orders and they have no order (JSON documents).
    #[inline]
    pub(super) fn values(self, l: &Value, r: &Value) -> Option<bool> {
        if self.1 && !(l.is_ordered() && r.is_ordered()) {
            return None;
        }
        self.test(l.compare(r))
    }

    /// Whether `ordering` is accepted.
    #[inline]
    pub(super) fn ordering(self, ordering: Ordering) -> bool {
        self.0 & (1 << (ordering as i8 + 1)) != 0
    }

    /// Whether `ordering` is accepted; nil when there is none.
    #[inline]
    pub(super) fn test(self, ordering: Option<Ordering>) -> Option<bool> {
        ordering.map(|o| self.ordering(o))
    }
}

/// `x in list`.
fn is_in<'a>(x: Operand<'a>, list: Rc<InList>) -> Cond<'a> {
    let miss = list.miss();
    match x {
        // A long list of the column's own type: probed with the typed value.
        Operand::Column(c) if c.is_int() && list.int_set().is_some() => {
            Box::new(move |slots, _| {
                let set = list.int_set()?;
                Some(set.contains(&c.int(slots)?))
                    .filter(|&found| found)
                    .or(miss)
            })
        }
        Operand::Column(c) if c.ty == ValueType::Uuid && list.uuid_set().is_some() => {
            Box::new(move |slots, _| {
                let set = list.uuid_set()?;
                Some(set.contains(&c.uuid(slots)?))
                    .filter(|&found| found)
                    .or(miss)
            })
        }
        Operand::Column(c) => Box::new(move |slots, _| list.contains(&c.read(slots))),
        x => Box::new(move |slots, ix| list.contains(&x.get(slots, ix))),
    }
}

/// Arithmetic with nil semantics: nil in, integer overflow or division by zero
/// give nil, and so does a float result that is NaN (`inf - inf`, `inf * 0`),
/// as SQLite gives it and the PostgreSQL layer writes it.
fn arith(op: ArithOp, l: &Value, r: &Value) -> Value {
    match (l, r) {
        (Value::Int(a), Value::Int(b)) => {
            let v = match op {
                ArithOp::Add => a.checked_add(*b),
                ArithOp::Sub => a.checked_sub(*b),
                ArithOp::Mul => a.checked_mul(*b),
                ArithOp::Div => a.checked_div(*b),
            };
            v.map_or(Value::Null, Value::Int)
        }
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            let (a, b) = (as_f64(l), as_f64(r));
            let v = match op {
                ArithOp::Add => a + b,
                ArithOp::Sub => a - b,
                ArithOp::Mul => a * b,
                ArithOp::Div if b == 0.0 => return Value::Null,
                ArithOp::Div => a / b,
            };
            if v.is_nan() {
                Value::Null
            } else {
                Value::Float(v)
            }
        }
        _ => Value::Null,
    }
}

fn as_f64(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        _ => f64::NAN,
    }
}
