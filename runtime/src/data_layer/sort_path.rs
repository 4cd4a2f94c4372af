//! What a sort key names, resolved against the resource read for every data
//! layer alike ([`resolve`]): the to-one relationship hops of its path and the
//! attribute at the end, with the same errors on every layer.
//!
//! A hop must be a belongs_to or has_one that is not manual. A hop that may
//! reach several records (its destination attribute is not the destination's
//! primary key, see [`RelationshipInfo::reaches_at_most_one`]) reads the first
//! of them in the relationship's own sort order, then insertion order — the
//! record a load of it attaches — whose keys must be attributes of the
//! destination ([`first_by`]).
//!
//! That rule is not the sort's alone: every path through such a
//! relationship (a filter's, an `exists`', an aggregate's) reaches that one
//! record, on every layer ([`first_by`] says which hops pick one and how:
//! the evaluator's `Step` and the SQL builder's hop call it).
//!
//! The final name is looked up as an attribute; a key that is an aggregate
//! of the resource read is resolved as an aggregate (`aggregate_path`), and
//! [`SortTarget::aggregate`] holds it.

use crate::data_layer::aggregate_path;
use crate::error::{Error, ErrorKind, Result};
use crate::expr::{Aggregate, AggregateKind, Expr};
use crate::resource::{RelationshipInfo, Schema};
use crate::sort::{Order, Sort};
use crate::value::ValueType;

/// One relationship hop of a sort key's path.
#[derive(Debug)]
pub(crate) struct SortHop {
    /// The relationship followed.
    pub(crate) relationship: &'static RelationshipInfo,
    /// Its source.
    pub(crate) source: &'static Schema,
}

/// How a path's hop through `rel` picks the one record it reaches, when it
/// is a belongs_to or has_one (not manual) that may reach several records
/// (not [`RelationshipInfo::reaches_at_most_one`]): the first of those the
/// hop sees (the relationship's filter, the destination's tenant and read
/// policies applied first) in the relationship's own sort, given as
/// attribute positions on the destination, then insertion order — the record
/// a load of it attaches. `None` for a hop that reaches at most one record,
/// a to-many or a manual relationship (a manual to-one load refuses several).
/// `Err` names a key of the sort that is no attribute of the destination.
pub(crate) fn first_by(
    rel: &RelationshipInfo,
) -> std::result::Result<Option<Vec<(usize, Order)>>, Sort> {
    if !picks_first(rel) {
        return Ok(None);
    }
    let destination = (rel.destination)();
    let keys = (rel.sort)();
    let mut by = Vec::with_capacity(keys.len());
    for key in keys {
        let attribute = destination
            .attribute_index(&key.field)
            .filter(|_| key.path.is_empty() && key.aggregate.is_none());
        match attribute {
            Some(attribute) => by.push((attribute, key.order)),
            None => return Err(key),
        }
    }
    Ok(Some(by))
}

/// Whether a path's hop through `rel` picks the first of the records it
/// reaches ([`first_by`]): a belongs_to or has_one, not manual, that may reach
/// several. Such a hop, like one that reaches at most one record, binds one
/// record (or none) for each source record.
pub(crate) fn picks_first(rel: &RelationshipInfo) -> bool {
    !rel.kind.is_many() && !rel.manual && !rel.reaches_at_most_one()
}

/// [`first_by`] for a path of a filter or an aggregate of a read of `root`
/// through `rel` of `source`: a sort key naming no attribute is
/// `InvalidQuery` naming `root`.
pub(crate) fn path_first_by(
    rel: &RelationshipInfo,
    source: &Schema,
    root: &'static str,
) -> Result<Option<Vec<(usize, Order)>>> {
    first_by(rel).map_err(|key| {
        Error::new(ErrorKind::InvalidQuery {
            resource: root,
            message: format!(
                "the sort `{key}` of relationship `{}` of {} names no attribute of {}; \
                 a path cannot go through the relationship",
                rel.name,
                source.name,
                (rel.destination)().name
            ),
        })
    })
}

