//! The one implementation of [`Table`]: an [`ErasedVec`] of records and a
//! per-resource [`TableType`]. Every method is compiled once, for all
//! resources; per resource there are only the record type's few functions
//! (clone, drop, to and from `Vec<R>`) and what is hot and small enough to
//! keep typed: reading a record from a row, an attribute's value, and the
//! in-memory filter's integer and UUID column reads (each a loop with the
//! record's accessor inlined, as before: behind an indirect call per row they
//! cost more).

use std::any::Any;

use super::erased::{ErasedVec, RecordType};
use super::{grown_capacity, wrong_records};
use crate::error::Result;
use crate::resource::{Resource, Schema, Table};
use crate::scalar::ColumnReader;
use crate::value::Value;

/// What the table needs of one resource `R`: its record type and the typed
/// reads. One `&'static` per resource ([`Typed::TABLE`]).
pub(crate) struct TableType {
    /// `R`'s layout, clone, drop, and `Vec<R>` conversions.
    record: RecordType,
    /// `R::schema`, for errors.
    schema: fn() -> &'static Schema,
    /// Attribute `attr` of the `R` at the pointer (`Resource::get`).
    get: unsafe fn(*const u8, attr: usize) -> Value,
    /// [`Table::ints`] over `len` records from the pointer.
    ints: unsafe fn(*const u8, len: usize, &[usize], attr: usize, &mut Vec<Option<i64>>),
    /// [`Table::uuids`] over `len` records from the pointer.
    uuids: unsafe fn(*const u8, len: usize, &[usize], attr: usize, &mut Vec<Option<uuid::Uuid>>),
    /// Reads an `R` from the reader into the slot (written only on `Ok`).
    read: unsafe fn(&mut dyn ColumnReader, *mut u8) -> Result<()>,
}

/// The [`TableType`] of `R`.
struct Typed<R>(std::marker::PhantomData<R>);

impl<R: Resource> Typed<R> {
    const TABLE: &'static TableType = &TableType {
        record: RecordType::of::<R>(),
        schema: R::schema,
        get: get::<R>,
        ints: ints::<R>,
        uuids: uuids::<R>,
        read: read::<R>,
    };
}

/// A table of one resource's records.
pub(crate) struct ErasedTable {
    records: ErasedVec,
    ty: &'static TableType,
}

/// An empty table of `R` (the schema's `new_table`).
pub fn new_table<R: Resource>() -> Box<dyn Table> {
    Box::new(ErasedTable::new(Typed::<R>::TABLE))
}

impl ErasedTable {
    fn new(ty: &'static TableType) -> Self {
        ErasedTable {
            records: ErasedVec::new(&ty.record),
            ty,
        }
    }

    /// `rows`' records cloned into a new vector.
    fn cloned(&self, rows: &[usize]) -> ErasedVec {
        let mut out = ErasedVec::with_capacity(&self.ty.record, rows.len());
        for &row in rows {
            // SAFETY: a record of the table's type, in another buffer.
            unsafe { out.push_clone(self.records.at(row)) };
        }
        out
    }
}

impl Table for ErasedTable {
    fn len(&self) -> usize {
        self.records.len()
    }

