//! Relationship writes, executed (Ash's `manage_relationship`, batched): a
//! source record related to, unrelated from, or related to exactly a set of
//! destination records, and a record created with its related records.
//!
//! - many_to_many: join records created ([`insert`](super::insert()), so the
//!   join resource's tenant, create policies and identities apply) after one
//!   read of those that exist already (relating twice is not an error and
//!   creates no duplicate), or destroyed with one data-layer destroy (its
//!   destroy policies apply).
//! - has_many: the destinations' foreign key set to the source's key, or to
//!   nil, with one [`update`](super::update()) (their update policies apply).
//! - belongs_to, has_one and manual relationships: an
//!   [`ErrorKind::InvalidQuery`] naming the relationship.
//!
//! Each step is one data-layer call whatever the number of records, so a call
//! makes a constant number of statements. The caller runs it in a transaction.

use super::{create, insert, update};
use crate::changeset::{Changeset, Changesets, check_required};
use crate::data_layer::ReadRequest;
use crate::domain::Scope;
use crate::engine::authorize;
use crate::error::{Error, ErrorKind, Result};
use crate::expr::{CmpOp, Expr};
use crate::policy::Action;
use crate::query::Query;
use crate::resource::{RelationshipInfo, RelationshipKind, Resource, Row, Rows, Schema, Through};
use crate::value::Value;

/// What a relationship write does with the destinations it is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Relink {
    /// Relates them (those related already stay as they are).
    Relate,
    /// Unrelates them (those not related are left alone).
    Unrelate,
    /// Relates them and unrelates every other.
    Replace,
}

impl Relink {
    /// Its name in the `write` span's `action`, lowercase as the other
    /// actions' (`create`, `update`, ..).
    fn name(self) -> &'static str {
        match self {
            Relink::Relate => "relate",
            Relink::Unrelate => "unrelate",
            Relink::Replace => "replace",
        }
    }
}

/// How many links a relationship write made and removed: join records
/// created and destroyed (many_to_many), destination records whose foreign
/// key was set to the source's key or cleared (has_many).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Relinked {
    /// Destination records newly related.
    pub related: usize,
    /// Destination records no longer related.
    pub unrelated: usize,
}

/// The relationship `info` of `S`, checked to be one a write can change:
/// has_many or many_to_many, not manual.
pub(crate) fn writable<S: Resource>(info: &'static RelationshipInfo) -> Result<()> {
    let refuse = |why: &str| {
        Err(Error::new(ErrorKind::InvalidQuery {
            resource: S::schema().name,
            message: format!(
                "relationship `{}` {why}; relationship writes (relate, unrelate, replace, with_related) take has_many and many_to_many relationships",
                info.name
            ),
        })
        .in_relationship(S::schema().name, info.name))
    };
    if info.manual {
        return refuse("is manual (its loader, not a key, decides what is related)");
    }
    if info.no_attributes {
        return refuse(
            "has no attributes (its filter, not a key, decides what is related: \
             update the attributes it reads instead)",
        );
    }
    match info.kind {
        RelationshipKind::HasMany | RelationshipKind::ManyToMany => Ok(()),
        RelationshipKind::BelongsTo => refuse(
            "is a belongs_to (set its key on the source: in its changeset, or with an update)",
        ),
        RelationshipKind::HasOne => {
            refuse("is a has_one (set the destination's key with an update instead)")
        }
    }
}

/// Relates, unrelates or replaces (`relink`) the records of `D` keyed by
/// `destinations` (values of the relationship's destination attribute, or the
/// primary key for has_many) with the source whose source attribute is
/// `source`, in `scope`.
#[tracing::instrument(target = "ashore_runtime", name = "write", level = "debug", skip_all, fields(
    action = relink.name(),
    resource = S::schema().name,
    relationship = info.name,
    layer = scope.domain.data_layer().name(),
    records = destinations.len(),
))]
pub(crate) async fn relink<S: Resource, D: Resource>(
    scope: &Scope,
    info: &'static RelationshipInfo,
    source: Value,
    destinations: Vec<Value>,
    relink: Relink,
) -> Result<Relinked> {
    writable::<S>(info)?;
    let at = |e: Error| e.in_relationship(S::schema().name, info.name);
    if source.is_null() {
        return Err(at(Error::new(ErrorKind::InvalidQuery {
            resource: S::schema().name,
            message: format!(
                "the source record's `{}` is nil: nothing can be related to it",
                info.source_attribute
            ),
        })));
    }
    let link = Link {
        info,
        source,
        destinations: distinct(destinations),
        relink,
    };
    match info.kind {
        RelationshipKind::ManyToMany => join(scope, link).await,
        _ => foreign_keys::<D>(scope, link).await,
    }
    .map_err(at)
}

/// A relationship write, its destinations without repeats.
struct Link {
    info: &'static RelationshipInfo,
    source: Value,
    destinations: Vec<Value>,
    relink: Relink,
}

