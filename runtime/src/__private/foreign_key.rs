//! The type of the foreign key `resource!` adds for a belongs_to: its
//! destination's primary key, named
//! `<Dest as PrimaryKeyOf<{ is_key(Source::__ASHORE_KEY_<i>) }>>::Key` rather than
//! `<Dest as Resource>::PrimaryKey`, where `Source::__ASHORE_KEY_<i>` is an
//! associated constant of type `PhantomData<<Dest as Resource>::PrimaryKey>`.
//!
//! The detour is for a destination that is not a resource. Named directly, the
//! projection fails again wherever rustc normalizes the field's type (the struct's
//! `Send` and `Sync`, each derive, each generated use), each failure another error
//! on another span. Here the const argument fails, on the destination's token (as
//! the constant's own type does, and the generated code's other mentions of the
//! destination: identical errors, shown once); the argument then evaluates to an
//! error, which makes the whole field type an error type, and rustc reports
//! nothing further about it.
//!
//! The argument reads a constant rather than naming `Dest` itself: rustc checks a
//! type or a path written in it together with `Dest`'s supertraits, and `Send` of
//! a resource that belongs to itself (or to one that belongs to it) needs its
//! fields' types, so this argument: a cycle. Reading a constant only normalizes
//! the constant's type.

use std::marker::PhantomData;

use crate::resource::Resource;

/// The primary key of a resource, reached through a constant argument that is
/// `true` for every resource (see the module comment).
pub trait PrimaryKeyOf<const RESOURCE: bool> {
    /// `<Self as Resource>::PrimaryKey`.
    type Key;
}

impl<R: Resource> PrimaryKeyOf<true> for R {
    type Key = R::PrimaryKey;
}

/// `true`, given the constant typed with the destination's primary key (see the
/// module comment).
pub const fn is_key<T>(_key: PhantomData<T>) -> bool {
    true
}
