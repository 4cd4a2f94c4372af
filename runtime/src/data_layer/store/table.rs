//! The implementation of [`Table`]: [`TypedTable`], a thin typed face over an
//! [`ErasedVec`] of records. Only what is hot and small is typed, compiled per
//! resource: reading a record from a row, an attribute's value (a call per
//! row of a scan: behind a second, indirect call it cost 5% of a nested load),
//! and the in-memory filter's integer and UUID column reads (a loop with the
//! record's accessor inlined). Every other method is a call into code
//! compiled once, for all resources, over the erased vector; per resource
//! there are only its record type's few functions (see [`RecordType`]).

use std::any::Any;
use std::marker::PhantomData;

use super::erased::{ErasedVec, RecordType};
use super::{grown_capacity, wrong_records};
use crate::error::Result;
use crate::resource::{Resource, Schema, Table};
use crate::scalar::ColumnReader;
use crate::value::Value;

/// The record type of `R`.
struct Typed<R>(PhantomData<R>);

impl<R: Resource> Typed<R> {
    const RECORD: &'static RecordType = &RecordType::of::<R>();
}

/// A table of `R`: its records in an [`ErasedVec`] of `R`'s record type.
pub(crate) struct TypedTable<R> {
    records: ErasedVec,
    /// `fn() -> R`: the table owns `R`s, but its `Send` and `Sync` are the
    /// erased vector's (it only ever holds `Send + Sync` records).
    record: PhantomData<fn() -> R>,
}

/// An empty table of `R` (the schema's `new_table`).
pub fn new_table<R: Resource>() -> Box<dyn Table> {
    // SAFETY: a vector of `R`'s record type.
    Box::new(unsafe { TypedTable::<R>::of(ErasedVec::new(Typed::<R>::RECORD)) })
}

impl<R: Resource> TypedTable<R> {
    /// The table of `records`.
    ///
    /// # Safety
    /// `records` was made with `R`'s record type.
    unsafe fn of(records: ErasedVec) -> Self {
        TypedTable {
            records,
            record: PhantomData,
        }
    }

    /// The records, typed.
    fn slice(&self) -> &[R] {
        // SAFETY: the vector was made with `R`'s record type (`of`).
        unsafe { self.records.as_slice::<R>() }
    }
}

// Every method but `get`, `ints`, `uuids` and `push_read` is a call to a
// function below, compiled once.
impl<R: Resource> Table for TypedTable<R> {
    fn len(&self) -> usize {
        self.records.len()
    }
    fn duplicate(&self) -> Box<dyn Table> {
        // SAFETY: a copy of this table's vector, of the same record type.
        Box::new(unsafe { TypedTable::<R>::of(duplicate(&self.records)) })
    }
    fn get(&self, row: usize, attr: usize) -> Value {
        self.slice()[row].get(attr)
    }
    // Written in place, not pushed: a push's capacity check per value costs
    // as much as the read.
    fn ints(&self, rows: &[usize], attr: usize, out: &mut Vec<Option<i64>>) {
        let records = self.slice();
        let start = out.len();
        out.resize(start + rows.len(), None);
        for (out, &row) in out[start..].iter_mut().zip(rows) {
            if let Some(record) = records.get(row) {
                *out = record.get_int(attr);
            }
        }
    }
    fn uuids(&self, rows: &[usize], attr: usize, out: &mut Vec<Option<uuid::Uuid>>) {
        let records = self.slice();
        let start = out.len();
        out.resize(start + rows.len(), None);
        for (out, &row) in out[start..].iter_mut().zip(rows) {
            if let Some(record) = records.get(row) {
                *out = record.get_uuid(attr);
            }
        }
    }
    fn values(&self, rows: &[usize], attr: usize, out: &mut Vec<Value>) {
        values(self, rows, attr, out);
    }
    fn push_read(&mut self, reader: &mut dyn ColumnReader) -> Result<()> {
        let slot = self.records.reserve_slot();
        let record = R::read_columns(reader)?;
        // SAFETY: the slot is aligned for an `R`, the vector's record type,
        // with room for one; written, it is counted.
        unsafe {
            slot.cast::<R>().write(record);
            self.records.commit_slot();
        }
        Ok(())
    }
    fn reserve(&mut self, additional: usize) {
        self.records.reserve_exact(additional);
    }
    fn truncate(&mut self, len: usize) {
        self.records.truncate(len);
    }
    fn swap(&mut self, swaps: &[(usize, usize)]) {
        swap(&mut self.records, swaps);
    }
    fn select(&self, rows: &[usize]) -> Box<dyn Any + Send> {
        select(&self.records, rows)
    }
    fn select_onto(&self, rows: &[usize], expected: usize, out: &mut dyn Any) -> Result<()> {
        select_onto(&self.records, rows, expected, out, R::schema())
    }
    fn select_grouped(&self, rows: &[(usize, usize)], sizes: &[usize]) -> Box<dyn Any + Send> {
        select_grouped(&self.records, rows, sizes)
    }
    fn append(&mut self, records: Box<dyn Any + Send>) -> Result<()> {
        append(&mut self.records, records, R::schema())
    }
    fn take(&mut self, grouping: Option<(&[usize], &[usize])>) -> Box<dyn Any + Send> {
        take(&mut self.records, grouping)
    }
}

