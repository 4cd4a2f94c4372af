//! SQLite errors as ashore errors: constraint violations become
//! `ErrorKind::Constraint` (the attribute read from SQLite's message), everything
//! else `ErrorKind::DataLayer`, with SQLite's reason in the message and the
//! rusqlite error kept as the source.
//!
//! SQLite's foreign-key message names no column, so a violation found at a
//! create's `COMMIT` is looked up in `PRAGMA foreign_key_check` (see
//! [`foreign_key`]).

use rusqlite::{Connection, OptionalExtension, ffi};

use crate::error::{Constraint, Error, ErrorKind};
use crate::resource::{Identity, Schema};

/// A database error while doing `what` (`"reading Ticket"`): the message
/// says what, then SQLite's reason (`sqlite: creating Ticket: CHECK constraint
/// failed: priority >= 0`), and the rusqlite error is the source.
pub(crate) fn database(what: impl std::fmt::Display, err: rusqlite::Error) -> Error {
    let hint = match &err {
        rusqlite::Error::SqliteFailure(_, Some(m)) if m.starts_with("no such table") => {
            " (has `Domain::migrate` run?)"
        }
        rusqlite::Error::SqliteFailure(e, _) if e.code == rusqlite::ErrorCode::DatabaseBusy => {
            " (another connection's transaction held the database past the 5 s busy \
             timeout; on a database in memory a writing transaction holds it until it ends: \
             read through the transaction's `tx`)"
        }
        _ => "",
    };
    Error::data_layer_caused(format!("sqlite: {what}: {err}{hint}"), err)
}

/// An error of a write to `schema`'s table: a constraint violation names the
/// constraint and, when SQLite's message says, the attribute.
pub(crate) fn write(
    schema: &'static Schema,
    what: impl std::fmt::Display,
    err: rusqlite::Error,
) -> Error {
    match constraint(schema, &err) {
        Some((constraint, attribute)) => Error::new(ErrorKind::Constraint {
            resource: schema.name,
            attribute,
            identity: identity(schema, &err).map(|i| i.name),
            constraint,
            source: Box::new(err),
        }),
        None => database(what, err),
    }
}

/// The error of a destroy of `schema`'s records that another record's foreign
/// key still names (`err`, a foreign-key violation): on `schema`, with no
/// attribute (the key is another table's, or another row's), as every layer
/// reports it.
pub(crate) fn still_named(schema: &'static Schema, err: rusqlite::Error) -> Error {
    Error::new(ErrorKind::Constraint {
        resource: schema.name,
        attribute: None,
        identity: None,
        constraint: Constraint::ForeignKey,
        source: Box::new(err),
    })
}

