//! An aggregate computed for many records in one pass over the destination
//! table in row order, as a hand-written loop over a `Vec` of records would:
//! each destination row's key (the hop's destination attribute) is looked up
//! in an index of the source records' key, the hop's conditions and the
//! aggregate's filter are tested on the rows found, a block of rows at a
//! time, and each row is counted (or gathered) for its source row. The per-record path
//! (`aggregate`) reads each record's related rows through an index of the
//! destination instead, built in its own pass over the destination first,
//! then read in key order: scattered over the whole table, which costs more
//! time than its instructions say (cache misses, most likely).
//!
//! It applies to an aggregate of one hop whose destination rows are found
//! through an index the read builds (`Index::Built`): a has_many or has_one
//! by key, or a hop linked by a condition whose conjunct `dest ==
//! parent(source)` keys it (`compile::parent`). Then the per-record path
//! also passes over the whole destination on first use (building the index),
//! and the grouped pass reads in table order. A load computes it for its own
//! records (`Aggregates::prepare`); an aggregate of a read's own records in
//! its filter, for those the rest of the filter selects (`Restriction`: in
//! `id in ^ids and count > 3` the hop's conditions are tested on the related
//! rows of `ids` alone); a sort key, for the records the read keeps
//! (`SortValues::prepare`); any other, for every record of the source table
//! on first use. Not for an aggregate inside a
//! `no_attributes` relationship's filter (its own filter may read that
//! relationship's `parent(..)`, which changes with the row tested), nor for
//! a many_to_many hop, nor through several hops.
//!
//! A hop linked by a condition tests its conditions with each row's own
//! source row as `parent(..)`: in batches where the condition has a batch
//! plan and no bindings (`Batch::eval_per_parent`, each `parent(x)` a column
//! read from the rows' source rows), else row by row with the source row set
//! where the conditions' `parent(..)` read it.
//!
//! The rows each record reaches are those the per-record path reaches, in
//! the same (row) order, so every kind computes the same value from them
//! (`Compiled::compute`); `memory/tests/grouped.rs` compares the two.

use std::cell::OnceCell;
use std::rc::Rc;

use super::batch::{Col, Kind};
use super::compile::Compiler;
use super::groups::RowGroups;
use super::{CHUNK, Index, KeyIndex, ParentLink, Scope, Step};
use crate::data_layer::store::Table;
use crate::error::Result;
use crate::expr::Expr;
use crate::resource::Schema;
use crate::value::{Value, ValueType};

/// How an aggregate of one hop is computed in one pass, decided when it is
/// compiled.
pub(super) struct GroupPlan<'a> {
    /// Where the source records' keys are looked up.
    source: SourceIndex<'a>,
    /// The destination's table, the attribute its rows are keyed by, its type.
    dest: (&'a dyn Table, usize, ValueType),
    /// Whether the rows reached are kept, not only counted.
    gather: bool,
}

/// Destination rows read per block: their keys, then each condition on the
/// rows found, a batch evaluation of a few chunks (`CHUNK`) at a time, while
/// the block's records are still in cache.
const BLOCK: usize = 8 * CHUNK;

/// What a grouped pass over a hop reads (`GroupPlan::target`).
pub(super) struct Target<'a> {
    dest: (&'a dyn Table, usize, ValueType),
    /// The source attribute the destination's key is looked up by.
    pub(super) source_attr: usize,
}

/// An index of the source records by the hop's source attribute.
pub(super) enum SourceIndex<'a> {
    /// One of the read's indexes (`Compiler::index`): the source records are
    /// the stored table's.
    Shared(usize),
    /// The source records are rows given to the read (not the stored table):
    /// their attribute `attr`, of type `ty`, indexed when the pass runs.
    Own {
        table: &'a dyn Table,
        attr: usize,
        ty: ValueType,
    },
}

