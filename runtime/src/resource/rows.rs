//! [`Rows`]: the rows of a create, every value of every row in one buffer, as
//! the engine hands them to
//! [`DataLayer::create`](crate::data_layer::DataLayer::create) and
//! [`DataLayer::upsert`](crate::data_layer::DataLayer::upsert).
//!
//! One allocation for a batch rather than one per row: a create of 100,000
//! records made, then freed, 100,000 small vectors, scattered through memory
//! by the time the layer bound them and built the records from them (twice the
//! memory traffic of hand-written code writing the same rows). Rows laid out
//! one after the other are read in order, and freed at once.

use std::fmt;
use std::ops::{Index, IndexMut};

use super::Row;
use crate::error::{Error, Result};
use crate::value::Value;

/// Rows of one schema in attribute order, `width` values each, stored one
/// after the other in a single vector. Each row is a `[Value]` slice.
#[derive(Clone, Default, PartialEq)]
pub struct Rows {
    width: usize,
    values: Vec<Value>,
}

impl Rows {
    /// No rows of `width` values yet.
    pub fn new(width: usize) -> Rows {
        Rows {
            width,
            values: Vec::new(),
        }
    }

    /// No rows of `width` values yet, with room for `rows` of them.
    pub fn with_capacity(width: usize, rows: usize) -> Rows {
        Rows {
            width,
            values: Vec::with_capacity(width.saturating_mul(rows)),
        }
    }

    /// Rows of `width` values made of `values`, row after row: an error when
    /// their count is not a multiple of `width` (or `width` is 0 and there are
    /// values).
    pub fn from_values(width: usize, values: Vec<Value>) -> Result<Rows> {
        // Of width 0, only no values at all.
        if !values.len().is_multiple_of(width) {
            return Err(Error::data_layer(format!(
                "{} values do not make rows of {width}",
                values.len()
            )));
        }
        Ok(Rows { width, values })
    }

    /// Rows of `width` values copied from `rows`: an error naming the first
    /// row of another length.
    pub fn from_rows(width: usize, rows: Vec<Row>) -> Result<Rows> {
        let mut flat = Rows::with_capacity(width, rows.len());
        for row in rows {
            flat.push(row)?;
        }
        Ok(flat)
    }

    /// Appends a row: an error (and nothing appended) unless it has
    /// [`width`](Self::width) values.
    pub fn push(&mut self, row: impl IntoIterator<Item = Value>) -> Result<()> {
        let start = self.values.len();
        self.values.extend(row);
        let pushed = self.values.len() - start;
        if pushed != self.width {
            self.values.truncate(start);
            return Err(Error::data_layer(format!(
                "a row of {pushed} values among rows of {}",
                self.width
            )));
        }
        Ok(())
    }

    /// The values of each row.
    pub fn width(&self) -> usize {
        self.width
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        match self.width {
            0 => 0,
            w => self.values.len() / w,
        }
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Row `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&[Value]> {
        if i >= self.len() {
            return None;
        }
        self.values.get(i * self.width..(i + 1) * self.width)
    }

    /// The rows in order.
    pub fn iter(&self) -> std::slice::ChunksExact<'_, Value> {
        self.values.chunks_exact(self.width.max(1))
    }

    /// The rows in order, to change in place.
    pub fn iter_mut(&mut self) -> std::slice::ChunksExactMut<'_, Value> {
        self.values.chunks_exact_mut(self.width.max(1))
    }

    /// Every value, row after row.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// Every value, row after row, to change or move out of in place.
    pub fn values_mut(&mut self) -> &mut [Value] {
        &mut self.values
    }

    /// The rows as one vector each.
    pub fn into_rows(self) -> Vec<Row> {
        self.iter().map(<[Value]>::to_vec).collect()
    }
}

/// Rows are shown as a list of rows.
impl fmt::Debug for Rows {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Row `i`; panics past the last row, as a slice does.
impl Index<usize> for Rows {
    type Output = [Value];

    fn index(&self, i: usize) -> &[Value] {
        &self.values[i * self.width..(i + 1) * self.width]
    }
}

/// Row `i`, to change in place; panics past the last row, as a slice does.
impl IndexMut<usize> for Rows {
    fn index_mut(&mut self, i: usize) -> &mut [Value] {
        &mut self.values[i * self.width..(i + 1) * self.width]
    }
}

impl<'a> IntoIterator for &'a Rows {
    type Item = &'a [Value];
    type IntoIter = std::slice::ChunksExact<'a, Value>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Rows {
    type Item = &'a mut [Value];
    type IntoIter = std::slice::ChunksExactMut<'a, Value>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_slices_of_one_buffer() {
        let mut rows = Rows::new(2);
        rows.push([Value::Int(1), Value::Null]).expect("a row");
        rows.push([Value::Int(2), Value::Bool(true)])
            .expect("a row");
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[1], &[Value::Int(2), Value::Bool(true)]);
        assert_eq!(rows.get(2), None);
        rows[0][1] = Value::Int(9);
        assert_eq!(
            rows.into_rows(),
            vec![
                vec![Value::Int(1), Value::Int(9)],
                vec![Value::Int(2), Value::Bool(true)]
            ]
        );
    }

    #[test]
    fn a_row_of_another_width_is_refused() {
        let mut rows = Rows::new(2);
        let err = rows.push([Value::Int(1)]).expect_err("short");
        assert!(err.to_string().contains("a row of 1 values"), "{err}");
        assert!(rows.is_empty(), "nothing appended");
        assert!(Rows::from_values(2, vec![Value::Null; 3]).is_err());
        assert!(Rows::from_rows(1, vec![vec![Value::Null; 2]]).is_err());
        let none = Rows::from_values(0, Vec::new()).expect("none");
        assert_eq!((none.len(), none.get(0)), (0, None));
    }
}
