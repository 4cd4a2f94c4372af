//! The filter evaluator of the in-memory data layer: compiles an [`Expr`] against a
//! resource's schema once per read (names resolved to indices, so an unknown name
//! fails before any row is scanned), then evaluates it on rows of the stored tables.
//!
//! Semantics (those documented in `crate::expr`):
//! - SQL three-valued logic: conditions evaluate to `Option<bool>` (`None` is nil),
//!   values to [`Value`] (`Value::Null` is nil). A comparison with a nil operand, or
//!   of values [`Value::compare`] cannot order, is nil; `==`/`!=` compare through
//!   `Value::compare` too, so `1 == 1.0`. `x in [..]` is nil when `x` is nil, true
//!   when an element equals `x`, else nil when the list holds a nil, else false.
//!   Arithmetic with a nil operand is nil; integers stay integers (an overflow is
//!   nil), a float operand makes a float, division by zero is nil and integer
//!   division truncates. `and`/`or`/`not` are Kleene's. `is_nil(e)` is true iff the
//!   value of `e` is nil (a condition used as a value is nil when unknown).
//!   Text functions are nil when an operand is nil or not text, and compute
//!   what `crate::expr::text` defines (`like` patterns parsed once per read).
//! - An attribute reached through relationships (`Attr { path, .. }`) reads the
//!   related record. Every distinct path prefix used in an expression (outside
//!   `exists`) is one *binding*: a choice of one related record for that prefix,
//!   made among the records related to the prefix's parent binding. All references
//!   through the same prefix read the same record. The expression is evaluated for
//!   each combination of bindings; it is true if some combination makes it true,
//!   else nil if some combination makes it nil, else false. A prefix with no
//!   related record (or whose parent is absent) binds to an all-nil record, the
//!   view of a LEFT JOIN.
//!   A has_one that may reach several records relates only the first it
//!   sees (`first`), in paths, `exists` and aggregates alike.
//! - An aggregate is its value (`expr::Aggregate`) for the record of its
//!   slot (nil when the slot holds none); a sum past `i64` is nil here.
//! - `exists(path, e)` reaches the records through `path` from the record the
//!   expression is on (no all-nil record) and is true when `e`, evaluated on one of
//!   them with its own bindings, is true; otherwise false, never nil.
//!
//! - Visibility (`ReadRequest::visibility`): a record of a resource with a
//!   visibility condition exists for a read only when the condition is true on
//!   it. The read's root records must satisfy it (a condition of its own, not
//!   sharing bindings with the filter), and so must every record a relationship
//!   hop reaches (to-one and to-many paths, `exists`, the relationship's
//!   `filter` option's own paths) and every join record a many_to_many hop goes
//!   through: a hidden related record is as if it did not exist. A visibility
//!   condition's own paths are not scoped (they see every stored record, subject
//!   only to relationship filters), so a record's visibility depends on the
//!   record alone, never on the path that reached it, and compiling cannot
//!   recurse without end.
//!
//! Relationships are followed through hash indexes built lazily, once per read and
//! per (table, attribute), each value's rows laid out contiguously (`groups`); a
//! destination keyed by its primary key uses the table's primary-key index. A filter through a to-one relationship is thus O(rows).
//!
//! An aggregate of one hop through such an index (a has_many by key, a hop
//! linked by a condition with a key conjunct) is computed for every record
//! it is asked for in one pass over the destination in row order (`grouped`),
//! each destination row counted or gathered for the source record its key
//! finds; any other aggregate record by record (`aggregate`).
//!
//! A read evaluates its filter on batches of rows (`Filter::matching`): a scope
//! whose bindings all reach at most one record is evaluated a chunk of rows at
//! a time over typed columns (`batch`); any other scope, and any expression
//! with a node batches do not handle, row by row through closures (`lower`).
//! Both compute the semantics above; the tests compare them on every
//! expression they try.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::rc::Rc;