/// The records of a read that its filter's top-level conjuncts without
/// aggregates select (as SQL's grouped tables are restricted): only for
/// them can an aggregate's value make the filter true (Kleene's `and` is
/// false or nil on any other), so an aggregate of the filter's own records
/// is computed for them first (`Compiled::grouped`). An `id in ^ids and
/// count > 3` tests the hop's conditions on the related rows of `ids` only.
pub(super) struct Restriction<'a> {
    /// Each conjunct without aggregates, compiled on its own.
    conjuncts: Vec<Scope<'a>>,
    /// The rows they are all true on, found on first use.
    rows: OnceCell<Vec<usize>>,
}

impl<'a> Restriction<'a> {
    /// The restriction of `filter`, a read's filter on the records of
    /// `schema`, when it has top-level conjuncts with aggregates and without.
    pub(super) fn compile(
        compiler: &mut Compiler<'a>,
        schema: &'static Schema,
        filter: &Expr,
    ) -> Result<Option<Rc<Self>>> {
        let conjuncts = filter.conjuncts();
        let (with, without): (Vec<&Expr>, Vec<&Expr>) =
            conjuncts.into_iter().partition(|c| c.holds_aggregate());
        if with.is_empty() || without.is_empty() {
            return Ok(None);
        }
        let conjuncts = without
            .into_iter()
            .map(|c| compiler.scope(schema, c))
            .collect::<Result<_>>()?;
        Ok(Some(Rc::new(Restriction {
            conjuncts,
            rows: OnceCell::new(),
        })))
    }

    /// The rows of `table` (the read's) every conjunct is true on, ascending.
    pub(super) fn rows(&self, table: &dyn Table, ix: &[Index<'a>]) -> &[usize] {
        self.rows.get_or_init(|| {
            let (mut rows, mut kept, mut out) = (Vec::new(), Vec::new(), Vec::new());
            for start in (0..table.len()).step_by(CHUNK) {
                rows.clear();
                rows.extend(start..table.len().min(start + CHUNK));
                for conjunct in &self.conjuncts {
                    kept.clear();
                    conjunct.keep_all(&rows, ix, &mut kept);
                    let still: Vec<usize> = kept.iter().map(|&i| rows[i]).collect();
                    rows = still;
                }
                out.extend_from_slice(&rows);
            }
            out
        })
    }
}

#[cfg(test)]
thread_local! {
    /// How many (destination row, source row) pairs passes on this thread
    /// have tested: what a restriction saves.
    pub(crate) static TESTED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// What the pass found: per source row, how many rows it reaches and, when
/// gathered, which.
pub(super) struct Grouped {
    /// The source rows computed (`None`: all of them).
    wanted: Option<Vec<bool>>,
    counts: Vec<usize>,
    /// Source row `s` reaches `rows[starts[s]..starts[s + 1]]`, ascending.
    gathered: Option<(Vec<usize>, Vec<usize>)>,
}

impl Grouped {
    /// Whether it holds source row `row`'s rows.
    pub(super) fn holds(&self, row: usize) -> bool {
        self.wanted
            .as_ref()
            .is_none_or(|w| w.get(row).copied().unwrap_or(false))
    }

    /// The rows source row `row` reaches (`Err` with their count when they
    /// were counted only); `None` when `row` was not computed.
    pub(super) fn reached(&self, row: usize) -> Option<Result<&[usize], usize>> {
        if !self.holds(row) {
            return None;
        }
        let count = self.counts.get(row).copied().unwrap_or(0);
        Some(match &self.gathered {
            Some((starts, rows)) if row < self.counts.len() => {
                Ok(&rows[starts[row]..starts[row + 1]])
            }
            Some(_) => Ok(&[]),
            None => Err(count),
        })
    }
}

impl<'a> GroupPlan<'a> {
    /// What a plan for `step`, the one hop of an aggregate, would read, when
    /// it can have one: the destination's key and the source attribute whose
    /// index `GroupPlan::new` is given (`step`'s source attribute or, linked
    /// by a condition, its key conjunct's).
    pub(super) fn target(step: &Step<'a>, ix: &[Index<'a>]) -> Option<Target<'a>> {
        let (dest_index, source_attr) = match &step.parent {
            // A pass counts every related row, not the first alone.
            _ if step.join.is_some() || step.first_by.is_some() => return None,
            None => (step.dest_index, step.source_attr),
            Some(ParentLink {
                key: Some((attr, index)),
                ..
            }) => (*index, *attr),
            Some(_) => return None,
        };
        let Index::Built {
            table, attr, ty, ..
        } = &ix[dest_index]
        else {
            return None;
        };
        Some(Target {
            dest: (*table, *attr, *ty),
            source_attr,
        })
    }

