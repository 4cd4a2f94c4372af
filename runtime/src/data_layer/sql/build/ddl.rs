//! DDL: the tables, foreign keys and indexes the schemas need, idempotent, in an
//! order that works (every table, then foreign keys, then indexes).
//!
//! - Integer primary keys are declared `INT` on SQLite, not `INTEGER`: an
//!   `INTEGER PRIMARY KEY` would be the rowid, and the rowid must keep insertion
//!   order (the tie-breaker of every sort) even when keys are given out of order.
//!   Generated keys are assigned by the insert (see `insert`).
//! - A foreign key is made for each belongs_to (not manual) whose destination is
//!   among the schemas migrated and whose destination attribute is the
//!   destination's primary key (a database requires the referenced column to be
//!   unique). SQLite can only declare them inside `CREATE TABLE`; PostgreSQL adds
//!   them by name when missing.
//! - An index on each column a relationship load looks records up by: each
//!   belongs_to's foreign key, each has_one/has_many destination attribute, each
//!   many_to_many join table's source-side attribute (primary keys excepted).
//! - A unique index per identity, `<table>_<identity>_index` (Ash's name), on
//!   the tenant attribute of a multitenant resource first, then the identity's
//!   keys: `CREATE UNIQUE INDEX IF NOT EXISTS`. Its name is how a violation is
//!   mapped back to the identity ([`identity_index`]).
//! - On SQLite each UUID column is checked to hold lowercase hyphenated text,
//!   the one form comparisons with bound UUIDs find (PostgreSQL's `uuid` type
//!   has one form already).
//! - A table that exists already is compared with its resource first
//!   ([`plan`], `drift`): it gets the optional columns it lacks, or the drift
//!   is an error.
//! - PostgreSQL truncates names to 63 bytes: longer constraint and index names
//!   are shortened here, deterministically, so the existence checks match.

use super::super::Dialect;
use super::drift::{self, FoundColumn};
use super::text::{SEQUENCE_COLUMN, ident, literal};
use crate::error::Result;
use crate::resource::{AttributeInfo as Attribute, Generated, Identity, RelationshipKind, Schema};
use crate::value::ValueType;

