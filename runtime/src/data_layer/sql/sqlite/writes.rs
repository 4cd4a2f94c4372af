//! Writes of the SQLite layer: a create or an upsert (its inserts), an update
//! or a destroy (its one statement returning the records it wrote), each in
//! its unit of work (`transaction::Unit`), with the foreign keys a statement
//! breaks traced to the attribute that names no record.

use std::cell::Cell;

use rusqlite::Connection;

use super::layer::{DESTROYING, fetch, refuse_nan};
use super::transaction::Unit;
use super::{Inner, Sqlite, codec, errors, insert};
use crate::data_layer::columns::sqlite::SqliteRow;
use crate::data_layer::sql::{Columns, Dialect, Statement, build};
use crate::data_layer::store::{Collector, Target, collector};
use crate::data_layer::{Records, Upsert};
use crate::error::{Error, Result};
use crate::resource::{Generated, Rows, Schema};
use crate::value::Value;

/// Commits the write unit `tx` of `doing` (`"creating"`) `schema`'s records
/// (inside a caller's transaction, releases its savepoint: the foreign keys it
/// deferred are then checked at that transaction's `COMMIT`). Foreign keys are
/// checked here (deferred), so a violation leaves the
/// transaction open to find which key it was (`errors::foreign_key`: the
/// attribute of a key of `schema` that names no record), but for a destroy,
/// where the key naming a destroyed record is another's (`errors::still_named`);
/// dropping `tx` then rolls back.
fn commit(tx: &mut Unit<'_>, schema: &'static Schema, doing: &str) -> Result<()> {
    let what = format_args!("{doing} {}", schema.name);
    match tx.commit() {
        Ok(()) => Ok(()),
        Err(e) if errors::is_foreign_key(&e) && doing == DESTROYING => {
            Err(errors::still_named_on(tx, schema, e))
        }
        Err(e) if errors::is_foreign_key(&e) && !tx.is_autocommit() => {
            Err(errors::foreign_key(tx, schema, what, e))
        }
        Err(e) => Err(errors::write(schema, what, e)),
    }
}

/// Runs a write statement that returns records of `schema`, then each one's
/// insertion sequence (`Columns::AttributesAndSeq`), and decodes them into
/// `into` in that order.
fn fetch_in_sequence(
    conn: &Connection,
    inner: &Inner,
    schema: &'static Schema,
    statement: &Statement,
    into: &mut Collector,
    what: &dyn Fn(rusqlite::Error) -> Error,
) -> Result<()> {
    let width = schema.attributes.len();
    let mut prepared = conn.prepare_cached(&statement.sql).map_err(what)?;
    codec::bind(&mut prepared, &statement.params).map_err(what)?;
    let columns = prepared.column_count();
    if statement.columns != Columns::AttributesAndSeq || columns != width + 1 {
        return Err(Error::data_layer(format!(
            "sqlite: a write of {} returns {columns} columns ({:?}), expected {}",
            schema.name,
            statement.columns,
            width + 1
        )));
    }
    let _statement = inner.ran(&statement.sql);
    let mut rows = prepared.raw_query();
    let mut sequences = Vec::new();
    while let Some(row) = rows.next().map_err(what)? {
        sequences.push(row.get::<_, i64>(width).map_err(what)?);
        into.push_sqlite(Target::Group(0), &mut SqliteRow { row, schema })?;
    }
    into.reorder(&sequences)
}

impl Sqlite {
    /// Runs `statement`, an update or delete of `schema`'s records (`doing`
    /// says which), in a write transaction of its own, and returns the records
    /// it returns in insertion order.
    ///
    /// Its foreign keys are checked as the statement ends; in a transaction of
    /// its own, a statement that breaks one runs again with them deferred
    /// (`PRAGMA defer_foreign_keys`), so that the `COMMIT` fails and
    /// `errors::foreign_key` names the attribute, as if they had been deferred
    /// from the start (the failed statement changed nothing). The pragma is not
    /// set beforehand: setting it expires every statement the connection has
    /// prepared, so every write made each cached read compile again.
    pub(super) async fn write_returning(
        &self,
        schema: &'static Schema,
        statement: Statement,
        doing: &'static str,
    ) -> Result<Records> {
        self.run(move |conn, inner| {
            let broke_a_key = Cell::new(false);
            let what = |e: rusqlite::Error| {
                broke_a_key.set(errors::is_foreign_key(&e));
                // Inside a caller's transaction the statement's own keys are
                // checked as it runs (see `insert`).
                if doing == DESTROYING && errors::is_foreign_key(&e) {
                    errors::still_named(schema, e)
                } else {
                    errors::write(schema, format_args!("{doing} {}", schema.name), e)
                }
            };
            let mut tx = Unit::begin(conn).map_err(what)?;
            let mut written = collector(schema, None)?;
            if let Err(e) = fetch_in_sequence(&tx, inner, schema, &statement, &mut written, &what) {
                if !broke_a_key.get() {
                    return Err(e);
                }
                if tx.nested() {
                    return Err(errors::name_foreign_key(&tx, schema, e, || {
                        let mut again = collector(schema, None)?;
                        fetch_in_sequence(&tx, inner, schema, &statement, &mut again, &what)
                    }));
                }
                tx.execute_batch("PRAGMA defer_foreign_keys = ON")
                    .map_err(what)?;
                written = collector(schema, None)?;
                fetch_in_sequence(&tx, inner, schema, &statement, &mut written, &what)?;
            }
            commit(&mut tx, schema, doing)?;
            Ok(written.finish())
        })
        .await
    }
}

