//! A destroy, executed: one data-layer destroy of what the query selects.

use super::{by_key, target, the_one};
use crate::domain::Scope;
use crate::engine::load;
use crate::error::Result;
use crate::policy::Action;
use crate::query::Query;
use crate::resource::Resource;
use crate::value::Value;

/// Destroys every record `query` selects in `scope`; the records as they
/// were, in insertion order, the query's loads run on them (relationships of
/// records that no longer exist, read as they are now).
#[tracing::instrument(target = "ashore_runtime", name = "write", level = "debug", skip_all, fields(
    action = "destroy",
    resource = R::schema().name,
    layer = scope.domain.data_layer().name(),
    records = tracing::field::Empty,
))]
pub(crate) async fn destroy<R: Resource>(scope: Scope, query: Query<R>) -> Result<Vec<R>> {
    let schema = R::schema();
    let request = target(&scope, &query, Action::Destroy)?;
    crate::engine::values::trace_filter(schema.name, request.filter.as_ref());
    let destroyed = scope.domain.data_layer().destroy(request).await;
    let mut records = destroyed
        .map_err(|e| e.in_resource(schema.name))?
        .into_vec::<R>()?;
    tracing::Span::current().record("records", records.len());
    load::run_loads(&scope, &query.loads, &mut records).await?;
    Ok(records)
}

/// Destroys the record of `R` keyed `key` (see [`destroy`]); an
/// [`ErrorKind::Forbidden`](crate::ErrorKind::Forbidden) when the scope may
/// read it but its policies do not let it be destroyed, an
/// [`ErrorKind::NotFound`](crate::ErrorKind::NotFound) when the scope may not
/// read it or it does not exist.
pub(crate) async fn destroy_one<R: Resource>(scope: Scope, key: Value) -> Result<R> {
    let written = destroy(scope.clone(), by_key::<R>(&key)).await;
    the_one(&scope, written, key, Action::Destroy).await
}
