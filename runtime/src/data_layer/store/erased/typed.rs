//! The functions of [`RecordType::of`](super::RecordType::of): the only code
//! made for each record type (cloning, dropping, and handing records back as
//! the `Vec<T>` or `Vec<Vec<T>>` callers expect); everything else of the
//! erased vector is compiled once.
//!
//! Each is written with raw pointers and `as` casts rather than the slice,
//! `Option`, `Box` and `Vec` helpers that would read more naturally: in a debug
//! build every generic helper a per-type function calls is one more function
//! compiled (and tracked by the incremental build) for every resource.

use std::any::{Any, TypeId};
use std::ptr;

use super::{ErasedVec, RawParts};

/// # Safety
/// `src` and `dst` hold `T`s; `dst` has room for `rows.len()` more.
pub(super) unsafe fn clone_rows<T: Clone>(src: &ErasedVec, rows: &[usize], dst: &mut ErasedVec) {
    for &row in rows {
        // SAFETY: `at` checks the position and gives a record of `src`, a `T`
        // (caller), live while `src` is borrowed.
        let record = T::clone(unsafe { &*(src.at(row) as *const T) });
        // SAFETY: there is room (caller); the slot past `len` is not
        // initialized. `len` counts it once written, so a later panic drops it.
        unsafe { ptr::write(dst.end() as *mut T, record) };
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
    for &(row, g) in pairs {
        // SAFETY: as in `clone_rows`.
        let record = T::clone(unsafe { &*(src.at(row) as *const T) });
        let group = &mut groups[g];
        if group.len == group.cap {
            group.reserve(1);
        }
        // SAFETY: the group has room past `len`, not initialized; `len`
        // counts the record once written.
        unsafe { ptr::write(group.end() as *mut T, record) };
        group.len += 1;
    }
}

/// # Safety
/// `p` is a `T` owned by the caller, never used again.
pub(super) unsafe fn drop_one<T>(p: *mut u8) {
    // SAFETY: the caller's promise.
    unsafe { ptr::drop_in_place(p as *mut T) }
}

/// The `Vec<T>` of `parts`, boxed.
///
/// # Safety
/// `parts` are a `Vec<T>`'s, given up (see [`ErasedVec`]'s invariant).
pub(super) unsafe fn boxed_vec<T: Send + 'static>(parts: RawParts) -> Box<dyn Any + Send> {
    // SAFETY: the caller's promise.
    Box::new(unsafe { vec_from_parts::<T>(parts) })
}

/// # Safety
/// `parts` are a `Vec<T>`'s, given up (see [`ErasedVec`]'s invariant).
pub(super) unsafe fn swap_parts<T: 'static>(
    out: &mut dyn Any,
    parts: RawParts,
) -> Option<RawParts> {
    // The type is compared here, not by `downcast_mut` (three functions
    // more per record type); the constant is computed at compile time.
    if (*out).type_id() != const { TypeId::of::<Vec<T>>() } {
        return None;
    }
    // SAFETY: `out` is a `Vec<T>` (its type id says so), borrowed exclusively.
    let out = unsafe { &mut *(out as *mut dyn Any as *mut Vec<T>) };
    let old = RawParts {
        ptr: out.as_mut_ptr() as *mut u8,
        len: out.len(),
        cap: out.capacity(),
    };
    // SAFETY: the old vector's parts are handed to the caller, which owns
    // them from here on: it is overwritten, not dropped, with the vector of
    // `parts` (the caller's promise).
    unsafe { ptr::write(out, vec_from_parts::<T>(parts)) };
    Some(old)
}

/// # Safety
/// As [`swap_parts`].
pub(super) unsafe fn vec_from_parts<T>(parts: RawParts) -> Vec<T> {
    // SAFETY: a non-zero capacity's buffer was allocated by the global
    // allocator with `Layout::array::<T>(cap)` (what `RecordType::array`
    // makes for `T`) and holds `len` initialized `T`s: a `Vec<T>`'s parts.
    // With capacity 0 the pointer is dangling, non-null and aligned for `T`
    // (`RecordType::dangling`, or an empty `Vec<T>`'s), which is all
    // `Vec::from_raw_parts` asks then ("if the capacity is nonzero, `ptr`
    // must have been allocated using the global allocator").
    unsafe { Vec::from_raw_parts(parts.ptr as *mut T, parts.len, parts.cap) }
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
