//! What an aggregate names, resolved against the resource it is computed for,
//! for every data layer alike ([`resolve`]): the schema its path reaches, the
//! attribute it reads, and the type of its value, with the same errors on
//! every layer. The relationships of the path are followed again by each layer
//! (as `exists` follows them), with their filters and visibility.

use crate::error::{Error, ErrorKind, Result};
use crate::expr::{Aggregate, AggregateKind};
use crate::resource::Schema;
use crate::value::ValueType;

/// An aggregate resolved.
#[derive(Debug)]
pub(crate) struct AggregateTarget {
    /// The attribute of `destination` it reads (every kind but `count` and
    /// `exists`).
    pub(crate) field: Option<usize>,
    /// The type of its value.
    pub(crate) value_type: ValueType,
}

/// Resolves `aggregate` against `schema`: `InvalidQuery` naming `schema` when
/// a name is unknown, a relationship is manual, the path is empty, a field is
/// missing or given where none is read, or the field's type does not take the
/// kind (`sum` and `avg` of numbers; `min`, `max` not of booleans or UUIDs).
pub(crate) fn resolve(schema: &'static Schema, aggregate: &Aggregate) -> Result<AggregateTarget> {
    let invalid = |message: String| {
        Error::new(ErrorKind::InvalidQuery {
            resource: schema.name,
            message: format!("{message} (in the aggregate `{aggregate}`)"),
        })
    };
    if aggregate.path.is_empty() {
        return Err(invalid("an aggregate needs a relationship path".to_owned()));
    }
    let mut at = schema;
    for name in &aggregate.path {
        let Some(rel) = at.relationship(name) else {
            return Err(invalid(format!(
                "no relationship named `{name}` on {}",
                at.name
            )));
        };
        if rel.manual && !rel.linked_by_condition() {
            return Err(invalid(format!(
                "relationship `{name}` of {} is manual; an aggregate cannot go through it",
                at.name
            )));
        }
        at = (rel.destination)();
    }
    let kind = aggregate.kind;
    let field = match (&aggregate.field, kind.reads_field()) {
        (None, false) => None,
        (Some(field), true) => match at.attribute_index(field) {
            Some(i) => Some(i),
            None => {
                return Err(invalid(format!(
                    "no attribute named `{field}` on {}",
                    at.name
                )));
            }
        },
        (None, true) => {
            return Err(invalid(format!(
                "`{}` reads a field of {}: name one",
                kind.keyword(),
                at.name
            )));
        }
        (Some(_), false) => {
            return Err(invalid(format!("`{}` reads no field", kind.keyword())));
        }
    };
    let field_type = field.map(|i| at.attributes[i].value_type);
    let numeric = |t| {
        matches!(
            t,
            ValueType::I16 | ValueType::I32 | ValueType::I64 | ValueType::F64
        )
    };
    let value_type = match (kind, field_type) {
        (AggregateKind::Count, _) => ValueType::I64,
        (AggregateKind::Exists, _) => ValueType::Bool,
        (AggregateKind::Avg, Some(t)) if numeric(t) => ValueType::F64,
        (AggregateKind::Sum, Some(ValueType::F64)) => ValueType::F64,
        (AggregateKind::Sum, Some(t)) if numeric(t) => ValueType::I64,
        // Not bytes (PostgreSQL has no `min(bytea)`) nor JSON (no order).
        (AggregateKind::Min | AggregateKind::Max, Some(t))
            if t.is_ordered()
                && !matches!(t, ValueType::Bool | ValueType::Uuid | ValueType::Bytes) =>
        {
            t
        }
        (AggregateKind::First | AggregateKind::List, Some(t)) => t,
        (kind, t) => {
            let t = t.map_or("nothing", |t| t.rust_name(false));
            return Err(invalid(format!(
                "`{}` cannot read a field of type {t}",
                kind.keyword()
            )));
        }
    };
    Ok(AggregateTarget { field, value_type })
}

/// The error of a `list` aggregate asked for with others, or of another kind
/// asked of `DataLayer::aggregate_list`: a list is read on its own.
pub(crate) fn list_alone(schema: &'static Schema, aggregate: &Aggregate) -> Error {
    Error::new(ErrorKind::InvalidQuery {
        resource: schema.name,
        message: format!(
            "a `list` aggregate is read alone, with `DataLayer::aggregate_list`, and only it \
             (in the aggregate `{aggregate}`)"
        ),
    })
}

/// Checks that `aggregates` may be computed together by `DataLayer::aggregate`
/// (no `list` among them).
pub(crate) fn check_scalars(schema: &'static Schema, aggregates: &[Aggregate]) -> Result<()> {
    match aggregates.iter().find(|a| a.kind == AggregateKind::List) {
        Some(list) => Err(list_alone(schema, list)),
        None => Ok(()),
    }
}
