//! The implementation of [`Table`]: [`ErasedTable`], one implementation for
//! every resource, over an [`ErasedVec`] of records. What needs the record
//! type goes through the few functions of the resource's [`ResourceType`]
//! (reading a record from a row, an attribute's value, the in-memory filter's
//! integer and UUID column reads: a loop with the record's accessor inlined)
//! and of its [`RecordType`] (cloning, dropping, taking the records of a
//! `Vec<R>`). So registering a resource compiles only those functions, not a
//! `Table` implementation with its vtable and every method of it (see
//! `benches/compile_time/`).

use std::any::Any;
use std::marker::PhantomData;
use std::ptr;

use super::{grown_capacity, wrong_records};
use crate::data_layer::erased::{ErasedGroups, ErasedVec, RecordType};
use crate::error::Result;
use crate::resource::visitors::{AsInt, AsUuid, ToValue};
use crate::resource::{Resource, Schema, Table};
use crate::scalar::{AttributeVisitor, ColumnReader};
use crate::value::Value;

/// What a table needs of its resource beyond its [`RecordType`]: the
/// functions that read a record. Made by [`Typed::TABLE`], one `&'static` per
/// resource.
pub(crate) struct ResourceType {
    /// The record type.
    record: &'static RecordType,
    /// The resource's schema (names it in errors).
    schema: fn() -> &'static Schema,
    /// Reads a record from the reader into the slot (left uninitialized on
    /// an error).
    read: unsafe fn(&mut dyn ColumnReader, *mut u8) -> Result<()>,
    /// The value of an attribute of the record at the pointer.
    get: unsafe fn(*const u8, usize) -> Value,
    /// The attribute of the record at the pointer as an integer ([`Table::get_int`]).
    int: unsafe fn(*const u8, usize) -> Option<i64>,
    /// The same as a UUID ([`Table::get_uuid`]).
    uuid: unsafe fn(*const u8, usize) -> Option<uuid::Uuid>,
    /// [`Table::ints`] over the records of the vector.
    ints: unsafe fn(&ErasedVec, &[usize], usize, &mut Vec<Option<i64>>),
    /// [`Table::uuids`] over the records of the vector.
    uuids: unsafe fn(&ErasedVec, &[usize], usize, &mut Vec<Option<uuid::Uuid>>),
}

/// The record and resource types of `R`.
struct Typed<R>(PhantomData<R>);

impl<R: Resource> Typed<R> {
    const RECORD: &'static RecordType = &RecordType::of::<R>();
    const TABLE: &'static ResourceType = &ResourceType {
        record: Self::RECORD,
        schema: R::schema,
        read: read::<R>,
        get: get::<R, ToValue>,
        int: get::<R, AsInt>,
        uuid: get::<R, AsUuid>,
        ints: column::<R, AsInt>,
        uuids: column::<R, AsUuid>,
    };
}

/// An empty table of `R` (the schema's `new_table`).
pub fn new_table<R: Resource>() -> Box<dyn Table> {
    table_of_type(Typed::<R>::TABLE)
}

/// An empty table of the resource type `ty`.
fn table_of_type(ty: &'static ResourceType) -> Box<dyn Table> {
    Box::new(ErasedTable {
        records: ErasedVec::new(ty.record),
        ty,
    })
}

/// A table of one resource: its records in an [`ErasedVec`] of the
/// resource's record type.
///
/// Invariant: `records` was made with `ty.record`, so its records are of the
/// type `ty`'s functions were made for.
struct ErasedTable {
    records: ErasedVec,
    ty: &'static ResourceType,
}

