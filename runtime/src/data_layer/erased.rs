//! A vector of records whose type is erased: a raw buffer, its length and
//! capacity, and a [`RecordType`] saying how big one record is and how to
//! clone and drop it. Moving a record is a copy of its bytes, done here; so
//! every loop over records (growing, selecting, grouping, swapping,
//! truncating) is compiled once, not once per resource, and only the few small
//! functions of a [`RecordType`] are made for each record type (see
//! `benches/compile_time/`).
//!
//! The records leave a table in this form (boxed as `dyn Any`, an
//! [`ErasedVec`] or [`ErasedGroups`]), and become the `Vec<R>` (or
//! `Vec<Vec<R>>`) callers expect in the caller, which knows `R`
//! ([`vec_of`], [`groups_of`]): that conversion is compiled where a resource is
//! read, not where it is registered.

use std::alloc::{self, Layout};
use std::any::{Any, TypeId};
use std::mem::ManuallyDrop;
use std::ptr::{self, NonNull};

use typed::{clone_grouped, clone_rows, drop_one, take_vec};

/// What the erased code needs to know of one record type `T`: its layout and
/// the few operations that need the type. Made by [`RecordType::of`], one
/// `&'static` per type.
pub(crate) struct RecordType {
    /// `size_of::<T>()`, never 0.
    size: usize,
    /// `align_of::<T>()`.
    align: usize,
    /// Appends to `dst` clones of the records of `src` at the positions of
    /// `rows` (room made for them).
    clone_rows: unsafe fn(src: &ErasedVec, rows: &[usize], dst: &mut ErasedVec),
    /// Appends clones of the records of `src` at the positions of `pairs`,
    /// each to the group of `groups` its pair names.
    clone_grouped: CloneGrouped,
    /// Drops the `T` at the pointer in place.
    drop_one: unsafe fn(*mut u8),
    /// The parts of the `Vec<T>` in the box, its buffer and records given
    /// up (the box freed); the box back when it is not a `Vec<T>`.
    take_vec: TakeVec,
    /// `TypeId::of::<T>()`: what the typed conversions check.
    type_id: TypeId,
}

/// The type of [`RecordType`]'s grouped clone: from `src`, the records at
/// the positions of `pairs` (position, group) into `groups`.
type CloneGrouped = unsafe fn(src: &ErasedVec, pairs: &[(usize, usize)], groups: &mut [ErasedVec]);

/// The type of [`RecordType`]'s way in from a boxed `Vec<T>`.
type TakeVec = fn(Box<dyn Any + Send>) -> Result<RawParts, Box<dyn Any + Send>>;

/// The pieces of a vector: its buffer, length and capacity (in records).
#[derive(Clone, Copy)]
pub(crate) struct RawParts {
    /// The buffer (dangling, aligned, when `cap` is 0).
    pub(crate) ptr: *mut u8,
    /// Records initialized, from the start.
    pub(crate) len: usize,
    /// Records the buffer has room for.
    pub(crate) cap: usize,
}

impl RecordType {
    /// The record type of `T`. A zero-sized `T` fails to compile (no resource
    /// is one: each has at least its primary key).
    pub(crate) const fn of<T: Clone + Send + Sync + 'static>() -> RecordType {
        assert!(
            size_of::<T>() != 0,
            "an erased vector holds no zero-sized type"
        );
        RecordType {
            size: size_of::<T>(),
            align: align_of::<T>(),
            clone_rows: clone_rows::<T>,
            clone_grouped: clone_grouped::<T>,
            drop_one: drop_one::<T>,
            take_vec: take_vec::<T>,
            type_id: TypeId::of::<T>(),
        }
    }

    /// The layout of `cap` records; panics past `isize::MAX` bytes, as a `Vec` does.
    fn array(&self, cap: usize) -> Layout {
        self.size
            .checked_mul(cap)
            .and_then(|bytes| Layout::from_size_align(bytes, self.align).ok())
            .expect("capacity overflow")
    }

    /// The buffer of an empty vector: dangling, aligned, never read.
    fn dangling(&self) -> NonNull<u8> {
        // SAFETY: `align` is a power of two, so not zero.
        unsafe { NonNull::new_unchecked(ptr::without_provenance_mut(self.align)) }
    }
}