use super::Visibility;
use crate::data_layer::store::Table;
use crate::error::Result;
use crate::expr::text::Pattern;
use crate::expr::{ArithOp, CmpOp, Expr, Func, TextOp};
use crate::resource::Schema;
use crate::value::{Value, ValueType};

mod aggregate;
mod batch;
mod compile;
mod first;
mod grouped;
mod groups;
mod keys;
mod linked;
mod list;
mod lower;
mod sorting;
mod text;

pub(crate) use aggregate::Aggregates;
use batch::Batch;
pub(crate) use batch::CHUNK;
use compile::Compiler;
use first::FirstBy;
#[cfg(test)]
pub(crate) use grouped::TESTED;
pub(crate) use keys::KeyIndex;
use linked::{ParentColumn, ParentLink};
use list::InList;
use lower::{Column, Cond};
pub(crate) use sorting::SortValues;

/// Where the evaluator finds the tables of the resources a filter reaches.
pub(crate) trait Tables {
    /// The table of `schema`, if registered.
    fn table(&self, schema: &Schema) -> Option<&dyn Table>;
    /// The index from primary-key value to row of `schema`'s table.
    fn primary_index(&self, schema: &Schema) -> Option<&KeyIndex>;
}

/// A compiled filter over the rows of one table: the conditions (each a scope
/// with its own bindings) that must all hold.
pub(crate) struct Filter<'a> {
    scopes: Vec<Scope<'a>>,
    indexes: Vec<Index<'a>>,
}

