//! Evaluating a scope on a batch of rows at once, for a scope whose bindings
//! all reach at most one record (one combination of bindings per row): the
//! rows go through in chunks of [`CHUNK`]; each column the expression reads is
//! read for a whole chunk in one call ([`Table::ints`] and its kin, one dynamic
//! call per column, not per value), each to-one hop is a column of keys probed
//! in the destination's primary-key index, and each comparison or `in` is a
//! loop over typed columns (`loops`). A column read twice (a key the expression
//! tests and a hop follows) is read once per chunk, and a guard's `key in ^ids`
//! on the key a hop follows finds the hop's rows in the same lookup (`fused`).
//! The buffers of one chunk are reused for the next. A `parent(..)` is one
//! value for the call, or, for rows each tested for its own source row
//! (`Batch::eval_per_parent`), a column read from those source rows
//! (`parents`). Planning a node is in `plan`.
//!
//! `and`/`or` keep a selection of the rows still undecided: the right operand
//! is evaluated only on rows the left one did not decide (false for `and`,
//! true for `or`). Columns and hops are computed for the whole chunk on first
//! use; evaluation has no effects, so computing more than needed changes no
//! result. The scope's guard (its conjuncts that read no binding) goes first;
//! when it leaves fewer than a third of a chunk's rows undecided, those rows'
//! bindings are found row by row, so a selective `key in ^ids` does not pay
//! for every row's hop.
//!
//! The semantics are those of `eval`'s module doc, as the row-at-a-time
//! closures (`lower`) compute them. An expression with a node this module does
//! not handle (arithmetic, `exists`) has no batch plan; its scope is evaluated
//! row by row.

use std::borrow::Cow;
use std::rc::Rc;
use uuid::Uuid;

use super::list::InList;
use super::lower::{Accepts, as_truth};
use fused::Fused;
use parents::PerParent;
use plan::{plan, read};

mod fused;
mod loops;
mod parents;
mod plan;

use super::{Binding, Index, KeyIndex, Node, ParentColumn, Scope};
use crate::data_layer::store::Table;
use crate::value::{Value, ValueType};
use loops::{each, is_in, probe};

/// How many rows are evaluated together.
pub(crate) const CHUNK: usize = 512;

/// "No record" in a binding's column of rows: past the end of every table, so
/// every read of it is nil.
const NO_ROW: usize = usize::MAX;

/// Truth codes: false, true, nil.
const FALSE: u8 = 0;
pub(super) const TRUE: u8 = 1;
const NIL: u8 = 2;

fn code(truth: Option<bool>) -> u8 {
    match truth {
        Some(true) => TRUE,
        Some(false) => FALSE,
        None => NIL,
    }
}

/// The truth a code stands for.
pub(super) fn decode(code: u8) -> Option<bool> {
    match code {
        TRUE => Some(true),
        FALSE => Some(false),
        _ => None,
    }
}

/// How a column is read: as integers, UUIDs or values.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Ints,
    Uuids,
    Values,
}

impl Kind {
    /// How a column of type `ty` is read.
    pub(super) fn of(ty: ValueType) -> Kind {
        match ty {
            ValueType::I16 | ValueType::I32 | ValueType::I64 => Kind::Ints,
            ValueType::Uuid => Kind::Uuids,
            _ => Kind::Values,
        }
    }
}

/// An attribute of the records of a slot, read per chunk.
struct Read<'a> {
    slot: usize,
    table: &'a dyn Table,
    attr: usize,
    kind: Kind,
}

/// A condition over a chunk; columns are positions in `Batch::reads`.
enum Plan {
    Const(u8),
    /// A boolean column's truth.
    Truth(usize),
    IsNil(usize),
    Cmp(Accepts, Operand, Operand),
    In(usize, Rc<InList>),
    /// An `in` fused with the hop its column keys (`fused`).
    Fused(Box<Fused>),
    And(Box<Plan>, Box<Plan>),
    Or(Box<Plan>, Box<Plan>),
    Not(Box<Plan>),
}

