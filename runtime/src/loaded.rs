//! `Loaded<T>`, the state of a relationship field on a record: not loaded until
//! a query or `Domain::load` loads it, and an error (never a panic) to read
//! before that.
//!
//! The loaded value sits in a box, [`Held`], that is `Send + Sync` by its own
//! declaration: that is what lets a schema of any size compile (see there).

use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::panic::{RefUnwindSafe, UnwindSafe};

use crate::error::{Error, ErrorKind, Result};

/// A relationship field: not loaded until a query or `Domain::load` loads it.
///
/// has_one and belongs_to hold `Loaded<Option<T>>`; has_many and many_to_many hold
/// `Loaded<Vec<T>>`. Reading an unloaded relationship is an error, never a panic.
///
/// The value is boxed, so two resources may hold each other through to-one
/// relationships (a has_one and the belongs_to back) without an infinitely sized
/// struct; and it is boxed behind [`Held`], so the compiler proves a record
/// `Send` and `Sync` without walking the whole relationship graph (see there).
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let reps = support
///     .read(Representative::query().filter(expr!(name == "Alice")))
///     .await?;
/// let err = reps[0].tickets.get().unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::NotLoaded));
///
/// let reps = support
///     .read(
///         Representative::query()
///             .filter(expr!(name == "Alice"))
///             .load(Representative::tickets()),
///     )
///     .await?;
/// assert_eq!(reps[0].tickets.get()?.len(), 3);
///
/// // A to-one relationship with no record is loaded as `None`.
/// let badge = support
///     .read(
///         Ticket::query()
///             .filter(expr!(subject == "Lost badge"))
///             .load(Ticket::representative()),
///     )
///     .await?;
/// assert_eq!(badge[0].representative, Loaded::new(None));
/// # Ok(()) }
/// ```
#[derive(Debug, Default, PartialEq, Eq, Hash)]
pub enum Loaded<T> {
    /// Not loaded (the state of every relationship of a freshly read record).
    #[default]
    NotLoaded,
    /// Loaded.
    Loaded(Held<T>),
}

/// A loaded value, boxed; dereferences to the value.
///
/// Why not a plain `Box<T>`: the compiler proves an auto trait (`Send`, `Sync`)
/// for a struct through its fields' types, so with `Box<Vec<Next>>` proving a
/// record `Sync` meant proving the next resource `Sync`, and the one after it,
/// down the whole chain of relationships: past about twenty resources that is
/// deeper than the compiler's recursion limit (E0275). `Held` is `Send`,
/// `Sync`, `UnwindSafe` and `RefUnwindSafe` whatever `T` is, by its own
/// declaration, so the proof stops there; the obligation moves to
/// [`Held::new`] (and [`Loaded::new`]), which requires them of `T` once, for
/// the one value it boxes (see the `SAFETY` comment on the impls).
///
/// Two more walks down the chain are stopped here. The drop check: the box is
/// a pointer (with a `PhantomData<*mut T>`, which owns nothing), dropped by
/// hand in `RawHeld`'s `Drop`, so the check does not walk into `T`'s fields,
/// the next resource's `Held`, and so on (E0320); `T: 'static` ([`Held::new`])
/// is what makes freeing it at any time sound. And the drop glue: `Drop` calls
/// the function [`Held::new`] stored, so dropping a record does not
/// instantiate the drop of the next resource, and of the one after it, one
/// inside the other past the compiler's instantiation limit.
///
/// Cloning calls a function [`Held::new`] stored too: a record's `Clone` does
/// not instantiate `T::clone` (for a `Vec` of records, `<[R]>::to_vec` and its
/// iterators) for each of its relationships; only where a relationship is
/// loaded, once per type, is it compiled.
///
/// And the box's type is erased inside (a `RawHeld`): freeing and cloning it
/// are compiled once, for every type, not once per relationship type of every
/// resource; a `Held<T>` only adds the type back where the value is lent.
pub struct Held<T> {
    /// A `Box<T>`, given up, and its functions.
    raw: RawHeld,
    /// `*mut T` makes `Held` invariant in `T`, so the `T` of a `Held` is
    /// always the very type [`Held::new`] checked (see the impls).
    value: PhantomData<*mut T>,
}

