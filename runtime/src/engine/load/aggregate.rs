//! Loading an aggregate ([`Agg`]) onto records: one `DataLayer::aggregate`
//! request for all of them (their primary keys as the filter), under the
//! visibility the read of the source would have, extended to every resource
//! the aggregate's path and filter reach, so a record the actor may not read,
//! or of another tenant, is never counted. Each record's value is converted to
//! the field's type and put on it; a record the request does not return (one
//! the actor may not read itself) keeps its field not loaded. A `list` is
//! `DataLayer::aggregate_list` instead, its values grouped by record; every
//! record gets a list, empty when nothing was found.

use foldhash::{HashMap, HashMapExt};

use crate::data_layer::{BoxFuture, ReadRequest};
use crate::domain::Scope;
use crate::engine::authorize;
use crate::error::{Error, ErrorKind, Result};
use crate::expr::Expr;
use crate::query::Load;
use crate::rel::{Agg, AggregateValue};
use crate::resource::Resource;
use crate::value::Value;

async fn run<S: Resource, T: AggregateValue>(
    agg: &Agg<S, T>,
    records: &mut [S],
    scope: &Scope,
) -> Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let schema = S::schema();
    let pk = schema.primary_key;
    let mut seen = HashMap::with_capacity(records.len());
    let mut keys = Vec::with_capacity(records.len());
    for record in records.iter() {
        let key = record.get(pk);
        if !key.is_null() && seen.insert(key.clone(), ()).is_none() {
            keys.push(key);
        }
    }
    let aggregate = agg.aggregate();
    let mut request = ReadRequest::new(schema);
    let filter = Expr::is_in(Expr::attr(schema.primary_key().name), keys);
    // What the aggregate reaches, for the visibility only: `filter` (the
    // primary key, on `schema` itself) reaches nothing more, and `schema` is
    // always met, so it is not cloned into the expression walked.
    let reaches = Expr::Exists {
        path: aggregate.path.clone(),
        expr: Box::new(
            aggregate
                .filter
                .clone()
                .unwrap_or(Expr::Value(Value::Bool(true))),
        ),
    };
    request.visibility = authorize::visibility(scope, schema, true, Some(&reaches), &[], None)?;
    request.filter = Some(filter);
    tracing::debug!(resource = schema.name, aggregate = agg.name, "aggregate");
    if T::LIST {
        return list(agg, records, scope, request, aggregate).await;
    }
    let rows = scope
        .domain()
        .data_layer()
        .aggregate(request, vec![aggregate])
        .await?;
    let mut values: HashMap<Value, Value> = HashMap::with_capacity(rows.len());
    for row in rows {
        let mut row = row.into_iter();
        let (Some(key), Some(value)) = (row.next(), row.next()) else {
            return Err(Error::data_layer(format!(
                "the aggregate `{}` of {} came back without its value",
                agg.name, schema.name
            )));
        };
        values.insert(key, value);
    }
    for record in records.iter_mut() {
        let Some(value) = values.get(&record.get(pk)) else {
            continue;
        };
        let value = T::from_one(value.clone())
            .map_err(|found| mismatch::<S, T>(agg, record.get(pk), found))?;
        (agg.set)(record, value);
    }
    Ok(())
}

/// A `list`: its values grouped by record; every record gets its list, empty
/// when nothing (it may read) was found.
async fn list<S: Resource, T: AggregateValue>(
    agg: &Agg<S, T>,
    records: &mut [S],
    scope: &Scope,
    request: ReadRequest,
    aggregate: crate::expr::Aggregate,
) -> Result<()> {
    let pk = S::schema().primary_key;
    let pairs = scope
        .domain()
        .data_layer()
        .aggregate_list(request, aggregate)
        .await?;
    let mut lists: HashMap<Value, Vec<Value>> = HashMap::with_capacity(records.len());
    for (key, value) in pairs {
        lists.entry(key).or_default().push(value);
    }
    for record in records.iter_mut() {
        let values = lists.get(&record.get(pk)).cloned().unwrap_or_default();
        let value =
            T::from_list(values).map_err(|found| mismatch::<S, T>(agg, record.get(pk), found))?;
        (agg.set)(record, value);
    }
    Ok(())
}

/// A value that does not fit the field holding the aggregate, of the record
/// whose primary key is `key`.
fn mismatch<S: Resource, T: AggregateValue>(agg: &Agg<S, T>, key: Value, found: Value) -> Error {
    Error::new(ErrorKind::TypeMismatch {
        resource: S::schema().name,
        key: Some(key).filter(|k| !k.is_null()),
        attribute: agg.name,
        expected: T::type_name(),
        found,
    })
}

impl<S: Resource, T: AggregateValue> Load<S> for Agg<S, T> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn run<'a>(&'a self, records: &'a mut [S], scope: &'a Scope) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            run(self, records, scope)
                .await
                .map_err(|e| e.in_relationship(S::schema().name, self.name))
        })
    }
}
