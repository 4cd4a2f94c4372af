//! The functions of [`RecordType::of`](super::RecordType::of): the only code
//! made for each record type (cloning, dropping, and taking the records of a
//! `Vec<T>` a data layer of its own returns); everything else of the erased
//! vector is compiled once, and the way back to a `Vec<T>` is the caller's.
//!
//! Each is written with raw pointers and `as` casts rather than the slice,
//! `Option`, `Box` and `Vec` helpers that would read more naturally: in a debug
//! build every generic helper a per-type function calls is one more function
//! compiled (and tracked by the incremental build) for every resource.

use std::alloc::{self, Layout};
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

/// The parts of the `Vec<T>` in `records`, its buffer and records given up,
/// the box freed; the box back when it holds something else.
pub(super) fn take_vec<T: 'static>(
    records: Box<dyn Any + Send>,
) -> Result<RawParts, Box<dyn Any + Send>> {
    // The type is compared here, not by `downcast` (five functions more per
    // record type); the constant is computed at compile time.
    if (*records).type_id() != const { TypeId::of::<Vec<T>>() } {
        return Err(records);
    }
    let vec = Box::into_raw(records) as *mut Vec<T>;
    // SAFETY: the box held a `Vec<T>` (its type id says so), now given up:
    // the pointer is to that vector, live until freed below.
    let parts = unsafe {
        RawParts {
            ptr: (*vec).as_mut_ptr() as *mut u8,
            len: (*vec).len(),
            cap: (*vec).capacity(),
        }
    };
    // SAFETY: the box's allocation, of a `Vec<T>` (not zero-sized), freed
    // without dropping the vector, whose buffer and records the parts hand
    // over to the caller.
    unsafe { alloc::dealloc(vec as *mut u8, const { Layout::new::<Vec<T>>() }) };
    Ok(parts)
}
