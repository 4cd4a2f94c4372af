//! SQLite errors as ashore errors: constraint violations become
//! `ErrorKind::Constraint` (the attribute read from SQLite's message), everything
//! else `ErrorKind::DataLayer`, the rusqlite error kept as the source.

use rusqlite::ffi;

use crate::error::{Constraint, Error, ErrorKind};
use crate::resource::Schema;

/// A database error while doing `what` (`"reading Ticket"`).
pub(crate) fn database(what: impl std::fmt::Display, err: rusqlite::Error) -> Error {
    let hint = match &err {
        rusqlite::Error::SqliteFailure(_, Some(m)) if m.starts_with("no such table") => {
            " (has `Domain::migrate` run?)"
        }
        _ => "",
    };
    Error::new(ErrorKind::DataLayer {
        message: format!("sqlite: {what}{hint}"),
        source: Some(Box::new(err)),
    })
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
            constraint,
            source: Box::new(err),
        }),
        None => database(what, err),
    }
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
        // "FOREIGN KEY constraint failed" names no column.
        Constraint::ForeignKey => None,
        _ => message
            .as_deref()
            .and_then(|m| attribute_in_message(schema, m)),
    };
    Some((constraint, attribute))
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
