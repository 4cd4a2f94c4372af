//! The constructors generated code calls, as free functions: name resolution
//! leaves a path to a type's associated function (`Field::new(..)`) half
//! resolved, with the traits in scope for type checking to finish it, and the
//! path stays type-relative in HIR, all of it redone on every build; a
//! function of this module resolves in one step. About 20 such
//! calls per resource cost 19 M instructions of a 100-resource schema's
//! incremental build (`benches/compile_time/`, sixteenth session). Each does
//! what the associated function it is named after does.

use std::panic::{RefUnwindSafe, UnwindSafe};

use crate::changeset::Changeset;
use crate::data_layer::columns::ReadErrors;
use crate::loaded::Loaded;
use crate::query::Query;
use crate::rel::{Rel, ToMany, ToOne};
use crate::resource::{AttributeInfo, Field, RelationshipInfo, RelationshipKind, Resource, Schema};
use crate::scalar::ColumnType;

/// [`Field::new`]: the attribute `name` at `index` of `R`'s schema.
#[inline]
pub const fn new_field<R, T>(name: &'static str, index: usize) -> Field<R, T> {
    Field::new(name, index)
}

/// [`Query::new`].
#[inline]
pub fn new_query<R: Resource>() -> Query<R> {
    Query::new()
}

/// [`Changeset::new`].
#[inline]
pub fn new_changeset<R: Resource>() -> Changeset<R> {
    Changeset::new()
}

/// [`Loaded::new`]: a loaded value (a relationship's attach function).
#[inline]
pub fn loaded<T>(value: T) -> Loaded<T>
where
    T: Clone + Send + Sync + UnwindSafe + RefUnwindSafe + 'static,
{
    Loaded::new(value)
}

/// [`Rel::one`].
#[inline]
pub fn rel_one<S, D>(
    info: &'static RelationshipInfo,
    attach: fn(&mut S, Option<D>),
) -> Rel<S, D, ToOne> {
    Rel::one(info, attach)
}

/// [`Rel::many`].
#[inline]
pub fn rel_many<S, D>(
    info: &'static RelationshipInfo,
    attach: fn(&mut S, Vec<D>),
) -> Rel<S, D, ToMany> {
    Rel::many(info, attach)
}

/// [`AttributeInfo::new`].
pub const fn attribute_info(name: &'static str, column: ColumnType) -> AttributeInfo {
    AttributeInfo::new(name, column)
}

/// [`RelationshipInfo::new`].
pub const fn relationship_info(
    name: &'static str,
    kind: RelationshipKind,
    destination: fn() -> &'static Schema,
    source_attribute: &'static str,
    destination_attribute: Option<&'static str>,
) -> RelationshipInfo {
    RelationshipInfo::new(
        name,
        kind,
        destination,
        source_attribute,
        destination_attribute,
    )
}

/// [`ReadErrors::new`].
#[inline]
pub fn read_errors(schema: &'static Schema) -> ReadErrors {
    ReadErrors::new(schema)
}
