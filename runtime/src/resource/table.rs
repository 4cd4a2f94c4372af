//! [`Table`]: typed storage of one resource's records behind a type-erased
//! interface, so a data layer keeps real `R` values while seeing every resource
//! alike. Each [`Schema`](super::Schema) carries `new_table`, made by `resource!`
//! for its type; the implementation is `data_layer::store`'s.
//!
//! The trait holds only what needs the record type: the loops around it
//! (grouping, windows, collecting rows) are non-generic code over `dyn Table`.
//! Its one implementation keeps the records in a vector whose type is erased,
//! so its methods too are compiled once; per resource there are only a few
//! small functions (clone, drop, read a row, read an attribute).

use std::any::Any;

use crate::error::Result;
use crate::scalar::ColumnReader;
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
    /// The value of attribute `attr` of record `row` as an integer, when it
    /// holds one: [`Table::get`] without making a [`Value`] (a linking key
    /// read per row of a scan).
    fn get_int(&self, row: usize, attr: usize) -> Option<i64> {
        match self.get(row, attr) {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }
    /// The same as a UUID.
    fn get_uuid(&self, row: usize, attr: usize) -> Option<uuid::Uuid> {
        match self.get(row, attr) {
            Value::Uuid(u) => Some(u),
            _ => None,
        }
    }
    /// Appends to `out` the value of attribute `attr` of each record of `rows`
    /// as an integer: `None` for nil, a value of another type, or a row past
    /// the end (how a caller marks "no record", e.g. with `usize::MAX`). One
    /// call reads a whole column of rows (the in-memory filter's batches).
    fn ints(&self, rows: &[usize], attr: usize, out: &mut Vec<Option<i64>>);
    /// The same for a UUID attribute.
    fn uuids(&self, rows: &[usize], attr: usize, out: &mut Vec<Option<uuid::Uuid>>);
    /// The same as [`Value`]s (`Value::Null` for a row past the end).
    fn values(&self, rows: &[usize], attr: usize, out: &mut Vec<Value>);
    /// Appends the record read from `reader` (an error when the row does not
    /// make a record; then nothing is appended).
    fn push_read(&mut self, reader: &mut dyn ColumnReader) -> Result<()>;
    /// Makes room for `additional` more records, so appending that many does
    /// not move the table (what a layer that knows how many records it will
    /// append calls first). Without it, the table grows as records come.
    fn reserve(&mut self, additional: usize) {
        let _ = additional;
    }
    /// Drops the records from `len` on.
    fn truncate(&mut self, len: usize);
    /// Swaps the records at each pair of positions, in turn.
    fn swap(&mut self, swaps: &[(usize, usize)]);
    /// Clones the records at `rows`, in that order, as typed records
    /// (a data layer's `Records::Typed`, which `Records::into_vec` reads as a
    /// `Vec<R>`).
    fn select(&self, rows: &[usize]) -> Box<dyn Any + Send>;
    /// Clones the records at `rows`, in that order, onto the end of `out`, a
    /// vector of records as [`Table::select`] makes them, first making room for
    /// `expected` records in all (an eighth more, or twice the room it had);
    /// an error (and nothing appended) when `out` is not one. How a scan
    /// clones what it keeps a few hundred records at a time, while they are
    /// still in cache.
    fn select_onto(&self, rows: &[usize], expected: usize, out: &mut dyn Any) -> Result<()>;
    /// Clones the records at `rows` into `sizes.len()` groups, each record into
    /// the group its pair names, in order, as grouped records (a data layer's
    /// `Records::Grouped`); group `g` is
    /// allocated for `sizes[g]` records.
    fn select_grouped(&self, rows: &[(usize, usize)], sizes: &[usize]) -> Box<dyn Any + Send>;
    /// Appends the records of `records`, typed records as [`Table::select`] makes
    /// them or a `Vec<R>`; an error (and nothing appended) when it is neither.
    fn append(&mut self, records: Box<dyn Any + Send>) -> Result<()>;
    /// A copy of the table: every record cloned.
    fn duplicate(&self) -> Box<dyn Table>;
    /// Moves every record out, leaving the table empty: as typed records, or
    /// with `Some((slots, sizes))` as grouped records of `sizes.len()` groups, record
    /// `i` into group `slots[i]` (group `g` allocated for `sizes[g]` records).
    fn take(&mut self, grouping: Option<(&[usize], &[usize])>) -> Box<dyn Any + Send>;
}
