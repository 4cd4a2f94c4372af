//! `parent(..)` read per row: when a batch tests destination rows each for
//! its own source row (the grouped pass over a hop linked by a condition,
//! `eval::grouped`), each `parent(x)` of the plan is a column read, a chunk
//! at a time, from the source rows of the chunk's rows, typed as attribute
//! columns are, rather than one value for the whole call.

use super::{Col, Kind};
use crate::data_layer::eval::ParentColumn;

/// The source rows of a chunk's rows and the `parent(..)` columns read from
/// them, kept from chunk to chunk.
pub(super) struct PerParent {
    rows: Vec<usize>,
    /// Per `parent(..)` of the plan (`Batch::parents`): its column, once
    /// `read`.
    cols: Vec<Col>,
    read: Vec<bool>,
}

impl PerParent {
    /// For a plan of `n` `parent(..)` operands.
    pub(super) fn new(n: usize) -> Self {
        PerParent {
            rows: Vec::new(),
            cols: (0..n).map(|_| Col::Unread).collect(),
            read: vec![false; n],
        }
    }

    /// Starts on a chunk whose rows are tested for source rows `rows`.
    pub(super) fn start(&mut self, rows: &[usize]) {
        self.rows.clear();
        self.rows.extend_from_slice(rows);
        self.read.fill(false);
    }

    /// Reads `parent`, the plan's `parent(..)` number `i`, for the chunk
    /// unless read.
    pub(super) fn col(&mut self, parent: &ParentColumn<'_>, i: usize) {
        if self.read[i] {
            return;
        }
        self.cols[i].read(Kind::of(parent.ty), parent.table, &self.rows, parent.attr);
        self.read[i] = true;
    }

    /// The column of the plan's `parent(..)` number `i` (read by `col`).
    pub(super) fn get(&self, i: usize) -> &Col {
        &self.cols[i]
    }
}
