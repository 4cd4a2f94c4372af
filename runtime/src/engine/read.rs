//! A read, executed: the query becomes one data-layer request (the filter, sort
//! and window, and what the scope may see), the rows become records, and every
//! load the query asks for runs on them (`engine/load.rs`).

use crate::data_layer::ReadRequest;
use crate::domain::Scope;
use crate::engine::{authorize, load, values};
use crate::error::Result;
use crate::query::Query;
use crate::resource::Resource;

/// Reads what `query` matches in `scope`, then runs its loads.
pub(crate) async fn read<R: Resource>(scope: &Scope, query: Query<R>) -> Result<Vec<R>> {
    scope.domain.check_stored::<R>()?;
    let schema = R::schema();
    let mut request = ReadRequest::new(schema);
    request.filter = query.get_filter().cloned();
    if let Some(filter) = &request.filter {
        // Before anything walks it: the data layers check again, for requests
        // made without the engine.
        filter.check_depth(schema.name, &"the filter")?;
    }
    values::check_filter(schema, request.filter.as_ref())
        .map_err(|e| e.in_resource(schema.name))?;
    request.sort = query.get_sort().to_vec();
    request.limit = query.get_limit();
    request.offset = query.get_offset();
    request.visibility = authorize::visibility(scope, schema, true, request.filter.as_ref(), None)
        .map_err(|e| e.in_resource(schema.name))?;
    tracing::debug!(resource = schema.name, filter = ?request.filter.as_ref().map(ToString::to_string), "read");
    let result = scope
        .domain
        .data_layer()
        .read(request)
        .await
        .map_err(|e| e.in_resource(schema.name))?;
    let mut records = result.records.into_vec::<R>()?;
    load::run_loads(scope, &query.loads, &mut records).await?;
    Ok(records)
}