/// A [`Held`] with the type of its box erased.
///
/// Invariant: `value` is a `Box<T>` given up (as by `Box::into_raw`), owned,
/// and `ops` the functions [`Held::new`] made for that `T`.
struct RawHeld {
    value: *mut u8,
    /// A reference, not null, so a `Loaded` is no bigger than a `Held`.
    ops: &'static Ops,
}

// SAFETY: a `Held<T>` only exists for a `T` that is `Clone + Send + Sync +
// UnwindSafe + RefUnwindSafe + 'static`: its fields are private and its one
// constructor, `Held::new`, requires those bounds (`Clone` makes a `Held<T>`
// from one that exists, so of a type already checked, with the functions
// `new` stored; `Loaded::new` calls `Held::new`). The type cannot change after that: `Held` is invariant in `T`
// (no subtyping turns a `Held<Foo<'static>>` into a `Held<Foo<'a>>` whose
// `Send` might not hold), and `T: 'static`. So everything a `Held<T>` gives
// out or takes in is a `T` of a checked type: `Deref`/`DerefMut` lend the
// boxed `T` (what `DerefMut` writes back is a `T` too), `into_inner` returns
// it, dropping drops it. Sending or sharing a `Held<T>` is then sending or
// sharing a `Box<T>`, which is `Send`/`Sync` because `T` is.
unsafe impl<T> Send for Held<T> {}
// SAFETY: as for `Send` above.
unsafe impl<T> Sync for Held<T> {}
// As a `Box<T>` has them, `T` being checked as above (rustdoc proves every
// auto trait of a type it documents, so these too must stop here).
impl<T> UnwindSafe for Held<T> {}
impl<T> RefUnwindSafe for Held<T> {}

/// The functions of a [`Held`] of some `T`, made by [`Held::new`] where `T`
/// is known to be `Clone`.
struct Ops {
    /// `drop_box::<T>`.
    drop: unsafe fn(*mut u8),
    /// `clone_box::<T>`.
    clone: unsafe fn(*const u8) -> *mut u8,
}

impl<T: Clone + Send + Sync + UnwindSafe + RefUnwindSafe + 'static> Held<T> {
    /// Boxes `value`.
    pub fn new(value: T) -> Self {
        Held {
            raw: RawHeld {
                value: into_raw(Box::new(value)) as *mut u8,
                ops: const {
                    &Ops {
                        drop: drop_box::<T>,
                        clone: clone_box::<T>,
                    }
                },
            },
            value: PhantomData,
        }
    }
}

/// `Box::into_raw`, written out as it is written: inlined, one function less
/// to compile per type.
#[inline(always)]
fn into_raw<T>(value: Box<T>) -> *mut T {
    let mut value = ManuallyDrop::new(value);
    &raw mut **value
}

/// A box of a clone of the `T` at `value`, given up.
///
/// # Safety
/// `value` is the box of a live [`Held`] of `T`, not written meanwhile.
unsafe fn clone_box<T: Clone>(value: *const u8) -> *mut u8 {
    // SAFETY: the caller's promise.
    into_raw(Box::new(T::clone(unsafe { &*(value as *const T) }))) as *mut u8
}

/// Frees the box of a [`Held`] of `T`.
///
/// # Safety
/// `value` is the box of a [`Held`] of `T`, owned by the caller, never used again.
unsafe fn drop_box<T>(value: *mut u8) {
    // SAFETY: the caller's promise.
    drop(unsafe { Box::from_raw(value as *mut T) })
}

impl RawHeld {
    /// A box of a clone of the value, with the same functions.
    fn duplicate(&self) -> RawHeld {
        RawHeld {
            // SAFETY: `ops.clone` is `clone_box` for the box's type
            // (invariant), and the box is live and only read while `self`
            // is borrowed.
            value: unsafe { (self.ops.clone)(self.value) },
            ops: self.ops,
        }
    }
}

impl Drop for RawHeld {
    fn drop(&mut self) {
        // SAFETY: the box is this `RawHeld`'s own and `ops.drop` the
        // function that frees it (invariant); freed once, here
        // (`Held::into_inner` never lets `Drop` run).
        unsafe { (self.ops.drop)(self.value) }
    }
}