/// Records of one [`RecordType`] in one buffer, allocated as a `Vec` of that
/// type allocates (the global allocator, `size * cap` bytes at `align`), so a
/// buffer passes between the two without a copy.
///
/// Invariant: the first `len` records of the buffer are initialized records of
/// `ty`'s type, owned by the vector; `cap` is 0 (buffer dangling) or the
/// buffer is allocated with `ty.array(cap)`.
pub(crate) struct ErasedVec {
    ptr: NonNull<u8>,
    len: usize,
    cap: usize,
    ty: &'static RecordType,
}

// SAFETY: a `RecordType` is only made for a `T: Send + Sync`
// (`RecordType::of`), and the vector owns its records as a `Vec<T>` would.
unsafe impl Send for ErasedVec {}
// SAFETY: as above; `&ErasedVec` only gives out `*const` access to records.
unsafe impl Sync for ErasedVec {}

impl ErasedVec {
    /// An empty vector (no allocation).
    pub(crate) fn new(ty: &'static RecordType) -> Self {
        // (`size` is not 0: `RecordType::of` refuses zero-sized types.)
        ErasedVec {
            ptr: ty.dangling(),
            len: 0,
            cap: 0,
            ty,
        }
    }

    /// An empty vector with room for `cap` records.
    pub(crate) fn with_capacity(ty: &'static RecordType, cap: usize) -> Self {
        if cap == 0 {
            return ErasedVec::new(ty);
        }
        let layout = ty.array(cap);
        // SAFETY: `layout` has a non-zero size (`size` and `cap` are not 0).
        let ptr = unsafe { alloc::alloc(layout) };
        let Some(ptr) = NonNull::new(ptr) else {
            alloc::handle_alloc_error(layout)
        };
        // The invariant: no record yet, a buffer of `array(cap)`.
        ErasedVec {
            ptr,
            len: 0,
            cap,
            ty,
        }
    }

    /// A vector of a `Vec<T>`'s parts (`T` the type `ty` describes).
    ///
    /// # Safety
    /// `parts` are those of a `Vec<T>` given up (not dropped): buffer, length
    /// and capacity as the vector had them.
    pub(crate) unsafe fn from_raw_parts(ty: &'static RecordType, parts: RawParts) -> Self {
        if parts.cap == 0 {
            return ErasedVec::new(ty);
        }
        ErasedVec {
            // SAFETY: an allocated buffer is not null.
            ptr: unsafe { NonNull::new_unchecked(parts.ptr) },
            len: parts.len,
            cap: parts.cap,
            ty,
        }
    }

    /// The buffer, length and capacity (still the vector's).
    fn raw_parts(&self) -> RawParts {
        RawParts {
            ptr: self.ptr.as_ptr(),
            len: self.len,
            cap: self.cap,
        }
    }

    /// Gives up the buffer, the records in it now owned by the caller.
    pub(crate) fn into_raw_parts(self) -> RawParts {
        ManuallyDrop::new(self).raw_parts()
    }

    /// The records, boxed as they leave a table (see [`vec_of`]).
    pub(crate) fn boxed(self) -> Box<dyn Any + Send> {
        Box::new(self)
    }

    /// The records of `records`: records boxed by [`ErasedVec::boxed`] or a
    /// `Vec<T>` (what a data layer of its own returns), `T` the type `ty`
    /// describes; the box back when it is neither.
    pub(crate) fn from_vec(
        ty: &'static RecordType,
        records: Box<dyn Any + Send>,
    ) -> Result<Self, Box<dyn Any + Send>> {
        let records = match records.downcast::<ErasedVec>() {
            Ok(erased) if erased.ty.type_id == ty.type_id => return Ok(*erased),
            Ok(erased) => return Err(erased),
            Err(records) => records,
        };
        let parts = (ty.take_vec)(records)?;
        // SAFETY: `take_vec` gave up a `Vec<T>` as its parts.
        Ok(unsafe { ErasedVec::from_raw_parts(ty, parts) })
    }