impl Sqlite {
    /// Inserts `rows` of `schema` in one transaction (an upsert with
    /// `upsert`): a create and an upsert differ only in the statements.
    pub(super) async fn insert(
        &self,
        schema: &'static Schema,
        mut rows: Rows,
        upsert: Option<Upsert>,
    ) -> Result<Records> {
        // Every row has the width of the first.
        if let Some(row) = rows.get(0) {
            schema.check_row(row)?;
        }
        if upsert.is_some() {
            // A plain create refuses NaN before its statement (`insert_rows`).
            refuse_nan(schema, &rows)?;
        }
        if schema.primary_key().generated == Some(Generated::Uuid) {
            let pk = schema.primary_key;
            for row in rows.iter_mut().filter(|r| r[pk].is_null()) {
                row[pk] = Value::Uuid(uuid::Uuid::new_v4());
            }
        }
        if rows.is_empty() {
            return Ok(Records::Rows(Vec::new()));
        }
        let pk = schema.primary_key;
        let assign = schema.primary_key().generated == Some(Generated::Integer)
            && rows.iter().any(|r| r[pk].is_null());
        self.run(move |conn, inner| {
            let what = |e| errors::write(schema, format_args!("creating {}", schema.name), e);
            let mut tx = Unit::begin(conn).map_err(what)?;
            // From the first statement that breaks a foreign key, foreign
            // keys are checked at `COMMIT` (the pragma ends with the
            // transaction), so a violation leaves the transaction open to
            // find which key it was; dropping `tx` then rolls back. The
            // pragma is set only then, because setting it expires every
            // statement the connection has prepared (see `insert_rows`).
            // Inside a caller's transaction the pragma would last until
            // its `COMMIT`: a create of one statement is checked as it
            // runs instead (SQLite checks at the end of each statement).
            // Integer keys, assigned here, in the write transaction, from
            // one query of the largest stored (see `build::insert`).
            if assign {
                let stored: Option<i64> = tx
                    .query_row(&build::max_primary_key(schema), [], |r| r.get(0))
                    .map_err(what)?;
                build::assign_integer_keys(schema, &mut rows, stored)?;
            }
            let Some(upsert) = &upsert else {
                // A plain create knows every key by now: its rows are read
                // in place by one statement and become the records, in their
                // stored form. Its foreign keys are deferred as above, but
                // only once the statement breaks one (see `insert_rows`).
                let defer = !tx.nested();
                let created = insert::insert_rows(&tx, inner, schema, rows, defer, &what)?;
                commit(&mut tx, schema, "creating")?;
                return Ok(created);
            };
            // An upsert defers its foreign keys as a plain create does, once
            // a statement breaks one: that statement's records are dropped
            // and it runs again (it changed nothing), as in `insert_rows`.
            let statements = build::upsert(Dialect::Sqlite, schema, &rows, upsert)?;
            let mut defer = !tx.nested() || statements.len() > 1;
            let broke_a_key = Cell::new(false);
            let noting = |e: rusqlite::Error| {
                broke_a_key.set(errors::is_foreign_key(&e));
                what(e)
            };
            let mut created = collector(schema, None)?;
            for statement in &statements {
                let before = created.len();
                match fetch(&tx, inner, schema, statement, None, &mut created, &noting) {
                    Ok(()) => {}
                    Err(_) if defer && broke_a_key.get() => {
                        created.truncate(before);
                        tx.execute_batch("PRAGMA defer_foreign_keys = ON")
                            .map_err(what)?;
                        defer = false;
                        fetch(&tx, inner, schema, statement, None, &mut created, &what)?;
                    }
                    Err(e) if broke_a_key.get() => {
                        return Err(errors::name_foreign_key(&tx, schema, e, || {
                            let mut again = collector(schema, None)?;
                            fetch(&tx, inner, schema, statement, None, &mut again, &what)
                        }));
                    }
                    Err(e) => return Err(e),
                }
            }
            // A row whose record found the upsert may not update returned
            // nothing (the `WHERE` of its `DO UPDATE`): dropping `tx` undoes
            // the others.
            if created.len() < rows.len() {
                return Err(Upsert::forbidden(schema));
            }
            commit(&mut tx, schema, "creating")?;
            Ok(created.finish())
        })
        .await
    }
}
