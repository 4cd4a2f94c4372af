//! `DataLayer::aggregate` on SQLite: the one statement `build::aggregate`
//! makes, each column decoded by the type of what it holds (the primary key,
//! then each aggregate's value).

use rusqlite::types::ValueRef;

use super::{Sqlite, codec, errors};
use crate::data_layer::ReadRequest;
use crate::data_layer::columns::sqlite::decode_attribute;
use crate::data_layer::sql::overflow::aggregate_error;
use crate::data_layer::sql::{Columns, Dialect, build};
use crate::error::{Error, Result};
use crate::expr::Aggregate;
use crate::value::Value;

impl Sqlite {
    /// What [`DataLayer::aggregate`](crate::DataLayer::aggregate) answers.
    pub(super) async fn aggregate_now(
        &self,
        request: ReadRequest,
        aggregates: Vec<Aggregate>,
    ) -> Result<Vec<Vec<Value>>> {
        let statement = build::aggregate(Dialect::Sqlite, &request, &aggregates)?;
        self.values(request.schema, statement)
            .await
            .map_err(|e| overflow(e, request.schema, aggregates.iter()))
    }

    /// What [`DataLayer::aggregate_list`](crate::DataLayer::aggregate_list) answers.
    pub(super) async fn aggregate_list_now(
        &self,
        request: ReadRequest,
        aggregate: Aggregate,
    ) -> Result<Vec<(Value, Value)>> {
        let statement = build::aggregate_list(Dialect::Sqlite, &request, &aggregate)?;
        let rows = self
            .values(request.schema, statement)
            .await
            .map_err(|e| overflow(e, request.schema, [&aggregate]))?;
        Ok(rows.into_iter().filter_map(pair).collect())
    }

    /// The rows of `statement`, of `Columns::Values`, each column decoded by
    /// its type.
    async fn values(
        &self,
        schema: &'static crate::resource::Schema,
        statement: crate::data_layer::sql::Statement,
    ) -> Result<Vec<Vec<Value>>> {
        let Columns::Values(types) = statement.columns.clone() else {
            return Err(Error::data_layer(
                "sqlite: an aggregate statement of another shape",
            ));
        };
        self.run(move |conn, inner| {
            let what = |e| errors::database(format_args!("aggregating {}", schema.name), e);
            let mut prepared = conn.prepare_cached(&statement.sql).map_err(what)?;
            codec::bind(&mut prepared, &statement.params).map_err(what)?;
            let _statement = inner.ran(&statement.sql);
            let mut rows = prepared.raw_query();
            let mut out = Vec::new();
            while let Some(row) = rows.next().map_err(what)? {
                let key: ValueRef<'_> = row.get_ref(0).map_err(what)?;
                let mut values = Vec::with_capacity(types.len());
                for (i, t) in types.iter().enumerate() {
                    let name = if i == 0 {
                        schema.primary_key().name
                    } else {
                        "(an aggregate)"
                    };
                    let v = row.get_ref(i).map_err(what)?;
                    values.push(decode_attribute(v, *t, schema, name, Some(key))?);
                }
                out.push(values);
            }
            Ok(out)
        })
        .await
    }
}

/// `err`, named as the aggregate's overflow when the layer's `ashore_sum` found one
/// ("integer overflow").
fn overflow<'a>(
    err: Error,
    schema: &'static crate::resource::Schema,
    aggregates: impl IntoIterator<Item = &'a Aggregate>,
) -> Error {
    let aggregates: Vec<&Aggregate> = aggregates.into_iter().collect();
    aggregate_error(err, schema, &aggregates, |source| {
        source.downcast_ref::<rusqlite::Error>().is_some_and(
            |e| matches!(e, rusqlite::Error::SqliteFailure(_, Some(m)) if m == "integer overflow"),
        )
    })
}

/// A row of two values as a pair.
fn pair(row: Vec<Value>) -> Option<(Value, Value)> {
    let mut row = row.into_iter();
    Some((row.next()?, row.next()?))
}
