//! The one record a hop through a has_one (or belongs_to) that may reach
//! several records reaches: the first, in the relationship's own sort then
//! row (insertion) order, of the records the hop sees
//! (`sort_path::first_by` says which hops and by what). Every path through
//! the hop reads it alone: filters, `exists`, aggregates and sort keys.

use crate::data_layer::store::Table;
use crate::sort::{Order, compare_keys};
use crate::value::Value;

/// The destination's table and the relationship's sort (attribute positions
/// on it), which pick the first of the records a hop reaches.
pub(super) struct FirstBy<'a> {
    pub(super) table: &'a dyn Table,
    pub(super) sort: Vec<(usize, Order)>,
}

impl FirstBy<'_> {
    /// The first of `rows` by the sort: the earliest (lowest row) of those
    /// that sort first; `None` when there is none.
    pub(super) fn first(&self, rows: &[usize]) -> Option<usize> {
        let by = &self.sort[..];
        if by.is_empty() {
            return rows.iter().copied().min();
        }
        let mut best: Option<(usize, Vec<Value>)> = None;
        for &row in rows {
            let values: Vec<Value> = by
                .iter()
                .map(|&(attr, _)| self.table.get(row, attr))
                .collect();
            let better = match &best {
                None => true,
                Some((at, current)) => compare_keys(&values, current, by.iter().map(|&(_, o)| o))
                    .then(row.cmp(at))
                    .is_lt(),
            };
            if better {
                best = Some((row, values));
            }
        }
        best.map(|(row, _)| row)
    }
}
