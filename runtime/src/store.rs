//! Typed record storage behind a type-erased interface: how the in-memory data
//! layer keeps real `R` values (no conversion on read) while seeing every resource
//! alike. Each schema carries `new_table`, made by `resource!` for its type.

use std::any::Any;

use crate::error::Result;
use crate::resource::{Resource, Row};
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
}

/// The table of `R`.
pub struct TypedTable<R>(Vec<R>);

/// An empty table of `R` (the schema's `new_table`).
pub fn new_table<R: Resource>() -> Box<dyn Table> {
    Box::new(TypedTable::<R>(Vec::new()))
}

impl<R: Resource> Table for TypedTable<R> {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn get(&self, row: usize, attr: usize) -> Value {
        self.0[row].get(attr)
    }
    fn push_rows(&mut self, rows: Vec<Row>) -> Result<Box<dyn Any + Send>> {
        let records = rows
            .into_iter()
            .map(R::from_row)
            .collect::<Result<Vec<R>>>()?;
        self.0.extend(records.iter().cloned());
        Ok(Box::new(records))
    }
    fn select(&self, rows: &[usize]) -> Box<dyn Any + Send> {
        Box::new(rows.iter().map(|&i| self.0[i].clone()).collect::<Vec<R>>())
    }
    fn select_grouped(&self, rows: &[(usize, usize)], groups: usize) -> Box<dyn Any + Send> {
        let mut sizes = vec![0_usize; groups];
        for &(_, g) in rows {
            sizes[g] += 1;
        }
        let mut out: Vec<Vec<R>> = sizes.into_iter().map(Vec::with_capacity).collect();
        for &(row, g) in rows {
            out[g].push(self.0[row].clone());
        }
        Box::new(out)
    }
    fn scan_grouped(
        &self,
        groups: usize,
        place: &mut dyn FnMut(usize, &mut Vec<usize>),
    ) -> Box<dyn Any + Send> {
        let mut out: Vec<Vec<R>> = (0..groups).map(|_| Vec::new()).collect();
        let mut targets = Vec::new();
        for (row, record) in self.0.iter().enumerate() {
            targets.clear();
            place(row, &mut targets);
            for &g in &targets {
                out[g].push(record.clone());
            }
        }
        Box::new(out)
    }
}