impl Table for ErasedTable {
    fn len(&self) -> usize {
        self.records.len()
    }
    fn duplicate(&self) -> Box<dyn Table> {
        Box::new(ErasedTable {
            records: duplicate(&self.records),
            ty: self.ty,
        })
    }
    fn get(&self, row: usize, attr: usize) -> Value {
        // SAFETY: `at` checks the position and gives a record of the
        // vector, of `ty`'s type (invariant).
        unsafe { (self.ty.get)(self.records.at(row), attr) }
    }
    fn get_int(&self, row: usize, attr: usize) -> Option<i64> {
        // SAFETY: as in `get`.
        unsafe { (self.ty.int)(self.records.at(row), attr) }
    }
    fn get_uuid(&self, row: usize, attr: usize) -> Option<uuid::Uuid> {
        // SAFETY: as in `get`.
        unsafe { (self.ty.uuid)(self.records.at(row), attr) }
    }
    fn ints(&self, rows: &[usize], attr: usize, out: &mut Vec<Option<i64>>) {
        // SAFETY: the vector holds records of `ty`'s type (invariant).
        unsafe { (self.ty.ints)(&self.records, rows, attr, out) }
    }
    fn uuids(&self, rows: &[usize], attr: usize, out: &mut Vec<Option<uuid::Uuid>>) {
        // SAFETY: as in `ints`.
        unsafe { (self.ty.uuids)(&self.records, rows, attr, out) }
    }
    fn values(&self, rows: &[usize], attr: usize, out: &mut Vec<Value>) {
        values(self, rows, attr, out);
    }
    fn push_read(&mut self, reader: &mut dyn ColumnReader) -> Result<()> {
        let slot = self.records.reserve_slot();
        // SAFETY: the slot has room for one record of `ty`'s type, the
        // vector's (invariant); it is counted only once written.
        unsafe {
            (self.ty.read)(reader, slot)?;
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
        select_onto(&self.records, rows, expected, out, (self.ty.schema)())
    }
    fn select_grouped(&self, rows: &[(usize, usize)], sizes: &[usize]) -> Box<dyn Any + Send> {
        select_grouped(&self.records, rows, sizes)
    }
    fn append(&mut self, records: Box<dyn Any + Send>) -> Result<()> {
        append(&mut self.records, records, (self.ty.schema)())
    }
    fn take(&mut self, grouping: Option<(&[usize], &[usize])>) -> Box<dyn Any + Send> {
        take(&mut self.records, grouping)
    }
}

// The functions of `Typed::TABLE`, made for each resource: each one function,
// calling no generic helper but the record's own (`read_columns`, `visit`)
// and `ptr::write`.

/// # Safety
/// `slot` has room for an `R`, not initialized.
unsafe fn read<R: Resource>(reader: &mut dyn ColumnReader, slot: *mut u8) -> Result<()> {
    // A `match`, not `?`: no `Try` functions made for `Result<R>`.
    match R::read_columns(reader) {
        Ok(record) => {
            // SAFETY: the caller's promise.
            unsafe { ptr::write(slot as *mut R, record) };
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// The attribute of the record as `V` reads it ([`Table::get`],
/// [`Table::get_int`], [`Table::get_uuid`]).
///
/// # Safety
/// `record` is an `R`, live for the call.
unsafe fn get<R: Resource, V: AttributeVisitor + Default>(
    record: *const u8,
    attr: usize,
) -> V::Output {
    // SAFETY: the caller's promise.
    unsafe { &*(record as *const R) }.visit(attr, V::default())
}

/// [`Table::ints`] (`V` [`AsInt`]) and [`Table::uuids`] (`V` [`AsUuid`]):
/// the attribute of each record of `rows` as `V` reads it, `V::missing` for
/// a row past the end.
///
/// # Safety
/// `records` holds `R`s.
unsafe fn column<R: Resource, V: AttributeVisitor + Default>(
    records: &ErasedVec,
    rows: &[usize],
    attr: usize,
    out: &mut Vec<V::Output>,
) where
    V::Output: Clone,
{
    // Written in place, not pushed: a push's capacity check per value costs
    // as much as the read.
    let start = out.len();
    out.resize(start + rows.len(), V::default().missing());
    let (base, len) = (records.as_ptr(), records.len());
    for (out, &row) in out[start..].iter_mut().zip(rows) {
        if row < len {
            // SAFETY: record `row` is initialized, an `R` (caller), at
            // `row` records of `R`'s size from the start.
            let record = unsafe { &*(base.add(row * const { size_of::<R>() }) as *const R) };
            *out = record.visit(attr, V::default());
        }
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
    out.boxed()
}

/// [`Table::select_onto`] (`schema` names the resource in the error).
fn select_onto(
    records: &ErasedVec,
    rows: &[usize],
    expected: usize,
    out: &mut dyn Any,
    schema: &Schema,
) -> Result<()> {
    let out = match out.downcast_mut::<ErasedVec>() {
        Some(out) if out.same_type(records) => out,
        _ => return Err(wrong_records(schema)),
    };
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
    ErasedGroups::boxed(ty, out)
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
        return records.boxed();
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
    ErasedGroups::boxed(ty, out)
}

/// One empty group per entry of `sizes`, allocated at that size.
fn empty_groups(ty: &'static RecordType, sizes: &[usize]) -> Vec<ErasedVec> {
    let mut out = Vec::with_capacity(sizes.len());
    for &size in sizes {
        out.push(ErasedVec::with_capacity(ty, size));
    }
    out
}
