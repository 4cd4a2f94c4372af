//! A write, executed: changesets become rows, the tenant is filled in and
//! checked, the rows are checked against the policies governing creates,
//! belongs_to keys into multitenant resources are checked against the
//! tenant ([`references`]), and the data layer creates the rows in one call.

use crate::changeset::Changeset;
use crate::domain::Scope;
use crate::engine::{authorize, values};
use crate::error::Result;
use crate::resource::Resource;

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

mod references;
