//! The functions of [`RecordType::of`](super::RecordType::of): the only code
//! made for each record type (cloning, dropping, and handing records back as
//! the `Vec<T>` or `Vec<Vec<T>>` callers expect); everything else of the
//! erased vector is compiled once.

use std::any::Any;
use std::mem::ManuallyDrop;
use std::ptr;

use super::{ErasedVec, RawParts};

/// # Safety
/// `src` and `dst` hold `T`s; `dst` has room for `rows.len()` more.
pub(super) unsafe fn clone_rows<T: Clone>(src: &ErasedVec, rows: &[usize], dst: &mut ErasedVec) {
    // SAFETY: the caller's promise.
    let records = unsafe { src.as_slice::<T>() };
    for &row in rows {
        let record = records[row].clone();
        // SAFETY: there is room (caller); the slot past `len` is not
        // initialized. `len` counts it once written, so a later panic drops it.
        unsafe { dst.end().cast::<T>().write(record) };
        dst.len += 1;
    }
}

/// # Safety
/// `src` and every group hold `T`s.
pub(super) unsafe fn clone_grouped<T: Clone>(
    src: &ErasedVec,
    pairs: &[(usize, usize)],
    groups: &mut [ErasedVec],
) {
    // SAFETY: the caller's promise.
    let records = unsafe { src.as_slice::<T>() };
    for &(row, g) in pairs {
        let record = records[row].clone();
        let group = &mut groups[g];
        if group.len == group.cap {
            group.reserve(1);
        }
        // SAFETY: the group has room past `len`, not initialized; `len`
        // counts the record once written.
        unsafe { group.end().cast::<T>().write(record) };
        group.len += 1;
    }
}

/// # Safety
/// `p` is a `T` owned by the caller, never used again.
pub(super) unsafe fn drop_one<T>(p: *mut u8) {
    // SAFETY: the caller's promise.
    unsafe { ptr::drop_in_place(p.cast::<T>()) }
}

pub(super) fn empty_vec<T: Send + 'static>() -> Box<dyn Any + Send> {
    Box::new(Vec::<T>::new())
}

/// # Safety
/// `parts` are a `Vec<T>`'s, given up (see [`ErasedVec`]'s invariant).
pub(super) unsafe fn swap_parts<T: 'static>(
    out: &mut dyn Any,
    parts: RawParts,
) -> Option<RawParts> {
    let out = out.downcast_mut::<Vec<T>>()?;
    // SAFETY: the caller's promise.
    let old = std::mem::replace(out, unsafe { vec_from_parts::<T>(parts) });
    let mut old = ManuallyDrop::new(old);
    Some(RawParts {
        ptr: old.as_mut_ptr().cast::<u8>(),
        len: old.len(),
        cap: old.capacity(),
    })
}

/// # Safety
/// As [`swap_parts`].
pub(super) unsafe fn vec_from_parts<T>(parts: RawParts) -> Vec<T> {
    if parts.cap == 0 {
        return Vec::new();
    }
    // SAFETY: the buffer was allocated by the global allocator with
    // `Layout::array::<T>(cap)` (what `RecordType::array` makes for `T`), and
    // holds `len` initialized `T`s: a `Vec<T>`'s parts.
    unsafe { Vec::from_raw_parts(parts.ptr.cast::<T>(), parts.len, parts.cap) }
}

/// # Safety
/// Each of `groups` holds `T`s; their records and buffers move to the result
/// (the caller forgets the groups).
pub(super) unsafe fn groups_of<T: Send + 'static>(groups: &[ErasedVec]) -> Box<dyn Any + Send> {
    let mut out: Vec<Vec<T>> = Vec::with_capacity(groups.len());
    for group in groups {
        // SAFETY: a group's parts are a `Vec<T>`'s (invariant), and the
        // caller gives them up.
        out.push(unsafe { vec_from_parts::<T>(group.raw_parts()) });
    }
    Box::new(out)
}