pub(super) fn migrate(dialect: Dialect, schemas: &[&'static Schema]) -> Vec<String> {
    let (tables, rest) = statements(dialect, schemas);
    tables
        .into_iter()
        .map(|(_, sql)| sql)
        .chain(rest.into_iter().map(|(_, sql)| sql))
        .collect()
}

/// The statements of [`migrate`] for `schemas`, the tables of which are
/// already as `found` describes them (`None`: no such table): a table that
/// exists is compared with its resource (`drift`) and given what it lacks
/// instead of its `CREATE TABLE`; a foreign key or index whose name `named`
/// knows exists already and is left out.
pub(super) fn plan(
    dialect: Dialect,
    schemas: &[&'static Schema],
    found: &dyn Fn(&str) -> Option<Vec<FoundColumn>>,
    named: &dyn Fn(&str) -> bool,
) -> Result<Vec<String>> {
    let (tables, rest) = statements(dialect, schemas);
    let mut plan = Vec::new();
    for (schema, create) in tables {
        match found(schema.table) {
            None => plan.push(create),
            Some(columns) => plan.extend(drift::alter(dialect, schema, &columns, |a| {
                column(dialect, schema, a)
            })?),
        }
    }
    plan.extend(
        rest.into_iter()
            .filter(|(name, _)| !named(name))
            .map(|(_, sql)| sql),
    );
    Ok(plan)
}

/// A column of an attribute that `ALTER TABLE .. ADD COLUMN` may add (an
/// optional one: no key, no `NOT NULL`; on SQLite its UUID check, no foreign
/// key, which SQLite cannot add to a table).
fn column(dialect: Dialect, schema: &Schema, a: &Attribute) -> String {
    let mut d = format!(
        "{} {}",
        ident(a.name),
        column_type(dialect, a.value_type, false)
    );
    if dialect == Dialect::Sqlite && a.value_type == ValueType::Uuid {
        d.push_str(&uuid_check(schema.table, a.name));
    }
    d
}

/// Every table's `CREATE TABLE IF NOT EXISTS` (with its schema), then the
/// foreign keys and indexes (each with the name it makes).
#[allow(clippy::type_complexity)]
fn statements(
    dialect: Dialect,
    schemas: &[&'static Schema],
) -> (Vec<(&'static Schema, String)>, Vec<(String, String)>) {
    let mut unique: Vec<&'static Schema> = Vec::new();
    for &schema in schemas {
        if !unique.iter().any(|s| s.table == schema.table) {
            unique.push(schema);
        }
    }
    let schemas = unique;
    let migrated = |s: &Schema| schemas.iter().any(|m| m.table == s.table);

    let mut tables = Vec::new();
    let mut foreign_keys = Vec::new();
    let mut indexes: Vec<(&'static str, &'static str)> = Vec::new();
    let mut index = |schema: &'static Schema, column: &'static str| {
        let known = schema.attribute(column).is_some();
        let primary = schema.primary_key().name == column;
        if known && !primary && !indexes.contains(&(schema.table, column)) {
            indexes.push((schema.table, column));
        }
    };

    for &schema in &schemas {
        let mut definitions: Vec<String> = schema
            .attributes
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let primary = i == schema.primary_key;
                let mut d = format!(
                    "{} {}",
                    ident(a.name),
                    column_type(dialect, a.value_type, primary)
                );
                let integer = matches!(
                    a.value_type,
                    ValueType::I16 | ValueType::I32 | ValueType::I64
                );
                if primary {
                    if dialect == Dialect::Postgres
                        && integer
                        && a.generated == Some(Generated::Integer)
                    {
                        d.push_str(" GENERATED BY DEFAULT AS IDENTITY");
                    }
                    d.push_str(" PRIMARY KEY");
                }
                if !a.nullable {
                    d.push_str(" NOT NULL");
                }
                if dialect == Dialect::Sqlite && a.value_type == ValueType::Uuid {
                    d.push_str(&uuid_check(schema.table, a.name));
                }
                d
            })
            .collect();
        if dialect == Dialect::Postgres {
            definitions.push(format!("{} BIGSERIAL NOT NULL", ident(SEQUENCE_COLUMN)));
        }

        for rel in schema
            .relationships
            .iter()
            .filter(|r| !r.manual && !r.no_attributes)
        {
            let dest = (rel.destination)();
            match rel.kind {
                RelationshipKind::BelongsTo => {
                    index(schema, rel.source_attribute);
                    let referenced = rel.destination_attribute();
                    let references_key = dest.primary_key().name == referenced;
                    if schema.attribute(rel.source_attribute).is_none()
                        || !references_key
                        || !migrated(dest)
                    {
                        continue;
                    }
                    let clause = format!(
                        "FOREIGN KEY ({}) REFERENCES {} ({})",
                        ident(rel.source_attribute),
                        ident(dest.table),
                        ident(referenced)
                    );
                    match dialect {
                        Dialect::Sqlite => definitions.push(clause),
                        Dialect::Postgres => {
                            let name =
                                pg_name(&format!("{}_{}_fkey", schema.table, rel.source_attribute));
                            // Deferrable, so that a create split into several
                            // INSERTs checks its keys at COMMIT, as SQLite and
                            // memory do (see `Postgres::create`).
                            let sql = format!(
                                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = {} AND connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())) THEN ALTER TABLE {} ADD CONSTRAINT {} {clause} DEFERRABLE INITIALLY IMMEDIATE; END IF; END $$",
                                literal(&name),
                                ident(schema.table),
                                ident(&name),
                            );
                            foreign_keys.push((name, sql));
                        }
                    }
                }
                RelationshipKind::HasOne | RelationshipKind::HasMany => {
                    if migrated(dest) {
                        index(dest, rel.destination_attribute());
                    }
                }
                RelationshipKind::ManyToMany => {
                    if let Some(through) = &rel.through {
                        let join = (through.resource)();
                        if migrated(join) {
                            index(join, through.source_attribute_on_join_resource);
                        }
                    }
                }
            }
        }
        tables.push((
            schema,
            format!(
                "CREATE TABLE IF NOT EXISTS {} ({})",
                ident(schema.table),
                definitions.join(", ")
            ),
        ));
    }

    let indexes = indexes.into_iter().map(|(table, column)| {
        let name = format!("{table}_{column}_idx");
        let name = match dialect {
            Dialect::Sqlite => name,
            Dialect::Postgres => pg_name(&name),
        };
        let sql = format!(
            "CREATE INDEX IF NOT EXISTS {} ON {} ({})",
            ident(&name),
            ident(table),
            ident(column)
        );
        (name, sql)
    });
    let unique = schemas.iter().flat_map(|&schema| {
        schema.identities.iter().map(move |identity| {
            let columns: Vec<String> = identity.columns(schema).into_iter().map(ident).collect();
            let name = identity_index(dialect, schema, identity);
            let sql = format!(
                "CREATE UNIQUE INDEX IF NOT EXISTS {} ON {} ({})",
                ident(&name),
                ident(schema.table),
                columns.join(", ")
            );
            (name, sql)
        })
    });
    let rest = foreign_keys
        .into_iter()
        .chain(indexes)
        .chain(unique)
        .collect();
    (tables, rest)
}

