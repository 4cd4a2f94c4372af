//! `DataLayer::aggregate` on PostgreSQL: the one statement `build::aggregate`
//! makes, within the statement timeout, each column decoded by its
//! PostgreSQL type and checked against the type of what it holds (the primary
//! key, then each aggregate's value; an integer read for a float is a float).

use deadpool_postgres::Object;

use super::Postgres;
use crate::data_layer::ReadRequest;
use crate::data_layer::columns::postgres::{column, data_layer};
use crate::data_layer::sql::overflow::aggregate_error;
use crate::data_layer::sql::{Columns, Dialect, Statement, build};
use crate::error::{Error, Result};
use crate::expr::Aggregate;
use crate::resource::Schema;
use crate::value::{Value, ValueType};

impl Postgres {
    /// What [`DataLayer::aggregate`](crate::DataLayer::aggregate) answers.
    pub(super) async fn aggregate_now(
        &self,
        request: ReadRequest,
        aggregates: Vec<Aggregate>,
    ) -> Result<Vec<Vec<Value>>> {
        let stmt = build::aggregate(Dialect::Postgres, &request, &aggregates)?;
        self.values(request.schema, &stmt)
            .await
            .map_err(|e| overflow(e, request.schema, aggregates.iter()))
    }

    /// What [`DataLayer::aggregate_list`](crate::DataLayer::aggregate_list) answers.
    pub(super) async fn aggregate_list_now(
        &self,
        request: ReadRequest,
        aggregate: Aggregate,
    ) -> Result<Vec<(Value, Value)>> {
        let stmt = build::aggregate_list(Dialect::Postgres, &request, &aggregate)?;
        let rows = self
            .values(request.schema, &stmt)
            .await
            .map_err(|e| overflow(e, request.schema, [&aggregate]))?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let mut row = row.into_iter();
                Some((row.next()?, row.next()?))
            })
            .collect())
    }

    /// The rows of `stmt` (of `Columns::Values`), within the statement timeout.
    async fn values(&self, schema: &'static Schema, stmt: &Statement) -> Result<Vec<Vec<Value>>> {
        let lease = self.lease().await?;
        let aggregate = self.aggregate_on(&lease, schema, stmt);
        let outcome = self.limited(self.outside_savepoint(aggregate)).await;
        self.settle(lease, outcome)
    }

    /// [`aggregate_now`](Self::aggregate_now)'s statement on `client`.
    async fn aggregate_on(
        &self,
        client: &Object,
        schema: &'static Schema,
        stmt: &Statement,
    ) -> Result<Vec<Vec<Value>>> {
        let Columns::Values(types) = &stmt.columns else {
            return Err(Error::data_layer(
                "postgres: an aggregate statement of another shape",
            ));
        };
        let (rows, _) = self.rows(client, stmt, "aggregating", schema).await?;
        futures_util::pin_mut!(rows);
        let failed = |e| data_layer(format!("aggregating {}", schema.name), e);
        let mut out = Vec::new();
        while let Some(row) = futures_util::TryStreamExt::try_next(&mut rows)
            .await
            .map_err(failed)?
        {
            let values = types
                .iter()
                .enumerate()
                .map(|(i, t)| fit(schema, *t, column(&row, i)?))
                .collect::<Result<Vec<Value>>>()?;
            out.push(values);
        }
        Ok(out)
    }
}

/// `value` as a value of type `t`: an integer becomes a float for a float.
fn fit(schema: &'static Schema, t: ValueType, value: Value) -> Result<Value> {
    match (t, value) {
        (ValueType::F64, Value::Int(i)) => Ok(Value::Float(i as f64)),
        (_, Value::Null) => Ok(Value::Null),
        (ValueType::Bool, v @ Value::Bool(_))
        | (ValueType::I16 | ValueType::I32 | ValueType::I64, v @ Value::Int(_))
        | (ValueType::F64, v @ Value::Float(_))
        | (ValueType::String, v @ Value::String(_))
        | (ValueType::Uuid, v @ Value::Uuid(_))
        | (ValueType::DateTime, v @ Value::DateTime(_))
        | (ValueType::Date, v @ Value::Date(_))
        | (ValueType::Bytes, v @ Value::Bytes(_)) => Ok(v),
        #[cfg(feature = "decimal")]
        (ValueType::Decimal, v @ Value::Decimal(_)) => Ok(v),
        #[cfg(feature = "json")]
        (ValueType::Json, v @ Value::Json(_)) => Ok(v),
        (t, found) => Err(Error::data_layer(format!(
            "aggregating {}: a {} column held {found:?}",
            schema.name,
            t.rust_name(true)
        ))),
    }
}

/// `err`, named as the aggregate's overflow when PostgreSQL found one
/// (`numeric_value_out_of_range`: a `sum` past `bigint`).
fn overflow<'a>(
    err: Error,
    schema: &'static Schema,
    aggregates: impl IntoIterator<Item = &'a Aggregate>,
) -> Error {
    let aggregates: Vec<&Aggregate> = aggregates.into_iter().collect();
    aggregate_error(err, schema, &aggregates, |source| {
        source
            .downcast_ref::<tokio_postgres::Error>()
            .and_then(tokio_postgres::Error::code)
            == Some(&tokio_postgres::error::SqlState::NUMERIC_VALUE_OUT_OF_RANGE)
    })
}
