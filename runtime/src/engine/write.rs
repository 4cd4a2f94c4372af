//! A write, executed: changesets become rows, the tenant is filled in and
//! checked, the rows are checked against the policies governing creates,
//! belongs_to keys into multitenant resources are checked against the
//! tenant ([`references`]), and the data layer creates the rows in one call.
//! An update ([`update()`]) or destroy ([`destroy()`]) selects what it touches as
//! a read would (the query's filter, sort and window) within what the scope
//! may write (`authorize::write_visibility`), and asks the data layer once.
//! Relationship writes ([`relationships`]) are made of these, a constant
//! number per call.

//! An upsert ([`Upsert`]) is the same, with the attributes it updates taken
//! from the changesets, the batch checked to update each record once, and
//! the records it may update (`authorize::writes::updatable`) given to the
//! data layer, which tests each record found as it writes.

use crate::changeset::Changesets;
use crate::data_layer::{ReadRequest, Upsert, upsert};
use crate::domain::Scope;
use crate::engine::{authorize, read, values};
use crate::error::{Error, ErrorKind, Result};
use crate::expr::{CmpOp, Expr};
use crate::policy::Action;
use crate::query::Query;
use crate::resource::{Identity, Resource, Rows, Schema};
use crate::value::Value;

/// Creates the records of `changesets` in `scope`: one data-layer call for all,
/// the tenant filled into each row and checked against the scope's, and each
/// key into a multitenant resource checked to name a record of the tenant.
/// With `upsert_on`, an upsert on that identity.
#[tracing::instrument(target = "ashore_runtime", name = "write", level = "debug", skip_all, fields(
    action = if upsert_on.is_some() { "upsert" } else { "create" },
    resource = R::schema().name,
    layer = scope.domain.data_layer().name(),
    records = changesets.len(),
))]
pub(crate) async fn create<R: Resource>(
    scope: Scope,
    changesets: Changesets<R>,
    upsert_on: Option<&'static Identity>,
) -> Result<Vec<R>> {
    scope.domain.check_stored::<R>()?;
    let schema = R::schema();
    if scope.tenant().is_none() {
        // A create without a tenant fails here, before a missing tenant
        // attribute would be reported as merely unset.
        authorize::tenant_rows(schema, None, &mut Rows::new(schema.attributes.len()))
            .map_err(|e| e.in_resource(schema.name))?;
    }
    let tenant_index = schema
        .multitenancy
        .and_then(|m| schema.attribute_index(m.attribute));
    let upsert = match upsert_on {
        Some(identity) => Some(Upsert {
            identity,
            update: updated_attributes(schema, identity, &changesets)
                .map_err(|e| e.in_resource(schema.name))?,
            visibility: authorize::writes::updatable(&scope, schema)
                .map_err(|e| e.in_resource(schema.name))?,
        }),
        None => None,
    };
    // Each row is made and its values checked in one pass, while it is at
    // hand (a large create's rows do not stay in the processor's caches), in
    // the one buffer the changesets' values were moved into (see `Rows`).
    let fill = tenant_index.zip(scope.tenant());
    let keys_given = changesets.keys_given();
    let rows = changesets.into_rows(fill, |set| values::check_set(schema, set))?;
    insert_checked(&scope, schema, rows, &keys_given, upsert)
        .await?
        .into_vec::<R>()
}

/// Creates `rows` of `schema` in `scope` (the tenant attribute filled in where
/// the scope has one and the row leaves it nil): the checks of [`create`],
/// then one data-layer create (or upsert).
pub(crate) async fn insert(
    scope: &Scope,
    schema: &'static Schema,
    rows: Rows,
    upsert: Option<Upsert>,
) -> Result<crate::data_layer::Records> {
    values::check_rows(schema, &rows)?;
    insert_checked(scope, schema, rows, &[], upsert).await
}

/// [`insert`] of rows whose values [`values::check_rows`] accepts; `keys_given`
/// says which rows the caller gave their key (a forbidden one is named by it),
/// empty for rows ashore made.
async fn insert_checked(
    scope: &Scope,
    schema: &'static Schema,
    mut rows: Rows,
    keys_given: &[bool],
    upsert: Option<Upsert>,
) -> Result<crate::data_layer::Records> {
    authorize::tenant_rows(schema, scope.tenant(), &mut rows)
        .map_err(|e| e.in_resource(schema.name))?;
    authorize::writes::check_create(scope, schema, &rows, keys_given).await?;
    references::check_tenant(scope, schema, &rows)
        .await
        .map_err(|e| e.in_resource(schema.name))?;
    let layer = scope.domain.data_layer();
    let created = match upsert {
        None => {
            tracing::debug!(resource = schema.name, count = rows.len(), "create");
            layer.create(schema, rows).await
        }
        Some(upsert) => {
            upsert::check_batch(schema, upsert.identity, &rows)
                .map_err(|e| e.in_resource(schema.name))?;
            tracing::debug!(
                resource = schema.name,
                count = rows.len(),
                identity = upsert.identity.name,
                "upsert"
            );
            // A record found that the upsert may not update
            // (`upsert.visibility`) fails the call in the layer, as it
            // writes: a forbidden update, which names the resource itself
            // (as a forbidden create does).
            return layer.upsert(schema, rows, upsert).await.map_err(|e| {
                if matches!(e.kind(), ErrorKind::Forbidden { .. }) {
                    e
                } else {
                    e.in_resource(schema.name)
                }
            });
        }
    };
    created.map_err(|e| e.in_resource(schema.name))
}