    fn duplicate(&self) -> Box<dyn Table> {
        let len = self.records.len();
        let mut records = ErasedVec::with_capacity(&self.ty.record, len);
        for row in 0..len {
            // SAFETY: a record of the table's type, in another buffer.
            unsafe { records.push_clone(self.records.at(row)) };
        }
        Box::new(ErasedTable {
            records,
            ty: self.ty,
        })
    }
    fn get(&self, row: usize, attr: usize) -> Value {
        // SAFETY: `at` points at a record of the type `get` is for.
        unsafe { (self.ty.get)(self.records.at(row), attr) }
    }
    fn ints(&self, rows: &[usize], attr: usize, out: &mut Vec<Option<i64>>) {
        // SAFETY: the table's `len` records of `ints`' type from its start.
        unsafe { (self.ty.ints)(self.records.as_ptr(), self.len(), rows, attr, out) }
    }
    fn uuids(&self, rows: &[usize], attr: usize, out: &mut Vec<Option<uuid::Uuid>>) {
        // SAFETY: as for `ints`.
        unsafe { (self.ty.uuids)(self.records.as_ptr(), self.len(), rows, attr, out) }
    }
    fn values(&self, rows: &[usize], attr: usize, out: &mut Vec<Value>) {
        out.reserve(rows.len());
        for &row in rows {
            out.push(if row < self.len() {
                self.get(row, attr)
            } else {
                Value::Null
            });
        }
    }
    fn push_read(&mut self, reader: &mut dyn ColumnReader) -> Result<()> {
        let read = self.ty.read;
        // SAFETY: `read` writes a record of the table's type to the slot
        // exactly when it returns `Ok`.
        unsafe { self.records.push_with(|slot| read(reader, slot)) }
    }
    fn reserve(&mut self, additional: usize) {
        self.records.reserve_exact(additional);
    }
    fn truncate(&mut self, len: usize) {
        self.records.truncate(len);
    }
    fn swap(&mut self, swaps: &[(usize, usize)]) {
        for &(a, b) in swaps {
            self.records.swap(a, b);
        }
    }
    fn select(&self, rows: &[usize]) -> Box<dyn Any + Send> {
        self.cloned(rows).into_vec()
    }
    fn select_onto(&self, rows: &[usize], expected: usize, out: &mut dyn Any) -> Result<()> {
        let mut out = ErasedVec::lend(&self.ty.record, out)
            .ok_or_else(|| wrong_records((self.ty.schema)()))?;
        if let Some(capacity) = grown_capacity(out.len(), out.capacity(), expected, rows.len()) {
            let more = capacity - out.len();
            out.reserve_exact(more);
        }
        for &row in rows {
            // SAFETY: a record of the table's type, in another buffer (`out`
            // is the caller's vector).
            unsafe { out.push_clone(self.records.at(row)) };
        }
        Ok(())
    }
    fn select_grouped(&self, rows: &[(usize, usize)], sizes: &[usize]) -> Box<dyn Any + Send> {
        let mut out = empty_groups(&self.ty.record, sizes);
        for &(row, g) in rows {
            // SAFETY: a record of the table's type, in another buffer.
            unsafe { out[g].push_clone(self.records.at(row)) };
        }
        ErasedVec::into_groups(&self.ty.record, out)
    }
    fn append(&mut self, records: Box<dyn Any + Send>) -> Result<()> {
        let records = ErasedVec::from_vec(&self.ty.record, records)
            .map_err(|_| wrong_records((self.ty.schema)()))?;
        self.records.append(records);
        Ok(())
    }
    fn take(&mut self, grouping: Option<(&[usize], &[usize])>) -> Box<dyn Any + Send> {
        let ty = &self.ty.record;
        let records = std::mem::replace(&mut self.records, ErasedVec::new(ty));
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
}

/// One empty group per entry of `sizes`, allocated at that size.
fn empty_groups(ty: &'static RecordType, sizes: &[usize]) -> Vec<ErasedVec> {
    let mut out = Vec::with_capacity(sizes.len());
    for &size in sizes {
        out.push(ErasedVec::with_capacity(ty, size));
    }
    out
}

// The typed functions of `Typed::TABLE`: with `RecordType::of`'s, the only
// table code made per resource.

/// # Safety
/// `record` is an `R`.
unsafe fn get<R: Resource>(record: *const u8, attr: usize) -> Value {
    // SAFETY: the caller's promise.
    unsafe { &*record.cast::<R>() }.get(attr)
}

// Written in place, not pushed: a push's capacity check per value costs
// as much as the read.
/// # Safety
/// `records` starts `len` initialized `R`s.
unsafe fn ints<R: Resource>(
    records: *const u8,
    len: usize,
    rows: &[usize],
    attr: usize,
    out: &mut Vec<Option<i64>>,
) {
    // SAFETY: the caller's promise.
    let records = unsafe { std::slice::from_raw_parts(records.cast::<R>(), len) };
    let start = out.len();
    out.resize(start + rows.len(), None);
    for (out, &row) in out[start..].iter_mut().zip(rows) {
        if let Some(record) = records.get(row) {
            *out = record.get_int(attr);
        }
    }
}

/// # Safety
/// As [`ints`].
unsafe fn uuids<R: Resource>(
    records: *const u8,
    len: usize,
    rows: &[usize],
    attr: usize,
    out: &mut Vec<Option<uuid::Uuid>>,
) {
    // SAFETY: the caller's promise.
    let records = unsafe { std::slice::from_raw_parts(records.cast::<R>(), len) };
    let start = out.len();
    out.resize(start + rows.len(), None);
    for (out, &row) in out[start..].iter_mut().zip(rows) {
        if let Some(record) = records.get(row) {
            *out = record.get_uuid(attr);
        }
    }
}

/// # Safety
/// `slot` is aligned for an `R`, with room for one, not initialized.
unsafe fn read<R: Resource>(reader: &mut dyn ColumnReader, slot: *mut u8) -> Result<()> {
    let record = R::read_columns(reader)?;
    // SAFETY: the caller's promise.
    unsafe { slot.cast::<R>().write(record) };
    Ok(())
}