/// The join resource of many_to_many `info`.
fn through(info: &'static RelationshipInfo) -> Result<&'static Through> {
    info.through.as_ref().ok_or_else(|| {
        Error::new(ErrorKind::InvalidQuery {
            resource: (info.destination)().name,
            message: format!("many_to_many `{}` names no join resource", info.name),
        })
    })
}

/// `values` without repeats, in their first order (hashed: linear in the
/// number of records related at once).
fn distinct(values: Vec<Value>) -> Vec<Value> {
    let mut seen: foldhash::HashSet<Value> = foldhash::HashSet::default();
    seen.reserve(values.len());
    values
        .into_iter()
        .filter(|v| seen.insert(v.clone()))
        .collect()
}

/// `attribute == value`.
fn eq(attribute: &'static str, value: Value) -> Expr {
    Expr::cmp(CmpOp::Eq, Expr::attr(attribute), Expr::Value(value))
}

/// `attribute in values`.
fn among(attribute: &'static str, values: Vec<Value>) -> Expr {
    Expr::In(Box::new(Expr::attr(attribute)), values)
}

/// many_to_many: join records created and destroyed.
async fn join(scope: &Scope, link: Link) -> Result<Relinked> {
    let through = through(link.info)?;
    let (source, destinations, relink) = (link.source, link.destinations, link.relink);
    let schema = (through.resource)();
    let (on_source, on_destination) = (
        through.source_attribute_on_join_resource,
        through.destination_attribute_on_join_resource,
    );
    let mine = eq(on_source, source.clone());
    let mut done = Relinked::default();
    let unlinked = match relink {
        Relink::Relate => None,
        Relink::Unrelate => Some(
            mine.clone()
                .and(among(on_destination, destinations.clone())),
        ),
        Relink::Replace => Some(
            mine.clone()
                .and(among(on_destination, destinations.clone()).not()),
        ),
    };
    if let Some(filter) = unlinked {
        done.unrelated = destroy(scope, schema, filter).await?;
    }
    if relink == Relink::Unrelate || destinations.is_empty() {
        return Ok(done);
    }
    let existing = linked(
        scope,
        schema,
        mine.and(among(on_destination, destinations.clone())),
    )
    .await?;
    let destination_index = index(schema, on_destination)?;
    let source_index = index(schema, on_source)?;
    let rows: Vec<Row> = destinations
        .into_iter()
        .filter(|d| {
            !existing
                .iter()
                .any(|row| row.get(destination_index) == Some(d))
        })
        .map(|d| join_row(schema, source_index, &source, destination_index, d))
        .collect();
    if !rows.is_empty() {
        done.related = rows.len();
        let rows = Rows::from_rows(schema.attributes.len(), rows)?;
        insert(scope, schema, rows, None).await?;
    }
    Ok(done)
}

/// A new join record of `schema` linking `source` and `destination`, its
/// other attributes nil (a generated UUID key made; an integer one left to
/// the layer).
fn join_row(
    schema: &'static Schema,
    source_index: usize,
    source: &Value,
    destination_index: usize,
    destination: Value,
) -> Row {
    let mut row: Row = schema
        .attributes
        .iter()
        .map(|a| match a.generated {
            Some(crate::resource::Generated::Uuid) => Value::Uuid(uuid::Uuid::new_v4()),
            _ => Value::Null,
        })
        .collect();
    row[source_index] = source.clone();
    row[destination_index] = destination;
    row
}

/// The index of `attribute` in `schema`.
fn index(schema: &'static Schema, attribute: &'static str) -> Result<usize> {
    schema.attribute_index(attribute).ok_or_else(|| {
        Error::new(ErrorKind::InvalidQuery {
            resource: schema.name,
            message: format!("`{attribute}` is not an attribute of {}", schema.name),
        })
    })
}

/// The join records `filter` selects that the scope may read, as rows.
async fn linked(scope: &Scope, schema: &'static Schema, filter: Expr) -> Result<Vec<Row>> {
    let mut request = ReadRequest::new(schema);
    request.visibility = authorize::visibility(scope, schema, true, Some(&filter), &[], None)
        .map_err(|e| e.in_resource(schema.name))?;
    request.filter = Some(filter);
    let records = scope
        .domain
        .data_layer()
        .read(request)
        .await
        .map_err(|e| e.in_resource(schema.name))?
        .records;
    let table = crate::data_layer::store::table_of(schema, records)?;
    Ok((0..table.len())
        .map(|row| {
            (0..schema.attributes.len())
                .map(|attribute| table.get(row, attribute))
                .collect()
        })
        .collect())
}

/// Destroys the join records `filter` selects, as far as the scope may
/// destroy them: how many.
async fn destroy(scope: &Scope, schema: &'static Schema, filter: Expr) -> Result<usize> {
    let mut request = ReadRequest::new(schema);
    request.visibility =
        authorize::write_visibility(scope, schema, Action::Destroy, Some(&filter), &[])
            .map_err(|e| e.in_resource(schema.name))?;
    request.filter = Some(filter);
    tracing::debug!(resource = schema.name, "unrelate");
    let destroyed = scope
        .domain
        .data_layer()
        .destroy(request)
        .await
        .map_err(|e| e.in_resource(schema.name))?;
    Ok(crate::data_layer::store::table_of(schema, destroyed)?.len())
}

/// has_many: the destinations' foreign key set or cleared, one update each way.
async fn foreign_keys<D: Resource>(scope: &Scope, link: Link) -> Result<Relinked> {
    let Link {
        info,
        source,
        destinations,
        relink,
    } = link;
    let schema = D::schema();
    let key = info.destination_attribute();
    let key_index = index(schema, key)?;
    let primary_key = schema.primary_key().name;
    let mine = eq(key, source.clone());
    let unlinked = match relink {
        Relink::Relate => None,
        Relink::Unrelate => Some(mine.clone().and(among(primary_key, destinations.clone()))),
        Relink::Replace => Some(mine.and(among(primary_key, destinations.clone()).not())),
    };
    let mut done = Relinked::default();
    if let Some(filter) = unlinked {
        if !schema.attributes[key_index].nullable {
            return Err(Error::new(ErrorKind::InvalidQuery {
                resource: schema.name,
                message: format!(
                    "`{key}` of {} cannot be nil, so a record cannot be unrelated \
                     (destroy it, or relate it to another record)",
                    schema.name
                ),
            }));
        }
        done.unrelated = set_key::<D>(scope, filter, key_index, Value::Null).await?;
    }
    if relink != Relink::Unrelate && !destinations.is_empty() {
        // Those related already are not counted again.
        let filter = among(primary_key, destinations).and(mine_or_other(key, &source));
        done.related = set_key::<D>(scope, filter, key_index, source).await?;
    }
    Ok(done)
}

/// `key` is not `source` (nil included): a record not related yet.
fn mine_or_other(key: &'static str, source: &Value) -> Expr {
    Expr::IsNil(Box::new(Expr::attr(key))).or(eq(key, source.clone()).not())
}

/// Sets attribute `index` of the records of `D` that `filter` selects to
/// `value`, as an update in `scope`: how many.
async fn set_key<D: Resource>(
    scope: &Scope,
    filter: Expr,
    index: usize,
    value: Value,
) -> Result<usize> {
    let mut changeset = Changeset::<D>::new();
    changeset.put(index, &value);
    let query = Query::<D>::new().filter_expr(filter);
    Ok(update(scope.clone(), query, changeset).await?.len())
}

/// Creates the records of `children` related to `parent` through `info` (of
/// `S`): for has_many, each with its foreign key set to the parent's key
/// (one create); for many_to_many, created and then joined (two creates).
/// The records created, in the order given.
/// What `create_related` would refuse of `children` before writing
/// anything: a required attribute left unset (but the key the parent gives a
/// has_many's records, and the tenant the create gives), or a value no layer
/// stores alike. Checked before the parent is written, so such a mistake
/// leaves a transaction whole.
pub(crate) fn check_related<S: Resource, D: Resource>(
    info: &'static RelationshipInfo,
    children: &[Changeset<D>],
) -> Result<()> {
    let schema = D::schema();
    let filled = |name: &str| {
        (info.kind == RelationshipKind::HasMany && name == info.destination_attribute())
            || schema.multitenancy.is_some_and(|m| m.attribute == name)
    };
    let at = |e: Error| e.in_relationship(S::schema().name, info.name);
    for child in children {
        let values = child.values();
        check_required(schema, values, |a| filled(a.name)).map_err(at)?;
        crate::engine::values::check_set(schema, values).map_err(at)?;
    }
    Ok(())
}

pub(crate) async fn create_related<S: Resource, D: Resource>(
    scope: &Scope,
    info: &'static RelationshipInfo,
    parent: &S,
    mut children: Vec<Changeset<D>>,
) -> Result<Vec<D>> {
    writable::<S>(info)?;
    let source_schema = S::schema();
    let at = |e: Error| e.in_relationship(source_schema.name, info.name);
    let source = parent.get(index(source_schema, info.source_attribute).map_err(at)?);
    if info.kind == RelationshipKind::HasMany {
        let key = index(D::schema(), info.destination_attribute()).map_err(at)?;
        for child in &mut children {
            child.put(key, &source);
        }
        return create(scope.clone(), Changesets::collect(children), None)
            .await
            .map_err(at);
    }
    let created = create(scope.clone(), Changesets::collect(children), None)
        .await
        .map_err(at)?;
    let through = through(info).map_err(at)?;
    let schema = (through.resource)();
    let source_index = index(schema, through.source_attribute_on_join_resource).map_err(at)?;
    let destination_index =
        index(schema, through.destination_attribute_on_join_resource).map_err(at)?;
    let key = index(D::schema(), info.destination_attribute()).map_err(at)?;
    let rows = created
        .iter()
        .map(|d| join_row(schema, source_index, &source, destination_index, d.get(key)))
        .collect::<Vec<_>>();
    if !rows.is_empty() {
        let rows = Rows::from_rows(schema.attributes.len(), rows).map_err(at)?;
        insert(scope, schema, rows, None).await.map_err(at)?;
    }
    Ok(created)
}
