//! An update, executed: the changeset's values checked (no primary key, no
//! NaN or NUL, the tenant attribute only to the write's tenant, belongs_to
//! keys into multitenant resources within the tenant), then one data-layer
//! update of what the query selects; an empty changeset writes nothing and
//! returns what it selects.

use super::{by_key, target, the_one};
use crate::changeset::Changeset;
use crate::data_layer::{ReadRequest, Records};
use crate::domain::Scope;
use crate::engine::authorize;
use crate::engine::{load, values};
use crate::error::Result;
use crate::expr::Expr;
use crate::policy::Action;
use crate::query::Query;
use crate::resource::{Resource, Row, Rows};
use crate::value::Value;

/// Updates every record `query` selects in `scope` with `changeset`; the
/// records as stored after, in insertion order, the query's loads run on
/// them.
#[tracing::instrument(target = "ashore_runtime", name = "write", level = "debug", skip_all, fields(
    action = "update",
    resource = R::schema().name,
    layer = scope.domain.data_layer().name(),
    records = tracing::field::Empty,
))]
pub(crate) async fn update<R: Resource>(
    scope: Scope,
    query: Query<R>,
    changeset: Changeset<R>,
) -> Result<Vec<R>> {
    let schema = R::schema();
    let in_resource = |e: crate::Error| e.in_resource(schema.name);
    let request = target(&scope, &query, Action::Update)?;
    let changes = changeset.into_changes();
    changes.check(schema).map_err(in_resource)?;
    values::check_changes(schema, &changes).map_err(in_resource)?;
    authorize::tenant_change(schema, scope.tenant(), &changes).map_err(in_resource)?;
    let records = if changes.is_empty() {
        selected(&scope, request).await
    } else {
        // The keys an update sets, as the row a create would check.
        let mut row: Row = vec![Value::Null; schema.attributes.len()];
        changes.apply(&mut row);
        let rows = Rows::from_rows(schema.attributes.len(), vec![row]).map_err(in_resource)?;
        super::references::check_tenant(&scope, schema, &rows)
            .await
            .map_err(in_resource)?;
        values::trace_filter(schema.name, request.filter.as_ref());
        scope.domain.data_layer().update(request, changes).await
    };
    let mut records = records.map_err(in_resource)?.into_vec::<R>()?;
    tracing::Span::current().record("records", records.len());
    load::run_loads(&scope, &query.loads, &mut records).await?;
    Ok(records)
}

/// Updates the record of `R` keyed `key` (see [`update`]); an
/// [`ErrorKind::Forbidden`](crate::ErrorKind::Forbidden) when the scope may
/// read it but its policies do not let it be updated, an
/// [`ErrorKind::NotFound`](crate::ErrorKind::NotFound) when the scope may not
/// read it or it does not exist.
pub(crate) async fn update_one<R: Resource>(
    scope: Scope,
    key: Value,
    changeset: Changeset<R>,
) -> Result<R> {
    let written = update(scope.clone(), by_key::<R>(&key), changeset).await;
    the_one(&scope, written, key, Action::Update).await
}

/// What `request` selects, read, in insertion order (an update that changes
/// nothing): with a sort, the keys it selects are read again unsorted.
async fn selected(scope: &Scope, mut request: ReadRequest) -> Result<Records> {
    let layer = scope.domain.data_layer();
    let schema = request.schema;
    if request.sort.is_empty() {
        return Ok(layer.read(request).await?.records);
    }
    let chosen =
        crate::data_layer::store::table_of(schema, layer.read(request.clone()).await?.records)?;
    let keys: Vec<Value> = (0..chosen.len())
        .map(|row| chosen.get(row, schema.primary_key))
        .collect();
    request.sort.clear();
    request.offset = 0;
    request.limit = None;
    request.filter = Some(Expr::In(
        Box::new(Expr::attr(schema.primary_key().name)),
        keys,
    ));
    Ok(layer.read(request).await?.records)
}