/// The request selecting what a write (`action`) of `query` in `scope` may
/// touch: the query's filter (checked), sort and window, within
/// [`authorize::write_visibility`].
fn target<R: Resource>(scope: &Scope, query: &Query<R>, action: Action) -> Result<ReadRequest> {
    let schema = R::schema();
    let mut request = read::unscoped_request(scope, query)?;
    request.visibility = authorize::write_visibility(
        scope,
        schema,
        action,
        request.filter.as_ref(),
        &request.sort,
    )
    .map_err(|e| e.in_resource(schema.name))?;
    Ok(request)
}

/// The query of the one record of `R` whose primary key is `key`.
fn by_key<R: Resource>(key: &Value) -> Query<R> {
    let schema = R::schema();
    Query::new().filter_expr(Expr::cmp(
        CmpOp::Eq,
        Expr::attr(schema.primary_key().name),
        Expr::Value(key.clone()),
    ))
}

/// The one record a write (`action`) of the record keyed `key` touched:
/// `written`, as [`update()`] or [`destroy()`] returned it. When it touched none,
/// an [`ErrorKind::Forbidden`] naming the record if the scope may read it (the
/// policies governing `action` kept it out), else an [`ErrorKind::NotFound`]:
/// a record that does not exist, is another tenant's or is hidden from the
/// actor is not told apart. Policies that forbid the action outright name the
/// record too.
async fn the_one<R: Resource>(
    scope: &Scope,
    written: Result<Vec<R>>,
    key: Value,
    action: Action,
) -> Result<R> {
    let schema = R::schema();
    let forbidden = |key| authorize::writes::forbidden(schema, action, Some(key));
    let records = match written {
        Ok(records) => records,
        Err(e) if matches!(e.kind(), ErrorKind::Forbidden { key: None, .. }) => {
            return Err(forbidden(key).in_resource(schema.name));
        }
        Err(e) => return Err(e),
    };
    if let Some(record) = records.into_iter().next() {
        return Ok(record);
    }
    let readable = async {
        let mut request = read::unscoped_request(scope, &by_key::<R>(&key))?;
        request.visibility =
            authorize::visibility(scope, schema, true, request.filter.as_ref(), &[], None)?;
        scope.domain.data_layer().count(request).await
    };
    let error = match readable.await {
        Ok(n) if n > 0 => forbidden(key),
        Ok(_) => Error::new(ErrorKind::NotFound {
            resource: schema.name,
            key,
        }),
        Err(e) => e,
    };
    Err(error.in_resource(schema.name))
}

mod destroy;

/// The attributes an upsert on `identity` updates a record found with: those
/// the changesets set, but the primary key, the identity's keys and the tenant
/// attribute. Changesets that set different attributes are an
/// [`ErrorKind::InvalidQuery`]: which a record found would keep is unclear.
fn updated_attributes<R: Resource>(
    schema: &'static Schema,
    identity: &'static Identity,
    changesets: &Changesets<R>,
) -> Result<Vec<usize>> {
    if changesets.is_empty() {
        return Ok(Vec::new());
    }
    let first = changesets.set_in(0);
    if let Some(position) = changesets.first_setting_otherwise() {
        let names = |i: usize| -> String {
            let names: Vec<&str> = changesets
                .set_in(i)
                .into_iter()
                .map(|a| schema.attributes[a].name)
                .collect();
            format!("[{}]", names.join(", "))
        };
        return Err(Error::new(ErrorKind::InvalidQuery {
            resource: schema.name,
            message: format!(
                "every changeset of an upsert must set the same attributes (those a record found is updated with): \
                 the first sets {}, changeset {position} sets {}",
                names(0),
                names(position)
            ),
        }));
    }
    let tenant = schema.multitenancy.map(|m| m.attribute);
    Ok(first
        .into_iter()
        .filter(|&i| {
            let name = schema.attributes[i].name;
            i != schema.primary_key && !identity.keys.contains(&name) && Some(name) != tenant
        })
        .collect())
}

mod references;
mod relationships;
mod update;

pub(crate) use destroy::{destroy, destroy_one};
pub use relationships::Relinked;
pub(crate) use relationships::{Relink, check_related, create_related, relink, writable};
pub(crate) use update::{update, update_one};
