//! A read, executed: the query becomes one data-layer request (the filter, sort
//! and window, and what the scope may see), the rows become records, and every
//! load the query asks for runs on them (`engine/load.rs`); or the first of
//! them; or how many there are, counted by the data layer.

use crate::data_layer::ReadRequest;
use crate::domain::Scope;
use crate::engine::{authorize, load, spans, values};
use crate::error::Result;
use crate::query::Query;
use crate::resource::Resource;

/// Reads what `query` matches in `scope`, then runs its loads: a `read` span
/// (its loads are child spans).
#[tracing::instrument(target = "ashore_runtime", name = "read", level = "debug", skip_all, fields(
    resource = R::schema().name,
    layer = scope.domain.data_layer().name(),
    records = tracing::field::Empty,
    statements = tracing::field::Empty,
))]
pub(crate) async fn read<R: Resource>(scope: &Scope, query: Query<R>) -> Result<Vec<R>> {
    spans::counting_statements(read_in_span(scope, query)).await
}

/// [`read`], inside its span.
async fn read_in_span<R: Resource>(scope: &Scope, query: Query<R>) -> Result<Vec<R>> {
    let schema = R::schema();
    let request = request(scope, &query)?;
    values::trace_filter(schema.name, request.filter.as_ref());
    let result = scope
        .domain
        .data_layer()
        .read(request)
        .await
        .map_err(|e| e.in_resource(schema.name))?;
    let mut records = result.records.into_vec::<R>()?;
    tracing::Span::current().record("records", records.len());
    load::run_loads(scope, &query.loads, &mut records).await?;
    Ok(records)
}

/// The first record `query` reads in `scope` (its loads run on it), or `None`.
pub(crate) async fn first<R: Resource>(scope: &Scope, query: Query<R>) -> Result<Option<R>> {
    let limit = query.get_limit().map_or(1, |l| l.min(1));
    Ok(read(scope, query.limit(limit)).await?.into_iter().next())
}

/// How many records `query` would read in `scope`: one data-layer count,
/// nothing fetched or loaded; a `count` span, whose `records` is the count.
#[tracing::instrument(target = "ashore_runtime", name = "count", level = "debug", skip_all, fields(
    resource = R::schema().name,
    layer = scope.domain.data_layer().name(),
    records = tracing::field::Empty,
    statements = tracing::field::Empty,
))]
pub(crate) async fn count<R: Resource>(scope: &Scope, query: Query<R>) -> Result<usize> {
    let schema = R::schema();
    let mut request = request(scope, &query)?;
    // Which records a window holds does not change how many.
    request.sort.clear();
    values::trace_filter(schema.name, request.filter.as_ref());
    let count = scope.domain.data_layer().count(request);
    let count = spans::counting_statements(count)
        .await
        .map_err(|e| e.in_resource(schema.name))?;
    tracing::Span::current().record("records", count);
    Ok(count)
}

/// The data-layer request of `query` in `scope`: its filter (checked), sort and
/// window, and what the scope may see.
fn request<R: Resource>(scope: &Scope, query: &Query<R>) -> Result<ReadRequest> {
    let mut request = unscoped_request(scope, query)?;
    let schema = R::schema();
    request.visibility = authorize::visibility(
        scope,
        schema,
        true,
        request.filter.as_ref(),
        &request.sort,
        None,
    )
    .map_err(|e| e.in_resource(schema.name))?;
    Ok(request)
}

/// The data-layer request of `query` without the scope's visibility: its
/// filter (checked), sort and window. A write adds what it may touch.
pub(crate) fn unscoped_request<R: Resource>(
    scope: &Scope,
    query: &Query<R>,
) -> Result<ReadRequest> {
    scope.domain.check_stored::<R>()?;
    let schema = R::schema();
    let mut request = ReadRequest::new(schema);
    request.filter = query.get_filter().cloned();
    if let Some(filter) = &request.filter {
        // Before anything walks it: the data layers check again, for requests
        // made without the engine.
        filter.check_depth(schema.name, &"the filter")?;
    }
    values::check_filter(schema, request.filter.as_mut())
        .map_err(|e| e.in_resource(schema.name))?;
    request.sort = query.get_sort().to_vec();
    request.limit = query.get_limit();
    request.offset = query.get_offset();
    Ok(request)
}
