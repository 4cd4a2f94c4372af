//! PostgreSQL and pool errors as ashore [`Error`]s.
//!
//! A write refused by a constraint becomes [`ErrorKind::Constraint`] (SQLSTATE
//! 23505 unique, 23503 foreign key, 23502 not null), naming the attribute when it
//! can be told: from the error's column (not null), else from the constraint's
//! name as PostgreSQL makes it (`<table>_<column>_key`, `<table>_<column>_fkey`,
//! `<table>_pkey`), else from the error's detail (`Key (column)=(..)`). A
//! unique index `migrate` made for an identity (`<table>_<identity>_index`)
//! names the identity, and its attribute when it has one column. Every
//! other error is [`ErrorKind::DataLayer`], with the database's message in the
//! message and the database's error as the source.

use tokio_postgres::error::{DbError, SqlState};

use crate::data_layer::sql::{Dialect, build};
use crate::error::{Constraint, Error, ErrorKind};
use crate::resource::{Identity, Schema};

pub(super) use crate::data_layer::columns::postgres::data_layer;

/// An error of a write to `schema`'s table.
pub(super) fn write_error(schema: &'static Schema, err: tokio_postgres::Error) -> Error {
    let Some(db) = err.as_db_error() else {
        return data_layer(format!("writing {}", schema.name), err);
    };
    let constraint = match *db.code() {
        SqlState::UNIQUE_VIOLATION => Constraint::Unique,
        SqlState::FOREIGN_KEY_VIOLATION => Constraint::ForeignKey,
        SqlState::NOT_NULL_VIOLATION => Constraint::NotNull,
        // The identity sequence handed out `i64::MAX` already: what the
        // other layers say when no key is left to generate.
        SqlState::SEQUENCE_GENERATOR_LIMIT_EXCEEDED => {
            let context = format!(
                "no integer key is left for a new {}: the largest is {}",
                schema.name,
                i64::MAX
            );
            return data_layer(context, err);
        }
        _ => return data_layer(format!("writing {}", schema.name), err),
    };
    let identity = identity_of(schema, db);
    let attribute = match identity {
        Some(identity) => identity.attribute(schema),
        None => attribute_of(schema, db),
    };
    Error::new(ErrorKind::Constraint {
        resource: schema.name,
        attribute,
        identity: identity.map(|i| i.name),
        constraint,
        source: Box::new(err),
    })
}

/// An error of a destroy of `schema`'s records: a foreign key of another
/// record naming one of them is `Constraint::ForeignKey` on `schema` with no
/// attribute (the key is another table's), as every layer reports it.
pub(super) fn destroy_error(schema: &'static Schema, err: tokio_postgres::Error) -> Error {
    match err.as_db_error().map(DbError::code) {
        Some(&SqlState::FOREIGN_KEY_VIOLATION) => Error::new(ErrorKind::Constraint {
            resource: schema.name,
            attribute: None,
            identity: None,
            constraint: Constraint::ForeignKey,
            source: Box::new(err),
        }),
        _ => write_error(schema, err),
    }
}

/// The identity whose unique index (`<table>_<identity>_index`) a
/// unique-constraint error names.
/// Whether `err` is the server refusing a statement prepared before a column
/// it returns changed type ("cached plan must not change result type"): it
/// runs once prepared again.
pub(super) fn plan_changed(err: &tokio_postgres::Error) -> bool {
    err.code() == Some(&SqlState::FEATURE_NOT_SUPPORTED)
        && err.as_db_error().is_some_and(|db| {
            db.message()
                .contains("cached plan must not change result type")
        })
}

fn identity_of(schema: &'static Schema, db: &DbError) -> Option<&'static Identity> {
    if *db.code() != SqlState::UNIQUE_VIOLATION {
        return None;
    }
    let constraint = db.constraint()?;
    let identities: &'static [Identity] = schema.identities;
    identities
        .iter()
        .find(|i| build::identity_index(Dialect::Postgres, schema, i) == constraint)
}

/// The attribute a constraint error is about, when it can be told.
fn attribute_of(schema: &'static Schema, db: &DbError) -> Option<&'static str> {
    let named = |name: &str| schema.attribute(name).map(|a| a.name);
    if let Some(column) = db.column() {
        return named(column);
    }
    db.constraint()
        .and_then(|c| from_constraint_name(schema, c))
        .or_else(|| db.detail().and_then(from_detail).and_then(named))
}

/// `<table>_pkey` → the primary key; `<table>_<column>_key` / `_fkey` → column.
fn from_constraint_name(schema: &'static Schema, constraint: &str) -> Option<&'static str> {
    let rest = constraint
        .strip_prefix(schema.table)
        .and_then(|r| r.strip_prefix('_'))?;
    if rest == "pkey" {
        return Some(schema.primary_key().name);
    }
    let column = rest
        .strip_suffix("_fkey")
        .or_else(|| rest.strip_suffix("_key"))?;
    schema.attribute(column).map(|a| a.name)
}

/// The one column of a detail like `Key (email)=(a@b.c) already exists.`.
fn from_detail(detail: &str) -> Option<&str> {
    let rest = detail.strip_prefix("Key (")?;
    let column = &rest[..rest.find(")=(")?];
    if column.contains(", ") {
        return None;
    }
    Some(
        column
            .strip_prefix('"')
            .and_then(|c| c.strip_suffix('"'))
            .unwrap_or(column),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detail_names_one_column() {
        assert_eq!(
            from_detail("Key (email)=(a@b.c) already exists."),
            Some("email")
        );
        assert_eq!(
            from_detail(r#"Key ("Odd Name")=(1) is not present in table "rep"."#),
            Some("Odd Name")
        );
        assert_eq!(from_detail("Key (a, b)=(1, 2) already exists."), None);
        assert_eq!(from_detail("Failing row contains (1, null)."), None);
    }
}