/// The name of the unique index of `identity`: `<table>_<identity>_index`
/// (shortened as every PostgreSQL name is), what a database's violation names.
pub(super) fn identity_index(dialect: Dialect, schema: &Schema, identity: &Identity) -> String {
    let name = format!("{}_{}_index", schema.table, identity.name);
    match dialect {
        Dialect::Sqlite => name,
        Dialect::Postgres => pg_name(&name),
    }
}

fn column_type(dialect: Dialect, value_type: ValueType, primary: bool) -> &'static str {
    match (dialect, value_type) {
        // Not `INTEGER`, so that the primary key is not the rowid.
        (Dialect::Sqlite, ValueType::I16 | ValueType::I32 | ValueType::I64) if primary => "INT",
        (Dialect::Sqlite, ValueType::Bool | ValueType::I16 | ValueType::I32 | ValueType::I64) => {
            "INTEGER"
        }
        (Dialect::Sqlite, ValueType::F64) => "REAL",
        (
            Dialect::Sqlite,
            ValueType::String | ValueType::Uuid | ValueType::DateTime | ValueType::Date,
        ) => "TEXT",
        (Dialect::Sqlite, ValueType::Bytes) => "BLOB",
        // TEXT, not NUMERIC: NUMERIC affinity would turn `1.50` into the REAL 1.5.
        #[cfg(feature = "decimal")]
        (Dialect::Sqlite, ValueType::Decimal) => "TEXT",
        #[cfg(feature = "json")]
        (Dialect::Sqlite, ValueType::Json) => "TEXT",
        (Dialect::Postgres, ValueType::Bool) => "BOOLEAN",
        (Dialect::Postgres, ValueType::I16) => "SMALLINT",
        (Dialect::Postgres, ValueType::I32) => "INTEGER",
        (Dialect::Postgres, ValueType::I64) => "BIGINT",
        (Dialect::Postgres, ValueType::F64) => "DOUBLE PRECISION",
        (Dialect::Postgres, ValueType::String) => "TEXT",
        (Dialect::Postgres, ValueType::Uuid) => "UUID",
        (Dialect::Postgres, ValueType::DateTime) => "TIMESTAMPTZ",
        (Dialect::Postgres, ValueType::Date) => "DATE",
        (Dialect::Postgres, ValueType::Bytes) => "BYTEA",
        #[cfg(feature = "decimal")]
        (Dialect::Postgres, ValueType::Decimal) => "NUMERIC",
        #[cfg(feature = "json")]
        (Dialect::Postgres, ValueType::Json) => "JSONB",
    }
}

/// SQLite's check that a UUID column holds the one stored form, lowercase
/// hyphenated text: a comparison with a bound UUID (which is in that form)
/// would silently miss one stored uppercase, in braces or as a blob. `NULL`
/// passes (`GLOB` gives `NULL`); whether nil is allowed is `NOT NULL`'s business.
fn uuid_check(table: &str, column: &str) -> String {
    let hex = |n: usize| "[0-9a-f]".repeat(n);
    let pattern = [hex(8), hex(4), hex(4), hex(4), hex(12)].join("-");
    format!(
        " CONSTRAINT {} CHECK ({} GLOB '{pattern}')",
        ident(&format!("{table}_{column}_uuid")),
        ident(column)
    )
}

/// PostgreSQL's longest name is 63 bytes; a longer one keeps its first 54 bytes
/// and gets a hash of the whole name, so distinct names stay distinct.
fn pg_name(name: &str) -> String {
    const MAX: usize = 63;
    if name.len() <= MAX {
        return name.to_owned();
    }
    let mut end = 54;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    // FNV-1a: stable across builds and platforms.
    let hash = name.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    format!("{}_{hash:08x}", &name[..end])
}
