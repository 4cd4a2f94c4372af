//! The rows of a plain SQLite create, inserted by one statement that reads
//! them in place from `ashore_rows` (`rows_table`), which then become the
//! created records ([`insert_rows`]).

use std::rc::Rc;

use rusqlite::Connection;

use super::layer::refuse_nan;
use super::rows_table::{self, BoundRows};
use super::{Inner, codec, errors};
use crate::data_layer::Records;
use crate::data_layer::sql::build;
use crate::data_layer::store::collector;
use crate::error::{Error, Result};
use crate::resource::{Rows, Schema};

/// Inserts `rows` of `schema` (every key set, one value per attribute) with
/// one statement, `INSERT .. SELECT .. FROM ashore_rows(?1)`, the rows bound
/// to its parameter in place, and returns them as its records in their stored
/// form. The rows are checked first (no NaN); the statement is prepared once
/// per connection and cached. Then the rows, which the database took (a row
/// that breaks a constraint fails the statement first), are turned into their
/// stored form and their values moved into their records, the record list
/// allocated once at its final size. On an error nothing is made and the
/// caller's transaction rolls back.
///
/// One statement, because each statement that writes several rows inside a
/// transaction keeps a statement journal, a copy of every page it changes
/// that existed before it: chunks of `INSERT .. VALUES` copied again the pages
/// the chunks before them had written (10 MB per create of 100,000 tickets
/// with integer keys, 65 MB with UUID keys, spilled to a temporary file).
///
/// Foreign keys are checked as the statement ends, and with
/// `defer_on_violation`, if it breaks one, at `COMMIT` instead: foreign keys
/// are deferred then (`PRAGMA defer_foreign_keys`) and the statement runs
/// again, its rows still bound, so that the `COMMIT` fails with the
/// violation still in the table, where `errors::foreign_key` finds its
/// attribute. The pragma is not set beforehand because setting it expires
/// every statement the connection has prepared (each create compiled its
/// statement again).
pub(super) fn insert_rows(
    conn: &Connection,
    inner: &Inner,
    schema: &'static Schema,
    rows: Rows,
    defer_on_violation: bool,
    what: &dyn Fn(rusqlite::Error) -> Error,
) -> Result<Records> {
    let widest = rows_table::widest(conn);
    if rows.width() > widest {
        return Err(Error::data_layer(format!(
            "sqlite: creating {}: {} attributes are more than SQLite's {widest} columns \
             a create can take (SQLITE_LIMIT_COLUMN, less one)",
            schema.name,
            rows.width()
        )));
    }
    refuse_nan(schema, &rows)?;
    let sql = build::rows_insert(schema, rows_table::name());
    let rows = Rc::new(rows);
    {
        let mut prepared = conn.prepare_cached(&sql).map_err(what)?;
        prepared
            .raw_bind_parameter(1, BoundRows(Rc::clone(&rows)))
            .map_err(what)?;
        let statement = inner.ran(&sql);
        match prepared.raw_execute() {
            Ok(_) => {}
            Err(e) if defer_on_violation && errors::is_foreign_key(&e) => {
                drop(statement);
                conn.execute_batch("PRAGMA defer_foreign_keys = ON")
                    .map_err(what)?;
                let _statement = inner.ran(&sql);
                prepared.raw_execute().map_err(what)?;
            }
            Err(e) if errors::is_foreign_key(&e) => {
                drop(statement);
                return Err(errors::name_foreign_key(conn, schema, what(e), || {
                    let _statement = inner.ran(&sql);
                    prepared.raw_execute().map(drop).map_err(what)
                }));
            }
            Err(e) => return Err(what(e)),
        }
        // Gives the statement's reference to the rows back.
        prepared.clear_bindings();
    }
    let Ok(mut rows) = Rc::try_unwrap(rows) else {
        return Err(Error::data_layer(format!(
            "sqlite: creating {}: the rows are still bound to the statement",
            schema.name
        )));
    };
    let stored = codec::StoredForm::new(schema);
    let mut created = collector(schema, None)?;
    created.reserve(rows.len());
    for row in rows.iter_mut() {
        stored.apply(row);
        created.push_values(row)?;
    }
    Ok(created.finish())
}
