//! `Loaded<T>`, the state of a relationship field on a record: not loaded until
//! a query or `Domain::load` loads it, and an error (never a panic) to read
//! before that.
//!
//! The loaded value sits behind a trait object whose `Send + Sync` the object type
//! itself carries: that is what lets a schema of any size compile (see [`Held`]).

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
/// deeper than the compiler's recursion limit (E0275). Behind `Box<dyn Hold<T>>`,
/// where `Hold` has `Send + Sync` as supertraits, the object type is `Send + Sync`
/// by its own declaration and the proof stops there; the obligation moves to
/// [`Loaded::new`], which requires `T: Send + Sync` once, for the one value it
/// boxes. No `unsafe`: only values that are `Send + Sync` are ever put in.
/// `UnwindSafe` and `RefUnwindSafe` are carried the same way (as a `Box<T>`
/// would have them; rustdoc proves every auto trait of a type it documents).
pub struct Held<T>(Box<dyn Hold<T>>);

/// What a [`Held`] box holds: the value itself, behind a trait object that is
/// `Send + Sync` by declaration.
trait Hold<T>: Send + Sync + UnwindSafe + RefUnwindSafe {
    fn value(&self) -> &T;
    fn value_mut(&mut self) -> &mut T;
    fn into_value(self: Box<Self>) -> T;
}

impl<T: Send + Sync + UnwindSafe + RefUnwindSafe> Hold<T> for T {
    fn value(&self) -> &T {
        self
    }
    fn value_mut(&mut self) -> &mut T {
        self
    }
    fn into_value(self: Box<Self>) -> T {
        *self
    }
}

impl<T: Send + Sync + UnwindSafe + RefUnwindSafe + 'static> Held<T> {
    /// Boxes `value`.
    pub fn new(value: T) -> Self {
        Held(Box::new(value))
    }
}

impl<T> Held<T> {
    /// The value, by value.
    pub fn into_inner(self) -> T {
        Hold::into_value(self.0)
    }
}

impl<T> std::ops::Deref for Held<T> {
    type Target = T;
    fn deref(&self) -> &T {
        Hold::value(&*self.0)
    }
}

impl<T> std::ops::DerefMut for Held<T> {
    fn deref_mut(&mut self) -> &mut T {
        Hold::value_mut(&mut *self.0)
    }
}

impl<T: Clone + Send + Sync + UnwindSafe + RefUnwindSafe + 'static> Clone for Held<T> {
    fn clone(&self) -> Self {
        Held::new(T::clone(self))
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

// Written out: a derive would bound only `T: Clone`, and `Held<T>` clones only
// what may go back in a `Held`.
impl<T: Clone + Send + Sync + UnwindSafe + RefUnwindSafe + 'static> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        match self {
            Loaded::NotLoaded => Loaded::NotLoaded,
            Loaded::Loaded(v) => Loaded::Loaded(v.clone()),
        }
    }
}

impl<T: Send + Sync + UnwindSafe + RefUnwindSafe + 'static> Loaded<T> {
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