impl<T> Held<T> {
    /// The value, by value.
    pub fn into_inner(self) -> T {
        let held = ManuallyDrop::new(self);
        // SAFETY: the box is a `Box<T>` (invariant, and `T` is the type `new`
        // boxed), `held`'s own, taken back once, here, from a `Held` that is
        // never dropped (so `RawHeld`'s `Drop` does not free it again).
        *unsafe { Box::from_raw(held.raw.value as *mut T) }
    }
}

impl<T> std::ops::Deref for Held<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the box is a `Box<T>` owned by `self`, live as long as it
        // is; a shared borrow of `self` lends it shared.
        unsafe { &*(self.raw.value as *const T) }
    }
}

impl<T> std::ops::DerefMut for Held<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; the borrow of `self` is exclusive, so is
        // that of the box.
        unsafe { &mut *(self.raw.value as *mut T) }
    }
}

// No bounds: a `Held<T>` exists only for a checked `T` (see the `SAFETY`
// comment above), which [`Held::new`] required to be `Clone` and whose clone
// it stored.
impl<T> Clone for Held<T> {
    fn clone(&self) -> Self {
        Held {
            raw: self.raw.duplicate(),
            value: PhantomData,
        }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Held<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        T::fmt(self, f)
    }
}

impl<T: PartialEq> PartialEq for Held<T> {
    fn eq(&self, other: &Self) -> bool {
        T::eq(self, other)
    }
}

impl<T: Eq> Eq for Held<T> {}

impl<T: std::hash::Hash> std::hash::Hash for Held<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        T::hash(self, state)
    }
}

// Written out: a derive would bound `T: Clone`, which a `Held` need not
// prove again (see there).
impl<T> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        match self {
            Loaded::NotLoaded => Loaded::NotLoaded,
            // Not `held.clone()`: one function less per relationship type.
            Loaded::Loaded(held) => Loaded::Loaded(Held {
                raw: held.raw.duplicate(),
                value: PhantomData,
            }),
        }
    }
}

impl<T: Clone + Send + Sync + UnwindSafe + RefUnwindSafe + 'static> Loaded<T> {
    /// A loaded value.
    pub fn new(value: T) -> Self {
        Loaded::Loaded(Held::new(value))
    }
}

impl<T> Loaded<T> {
    /// The loaded value, or an [`ErrorKind::NotLoaded`] error if it was not loaded.
    pub fn get(&self) -> Result<&T> {
        match self {
            Loaded::Loaded(v) => Ok(v),
            Loaded::NotLoaded => Err(Error::new(ErrorKind::NotLoaded)),
        }
    }

    /// The loaded value, mutably, or an [`ErrorKind::NotLoaded`] error.
    pub fn get_mut(&mut self) -> Result<&mut T> {
        match self {
            Loaded::Loaded(v) => Ok(v),
            Loaded::NotLoaded => Err(Error::new(ErrorKind::NotLoaded)),
        }
    }

    /// The loaded value, by value, or an [`ErrorKind::NotLoaded`] error.
    pub fn into_inner(self) -> Result<T> {
        match self {
            Loaded::Loaded(v) => Ok(v.into_inner()),
            Loaded::NotLoaded => Err(Error::new(ErrorKind::NotLoaded)),
        }
    }

    /// Whether it was loaded.
    pub fn is_loaded(&self) -> bool {
        matches!(self, Loaded::Loaded(_))
    }

    /// Whether it was not loaded: what serde's `skip_serializing_if` takes to
    /// leave out a relationship that was not loaded (feature `serde`).
    pub fn is_not_loaded(&self) -> bool {
        !self.is_loaded()
    }

    /// The loaded value, if any.
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Loaded::Loaded(v) => Some(v),
            Loaded::NotLoaded => None,
        }
    }
}

/// A loaded value serializes as the value itself (`[..]` for a to-many
/// relationship, the record or `null` for a to-one); one not loaded as
/// `null`, which `resource!` leaves out instead, when the struct derives
/// `Serialize`, with `#[serde(skip_serializing_if = "..::is_not_loaded")]` on
/// each relationship field. A `#[derive(Resource)]` struct says so itself:
/// `#[serde(skip_serializing_if = "Loaded::is_not_loaded")]` on each
/// relationship field.
#[cfg(feature = "serde")]
impl<T: serde::Serialize> serde::Serialize for Loaded<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Loaded::Loaded(held) => T::serialize(held, serializer),
            Loaded::NotLoaded => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests;