    /// The plan reading `target`, the source records indexed by `source`;
    /// `gather` when the value needs the rows, not their count.
    pub(super) fn new(target: Target<'a>, source: SourceIndex<'a>, gather: bool) -> Self {
        GroupPlan {
            source,
            dest: target.dest,
            gather,
        }
    }

    /// Passes over the destination: the rows `step` reaches from each source
    /// row (each of `wanted` when given, else every one) that `filter` (the
    /// aggregate's) is true on.
    pub(super) fn pass(
        &self,
        step: &Step<'a>,
        filter: Option<&Scope<'a>>,
        wanted: Option<&[usize]>,
        ix: &[Index<'a>],
    ) -> Grouped {
        let own;
        let source = match &self.source {
            SourceIndex::Shared(i) => match &ix[*i] {
                Index::Primary(keys) => Source::Keys(keys),
                Index::Built {
                    table,
                    attr,
                    ty,
                    map,
                } => Source::Groups(super::built(map, *table, *attr, *ty)),
            },
            SourceIndex::Own { table, attr, ty } => {
                own = RowGroups::of_column(*table, *attr, *ty);
                Source::Groups(&own)
            }
        };
        let source_len = step.source_table.len();
        let wanted = wanted.map(|rows| {
            let mut mask = vec![false; source_len];
            rows.iter()
                .filter(|&&r| r < source_len)
                .for_each(|&r| mask[r] = true);
            mask
        });
        let mut pass = Pass {
            counts: vec![0; source_len],
            pairs: Pairs::default(),
            kept: Vec::new(),
            all: (Vec::new(), Vec::new()),
        };
        let (table, attr, ty) = self.dest;
        let (mut keys, kind) = (Col::Unread, Kind::of(ty));
        let mut rows = Vec::with_capacity(BLOCK);
        for start in (0..table.len()).step_by(BLOCK) {
            rows.clear();
            rows.extend(start..table.len().min(start + BLOCK));
            pass.pairs.clear();
            keys.read(kind, table, &rows, attr);
            let wanted = wanted.as_deref();
            if step.conditions.is_empty() && filter.is_none() && !self.gather {
                // Nothing to test, nothing to keep: counted as found.
                let counts = &mut pass.counts;
                keys.pairs(&source, start, wanted, |_, s| {
                    // Every source row the index finds is one of the table's.
                    if let Some(count) = counts.get_mut(s) {
                        *count += 1;
                    }
                });
                continue;
            }
            let pairs = &mut pass.pairs;
            pairs.dests.reserve(rows.len());
            pairs.sources.reserve(rows.len());
            keys.pairs(&source, start, wanted, |d, s| pairs.push(d, s));
            for condition in &step.conditions {
                pass.keep(condition, step.parent.as_ref(), ix);
            }
            if let Some(filter) = filter {
                pass.keep(filter, None, ix);
            }
            for &s in &pass.pairs.sources {
                if let Some(count) = pass.counts.get_mut(s) {
                    *count += 1;
                }
            }
            if self.gather {
                pass.all.0.extend_from_slice(&pass.pairs.dests);
                pass.all.1.extend_from_slice(&pass.pairs.sources);
            }
        }
        let gathered = self.gather.then(|| by_source(&pass.counts, &pass.all));
        Grouped {
            wanted,
            counts: pass.counts,
            gathered,
        }
    }
}

/// `counts[s]` rows for each source row `s`, from the pairs (destination
/// rows, their source rows) in destination order: each source row's rows,
/// contiguous and ascending.
fn by_source(
    counts: &[usize],
    (dests, sources): &(Vec<usize>, Vec<usize>),
) -> (Vec<usize>, Vec<usize>) {
    let mut starts = Vec::with_capacity(counts.len() + 1);
    let mut total = 0;
    for c in counts {
        starts.push(total);
        total += c;
    }
    starts.push(total);
    let mut fill = starts[..counts.len()].to_vec();
    let mut rows = vec![0; total];
    for (&d, &s) in dests.iter().zip(sources) {
        if let Some(at) = fill.get_mut(s) {
            rows[*at] = d;
            *at += 1;
        }
    }
    (starts, rows)
}

/// The state of one pass.
struct Pass {
    counts: Vec<usize>,
    /// The chunk's pairs still passing.
    pairs: Pairs,
    /// Positions a test kept.
    kept: Vec<usize>,
    /// Every pair kept, when gathering: (destination rows, source rows).
    all: (Vec<usize>, Vec<usize>),
}

/// Destination rows, each with a source row it relates to.
#[derive(Default)]
struct Pairs {
    dests: Vec<usize>,
    sources: Vec<usize>,
}

impl Pairs {
    fn clear(&mut self) {
        self.dests.clear();
        self.sources.clear();
    }