    /// The records as a `Vec<T>`; the vector back when its records are not `T`s.
    pub(crate) fn into_vec_of<T: 'static>(self) -> Result<Vec<T>, Self> {
        if self.ty.type_id != TypeId::of::<T>() {
            return Err(self);
        }
        let parts = self.into_raw_parts();
        // SAFETY: the parts are this vector's, given up; they are a `Vec<T>`'s
        // (its record type is `T`'s): a buffer allocated by the global
        // allocator with `Layout::array::<T>(cap)` (what `RecordType::array`
        // makes for `T`) holding `len` initialized `T`s. With capacity 0 the
        // pointer is dangling, non-null and aligned for `T`
        // (`RecordType::dangling`), which is all `Vec::from_raw_parts` asks
        // then ("if the capacity is nonzero, `ptr` must have been allocated
        // using the global allocator").
        Ok(unsafe { Vec::from_raw_parts(parts.ptr.cast::<T>(), parts.len, parts.cap) })
    }

    /// Number of records.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The record type.
    pub(crate) fn record_type(&self) -> &'static RecordType {
        self.ty
    }

    /// Room, in records.
    pub(crate) fn capacity(&self) -> usize {
        self.cap
    }

    /// The start of the buffer (records `0..len` are initialized).
    pub(crate) fn as_ptr(&self) -> *const u8 {
        self.ptr.as_ptr()
    }

    /// Record `i`; panics past the end, as indexing a slice does.
    pub(crate) fn at(&self, i: usize) -> *const u8 {
        assert!(
            i < self.len,
            "index out of bounds: the len is {} but the index is {i}",
            self.len
        );
        // SAFETY: `i < len <= cap`, so the offset is inside the buffer.
        unsafe { self.ptr.as_ptr().add(i * self.ty.size) }
    }

    /// Where record `len` goes (room for it must have been made).
    fn end(&self) -> *mut u8 {
        debug_assert!(self.len < self.cap);
        // SAFETY: `len < cap`, so the offset is inside the buffer.
        unsafe { self.ptr.as_ptr().add(self.len * self.ty.size) }
    }

    /// Makes room for `additional` more records, exactly (as `Vec::reserve_exact`).
    pub(crate) fn reserve_exact(&mut self, additional: usize) {
        if self.cap - self.len < additional {
            let cap = self.len.checked_add(additional).expect("capacity overflow");
            self.grow_to(cap);
        }
    }

    /// Makes room for `additional` more records, at least doubling (as
    /// `Vec::reserve`, whose growth it follows).
    pub(crate) fn reserve(&mut self, additional: usize) {
        if self.cap - self.len < additional {
            let needed = self.len.checked_add(additional).expect("capacity overflow");
            let least = match self.ty.size {
                1 => 8,
                2..=1024 => 4,
                _ => 1,
            };
            self.grow_to(needed.max(self.cap.saturating_mul(2)).max(least));
        }
    }

    /// Moves the records to a buffer of `cap` records (`cap > self.cap`).
    fn grow_to(&mut self, cap: usize) {
        debug_assert!(cap > self.cap);
        let layout = self.ty.array(cap);
        let ptr = if self.cap == 0 {
            // SAFETY: `layout` has a non-zero size (`size` and `cap` are not 0).
            unsafe { alloc::alloc(layout) }
        } else {
            // SAFETY: the buffer was allocated with `array(self.cap)`, and the
            // new size, not zero, fits `isize` (checked by `array`).
            unsafe { alloc::realloc(self.ptr.as_ptr(), self.ty.array(self.cap), layout.size()) }
        };
        let Some(ptr) = NonNull::new(ptr) else {
            alloc::handle_alloc_error(layout)
        };
        self.ptr = ptr;
        self.cap = cap;
    }

    /// Appends clones of the records of `src` (of the same type) at the
    /// positions of `rows`, in that order; panics at a position past the end.
    /// Should a clone panic, the clones made so far stay appended.
    pub(crate) fn extend_cloned(&mut self, src: &ErasedVec, rows: &[usize]) {
        debug_assert!(self.ty.size == src.ty.size && self.ty.align == src.ty.align);
        self.reserve(rows.len());
        // SAFETY: both vectors hold records of the type; there is room.
        unsafe { (self.ty.clone_rows)(src, rows, self) }
    }

    /// Appends clones of every record of `src` (of the same type), in order.
    pub(crate) fn extend_cloned_all(&mut self, src: &ErasedVec) {
        // A few hundred positions at a time: the clone loop takes positions.
        let mut rows = [0_usize; 256];
        let mut start = 0;
        while start < src.len {
            let end = src.len.min(start + rows.len());
            for (slot, row) in rows.iter_mut().zip(start..end) {
                *slot = row;
            }
            self.extend_cloned(src, &rows[..end - start]);
            start = end;
        }
    }

    /// Appends clones of the records of `src` (of the same type as every group)
    /// at the positions of `pairs`, each to the group its pair names (a group
    /// short of room grows). Panics at a position or group past the end.
    pub(crate) fn clone_grouped(
        src: &ErasedVec,
        pairs: &[(usize, usize)],
        groups: &mut [ErasedVec],
    ) {
        debug_assert!(
            groups
                .iter()
                .all(|g| g.ty.size == src.ty.size && g.ty.align == src.ty.align)
        );
        // SAFETY: all hold records of the type.
        unsafe { (src.ty.clone_grouped)(src, pairs, groups) }
    }

    /// The slot past the last record, room made for it: where the caller
    /// writes a record before [`ErasedVec::commit_slot`] counts it.
    pub(crate) fn reserve_slot(&mut self) -> *mut u8 {
        self.reserve(1);
        self.end()
    }

    /// Counts the record written to the slot [`ErasedVec::reserve_slot`] gave.
    ///
    /// # Safety
    /// A record of the vector's type was written there since.
    pub(crate) unsafe fn commit_slot(&mut self) {
        debug_assert!(self.len < self.cap);
        self.len += 1;
    }

    /// Appends the record at `src`, moved: its bytes are copied.
    ///
    /// # Safety
    /// `src` is a record of this vector's type, outside this vector's buffer,
    /// which the caller gives up (never uses nor drops it again).
    pub(crate) unsafe fn push_moved(&mut self, src: *const u8) {
        self.reserve(1);
        // SAFETY: `src` is a record outside the buffer (caller); `end` has
        // room for one.
        unsafe { ptr::copy_nonoverlapping(src, self.end(), self.ty.size) };
        self.len += 1;
    }

    /// Moves every record of `other` (of the same type) to the end of this
    /// one (as `Vec::append`, taking `other`'s buffer when this one is empty).
    pub(crate) fn append(&mut self, mut other: ErasedVec) {
        debug_assert!(self.ty.size == other.ty.size && self.ty.align == other.ty.align);
        if self.len == 0 {
            std::mem::swap(self, &mut other);
            return;
        }
        self.reserve(other.len);
        // SAFETY: the buffers are distinct; `other`'s first `len` records are
        // initialized; there is room for them past `self.len`. They are
        // `self`'s from here on: `other` forgets them before it is dropped.
        unsafe {
            ptr::copy_nonoverlapping(
                other.as_ptr(),
                self.end_unchecked(),
                other.len * self.ty.size,
            )
        };
        self.len += other.len;
        other.len = 0;
    }

    /// Where record `len` goes, with no room required (for a bulk copy).
    fn end_unchecked(&mut self) -> *mut u8 {
        // SAFETY: `len <= cap`: at most one past the buffer's records.
        unsafe { self.ptr.as_ptr().add(self.len * self.ty.size) }
    }

    /// Drops the records from `len` on, in order (as `Vec::truncate`). Should a
    /// drop panic, the records after it leak (none is dropped twice).
    pub(crate) fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        let old = self.len;
        self.len = len;
        for i in len..old {
            // SAFETY: record `i` was initialized and is no longer counted, so
            // it is dropped exactly once.
            unsafe { (self.ty.drop_one)(self.ptr.as_ptr().add(i * self.ty.size)) };
        }
    }

    /// Swaps records `a` and `b`; panics when either is past the end.
    pub(crate) fn swap(&mut self, a: usize, b: usize) {
        let (pa, pb) = (self.at(a).cast_mut(), self.at(b).cast_mut());
        if a != b {
            // SAFETY: distinct records of the buffer do not overlap.
            unsafe { ptr::swap_nonoverlapping(pa, pb, self.ty.size) };
        }
    }

    /// Empties the vector, handing each record, in order, to `take`, which
    /// owns it from then on. Should `take` panic, the records after it leak.
    pub(crate) fn into_each(mut self, mut take: impl FnMut(*mut u8)) {
        let len = self.len;
        // The records are handed out, not dropped, with the buffer.
        self.len = 0;
        for i in 0..len {
            // SAFETY: record `i` is initialized and, not counted, handed out once.
            take(unsafe { self.ptr.as_ptr().add(i * self.ty.size) });
        }
    }

    /// Drops the record at `p`, which the caller owns (of this vector's type).
    ///
    /// # Safety
    /// `p` is a record of the type, owned by the caller, never used again.
    pub(crate) unsafe fn drop_record(ty: &RecordType, p: *mut u8) {
        // SAFETY: the caller's promise.
        unsafe { (ty.drop_one)(p) }
    }

    /// Whether the records are of the same record type as those of `other`.
    pub(crate) fn same_type(&self, other: &ErasedVec) -> bool {
        self.ty.type_id == other.ty.type_id
    }
}