impl<'a> Filter<'a> {
    /// The conditions on the records of a read of `schema`: `expr`, and
    /// `visibility`'s condition on `schema`, with `visibility` applied at every
    /// relationship hop of `expr`. `None` when there is neither. Resolves every
    /// name against `schema` and the schemas the paths reach: unknown names are
    /// `InvalidQuery`, unregistered resources `NotRegistered`.
    pub(crate) fn compile(
        schema: &'static Schema,
        expr: Option<&Expr>,
        visibility: &Visibility,
        tables: &'a dyn Tables,
    ) -> Result<Option<Filter<'a>>> {
        let mut compiler = Compiler::new(schema, tables, visibility.clone());
        let mut scopes = Vec::new();
        if let Some(expr) = expr {
            expr.check_depth(schema.name, &"the filter")?;
            compiler.restriction = grouped::Restriction::compile(&mut compiler, schema, expr)?;
            scopes.push(compiler.scope(schema, expr)?);
            compiler.restriction = None;
        }
        scopes.extend(compiler.visible_root(schema)?);
        Ok(Filter::of(scopes, compiler))
    }

    /// `visibility`'s condition on the records of `schema`, met by a read of
    /// `root` (errors name `root`, as for its filter). `None` when there is none.
    pub(crate) fn visible(
        root: &'static Schema,
        schema: &'static Schema,
        visibility: &Visibility,
        tables: &'a dyn Tables,
    ) -> Result<Option<Filter<'a>>> {
        let mut compiler = Compiler::new(root, tables, visibility.clone());
        let scopes = compiler.visible(schema)?.into_iter().collect();
        Ok(Filter::of(scopes, compiler))
    }

    /// `visibility`'s condition on `schema`, evaluated on the records of
    /// `rows`: records of `schema` that are not in its table (what a manual
    /// loader returned), each judged by its own content. Its paths read the
    /// records of `tables`. `None` when there is no condition.
    pub(crate) fn visible_in(
        schema: &'static Schema,
        rows: &'a dyn Table,
        visibility: &Visibility,
        tables: &'a dyn Tables,
    ) -> Result<Option<Filter<'a>>> {
        let mut compiler = Compiler::new(schema, tables, visibility.clone());
        let scopes = compiler
            .visible_on(schema, Some(rows))?
            .into_iter()
            .collect();
        Ok(Filter::of(scopes, compiler))
    }

    fn of(scopes: Vec<Scope<'a>>, compiler: Compiler<'a>) -> Option<Filter<'a>> {
        (!scopes.is_empty()).then(|| Filter {
            scopes,
            indexes: compiler.indexes,
        })
    }

    /// Whether row `row` of the root table makes every condition true.
    pub(crate) fn matches(&self, row: usize) -> bool {
        self.scopes
            .iter()
            .all(|s| s.eval(row, &self.indexes) == Some(true))
    }

    /// Appends to `kept` the positions in `rows` (rows of the root table) of
    /// the rows that make every condition true, in order: [`Filter::matches`]
    /// on each, each condition evaluated on a batch of rows at a time where it
    /// can be (`batch`). Best with `rows` of about [`CHUNK`] rows.
    pub(crate) fn matching(&self, rows: &[usize], kept: &mut Vec<usize>) {
        if let [scope] = &self.scopes[..] {
            scope.keep_all(rows, &self.indexes, kept);
            return;
        }
        // The rows still passing, and their positions in `rows`.
        let mut live = rows.to_vec();
        let mut at: Vec<usize> = (0..rows.len()).collect();
        let mut truths = Vec::with_capacity(rows.len());
        for scope in &self.scopes {
            if live.is_empty() {
                break;
            }
            truths.clear();
            scope.eval_all(&live, &self.indexes, &mut truths);
            let mut still = 0;
            for i in 0..live.len() {
                if truths[i] == Some(true) {
                    live[still] = live[i];
                    at[still] = at[i];
                    still += 1;
                }
            }
            live.truncate(still);
            at.truncate(still);
        }
        kept.extend(at);
    }

    /// The truth of the conditions (Kleene's `and`) on each of `rows`, as
    /// batches find it, and whether every condition has a batch plan.
    #[cfg(test)]
    pub(crate) fn eval_batched(&self, rows: &[usize]) -> (Vec<Option<bool>>, bool) {
        let mut result = vec![Some(true); rows.len()];
        let mut truths = Vec::new();
        for scope in &self.scopes {
            truths.clear();
            scope.eval_all(rows, &self.indexes, &mut truths);
            for (r, t) in result.iter_mut().zip(&truths) {
                *r = match (*r, *t) {
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                };
            }
        }
        (result, self.scopes.iter().all(|s| s.batch.is_some()))
    }

    /// The truth of the conditions (Kleene's `and`) on row `row` (`None` is nil).
    #[cfg(test)]
    pub(crate) fn eval(&self, row: usize) -> Option<bool> {
        let mut result = Some(true);
        for scope in &self.scopes {
            match scope.eval(row, &self.indexes) {
                Some(false) => return Some(false),
                None => result = None,
                Some(true) => {}
            }
        }
        result
    }
}

/// The rows of the destination of `relationship` (of `source`) related to
/// each of `rows` (rows of `source`'s table), in table order, with
/// `visibility` at the hop and in the relationship's filter: how a memory
/// read partitioned by a `no_attributes` relationship links its rows. Errors
/// name `root`, the resource read.
pub(crate) fn related_rows(
    root: &'static Schema,
    source: &'static Schema,
    relationship: &str,
    rows: &[usize],
    visibility: &Visibility,
    tables: &dyn Tables,
) -> Result<Vec<Vec<usize>>> {
    let mut compiler = Compiler::new(root, tables, visibility.clone());
    let (mut step, _) = compiler.step(source, None, relationship)?;
    // Every related row: the load windows them by its own sort.
    step.first_by = None;
    let indexes = compiler.indexes;
    Ok(rows
        .iter()
        .map(|&row| step.related(row, &indexes).into_owned())
        .collect())
}

/// A lookup from an attribute's value to the rows holding it.
enum Index<'a> {
    /// The primary-key index the store keeps.
    Primary(&'a KeyIndex),
    /// Built on first use.
    Built {
        table: &'a dyn Table,
        attr: usize,
        /// The attribute's type: every value is of it, or nil.
        ty: ValueType,
        map: OnceCell<groups::RowGroups>,
    },
}