    fn push(&mut self, dest: usize, source: usize) {
        self.dests.push(dest);
        self.sources.push(source);
    }
}

impl Pass {
    /// Keeps the pairs whose destination row `scope` is true on, read with
    /// the pair's source row as `link`'s `parent(..)` when given.
    fn keep<'a>(&mut self, scope: &Scope<'a>, link: Option<&ParentLink<'a>>, ix: &[Index<'a>]) {
        let pairs = &mut self.pairs;
        if pairs.dests.is_empty() {
            return;
        }
        #[cfg(test)]
        TESTED.with(|t| t.set(t.get() + pairs.dests.len()));
        let kept = &mut self.kept;
        kept.clear();
        match (link, &scope.batch) {
            (None, _) => scope.keep_all(&pairs.dests, ix, kept),
            (Some(_), Some(batch)) if scope.bindings.is_empty() => {
                let mut at = 0;
                batch.eval_per_parent(scope, ix, &pairs.dests, &pairs.sources, &mut |codes| {
                    let pass = codes
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| **c == super::batch::TRUE);
                    kept.extend(pass.map(|(i, _)| at + i));
                    at += codes.len();
                });
            }
            (Some(link), _) => {
                // Restored after, as `Step::related_to_parent` does.
                let outer = link.row.get();
                for (i, (&d, &s)) in pairs.dests.iter().zip(&pairs.sources).enumerate() {
                    link.row.set(Some(s));
                    if scope.eval(d, ix) == Some(true) {
                        kept.push(i);
                    }
                }
                link.row.set(outer);
            }
        }
        // `kept` is ascending, so each pair moves down, never up.
        for (i, &at) in kept.iter().enumerate() {
            pairs.dests[i] = pairs.dests[at];
            pairs.sources[i] = pairs.sources[at];
        }
        pairs.dests.truncate(kept.len());
        pairs.sources.truncate(kept.len());
    }
}

/// A destination key, as a column of keys (`Col`) holds it.
#[derive(Clone, Copy)]
enum Key<'k> {
    Int(i64),
    Uuid(u128),
    Value(&'k Value),
}