/// [`still_named`], its source naming the record and the key that still name
/// it (`rep 1 is still named by `rep_id` of ticket (rowid 3)`, as memory
/// names them), read from the violations the destroy left pending on `conn`
/// (foreign keys deferred, the transaction still open); SQLite's own message
/// names neither.
pub(crate) fn still_named_on(
    conn: &Connection,
    schema: &'static Schema,
    err: rusqlite::Error,
) -> Error {
    match naming_row(conn, schema.table) {
        Ok(Some(message)) => still_named(
            schema,
            rusqlite::Error::SqliteFailure(
                ffi::Error::new(ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                Some(message),
            ),
        ),
        Ok(None) => still_named(schema, err),
        Err(lookup) => {
            tracing::debug!(error = %lookup, "sqlite: looking up a foreign-key violation");
            still_named(schema, err)
        }
    }
}

/// The first pending violation of a foreign key into `parent` (a table):
/// which row of which table names which key of it.
fn naming_row(conn: &Connection, parent: &str) -> rusqlite::Result<Option<String>> {
    let mut check = conn.prepare("PRAGMA foreign_key_check")?;
    let violations = check
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let Some((child, Some(rowid), _, fkid)) = violations.into_iter().find(|v| v.2 == parent) else {
        return Ok(None);
    };
    let quoted = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    let Some(column) = key_column(conn, &quoted(&child), fkid)? else {
        return Ok(None);
    };
    // The key as SQLite shows it: a number, or a UUID's text.
    let key: String = conn.query_row(
        &format!(
            "SELECT CAST({} AS TEXT) FROM {} WHERE rowid = ?1",
            quoted(&column),
            quoted(&child)
        ),
        [rowid],
        |r| r.get(0),
    )?;
    Ok(Some(format!(
        "{parent} {key} is still named by `{column}` of {child} (rowid {rowid})"
    )))
}

/// Whether `err` is a foreign-key violation.
pub(crate) fn is_foreign_key(err: &rusqlite::Error) -> bool {
    matches!(err, rusqlite::Error::SqliteFailure(e, _)
        if e.extended_code == ffi::SQLITE_CONSTRAINT_FOREIGNKEY)
}

/// The error of a write to `schema`'s table that broke a foreign key, `err`
/// (from `COMMIT`, foreign keys deferred), asked on `conn` while the failed
/// transaction is still open: `PRAGMA foreign_key_check` finds a violating row
/// of the table and `PRAGMA foreign_key_list` the column of its key, which
/// names the attribute. The source is then a rusqlite error whose message says
/// so. When that lookup fails or is ambiguous (a key of several columns, a
/// column no attribute has), it is [`write()`]'s error for `err`.
pub(crate) fn foreign_key(
    conn: &Connection,
    schema: &'static Schema,
    what: impl std::fmt::Display,
    err: rusqlite::Error,
) -> Error {
    let rusqlite::Error::SqliteFailure(code, _) = &err else {
        return write(schema, what, err);
    };
    match violated_foreign_key(conn, schema) {
        Ok(Some((attribute, message))) => Error::new(ErrorKind::Constraint {
            resource: schema.name,
            attribute: Some(attribute),
            identity: None,
            constraint: Constraint::ForeignKey,
            source: Box::new(rusqlite::Error::SqliteFailure(*code, Some(message))),
        }),
        Ok(None) => write(schema, what, err),
        Err(lookup) => {
            tracing::debug!(error = %lookup, "sqlite: looking up a foreign-key violation");
            write(schema, what, err)
        }
    }
}

/// The error of a write to `schema`'s table inside a caller's transaction
/// whose statement broke a foreign key (`err`, as [`write()`] made it: SQLite's
/// message names no column). The statement, which changed nothing, runs again
/// (`rerun`) in a savepoint of its own with foreign keys deferred, so the
/// violating row stays for `PRAGMA foreign_key_check` to name the attribute,
/// as [`foreign_key`] does at a `COMMIT`; the savepoint is then rolled back
/// (with the deferred violations it counted) and the pragma restored. `err`
/// as it was when that fails or names nothing, or when it is no such error.
pub(crate) fn name_foreign_key(
    conn: &Connection,
    schema: &'static Schema,
    err: Error,
    rerun: impl FnOnce() -> Result<(), Error>,
) -> Error {
    if !matches!(
        err.kind(),
        ErrorKind::Constraint {
            attribute: None,
            constraint: Constraint::ForeignKey,
            ..
        }
    ) {
        return err;
    }
    let Ok(deferred) = conn.query_row("PRAGMA defer_foreign_keys", [], |r| r.get::<_, i64>(0))
    else {
        return err;
    };
    if conn
        .execute_batch("SAVEPOINT ashore_foreign_key; PRAGMA defer_foreign_keys = ON")
        .is_err()
    {
        return err;
    }
    // A key of `schema`'s own rows that names no record, or (a destroy) a row
    // of another table still naming one of them.
    let (named, naming) = match rerun() {
        Ok(()) => match violated_foreign_key(conn, schema).ok().flatten() {
            Some(named) => (Some(named), None),
            None => (None, naming_row(conn, schema.table).ok().flatten()),
        },
        Err(_) => (None, None),
    };
    let restore = format!(
        "ROLLBACK TO ashore_foreign_key; RELEASE ashore_foreign_key; \
         PRAGMA defer_foreign_keys = {deferred}"
    );
    if let Err(e) = conn.execute_batch(&restore) {
        // The caller's savepoint rolls back everything since it began.
        tracing::debug!(error = %e, "sqlite: undoing a foreign-key lookup");
    }
    if let Some(message) = naming {
        return still_named(
            schema,
            rusqlite::Error::SqliteFailure(
                ffi::Error::new(ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                Some(message),
            ),
        );
    }
    let Some((attribute, message)) = named else {
        return err;
    };
    Error::new(ErrorKind::Constraint {
        resource: schema.name,
        attribute: Some(attribute),
        identity: None,
        constraint: Constraint::ForeignKey,
        source: Box::new(rusqlite::Error::SqliteFailure(
            ffi::Error::new(ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
            Some(message),
        )),
    })
}

/// The attribute of the first foreign key of `schema`'s table that a row
/// violates, and a message saying so.
fn violated_foreign_key(
    conn: &Connection,
    schema: &'static Schema,
) -> rusqlite::Result<Option<(&'static str, String)>> {
    let table = format!("\"{}\"", schema.table.replace('"', "\"\""));
    let violation = conn
        .query_row(&format!("PRAGMA foreign_key_check({table})"), [], |r| {
            Ok((
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })
        .optional()?;
    let Some((rowid, parent, fkid)) = violation else {
        return Ok(None);
    };
    let Some(column) = key_column(conn, &table, fkid)? else {
        return Ok(None);
    };
    let Some(attribute) = find_attribute(schema, &column) else {
        return Ok(None);
    };
    let row = rowid.map_or_else(String::new, |r| format!(" (rowid {r})"));
    Ok(Some((
        attribute,
        format!(
            "FOREIGN KEY constraint failed: {}.{column}{row} references no row of {parent}",
            schema.table
        ),
    )))
}

/// The one column of the foreign key `fkid` of `table` (quoted), as `PRAGMA
/// foreign_key_list` names it; `None` for a key of several columns.
fn key_column(conn: &Connection, table: &str, fkid: i64) -> rusqlite::Result<Option<String>> {
    let mut list = conn.prepare(&format!("PRAGMA foreign_key_list({table})"))?;
    let mut columns = list
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(3)?)))?
        .filter(|c| !matches!(c, Ok((id, _)) if *id != fkid))
        .map(|c| c.map(|(_, column)| column))
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(match columns.len() {
        1 => columns.pop(),
        _ => None,
    })
}

/// The constraint an error violates, and its attribute when known.
pub(crate) fn constraint(
    schema: &'static Schema,
    err: &rusqlite::Error,
) -> Option<(Constraint, Option<&'static str>)> {
    let rusqlite::Error::SqliteFailure(e, message) = err else {
        return None;
    };
    let constraint = match e.extended_code {
        ffi::SQLITE_CONSTRAINT_PRIMARYKEY | ffi::SQLITE_CONSTRAINT_UNIQUE => Constraint::Unique,
        ffi::SQLITE_CONSTRAINT_FOREIGNKEY => Constraint::ForeignKey,
        ffi::SQLITE_CONSTRAINT_NOTNULL => Constraint::NotNull,
        _ => return None,
    };
    let attribute = match constraint {
        // "FOREIGN KEY constraint failed" names no column (creates find it
        // through `foreign_key`).
        Constraint::ForeignKey => None,
        _ => message
            .as_deref()
            .and_then(|m| attribute_in_message(schema, m)),
    };
    Some((constraint, attribute))
}

/// The identity whose unique index a unique-constraint error names: SQLite's
/// message lists the index's columns (`UNIQUE constraint failed: ticket.org_id,
/// ticket.email`), which are the identity's [`columns`](Identity::columns).
pub(crate) fn identity(
    schema: &'static Schema,
    err: &rusqlite::Error,
) -> Option<&'static Identity> {
    let rusqlite::Error::SqliteFailure(e, Some(message)) = err else {
        return None;
    };
    if e.extended_code != ffi::SQLITE_CONSTRAINT_UNIQUE {
        return None;
    }
    let (_, columns) = message.split_once("constraint failed: ")?;
    let columns: Vec<&str> = columns
        .trim()
        .split(", ")
        .map(|c| {
            c.split_once('.')
                .filter(|(table, _)| table.eq_ignore_ascii_case(schema.table))
                .map(|(_, column)| column)
        })
        .collect::<Option<_>>()?;
    let identities: &'static [Identity] = schema.identities;
    identities.iter().find(|i| {
        let wanted = i.columns(schema);
        wanted.len() == columns.len()
            && wanted
                .iter()
                .zip(&columns)
                .all(|(w, c)| w.eq_ignore_ascii_case(c))
    })
}

/// The attribute a message like `UNIQUE constraint failed: ticket.id` or `NOT NULL
/// constraint failed: ticket.subject` names, when it names exactly one column of
/// `schema`'s table. A constraint over several columns (`t.a, t.b`) or an index
/// (`index 'name'`) gives `None`.
pub(crate) fn attribute_in_message(schema: &'static Schema, message: &str) -> Option<&'static str> {
    let (_, columns) = message.split_once("constraint failed: ")?;
    let columns = columns.trim();
    if columns.contains(", ") {
        return None;
    }
    let table = columns.get(..schema.table.len())?;
    if !table.eq_ignore_ascii_case(schema.table) {
        return None;
    }
    let column = columns[schema.table.len()..].strip_prefix('.')?;
    find_attribute(schema, column)
}

/// The attribute of `schema` stored in `column`: the same name, else the same
/// ignoring ASCII case.
fn find_attribute(schema: &'static Schema, column: &str) -> Option<&'static str> {
    schema
        .attributes
        .iter()
        .find(|a| a.name == column)
        .or_else(|| {
            schema
                .attributes
                .iter()
                .find(|a| a.name.eq_ignore_ascii_case(column))
        })
        .map(|a| a.name)
}
