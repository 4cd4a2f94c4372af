//! The hops of relationships linked by a condition (`no_attributes`, or
//! manual with a `condition`): which destination rows relate to a source row.
//! The candidates are every row of the destination's table, or the rows an
//! index finds for a conjunct `dest_attr == parent(source_attr)` of the
//! condition (which is then not compiled into the conditions: true on every
//! row the index finds, `compile::parent`). The conditions are tested with
//! the source row set as their `parent(..)`'s: row by row for a few
//! candidates, else each condition on all of them at once, in batches where
//! it has a batch plan (`batch`, which reads each `parent(..)` once per call).
//! An aggregate over such a hop for many source rows is rather computed in
//! one pass over the destination (`grouped`), where each candidate is tested
//! for its own source row (`parent(..)` a column).

use std::borrow::Cow;
use std::cell::Cell;
use std::rc::Rc;

use super::{Index, Step};
use crate::data_layer::store::Table;
use crate::value::{Value, ValueType};

/// Fewer candidates than this are tested row by row: setting up a batch
/// costs about what testing this many rows one at a time does.
const FEW: usize = 16;

/// How a `no_attributes` hop finds its destination rows: every row of the
/// destination's table, or those an equality of its filter
/// (`attr == parent(attr)`) names through an index, each tested by the
/// step's conditions while `row` holds the source row their `parent(..)`
/// reads.
pub(super) struct ParentLink<'a> {
    /// The source row the conditions' `parent(..)` read (`None` outside a
    /// test).
    pub(super) row: Rc<Cell<Option<usize>>>,
    /// The destination's table.
    pub(super) dest_table: &'a dyn Table,
    /// A conjunct `dest_attr == parent(source_attr)` of the filter, of one
    /// value type: the source attribute, and the index of the destination's.
    pub(super) key: Option<(usize, usize)>,
}

/// An attribute of the source row of the `no_attributes` hop whose filter
/// is being tested.
#[derive(Clone)]
pub(super) struct ParentColumn<'a> {
    pub(super) row: Rc<Cell<Option<usize>>>,
    pub(super) table: &'a dyn Table,
    pub(super) attr: usize,
    /// The attribute's type: every value read is of it, or nil.
    pub(super) ty: ValueType,
}

impl ParentColumn<'_> {
    /// Its value for the source row being tested (nil when there is none).
    pub(super) fn read(&self) -> Value {
        match self.row.get() {
            Some(row) => self.table.get(row, self.attr),
            None => Value::Null,
        }
    }
}

impl<'a> Step<'a> {
    /// The destination rows of a `no_attributes` hop related to source row
    /// `row`: its conditions tested with `row` as their parent.
    pub(super) fn related_to_parent(
        &self,
        parent: &ParentLink<'a>,
        row: usize,
        indexes: &[Index<'a>],
    ) -> Vec<usize> {
        let candidates: Cow<'_, [usize]> = match parent.key {
            Some((source_attr, dest_index)) => {
                let key = self.source_table.get(row, source_attr);
                if key.is_null() {
                    return Vec::new();
                }
                Cow::Borrowed(indexes[dest_index].rows(&key))
            }
            None => Cow::Owned((0..parent.dest_table.len()).collect()),
        };
        // Restored after, so a test that meets this hop again (through
        // another source row) leaves the outer one's parent in place.
        let outer = parent.row.replace(Some(row));
        let related = self.meeting_conditions(&candidates, indexes);
        parent.row.set(outer);
        related
    }

    /// Those of `rows` (destination rows) that every condition is
    /// true on, in order: row by row when they are few, else each condition
    /// on all of them at once (`Scope::keep_all`: in batches where it has a
    /// batch plan, whose `parent(..)` is read once per call, not per row).
    pub(super) fn meeting_conditions(&self, rows: &[usize], indexes: &[Index<'a>]) -> Vec<usize> {
        if rows.len() < FEW {
            return rows
                .iter()
                .copied()
                .filter(|&r| {
                    self.conditions
                        .iter()
                        .all(|c| c.eval(r, indexes) == Some(true))
                })
                .collect();
        }
        let mut live = rows.to_vec();
        let mut kept = Vec::with_capacity(rows.len());
        for condition in &self.conditions {
            if live.is_empty() {
                break;
            }
            kept.clear();
            condition.keep_all(&live, indexes, &mut kept);
            // `kept` is ascending, so each row moves down, never up.
            for (i, &at) in kept.iter().enumerate() {
                live[i] = live[at];
            }
            live.truncate(kept.len());
        }
        live
    }
}
