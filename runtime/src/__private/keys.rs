//! The compile-time check that a relationship's keys can match: `resource!` emits,
//! per relationship, one `const` item calling [`keys_match`] with the accessors of
//! the two key attributes (`Ticket::representative_id`), spanned on the user's
//! token, so a key of one type against a key of another is a compile error naming
//! both types, not a load that silently finds nothing.
//!
//! A default key name the resource lacks is reported by [`found`] with the
//! macro's text; the generated item resolves it to [`Absent`], which matches
//! anything, so it is reported once. A name given in an option that is not an
//! attribute is rustc's error on the user's name.

use crate::resource::Field;
use crate::scalar::{NonNull, Scalar};

/// What a key name resolved to when it is not an attribute of the resource: the
/// generated check declares a fallback returning it, which an attribute's own
/// accessor shadows.
#[derive(Debug, Clone, Copy)]
pub struct Absent;

/// What a key name resolved to: an attribute ([`Field`]), or a default name the
/// resource lacks ([`Absent`]). A relationship's [`Rel`](crate::Rel) is neither.
#[diagnostic::on_unimplemented(
    message = "this names a relationship, where an attribute is needed",
    label = "a relationship, not an attribute",
    note = "relationship keys name attributes of the resource they are on"
)]
pub trait KeyRef {
    /// The attribute's Rust type ([`Absent`] when it is not an attribute).
    type Key;
    /// Whether it is an attribute.
    const FOUND: bool;
}

#[diagnostic::do_not_recommend]
impl<R, T> KeyRef for Field<R, T> {
    type Key = T;
    const FOUND: bool = true;
}

#[diagnostic::do_not_recommend]
impl KeyRef for Absent {
    type Key = Absent;
    const FOUND: bool = false;
}

/// Proof that a key of type `Self` can equal a key of type `Dest`: the same
/// type (integers of any width), either side nullable.
#[diagnostic::on_unimplemented(
    message = "the key `{Self}` cannot match the key `{Dest}` it is compared with",
    label = "keys of types `{Self}` and `{Dest}` never match: every load would find nothing",
    note = "the two keys of a relationship must have the same type (integers of any width), either side an `Option` of it: change the type of one attribute, or name another with `source_attribute` / `destination_attribute`"
)]
pub trait KeyMatches<Dest> {}

#[diagnostic::do_not_recommend]
impl<T: NonNull> KeyMatches<T> for T {}
#[diagnostic::do_not_recommend]
impl<T: NonNull> KeyMatches<Option<T>> for T {}
#[diagnostic::do_not_recommend]
impl<T: NonNull> KeyMatches<T> for Option<T> {}
#[diagnostic::do_not_recommend]
impl<T: NonNull> KeyMatches<Option<T>> for Option<T> {}
/// Integers of every width are one kind of value, so they match each other.
macro_rules! integer_keys {
    ($($a:ty => $($b:ty),*;)*) => {$($(
        #[diagnostic::do_not_recommend]
        impl KeyMatches<$b> for $a {}
        #[diagnostic::do_not_recommend]
        impl KeyMatches<Option<$b>> for $a {}
        #[diagnostic::do_not_recommend]
        impl KeyMatches<$b> for Option<$a> {}
        #[diagnostic::do_not_recommend]
        impl KeyMatches<Option<$b>> for Option<$a> {}
    )*)*};
}

integer_keys!(
    i16 => i32, i64, u32;
    i32 => i16, i64, u32;
    i64 => i16, i32, u32;
    u32 => i16, i32, i64;
);

#[diagnostic::do_not_recommend]
impl<T> KeyMatches<T> for Absent {}
#[diagnostic::do_not_recommend]
impl<T: Scalar> KeyMatches<Absent> for T {}

/// Checks that the attributes `source` and `destination` return can match (see
/// the module comment); it runs nothing.
pub const fn keys_match<A: KeyRef, B: KeyRef>(_source: fn() -> A, _destination: fn() -> B)
where
    A::Key: KeyMatches<B::Key>,
{
}

/// Whether `accessor` is an attribute's (see the module comment). `R` is the
/// `Fields` of the resource looked in, named only so that a type that is not a
/// resource makes the caller an error (and unevaluated).
pub const fn found<R, K: KeyRef>(_accessor: fn() -> K) -> bool {
    K::FOUND
}

/// The primary key of `R` as a key for [`keys_match`] (`T` is
/// `<R as Resource>::PrimaryKey`, named by the caller so that a destination that
/// is not a resource is reported once, where every other use reports it).
pub const fn primary_key<R, T>() -> Field<R, T> {
    Field::new("", 0)
}
