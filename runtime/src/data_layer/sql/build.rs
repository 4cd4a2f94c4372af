//! SQL text for both dialects: reads (filters, relationship paths, sort, windows,
//! partitions), inserts and DDL. Pure functions from schemas and requests to
//! [`Statement`]s; nothing here touches a database.

use super::{Dialect, Statement};
use crate::data_layer::ReadRequest;
use crate::error::Result;
use crate::resource::{Row, Schema};

/// The one statement of a read.
pub fn read(dialect: Dialect, request: &ReadRequest) -> Result<Statement> {
    let _ = (dialect, request);
    unimplemented!("being written")
}

/// Inserts of `rows` (in schema attribute order), in as few statements as the
/// dialect's parameter limit allows, each returning the created rows
/// (`Columns::Attributes`), in the order given.
pub fn insert(dialect: Dialect, schema: &'static Schema, rows: &[Row]) -> Result<Vec<Statement>> {
    let _ = (dialect, schema, rows);
    unimplemented!("being written")
}

/// The DDL that makes what `schemas` need and is missing, to run in order.
/// Idempotent: running it on a database that has everything changes nothing.
pub fn migrate(dialect: Dialect, schemas: &[&'static Schema]) -> Vec<String> {
    let _ = (dialect, schemas);
    unimplemented!("being written")
}
