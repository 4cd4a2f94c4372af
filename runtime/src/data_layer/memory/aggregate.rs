//! `DataLayer::aggregate` in memory: the records a request selects (its filter
//! and visibility, scanned as a count scans them), each with its primary key
//! and the value of every aggregate, computed by the evaluator (`eval`).

use std::sync::PoisonError;

use super::{CHUNK, Filter, Memory, invalid, not_registered, scan};
use crate::data_layer::ReadRequest;
use crate::data_layer::eval::{Aggregates, Tables};
use crate::error::Result;
use crate::expr::{Aggregate, AggregateKind};
use crate::value::Value;

impl Memory {
    /// What [`DataLayer::aggregate`](crate::DataLayer::aggregate) answers.
    pub(super) fn aggregate_now(
        &self,
        request: &ReadRequest,
        aggregates: &[Aggregate],
    ) -> Result<Vec<Vec<Value>>> {
        let schema = request.schema;
        if request.partition.is_some() {
            return Err(invalid(
                schema,
                "a partitioned read cannot compute aggregates".to_owned(),
            ));
        }
        crate::data_layer::aggregate_path::check_scalars(schema, aggregates)?;
        let tables = self.tables.read().unwrap_or_else(PoisonError::into_inner);
        let table = tables.table(schema).ok_or_else(|| not_registered(schema))?;
        let compiled = Aggregates::compile(schema, aggregates, &request.visibility, &*tables)?;
        let filter = Filter::compile(
            schema,
            request.filter.as_ref(),
            &request.visibility,
            &*tables,
        )?;
        let mut rows = Vec::new();
        scan(table.len(), CHUNK, filter.as_ref(), Some, |_, row| {
            rows.push(row);
            true
        });
        compiled.prepare(&rows);
        let pk = schema.primary_key;
        rows.into_iter()
            .map(|row| {
                let mut values = Vec::with_capacity(aggregates.len() + 1);
                values.push(table.get(row, pk));
                values.extend(compiled.values(row)?);
                Ok(values)
            })
            .collect()
    }

    /// What [`DataLayer::aggregate_list`](crate::DataLayer::aggregate_list) answers.
    pub(super) fn aggregate_list_now(
        &self,
        request: &ReadRequest,
        aggregate: &Aggregate,
    ) -> Result<Vec<(Value, Value)>> {
        let schema = request.schema;
        if request.partition.is_some() {
            return Err(invalid(
                schema,
                "a partitioned read cannot compute aggregates".to_owned(),
            ));
        }
        if aggregate.kind != AggregateKind::List {
            return Err(crate::data_layer::aggregate_path::list_alone(
                schema, aggregate,
            ));
        }
        let tables = self.tables.read().unwrap_or_else(PoisonError::into_inner);
        let table = tables.table(schema).ok_or_else(|| not_registered(schema))?;
        let one = std::slice::from_ref(aggregate);
        let compiled = Aggregates::compile(schema, one, &request.visibility, &*tables)?;
        let filter = Filter::compile(
            schema,
            request.filter.as_ref(),
            &request.visibility,
            &*tables,
        )?;
        let mut rows = Vec::new();
        scan(table.len(), CHUNK, filter.as_ref(), Some, |_, row| {
            rows.push(row);
            true
        });
        let pk = schema.primary_key;
        let mut out = Vec::new();
        for row in rows {
            let key = table.get(row, pk);
            out.extend(compiled.list(row).into_iter().map(|v| (key.clone(), v)));
        }
        Ok(out)
    }
}