/// Groups of records of one [`RecordType`], as a table's grouped read
/// leaves it (boxed): a `Vec<Vec<T>>` once [`groups_of`] has it.
pub(crate) struct ErasedGroups {
    ty: &'static RecordType,
    groups: Vec<ErasedVec>,
}

impl ErasedGroups {
    /// `groups` (each of type `ty`), boxed.
    pub(crate) fn boxed(ty: &'static RecordType, groups: Vec<ErasedVec>) -> Box<dyn Any + Send> {
        debug_assert!(groups.iter().all(|g| g.ty.type_id == ty.type_id));
        Box::new(ErasedGroups { ty, groups })
    }
}

/// The records of `records` as a `Vec<T>`: records a table gave (an
/// [`ErasedVec`] of `T`s) or a `Vec<T>` (a data layer's own); the box back
/// when they are neither. Generic, so compiled where records of `T` are
/// read, not for every resource registered.
pub(crate) fn vec_of<T: 'static>(
    records: Box<dyn Any + Send>,
) -> Result<Vec<T>, Box<dyn Any + Send>> {
    match records.downcast::<ErasedVec>() {
        Ok(erased) => erased.into_vec_of::<T>().map_err(ErasedVec::boxed),
        Err(records) => records.downcast::<Vec<T>>().map(|records| *records),
    }
}

