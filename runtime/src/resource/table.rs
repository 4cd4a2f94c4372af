//! [`Table`]: typed storage of one resource's records behind a type-erased
//! interface, so a data layer keeps real `R` values while seeing every resource
//! alike. Each [`Schema`](super::Schema) carries `new_table`, made by `resource!`
//! for its type; the implementation is `data_layer::store`'s.

use std::any::Any;

use super::Row;
use crate::error::Result;
use crate::value::Value;

/// A growable table of one resource's records.
pub trait Table: Any + Send + Sync {
    /// Number of records.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The value of attribute `attr` of record `row`.
    fn get(&self, row: usize, attr: usize) -> Value;
    /// Appends rows (checked and converted to records); returns the new records as
    /// a `Vec<R>`.
    fn push_rows(&mut self, rows: Vec<Row>) -> Result<Box<dyn Any + Send>>;
    /// Clones the records at `rows`, in that order, as a `Vec<R>`.
    fn select(&self, rows: &[usize]) -> Box<dyn Any + Send>;
    /// Clones the records at `rows` into `groups` groups, each record into the
    /// group its pair names, in order, as a `Vec<Vec<R>>`.
    fn select_grouped(&self, rows: &[(usize, usize)], groups: usize) -> Box<dyn Any + Send>;
    /// Reads the table front to back in one pass: `place(row, targets)` fills
    /// `targets` with the groups row `row` belongs to (none to skip it), and the
    /// row is cloned straight into each. Returns a `Vec<Vec<R>>` of `groups` groups.
    fn scan_grouped(
        &self,
        groups: usize,
        place: &mut dyn FnMut(usize, &mut Vec<usize>),
    ) -> Box<dyn Any + Send>;
    /// A collector of records of this table's type, a
    /// `Box<dyn data_layer::store::Collector>` behind `Any` (the collector reads
    /// data-layer rows, which this model-level trait cannot name): `None`
    /// collects one list, `Some(n)` collects `n` groups.
    fn collector(&self, groups: Option<usize>) -> Box<dyn Any + Send>;
}
