//! What `migrate` runs on PostgreSQL: each resource's table read back from
//! `information_schema.columns` (in the current schema) and compared with it
//! (`build::migration_plan`), so a table that exists gets the columns it
//! lacks, the hidden sequence column included, or the drift is reported;
//! indexes and foreign keys already there are left out.

use std::collections::HashMap;

use deadpool_postgres::GenericClient;

use super::errors::data_layer;
use crate::data_layer::sql::Dialect;
use crate::data_layer::sql::build::{self, FoundColumn};
use crate::error::Result;
use crate::resource::Schema;

/// The columns of every table of the current schema among `tables`.
const COLUMNS: &str = "SELECT table_name::text, column_name::text, data_type::text, \
     is_nullable = 'NO', (column_default IS NOT NULL OR is_identity = 'YES') \
     FROM information_schema.columns \
     WHERE table_schema = current_schema() AND table_name = ANY($1) \
     ORDER BY table_name, ordinal_position";

/// The names of the current schema's indexes and constraints, which the plan
/// need not make again.
const NAMES: &str = "SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema() \
     UNION ALL SELECT conname::text FROM pg_constraint \
     WHERE connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())";

/// The statements that bring the database `client` reaches up to `schemas`.
pub(super) async fn plan<C: GenericClient + Sync>(
    client: &C,
    schemas: &[&'static Schema],
) -> Result<Vec<String>> {
    let tables: Vec<&str> = schemas.iter().map(|s| s.table).collect();
    let rows = client
        .query(COLUMNS, &[&tables])
        .await
        .map_err(|e| data_layer("reading the tables to migrate", e))?;
    let mut found: HashMap<String, Vec<FoundColumn>> = HashMap::new();
    for row in rows {
        let read = |e| data_layer("reading the tables to migrate", e);
        let table: String = row.try_get(0).map_err(read)?;
        found.entry(table).or_default().push(FoundColumn {
            name: row.try_get(1).map_err(read)?,
            declared: row.try_get(2).map_err(read)?,
            not_null: row.try_get(3).map_err(read)?,
            has_default: row.try_get(4).map_err(read)?,
        });
    }
    let names: std::collections::HashSet<String> = client
        .query(NAMES, &[])
        .await
        .and_then(|rows| rows.iter().map(|row| row.try_get(0)).collect())
        .map_err(|e| data_layer("reading the indexes and constraints to migrate", e))?;
    build::migration_plan_with(
        Dialect::Postgres,
        schemas,
        &|table| found.get(table).cloned(),
        &|name| names.contains(name),
    )
}