impl Col {
    /// Calls `found` with each row read (the first one `start`) and each
    /// source row (of `wanted`, when given) its key finds in `source`: a
    /// plain loop for integer or UUID keys and a primary-key index, the
    /// common case, else through `Source::find`.
    #[inline(always)]
    fn pairs(
        &self,
        source: &Source<'_>,
        start: usize,
        wanted: Option<&[bool]>,
        mut found: impl FnMut(usize, usize),
    ) {
        let wanted = |s: usize| wanted.is_none_or(|w| w.get(s).copied().unwrap_or(false));
        match (self, source) {
            (Col::Ints(keys), Source::Keys(KeyIndex::Ints(map))) => {
                unique(
                    keys,
                    |k| map.get(k).copied().filter(|&s| wanted(s)),
                    |i, s| found(start + i, s),
                );
            }
            (Col::Uuids(keys), Source::Keys(KeyIndex::Uuids(map))) => {
                let find = |u: &uuid::Uuid| map.get(&u.as_u128()).copied().filter(|&s| wanted(s));
                unique(keys, find, |i, s| found(start + i, s));
            }
            _ => self.each(|i, key| {
                source.find(key, |s| {
                    if wanted(s) {
                        found(start + i, s);
                    }
                })
            }),
        }
    }

    /// Calls `f` with the position and key of each key that is not nil.
    fn each(&self, mut f: impl FnMut(usize, Key<'_>)) {
        match self {
            Col::Unread => {}
            Col::Ints(keys) => keys
                .iter()
                .enumerate()
                .for_each(|(i, k)| k.iter().for_each(|&k| f(i, Key::Int(k)))),
            Col::Uuids(keys) => keys
                .iter()
                .enumerate()
                .for_each(|(i, k)| k.iter().for_each(|k| f(i, Key::Uuid(k.as_u128())))),
            Col::Values(keys) => keys
                .iter()
                .enumerate()
                .filter(|(_, k)| !k.is_null())
                .for_each(|(i, k)| f(i, Key::Value(k))),
        }
    }
}

/// [`Col::pairs`] for typed keys and an index of one row per key (`find`).
#[inline(always)]
fn unique<K>(
    keys: &[Option<K>],
    find: impl Fn(&K) -> Option<usize>,
    mut found: impl FnMut(usize, usize),
) {
    for (i, key) in keys.iter().enumerate() {
        if let Some(s) = key.as_ref().and_then(&find) {
            found(i, s);
        }
    }
}

/// The source records' index, as the pass reads it.
enum Source<'i> {
    /// The primary-key index: one row per key.
    Keys(&'i KeyIndex),
    /// Any other: the rows holding each value.
    Groups(&'i RowGroups),
}

impl Source<'_> {
    /// Calls `f` with each source row whose key equals `key` (`Value`'s
    /// `==`, as the indexes of the per-record path find them).
    #[inline(always)]
    fn find(&self, key: Key<'_>, mut f: impl FnMut(usize)) {
        match (self, key) {
            (Source::Keys(KeyIndex::Ints(map)), Key::Int(i)) => {
                map.get(&i).into_iter().for_each(|&r| f(r))
            }
            (Source::Keys(KeyIndex::Uuids(map)), Key::Uuid(u)) => {
                map.get(&u).into_iter().for_each(|&r| f(r))
            }
            (Source::Keys(keys), Key::Value(v)) => keys.get(v).into_iter().for_each(|&r| f(r)),
            (Source::Keys(keys), key) => keys.get(&key.value()).into_iter().for_each(|&r| f(r)),
            (Source::Groups(groups), Key::Int(i)) => groups.get_int(i).iter().for_each(|&r| f(r)),
            (Source::Groups(groups), Key::Uuid(u)) => groups.get_uuid(u).iter().for_each(|&r| f(r)),
            (Source::Groups(groups), Key::Value(v)) => groups.get(v).iter().for_each(|&r| f(r)),
        }
    }
}

impl Key<'_> {
    fn value(self) -> Value {
        match self {
            Key::Int(i) => Value::Int(i),
            Key::Uuid(u) => Value::Uuid(uuid::Uuid::from_u128(u)),
            Key::Value(v) => v.clone(),
        }
    }
}
