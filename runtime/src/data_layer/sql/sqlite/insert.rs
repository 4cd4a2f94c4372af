//! The rows of a plain SQLite create, inserted in chunks of one multi-row
//! `INSERT` each, bound in place from the rows, which then become the
//! created records ([`insert_rows`]).

use rusqlite::Connection;

use super::layer::refuse_nan;
use super::{Inner, codec, errors};
use crate::data_layer::Records;
use crate::data_layer::sql::build;
use crate::data_layer::store::collector;
use crate::error::{Error, Result};
use crate::resource::{Rows, Schema};

/// Inserts `rows` of `schema` (every key set, one value per attribute),
/// `per_statement` rows a statement, and returns them as its records in their
/// stored form. Each chunk of rows is checked (no NaN) and bound in place, its
/// statement runs, and then its rows, still at hand, are turned into their
/// stored form and their values moved into their records (SQLite copied the
/// bound text; the buffer of every row's values is freed once, at the end):
/// no pass over every row after the last statement, and the records are made
/// only of rows the database took (a row that breaks a constraint fails the
/// statement first). The statement of `per_statement` rows is prepared once
/// and run for each full chunk, bound anew each time (a statement given back
/// to the cache frees the memory of its parameters); the rows left over take a
/// statement of their count. On an error the records made so far are dropped
/// and the caller's transaction rolls back.
///
/// Foreign keys are checked as each statement ends, and with
/// `defer_on_violation`, from the first statement that breaks one, at
/// `COMMIT` instead: foreign keys are deferred then (`PRAGMA
/// defer_foreign_keys`) and that statement runs again, its rows still bound,
/// so the batch ends as if they had been deferred from the start (a row may
/// name one a later statement creates; a key that names nothing fails the
/// `COMMIT`, where `errors::foreign_key` finds its attribute). The pragma is
/// not set beforehand because setting it expires every statement the
/// connection has prepared: each create compiled its statement of thousands
/// of rows again (51 M instructions in a create of 100,000 tickets).
pub(super) fn insert_rows(
    conn: &Connection,
    inner: &Inner,
    schema: &'static Schema,
    mut rows: Rows,
    per_statement: usize,
    mut defer_on_violation: bool,
    what: &dyn Fn(rusqlite::Error) -> Error,
) -> Result<Records> {
    let width = rows.width();
    let stored = codec::StoredForm::new(schema);
    let mut created = collector(schema, None)?;
    created.reserve(rows.len());
    let per_statement = per_statement.max(1);
    let in_full_chunks = rows.len() / per_statement * per_statement;
    let left_over = rows.len() - in_full_chunks;
    let (full, rest) = rows.values_mut().split_at_mut(in_full_chunks * width);
    for (part, count) in [(full, per_statement), (rest, left_over)] {
        if part.is_empty() {
            continue;
        }
        let sql = build::values_insert(schema, count);
        let mut prepared = conn.prepare_cached(&sql).map_err(what)?;
        for chunk in part.chunks_mut(count * width) {
            for (r, row) in chunk.chunks_exact(width).enumerate() {
                refuse_nan(schema, [row])?;
                codec::bind_row(&mut prepared, 1 + r * width, row).map_err(what)?;
            }
            let statement = inner.ran(&sql);
            match prepared.raw_execute() {
                Ok(_) => {}
                Err(e) if defer_on_violation && errors::is_foreign_key(&e) => {
                    drop(statement);
                    conn.execute_batch("PRAGMA defer_foreign_keys = ON")
                        .map_err(what)?;
                    defer_on_violation = false;
                    let _statement = inner.ran(&sql);
                    prepared.raw_execute().map_err(what)?;
                }
                Err(e) => return Err(what(e)),
            }
            for row in chunk.chunks_exact_mut(width) {
                stored.apply(row);
                created.push_values(row)?;
            }
        }
    }
    Ok(created.finish())
}
