//! A create's belongs_to keys checked against the writer's tenant, before the
//! data layer is asked: under `.tenant(acme)`, a key into a multitenant
//! resource must name one of acme's records.
//!
//! Checked: each belongs_to (not manual) of the created resource whose
//! destination is multitenant and whose key is the destination's primary key
//! (the belongs_to every layer enforces as a foreign key), when the create has a
//! tenant. Every key set in the rows must name a record the tenant's condition
//! lets a read of the destination see (with a tenant, a `global;` destination is
//! scoped like any other), or a row of the same create when the created
//! resource is the destination (the layers check keys once all rows are
//! written). One read of the destination per relationship, for all rows; read
//! policies play no part (they govern reads, not the keys a write may set).
//!
//! A key that fails gets one error, whether it names a record of another tenant
//! or no record at all, so a create cannot tell whether another tenant holds a
//! key; and since both cases are caught here, the layers' own foreign-key
//! errors (which would tell them apart) are never reached for these
//! relationships. A create without a tenant is left to the layers' foreign keys:
//! it acts across tenants, as only a resource that is not multitenant or says
//! `global;` may be created without one. Destinations that are not multitenant,
//! and belongs_to keyed by another attribute (a foreign key on no layer), are
//! left as they were.

use foldhash::HashSet;

use crate::data_layer::ReadRequest;
use crate::data_layer::store::table_of;
use crate::domain::Scope;
use crate::engine::authorize;
use crate::error::{Constraint, Error, ErrorKind, Result};
use crate::expr::Expr;
use crate::resource::{RelationshipInfo, RelationshipKind, Rows, Schema};
use crate::value::Value;

/// Checks that every belongs_to key of `rows` (rows of `schema` being created
/// in `scope`) into a multitenant resource names a record of the scope's
/// tenant; see the module comment.
pub(super) async fn check_tenant(
    scope: &Scope,
    schema: &'static Schema,
    rows: &Rows,
) -> Result<()> {
    let Some(tenant) = scope.tenant() else {
        return Ok(());
    };
    for rel in schema.relationships {
        let Some((source, destination)) = checked(schema, rel) else {
            continue;
        };
        let keys = keys_to_find(schema, destination, source, rows);
        if keys.is_empty() {
            continue;
        }
        let found = found_in_tenant(scope, destination, keys.clone()).await?;
        if let Some(key) = keys.into_iter().find(|k| !found.contains(k)) {
            return Err(no_record_in_tenant(schema, rel, destination, &key, tenant));
        }
    }
    Ok(())
}

/// For a relationship whose keys are checked: the index of its key in the
/// created rows, and its destination.
fn checked(schema: &'static Schema, rel: &RelationshipInfo) -> Option<(usize, &'static Schema)> {
    if rel.manual || rel.kind != RelationshipKind::BelongsTo {
        return None;
    }
    let destination = (rel.destination)();
    if destination.multitenancy.is_none()
        || destination.primary_key().name != rel.destination_attribute()
    {
        return None;
    }
    Some((schema.attribute_index(rel.source_attribute)?, destination))
}

/// The keys set in column `source` of `rows`, each once in the order of the
/// rows, but those of rows of the same create when `schema` is `destination`.
fn keys_to_find(
    schema: &'static Schema,
    destination: &'static Schema,
    source: usize,
    rows: &Rows,
) -> Vec<Value> {
    let mut seen: HashSet<&Value> = HashSet::default();
    if std::ptr::eq(schema, destination) {
        seen.extend(rows.iter().filter_map(|r| r.get(schema.primary_key)));
    }
    let mut keys = Vec::new();
    for key in rows.iter().filter_map(|r| r.get(source)) {
        if !key.is_null() && seen.insert(key) {
            keys.push(key.clone());
        }
    }
    keys
}

/// Which of `keys` (primary keys of `destination`) name a record the scope's
/// tenant may read: one read, under the tenant's condition as a read of
/// `destination` gets it.
async fn found_in_tenant(
    scope: &Scope,
    destination: &'static Schema,
    keys: Vec<Value>,
) -> Result<HashSet<Value>> {
    let mut request = ReadRequest::new(destination);
    request.filter = Some(Expr::In(
        Box::new(Expr::attr(destination.primary_key().name)),
        keys,
    ));
    request.visibility = authorize::visibility(scope, destination, false, None, &[], None)?;
    let records = scope.domain().data_layer().read(request).await?.records;
    let table = table_of(destination, records)?;
    Ok((0..table.len())
        .map(|row| table.get(row, destination.primary_key))
        .collect())
}

/// The error for `key`, set in `rel`'s attribute, naming no record of
/// `destination` in `tenant`: the same whether another tenant has one.
fn no_record_in_tenant(
    schema: &'static Schema,
    rel: &RelationshipInfo,
    destination: &'static Schema,
    key: &Value,
    tenant: &Value,
) -> Error {
    Error::new(ErrorKind::Constraint {
        resource: schema.name,
        attribute: Some(rel.source_attribute),
        identity: None,
        constraint: Constraint::ForeignKey,
        source: format!(
            "`{}` is {key}, which is the key of no {} in tenant {tenant}",
            rel.source_attribute, destination.name
        )
        .into(),
    })
}