enum Operand {
    Const(Value),
    Column(usize),
    /// `parent(x)`: a position in `Batch::parents`, read once per call of
    /// `Batch::eval` (the source row it reads is the same for every row), or
    /// per row from a column of source rows (`Batch::eval_per_parent`).
    Parent(usize),
}

/// The leaves a plan reads: columns of the chunk's slots, and attributes of
/// the source row of the `no_attributes` hop being tested.
#[derive(Default)]
struct Leaves<'a> {
    reads: Vec<Read<'a>>,
    parents: Vec<ParentColumn<'a>>,
}

/// A scope's expression, planned for batches.
pub(super) struct Batch<'a> {
    /// The distinct columns read.
    reads: Vec<Read<'a>>,
    /// The `parent(..)` attributes read, each once per call of `eval`.
    parents: Vec<ParentColumn<'a>>,
    /// Per binding: the column of its keys in its parent slot, when the hop is
    /// a probe of a primary-key index (else each row's hop is `Step::one`).
    keys: Vec<Option<usize>>,
    /// The conjuncts that read no binding (`Scope::guard`), tried first.
    guard: Option<Plan>,
    node: Plan,
}

impl<'a> Batch<'a> {
    /// The plan of `guard and node` over rows with `bindings` (all to-one),
    /// `None` when the expression holds a node batches do not handle.
    pub(super) fn new(
        bindings: &[Binding<'a>],
        guard: Option<&Node<'a>>,
        node: &Node<'a>,
        ix: &[Index<'a>],
    ) -> Option<Self> {
        let mut leaves = Leaves::default();
        let mut keys = Vec::with_capacity(bindings.len());
        for binding in bindings {
            let step = &binding.step;
            let kind = match &ix[step.dest_index] {
                Index::Primary(KeyIndex::Ints(_)) => Some(Kind::Ints),
                Index::Primary(KeyIndex::Uuids(_)) => Some(Kind::Uuids),
                Index::Primary(KeyIndex::Values(_)) => Some(Kind::Values),
                Index::Built { .. } => None,
            };
            keys.push(match (kind, &step.join) {
                (Some(kind), None) => Some(read(
                    &mut leaves.reads,
                    binding.parent,
                    step.source_table,
                    step.source_attr,
                    kind,
                )),
                _ => None,
            });
        }
        let guard = match guard {
            Some(guard) => {
                let mut guard = plan(&mut leaves, guard)?;
                fused::fuse(&mut guard, &keys, bindings, ix);
                Some(guard)
            }
            None => None,
        };
        let node = plan(&mut leaves, node)?;
        Some(Batch {
            reads: leaves.reads,
            parents: leaves.parents,
            keys,
            guard,
            node,
        })
    }

    /// Gives `emit` the truth of `scope`'s expression (this plan's) on each of
    /// `rows` (rows of slot 0's table) as codes (`decode`), a chunk at a time,
    /// in order. When the guard leaves few rows
    /// of a chunk undecided, their bindings are found row by row (`Scope::bound`)
    /// rather than a whole chunk's: `key in ^ids` keeping 10 parents' rows of
    /// 100,000 would otherwise follow every row's hop.
    pub(super) fn eval(
        &self,
        scope: &Scope<'a>,
        ix: &[Index<'a>],
        rows: &[usize],
        emit: &mut dyn FnMut(&[u8]),
    ) {
        self.run(scope, ix, rows, None, emit);
    }

    /// [`Batch::eval`] with each row's own `parent(..)`: `parents[i]` the
    /// source row (of the `no_attributes` hop this scope is a condition of)
    /// that row `rows[i]` is tested for, each `parent(x)` then a column read
    /// from those rows, a chunk at a time. Only for a scope without
    /// bindings (`parents::per_parent`), whose plan reads no closure.
    pub(super) fn eval_per_parent(
        &self,
        scope: &Scope<'a>,
        ix: &[Index<'a>],
        rows: &[usize],
        parents: &[usize],
        emit: &mut dyn FnMut(&[u8]),
    ) {
        debug_assert!(scope.bindings.is_empty() && rows.len() == parents.len());
        self.run(scope, ix, rows, Some(parents), emit);
    }

    fn run(
        &self,
        scope: &Scope<'a>,
        ix: &[Index<'a>],
        rows: &[usize],
        per_parent: Option<&[usize]>,
        emit: &mut dyn FnMut(&[u8]),
    ) {
        let n = CHUNK.min(rows.len());
        let slots = scope.bindings.len() + 1;
        // One set of buffers for every chunk.
        let mut state = Chunk {
            batch: self,
            bindings: &scope.bindings,
            ix,
            slots: vec![Vec::new(); slots],
            ready: vec![false; slots],
            cols: (0..self.reads.len()).map(|_| Col::Unread).collect(),
            read: vec![false; self.reads.len()],
            parents: match per_parent {
                Some(_) => Vec::new(),
                None => self.parents.iter().map(ParentColumn::read).collect(),
            },
            per_parent: per_parent.map(|_| PerParent::new(self.parents.len())),
        };
        let mut codes = Vec::with_capacity(n);
        let mut node = Vec::with_capacity(n);
        let mut all: Vec<u32> = Vec::with_capacity(n);
        let mut rest: Vec<u32> = Vec::with_capacity(n);
        for (i, chunk) in rows.chunks(CHUNK).enumerate() {
            state.start(chunk);
            if let (Some(parents), Some(per)) = (per_parent, &mut state.per_parent) {
                per.start(&parents[i * CHUNK..][..chunk.len()]);
            }
            all.clear();
            all.extend(0..chunk.len() as u32);
            codes.clear();
            codes.resize(chunk.len(), NIL);
            let Some(guard) = &self.guard else {
                state.eval(&self.node, &all, &mut codes);
                emit(&codes);
                continue;
            };
            state.eval(guard, &all, &mut codes);
            rest.clear();
            rest.extend(all.iter().copied().filter(|&p| codes[p as usize] != FALSE));
            if rest.len() * SPARSE < chunk.len() {
                for &p in &rest {
                    let p = p as usize;
                    codes[p] = and(codes[p], code(scope.bound(chunk[p], ix)));
                }
            } else {
                node.clear();
                node.resize(chunk.len(), NIL);
                state.eval(&self.node, &rest, &mut node);
                if rest.len() == codes.len() {
                    for (c, n) in codes.iter_mut().zip(&node) {
                        *c = and(*c, *n);
                    }
                } else {
                    for &p in &rest {
                        let p = p as usize;
                        codes[p] = and(codes[p], node[p]);
                    }
                }
            }
            emit(&codes);
        }
    }
}

/// A chunk whose guard leaves fewer than one row in this many undecided has
/// its bindings found row by row: a batch reads every row's columns and hops,
/// about a third of what the closures spend on a row.
const SPARSE: usize = 3;

/// Kleene's `and` of `a` (true or nil) and `b`.
fn and(a: u8, b: u8) -> u8 {
    match (a, b) {
        (_, FALSE) => FALSE,
        (TRUE, TRUE) => TRUE,
        _ => NIL,
    }
}

/// A column read for a chunk, one entry per row of the chunk.
pub(super) enum Col {
    Unread,
    Ints(Vec<Option<i64>>),
    Uuids(Vec<Option<Uuid>>),
    Values(Vec<Value>),
}

impl Col {
    /// Reads attribute `attr` of `rows` of `table`, as `kind` says, into it
    /// (its buffer reused when it was read the same way before).
    pub(super) fn read(&mut self, kind: Kind, table: &dyn Table, rows: &[usize], attr: usize) {
        match (kind, &mut *self) {
            (Kind::Ints, Col::Ints(out)) => {
                out.clear();
                table.ints(rows, attr, out);
            }
            (Kind::Uuids, Col::Uuids(out)) => {
                out.clear();
                table.uuids(rows, attr, out);
            }
            (Kind::Values, Col::Values(out)) => {
                out.clear();
                table.values(rows, attr, out);
            }
            (kind, col) => {
                *col = match kind {
                    Kind::Ints => Col::Ints(Vec::with_capacity(rows.len())),
                    Kind::Uuids => Col::Uuids(Vec::with_capacity(rows.len())),
                    Kind::Values => Col::Values(Vec::with_capacity(rows.len())),
                };
                self.read(kind, table, rows, attr);
            }
        }
    }

    /// The value at position `p` (nil when unread).
    fn value(&self, p: usize) -> Cow<'_, Value> {
        match self {
            Col::Unread => Cow::Owned(Value::Null),
            Col::Ints(v) => Cow::Owned(v[p].map_or(Value::Null, Value::Int)),
            Col::Uuids(v) => Cow::Owned(v[p].map_or(Value::Null, Value::Uuid)),
            Col::Values(v) => Cow::Borrowed(&v[p]),
        }
    }
}

/// The evaluation of a plan on one chunk, with buffers kept from chunk to
/// chunk.
struct Chunk<'s, 'a> {
    batch: &'s Batch<'a>,
    bindings: &'s [Binding<'a>],
    ix: &'s [Index<'a>],
    /// Per slot: its row for each row of the chunk (`NO_ROW` when none), once
    /// `ready`.
    slots: Vec<Vec<usize>>,
    ready: Vec<bool>,
    /// Per read: the column, once `read`.
    cols: Vec<Col>,
    read: Vec<bool>,
    /// The value of each of `Batch::parents`, read when the call began.
    parents: Vec<Value>,
    /// With a source row per row (`Batch::eval_per_parent`): their columns.
    per_parent: Option<PerParent>,
}

impl Chunk<'_, '_> {
    /// Starts on the rows of `chunk`: slot 0's, nothing else computed.
    fn start(&mut self, chunk: &[usize]) {
        self.slots[0].clear();
        self.slots[0].extend_from_slice(chunk);
        self.ready.fill(false);
        self.ready[0] = true;
        self.read.fill(false);
    }

    /// Computes the rows of slot `s` unless computed.
    fn slot(&mut self, s: usize) {
        if !self.ready[s] {
            let mut rows = std::mem::take(&mut self.slots[s]);
            rows.clear();
            self.hop(s, &mut rows);
            self.slots[s] = rows;
            self.ready[s] = true;
        }
    }

    /// Appends to `rows` the rows binding `s - 1` reaches from its parent's.
    fn hop(&mut self, s: usize, rows: &mut Vec<usize>) {
        let Some(binding) = s.checked_sub(1).and_then(|k| self.bindings.get(k)) else {
            return;
        };
        let (step, ix) = (&binding.step, self.ix);
        let probed = match (self.batch.keys[s - 1], &ix[step.dest_index]) {
            (Some(key), Index::Primary(index)) => {
                self.col(key);
                match (index, &self.cols[key]) {
                    (KeyIndex::Ints(map), Col::Ints(keys)) => probe(keys, rows, |k| map.get(k)),
                    (KeyIndex::Uuids(map), Col::Uuids(keys)) => {
                        probe(keys, rows, |k| map.get(&k.as_u128()))
                    }
                    // Finds nothing for nil.
                    (index, Col::Values(keys)) => {
                        rows.extend(keys.iter().map(|k| index.get(k).copied().unwrap_or(NO_ROW)));
                        true
                    }
                    _ => false,
                }
            }
            _ => false,
        };
        if !probed {
            // Not a probe of a primary-key index: each row's own hop, which
            // checks the hop's conditions itself.
            self.slot(binding.parent);
            let parents = &self.slots[binding.parent];
            rows.extend(parents.iter().map(|&p| match p {
                NO_ROW => NO_ROW,
                p => step.one(p, ix).unwrap_or(NO_ROW),
            }));
            return;
        }
        if !step.conditions.is_empty() {
            for r in rows.iter_mut().filter(|r| **r != NO_ROW) {
                if !step.conditions.iter().all(|c| c.eval(*r, ix) == Some(true)) {
                    *r = NO_ROW;
                }
            }
        }
    }

    /// Reads column `id` unless read.
    fn col(&mut self, id: usize) {
        if self.read[id] {
            return;
        }
        let read = &self.batch.reads[id];
        let (table, attr, kind) = (read.table, read.attr, read.kind);
        self.slot(read.slot);
        self.cols[id].read(kind, table, &self.slots[read.slot], attr);
        self.read[id] = true;
    }

    fn operand(&mut self, operand: &Operand) {
        match operand {
            Operand::Column(id) => self.col(*id),
            Operand::Parent(i) => {
                if let Some(per) = &mut self.per_parent {
                    per.col(&self.batch.parents[*i], *i);
                }
            }
            Operand::Const(_) => {}
        }
    }

    /// The column an operand reads for the chunk's rows: an attribute's, or
    /// a `parent(..)` read per row.
    fn column(&self, operand: &Operand) -> Option<&Col> {
        match (operand, &self.per_parent) {
            (Operand::Column(id), _) => Some(&self.cols[*id]),
            (Operand::Parent(i), Some(per)) => Some(per.get(*i)),
            _ => None,
        }
    }

    fn value<'o>(&'o self, operand: &'o Operand, p: usize) -> Cow<'o, Value> {
        match self.column(operand) {
            Some(col) => col.value(p),
            None => Cow::Borrowed(self.constant(operand).unwrap_or(&Value::Null)),
        }
    }

    /// The value of an operand that is the same on every row: a constant,
    /// or a `parent(..)` (as read when the call began) unless read per row.
    fn constant<'o>(&'o self, operand: &'o Operand) -> Option<&'o Value> {
        match operand {
            Operand::Const(v) => Some(v),
            Operand::Parent(i) if self.per_parent.is_none() => Some(&self.parents[*i]),
            Operand::Parent(_) | Operand::Column(_) => None,
        }
    }

    /// Writes the truth of `plan` on each position of `sel` into `out`.
    fn eval(&mut self, plan: &Plan, sel: &[u32], out: &mut [u8]) {
        match plan {
            Plan::Const(c) => sel.iter().for_each(|&p| out[p as usize] = *c),
            Plan::Truth(id) => {
                self.col(*id);
                let col = &self.cols[*id];
                for &p in sel {
                    out[p as usize] = code(as_truth(&col.value(p as usize)));
                }
            }
            Plan::IsNil(id) => {
                self.col(*id);
                let col = &self.cols[*id];
                for &p in sel {
                    let p = p as usize;
                    let nil = match col {
                        Col::Unread => true,
                        Col::Ints(v) => v[p].is_none(),
                        Col::Uuids(v) => v[p].is_none(),
                        Col::Values(v) => v[p].is_null(),
                    };
                    out[p] = code(Some(nil));
                }
            }
            Plan::Cmp(accepts, l, r) => {
                self.operand(l);
                self.operand(r);
                self.compare(*accepts, l, r, sel, out);
            }
            Plan::In(id, list) => {
                self.col(*id);
                is_in(&self.cols[*id], list, sel, out);
            }
            Plan::Fused(f) => self.fused(f, sel, out),
            Plan::And(l, r) => self.connect(l, r, FALSE, sel, out),
            Plan::Or(l, r) => self.connect(l, r, TRUE, sel, out),
            Plan::Not(e) => {
                self.eval(e, sel, out);
                for &p in sel {
                    let c = &mut out[p as usize];
                    *c = match *c {
                        TRUE => FALSE,
                        FALSE => TRUE,
                        nil => nil,
                    };
                }
            }
        }
    }

    /// Kleene's `and` (`decides` false) or `or` (`decides` true): `r` is
    /// evaluated only where `l` is not `decides`.
    fn connect(&mut self, l: &Plan, r: &Plan, decides: u8, sel: &[u32], out: &mut [u8]) {
        self.eval(l, sel, out);
        let rest: Vec<u32> = sel
            .iter()
            .copied()
            .filter(|&p| out[p as usize] != decides)
            .collect();
        if rest.is_empty() {
            return;
        }
        let mut right = vec![NIL; out.len()];
        self.eval(r, &rest, &mut right);
        // Where `l` is not `decides`: `r`'s `decides` decides; both the other
        // truth make it; anything else is nil.
        let other = if decides == TRUE { FALSE } else { TRUE };
        for &p in &rest {
            let p = p as usize;
            out[p] = match (out[p], right[p]) {
                (_, b) if b == decides => decides,
                (a, b) if a == other && b == other => other,
                _ => NIL,
            };
        }
    }
}