// The table's methods, compiled once.

/// A copy of `records`, every record cloned.
fn duplicate(records: &ErasedVec) -> ErasedVec {
    let mut copy = ErasedVec::with_capacity(records.record_type(), records.len());
    copy.extend_cloned_all(records);
    copy
}

/// [`Table::values`], through [`Table::get`].
fn values(table: &dyn Table, rows: &[usize], attr: usize, out: &mut Vec<Value>) {
    out.reserve(rows.len());
    let len = table.len();
    for &row in rows {
        out.push(if row < len {
            table.get(row, attr)
        } else {
            Value::Null
        });
    }
}

/// [`Table::swap`].
fn swap(records: &mut ErasedVec, swaps: &[(usize, usize)]) {
    for &(a, b) in swaps {
        records.swap(a, b);
    }
}

/// [`Table::select`].
fn select(records: &ErasedVec, rows: &[usize]) -> Box<dyn Any + Send> {
    let mut out = ErasedVec::with_capacity(records.record_type(), rows.len());
    out.extend_cloned(records, rows);
    out.into_vec()
}

/// [`Table::select_onto`] (`schema` names the resource in the error).
fn select_onto(
    records: &ErasedVec,
    rows: &[usize],
    expected: usize,
    out: &mut dyn Any,
    schema: &Schema,
) -> Result<()> {
    let mut out =
        ErasedVec::lend(records.record_type(), out).ok_or_else(|| wrong_records(schema))?;
    if let Some(capacity) = grown_capacity(out.len(), out.capacity(), expected, rows.len()) {
        let more = capacity - out.len();
        out.reserve_exact(more);
    }
    out.extend_cloned(records, rows);
    Ok(())
}

/// [`Table::select_grouped`].
fn select_grouped(
    records: &ErasedVec,
    rows: &[(usize, usize)],
    sizes: &[usize],
) -> Box<dyn Any + Send> {
    let ty = records.record_type();
    let mut out = empty_groups(ty, sizes);
    ErasedVec::clone_grouped(records, rows, &mut out);
    ErasedVec::into_groups(ty, out)
}

/// [`Table::append`].
fn append(records: &mut ErasedVec, more: Box<dyn Any + Send>, schema: &Schema) -> Result<()> {
    let more =
        ErasedVec::from_vec(records.record_type(), more).map_err(|_| wrong_records(schema))?;
    records.append(more);
    Ok(())
}

/// [`Table::take`].
fn take(records: &mut ErasedVec, grouping: Option<(&[usize], &[usize])>) -> Box<dyn Any + Send> {
    let ty = records.record_type();
    let records = std::mem::replace(records, ErasedVec::new(ty));
    let Some((slots, sizes)) = grouping else {
        return records.into_vec();
    };
    let mut out = empty_groups(ty, sizes);
    let mut slots = slots.iter();
    records.into_each(|record| match slots.next() {
        // SAFETY: `into_each` hands over each record once; it moves into
        // its group, a distinct buffer.
        Some(&slot) => unsafe { out[slot].push_moved(record) },
        // SAFETY: a record handed over, with no group: dropped.
        None => unsafe { ErasedVec::drop_record(ty, record) },
    });
    ErasedVec::into_groups(ty, out)
}

/// One empty group per entry of `sizes`, allocated at that size.
fn empty_groups(ty: &'static RecordType, sizes: &[usize]) -> Vec<ErasedVec> {
    let mut out = Vec::with_capacity(sizes.len());
    for &size in sizes {
        out.push(ErasedVec::with_capacity(ty, size));
    }
    out
}
