//! A write, executed: changesets become rows, the tenant is filled in and
//! checked, the rows are checked against the policies governing creates,
//! belongs_to keys into multitenant resources are checked against the
//! tenant ([`references`]), and the data layer creates the rows in one call.
//! An update ([`update`]) or destroy ([`destroy`]) selects what it touches as
//! a read would (the query's filter, sort and window) within what the scope
//! may write (`authorize::write_visibility`), and asks the data layer once.

use crate::changeset::Changeset;
use crate::data_layer::ReadRequest;
use crate::domain::Scope;
use crate::engine::authorize;
use crate::engine::{read, values};
use crate::error::{Error, ErrorKind, Result};
use crate::expr::{CmpOp, Expr};
use crate::policy::Action;
use crate::query::Query;
use crate::resource::Resource;
use crate::value::Value;

/// Creates the records of `changesets` in `scope`: one data-layer call for all,
/// the tenant filled into each row and checked against the scope's, and each
/// key into a multitenant resource checked to name a record of the tenant.
pub(crate) async fn create<R: Resource>(
    scope: Scope,
    changesets: Vec<Changeset<R>>,
) -> Result<Vec<R>> {
    scope.domain.check_stored::<R>()?;
    let schema = R::schema();
    if scope.tenant().is_none() {
        // A create without a tenant fails here, before a missing tenant
        // attribute would be reported as merely unset.
        authorize::tenant_rows(schema, None, &mut []).map_err(|e| e.in_resource(schema.name))?;
    }
    let tenant_index = schema
        .multitenancy
        .and_then(|m| schema.attribute_index(m.attribute));
    let mut rows = changesets
        .into_iter()
        .map(|mut changeset| {
            if let (Some(index), Some(tenant)) = (tenant_index, scope.tenant()) {
                changeset.fill(index, tenant);
            }
            changeset.into_row()
        })
        .collect::<Result<Vec<_>>>()?;
    values::check_rows(schema, &rows)?;
    authorize::tenant_rows(schema, scope.tenant(), &mut rows)
        .map_err(|e| e.in_resource(schema.name))?;
    authorize::writes::check_create(&scope, schema, &rows).await?;
    references::check_tenant(&scope, schema, &rows)
        .await
        .map_err(|e| e.in_resource(schema.name))?;
    tracing::debug!(resource = schema.name, count = rows.len(), "create");
    let created = scope.domain.data_layer().create(schema, rows).await;
    created
        .map_err(|e| e.in_resource(schema.name))?
        .into_vec::<R>()
}

/// The request selecting what a write (`action`) of `query` in `scope` may
/// touch: the query's filter (checked), sort and window, within
/// [`authorize::write_visibility`].
fn target<R: Resource>(scope: &Scope, query: &Query<R>, action: Action) -> Result<ReadRequest> {
    let schema = R::schema();
    let mut request = read::unscoped_request(scope, query)?;
    request.visibility =
        authorize::write_visibility(scope, schema, action, request.filter.as_ref())
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

/// The one record a write of the record keyed `key` found, or the
/// [`ErrorKind::NotFound`] naming it.
fn the_one<R: Resource>(records: Vec<R>, key: Value) -> Result<R> {
    let schema = R::schema();
    records.into_iter().next().ok_or_else(|| {
        Error::new(ErrorKind::NotFound {
            resource: schema.name,
            key,
        })
        .in_resource(schema.name)
    })
}

mod destroy;
mod references;
mod update;

pub(crate) use destroy::{destroy, destroy_one};
pub(crate) use update::{update, update_one};