impl Index<'_> {
    fn rows(&self, key: &Value) -> &[usize] {
        match self {
            Index::Primary(map) => map.get(key).map_or(&[], std::slice::from_ref),
            Index::Built {
                table,
                attr,
                ty,
                map,
            } => built(map, *table, *attr, *ty).get(key),
        }
    }
}

/// The groups of a built index (`Index::Built`), built now unless built.
fn built<'m>(
    map: &'m OnceCell<groups::RowGroups>,
    table: &dyn Table,
    attr: usize,
    ty: ValueType,
) -> &'m groups::RowGroups {
    map.get_or_init(|| groups::RowGroups::of_column(table, attr, ty))
}

/// One relationship hop, from rows of a source table to rows of a destination.
struct Step<'a> {
    /// Whether it reaches at most one record from each source record
    /// ([`RelationshipInfo::reaches_at_most_one`]: it links straight to the
    /// destination's primary key), so a binding through it needs no enumeration.
    ///
    /// [`RelationshipInfo::reaches_at_most_one`]: crate::resource::RelationshipInfo::reaches_at_most_one
    to_one: bool,
    source_table: &'a dyn Table,
    source_attr: usize,
    /// many_to_many: the join table and how it is crossed.
    join: Option<JoinStep<'a>>,
    /// Index (into `Filter::indexes`) of the destination attribute.
    dest_index: usize,
    /// What a destination record must satisfy to be related: the relationship's
    /// own `filter` option (a path sees only the records a load of the
    /// relationship would) and the destination's visibility condition.
    conditions: Vec<Scope<'a>>,
    /// A `no_attributes` relationship: no key links the records, its filter
    /// (among `conditions`) does, reading the source row through `row`.
    parent: Option<ParentLink<'a>>,
    /// A has_one (or belongs_to) that may reach several records
    /// (`sort_path::first_by`): how the one it reaches is picked among those
    /// that meet `conditions`.
    first_by: Option<FirstBy<'a>>,
}

/// The join table of a many_to_many hop.
struct JoinStep<'a> {
    table: &'a dyn Table,
    /// Index (into `Filter::indexes`) of its source-side attribute.
    source_index: usize,
    /// Its destination-side attribute.
    dest_attr: usize,
    /// The join resource's visibility condition: a hidden join record links
    /// nothing.
    visible: Option<Scope<'a>>,
}