/// A sort key resolved: the hops from the resource read and the attribute of
/// the last hop's destination (of the resource read, without hops).
#[derive(Debug)]
pub(crate) struct SortTarget {
    pub(crate) hops: Vec<SortHop>,
    /// The resource holding the attribute.
    pub(crate) schema: &'static Schema,
    /// The attribute's position in `schema`.
    pub(crate) attribute: usize,
    pub(crate) order: Order,
    /// For a key that is an aggregate of the resource read: it, and the type
    /// of its value (then `hops` is empty and `attribute` means nothing).
    pub(crate) aggregate: Option<(Aggregate, ValueType)>,
}

impl SortTarget {
    /// Whether the key is an attribute of the resource read itself.
    pub(crate) fn is_own(&self) -> bool {
        self.hops.is_empty() && self.aggregate.is_none()
    }
}

/// The sort keys of a read of `schema`, resolved, in order.
pub(crate) fn resolve_all(schema: &'static Schema, sort: &[Sort]) -> Result<Vec<SortTarget>> {
    sort.iter().map(|s| resolve(schema, s)).collect()
}

/// Resolves `sort` against `schema`: `InvalidQuery` naming the resource read
/// when a name is unknown, a relationship is to-many or manual, or the path
/// is longer than a filter's may be.
pub(crate) fn resolve(schema: &'static Schema, sort: &Sort) -> Result<SortTarget> {
    let invalid = |message: String| {
        Error::new(ErrorKind::InvalidQuery {
            resource: schema.name,
            message,
        })
    };
    if let Some(aggregate) = &sort.aggregate {
        let target = aggregate_path::resolve(schema, aggregate)?;
        if aggregate.kind == AggregateKind::List {
            return Err(invalid(format!(
                "a `list` aggregate is no sort key (in `{sort}`)"
            )));
        }
        if !target.value_type.is_ordered() {
            return Err(invalid(format!(
                "the aggregate's value is a JSON document, which has no order the data layers \
                 agree on; it is no sort key (in `{sort}`)"
            )));
        }
        if let Some(filter) = &aggregate.filter {
            filter.check_depth(schema.name, &format_args!("the sort key `{sort}`"))?;
        }
        return Ok(SortTarget {
            hops: Vec::new(),
            schema,
            attribute: 0,
            order: sort.order,
            aggregate: Some(((**aggregate).clone(), target.value_type)),
        });
    }
    if !sort.path.is_empty() {
        // A path counts as a filter's would, so every layer can follow it.
        Expr::path_attr(sort.path.iter().cloned(), sort.field.clone())
            .check_depth(schema.name, &format_args!("the sort key `{sort}`"))?;
    }
    let mut hops = Vec::with_capacity(sort.path.len());
    let mut at = schema;
    for name in &sort.path {
        let Some(rel) = at.relationship(name) else {
            return Err(invalid(format!(
                "no relationship named `{name}` on {} (in the sort key `{sort}`)",
                at.name
            )));
        };
        if rel.kind.is_many() {
            return Err(invalid(format!(
                "relationship `{name}` of {} is to-many ({:?}); a sort key goes through \
                 belongs_to and has_one relationships only (in `{sort}`)",
                at.name, rel.kind
            )));
        }
        if rel.manual {
            return Err(invalid(format!(
                "relationship `{name}` of {} is manual; a sort key cannot go through it \
                 (in `{sort}`)",
                at.name
            )));
        }
        let destination = (rel.destination)();
        if let Err(key) = first_by(rel) {
            return Err(invalid(format!(
                "the sort `{key}` of relationship `{name}` of {} names no attribute \
                 of {}; a sort key cannot go through the relationship (in `{sort}`)",
                at.name, destination.name
            )));
        }
        hops.push(SortHop {
            relationship: rel,
            source: at,
        });
        at = destination;
    }
    let Some(attribute) = at.attribute_index(&sort.field) else {
        return Err(invalid(if hops.is_empty() {
            format!("no attribute named `{}` to sort by", sort.field)
        } else {
            format!(
                "no attribute named `{}` on {} to sort by (in `{sort}`)",
                sort.field, at.name
            )
        }));
    };
    if !at.attributes[attribute].value_type.is_ordered() {
        return Err(invalid(format!(
            "attribute `{}` of {} is a JSON document, which has no order the data layers \
             agree on; it is no sort key (in `{sort}`)",
            sort.field, at.name
        )));
    }
    Ok(SortTarget {
        hops,
        schema: at,
        attribute,
        order: sort.order,
        aggregate: None,
    })
}