/// The groups of `records` as a `Vec<Vec<T>>` (as [`vec_of`], for grouped
/// records: [`ErasedGroups`] or a `Vec<Vec<T>>`).
pub(crate) fn groups_of<T: 'static>(
    records: Box<dyn Any + Send>,
) -> Result<Vec<Vec<T>>, Box<dyn Any + Send>> {
    let erased = match records.downcast::<ErasedGroups>() {
        Ok(erased) => erased,
        Err(records) => return records.downcast::<Vec<Vec<T>>>().map(|groups| *groups),
    };
    if erased.ty.type_id != TypeId::of::<T>() {
        return Err(erased);
    }
    let mut out = Vec::with_capacity(erased.groups.len());
    for group in erased.groups {
        match group.into_vec_of::<T>() {
            Ok(group) => out.push(group),
            Err(_) => unreachable!("every group is of the groups' record type"),
        }
    }
    Ok(out)
}

impl Drop for ErasedVec {
    fn drop(&mut self) {
        // The records first (should one panic, the rest and the buffer leak).
        self.truncate(0);
        if self.cap != 0 {
            // SAFETY: the buffer was allocated with `array(cap)`.
            unsafe { alloc::dealloc(self.ptr.as_ptr(), self.ty.array(self.cap)) };
        }
    }
}

mod typed;

#[cfg(test)]
mod tests;