impl<'a> Step<'a> {
    /// The destination row related to source row `row`, if any, for a hop that
    /// reaches at most one record (`to_one`): what `related` gives, without
    /// collecting it.
    #[inline]
    fn one(&self, row: usize, indexes: &[Index<'a>]) -> Option<usize> {
        if self.parent.is_some() {
            return self.related(row, indexes).first().copied();
        }
        let key = self.source_table.get(row, self.source_attr);
        let r = match &indexes[self.dest_index] {
            // Finds nothing for nil.
            Index::Primary(map) => *map.get(&key)?,
            built if !key.is_null() => *built.rows(&key).first()?,
            _ => return None,
        };
        self.conditions
            .iter()
            .all(|c| c.eval(r, indexes) == Some(true))
            .then_some(r)
    }

    /// The destination rows related to source row `row`: the first alone
    /// for a hop that picks one (`first_by`).
    fn related<'i>(&self, row: usize, indexes: &'i [Index<'a>]) -> Cow<'i, [usize]> {
        let rows = self.every_related(row, indexes);
        match &self.first_by {
            None => rows,
            Some(by) => Cow::Owned(by.first(&rows).into_iter().collect()),
        }
    }

    /// Every destination row related to source row `row`.
    fn every_related<'i>(&self, row: usize, indexes: &'i [Index<'a>]) -> Cow<'i, [usize]> {
        if let Some(parent) = &self.parent {
            return Cow::Owned(self.related_to_parent(parent, row, indexes));
        }
        let rows = self.linked(row, indexes);
        if self.conditions.is_empty() {
            return rows;
        }
        Cow::Owned(self.meeting_conditions(&rows, indexes))
    }

    /// The destination rows linked to source row `row` by key.
    fn linked<'i>(&self, row: usize, indexes: &'i [Index<'a>]) -> Cow<'i, [usize]> {
        let key = self.source_table.get(row, self.source_attr);
        if key.is_null() {
            return Cow::Borrowed(&[]);
        }
        let dest = &indexes[self.dest_index];
        match &self.join {
            None => Cow::Borrowed(dest.rows(&key)),
            Some(join) => {
                let mut out = Vec::new();
                for &j in indexes[join.source_index].rows(&key) {
                    if let Some(visible) = &join.visible
                        && visible.eval(j, indexes) != Some(true)
                    {
                        continue;
                    }
                    let d = join.table.get(j, join.dest_attr);
                    if !d.is_null() {
                        out.extend_from_slice(dest.rows(&d));
                    }
                }
                Cow::Owned(out)
            }
        }
    }
}

/// An expression with its bindings, lowered to closures: slot 0 is the row it
/// is evaluated on, slot `i + 1` the record bound for `bindings[i]`. With
/// bindings, the expression is `guard and node`, where `guard` holds the
/// conjuncts that read no binding.
struct Scope<'a> {
    bindings: Vec<Binding<'a>>,
    /// Whether every binding reaches at most one record: then there is one
    /// combination of bindings per row, each binding its hop's one record or
    /// the all-nil record, found once without enumerating.
    to_one: bool,
    guard: Option<Cond<'a>>,
    node: Cond<'a>,
    /// The same expression (`guard and node`) planned for batches of rows,
    /// when `to_one` and every node has a batch form.
    batch: Option<Batch<'a>>,
}

struct Binding<'a> {
    /// Slot of the binding this one is reached from.
    parent: usize,
    step: Step<'a>,
}

/// A compiled expression, before lowering (`lower`): names resolved to
/// tables, attributes and hops.
enum Node<'a> {
    Const(Value),
    Attr(Column<'a>),
    Cmp(CmpOp, Box<Node<'a>>, Box<Node<'a>>),
    /// The list is shared with the batch plan (`batch`).
    In(Box<Node<'a>>, Rc<InList>),
    Arith(ArithOp, Box<Node<'a>>, Box<Node<'a>>),
    And(Box<Node<'a>>, Box<Node<'a>>),
    Or(Box<Node<'a>>, Box<Node<'a>>),
    Not(Box<Node<'a>>),
    IsNil(Box<Node<'a>>),
    /// `lower`, `upper`, `length`.
    Func(Func, Box<Node<'a>>),
    /// `contains`, `starts_with`, `ends_with`, `concat`.
    TextOp(TextOp, Box<Node<'a>>, Box<Node<'a>>),
    /// `like` (`fold` false) or `ilike`: nil when the pattern is not text.
    Like {
        text: Box<Node<'a>>,
        pattern: Option<Rc<Pattern>>,
        fold: bool,
    },
    /// The hops, the scope at their end, and whether the truth on a row may
    /// be remembered (not when it reads `parent(..)`, which changes with the
    /// source row of the hop being tested).
    Exists(Vec<Step<'a>>, Box<Scope<'a>>, bool),
    /// `parent(x)`: attribute `attr` of the source row in `row`, read from
    /// `table` (nil when there is none).
    Parent(ParentColumn<'a>),
    /// An aggregate's value for the record in a slot.
    Aggregate(usize, Box<aggregate::Compiled<'a>>),
}

/// Bindings beyond this many use a heap buffer for their slots.
const STACK_SLOTS: usize = 8;

impl<'a> Scope<'a> {
    /// Appends its truth on each of `rows` to `out`: in batches when it has a
    /// batch plan, else row by row.
    fn eval_all(&self, rows: &[usize], ix: &[Index<'a>], out: &mut Vec<Option<bool>>) {
        out.reserve(rows.len());
        match &self.batch {
            Some(batch) => batch.eval(self, ix, rows, &mut |codes| {
                out.extend(codes.iter().map(|&c| batch::decode(c)))
            }),
            None => out.extend(rows.iter().map(|&row| self.eval(row, ix))),
        }
    }

    /// Appends to `kept` the positions in `rows` of the rows it is true on.
    fn keep_all(&self, rows: &[usize], ix: &[Index<'a>], kept: &mut Vec<usize>) {
        match &self.batch {
            Some(batch) => {
                let mut at = 0;
                batch.eval(self, ix, rows, &mut |codes| {
                    let pass = codes.iter().enumerate().filter(|(_, c)| **c == batch::TRUE);
                    kept.extend(pass.map(|(i, _)| at + i));
                    at += codes.len();
                })
            }
            None => kept.extend((0..rows.len()).filter(|&i| self.eval(rows[i], ix) == Some(true))),
        }
    }

    fn eval(&self, row: usize, ix: &[Index<'a>]) -> Option<bool> {
        if self.bindings.is_empty() {
            return (self.node)(&[Some(row)], ix);
        }
        // The guard is the same for every combination of bindings: false makes
        // the whole false; nil caps it at nil (no combination can be true).
        let guard = match &self.guard {
            None => Some(true),
            Some(guard) => guard(&[Some(row)], ix),
        };
        if guard == Some(false) {
            return Some(false);
        }
        match (guard, self.bound(row, ix)) {
            (Some(true), bound) => bound,
            (_, Some(false)) => Some(false),
            _ => None,
        }
    }

    /// `node` over every combination of bindings, from row `row`.
    fn bound(&self, row: usize, ix: &[Index<'a>]) -> Option<bool> {
        if let ([binding], true) = (&self.bindings[..], self.to_one) {
            // One to-one binding (the common path through a belongs_to).
            return (self.node)(&[Some(row), binding.step.one(row, ix)], ix);
        }
        let n = self.bindings.len() + 1;
        let mut stack = [None; STACK_SLOTS];
        let mut heap;
        let slots: &mut [Option<usize>] = if n <= STACK_SLOTS {
            &mut stack[..n]
        } else {
            heap = vec![None; n];
            &mut heap
        };
        slots[0] = Some(row);
        if self.to_one {
            for (k, binding) in self.bindings.iter().enumerate() {
                slots[k + 1] = slots[binding.parent].and_then(|p| binding.step.one(p, ix));
            }
            return (self.node)(slots, ix);
        }
        self.enumerate(0, slots, ix)
    }

    /// Tries every record for binding `k` and the bindings after it.
    fn enumerate(&self, k: usize, slots: &mut [Option<usize>], ix: &[Index<'a>]) -> Option<bool> {
        let Some(binding) = self.bindings.get(k) else {
            return (self.node)(slots, ix);
        };
        if binding.step.to_one {
            slots[k + 1] = slots[binding.parent].and_then(|p| binding.step.one(p, ix));
            return self.enumerate(k + 1, slots, ix);
        }
        let related = match slots[binding.parent] {
            Some(parent) => binding.step.related(parent, ix),
            None => Cow::Borrowed(&[][..]),
        };
        if related.is_empty() {
            slots[k + 1] = None;
            return self.enumerate(k + 1, slots, ix);
        }
        let mut result = Some(false);
        for &r in related.iter() {
            slots[k + 1] = Some(r);
            match self.enumerate(k + 1, slots, ix) {
                Some(true) => return Some(true),
                None => result = None,
                Some(false) => {}
            }
        }
        result
    }
}

/// Whether some row reached from `row` through `steps` makes `inner` true.
fn exists_from<'a>(row: usize, steps: &[Step<'a>], inner: &Scope<'a>, ix: &[Index<'a>]) -> bool {
    match steps.split_first() {
        None => inner.eval(row, ix) == Some(true),
        Some((step, rest)) => step
            .related(row, ix)
            .iter()
            .any(|&r| exists_from(r, rest, inner, ix)),
    }
}
