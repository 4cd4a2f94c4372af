//! What `migrate` runs on SQLite: each resource's table read back with
//! `PRAGMA table_info` and compared with it (`build::migration_plan`), so a
//! table that exists gets the columns it lacks, or the drift is reported, and
//! indexes already there are left out.

use rusqlite::Connection;

use super::errors;
use crate::data_layer::sql::Dialect;
use crate::data_layer::sql::build::{self, FoundColumn};
use crate::error::Result;
use crate::resource::Schema;

/// The statements that bring the database `conn` reaches up to `schemas`.
pub(super) fn plan(conn: &Connection, schemas: &[&'static Schema]) -> Result<Vec<String>> {
    let mut found = std::collections::HashMap::new();
    for schema in schemas {
        if let Some(columns) = columns(conn, schema.table)
            .map_err(|e| errors::database(format_args!("reading the table {}", schema.table), e))?
        {
            found.insert(schema.table, columns);
        }
    }
    let names = index_names(conn)
        .map_err(|e| errors::database(format_args!("reading the indexes to migrate"), e))?;
    build::migration_plan_with(
        Dialect::Sqlite,
        schemas,
        &|table| found.get(table).cloned(),
        &|name| names.contains(name),
    )
}

/// The names of the database's indexes (SQLite declares foreign keys in
/// `CREATE TABLE`: they have none to look for).
fn index_names(conn: &Connection) -> rusqlite::Result<std::collections::HashSet<String>> {
    let mut statement = conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'")?;
    statement.query_map([], |row| row.get(0))?.collect()
}

/// The columns of `table`, or `None` when there is no such table.
fn columns(conn: &Connection, table: &str) -> rusqlite::Result<Option<Vec<FoundColumn>>> {
    // `table_info` takes the name as an argument of the table-valued form.
    let mut statement =
        conn.prepare("SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info(?1)")?;
    let columns: Vec<FoundColumn> = statement
        .query_map([table], |row| {
            Ok(FoundColumn {
                name: row.get(0)?,
                declared: row.get(1)?,
                not_null: row.get::<_, i64>(2)? != 0,
                has_default: row.get_ref(3)? != rusqlite::types::ValueRef::Null,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok((!columns.is_empty()).then_some(columns))
}
