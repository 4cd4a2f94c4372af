//! `DataLayer::aggregate` in memory: the records a request selects (its filter
//! and visibility, scanned as a count scans them), each with its primary key
//! and the value of every aggregate, computed by the evaluator (`eval`).

use std::sync::PoisonError;

use super::{CHUNK, Filter, Memory, invalid, not_registered, scan};
use crate::data_layer::ReadRequest;
use crate::data_layer::eval::{Aggregates, Tables};
use crate::error::Result;
use crate::expr::Aggregate;
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
}
