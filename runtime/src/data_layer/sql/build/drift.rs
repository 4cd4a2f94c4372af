//! Schema drift: a table that exists, compared with its resource before
//! `migrate` touches anything. What can be added safely is added (a nullable
//! column, PostgreSQL's hidden sequence column; indexes and foreign keys are
//! the DDL's `IF NOT EXISTS` statements anyway); anything else is an
//! [`ErrorKind::SchemaDrift`] naming table, column, what the resource expects,
//! what was found and what to do, before a read can fail on it obscurely.
//!
//! Types are compared as each database reads them: on SQLite by column
//! affinity (the declared type's, by SQLite's own rules: `VARCHAR(20)` holds
//! text as `TEXT` does), on PostgreSQL by the type itself (`integer` is not
//! `bigint`: the driver decodes each type into its own Rust type).

use super::super::Dialect;
use super::text::{SEQUENCE_COLUMN, ident};
use crate::error::{Error, ErrorKind, Result};
use crate::resource::{AttributeInfo as Attribute, Schema};
use crate::value::ValueType;

/// A column of a table as the database describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundColumn {
    /// Its name.
    pub name: String,
    /// Its type as declared (SQLite) or named by `information_schema`
    /// (PostgreSQL, e.g. `bigint`, `timestamp with time zone`).
    pub declared: String,
    /// Whether it is `NOT NULL`.
    pub not_null: bool,
    /// Whether it has a default (a column the resource does not know may
    /// then be left out of an insert).
    pub has_default: bool,
}

/// The statements that bring the existing table `found` of `schema` up to it
/// (each column the table lacks, added where that is safe), or the first
/// drift that cannot be.
pub(super) fn alter(
    dialect: Dialect,
    schema: &'static Schema,
    found: &[FoundColumn],
    column_ddl: impl Fn(&Attribute) -> String,
) -> Result<Vec<String>> {
    let table = ident(schema.table);
    let mut statements = Vec::new();
    for attribute in schema.attributes {
        let Some(column) = found.iter().find(|c| c.name == attribute.name) else {
            if !attribute.nullable {
                return Err(drift(
                    schema,
                    attribute.name,
                    format!("a column for `{}` ({})", attribute.name, rust(attribute)),
                    "no such column".to_owned(),
                    "migrate adds only columns of optional attributes: add the column with a \
                     default, or make the attribute an Option",
                ));
            }
            statements.push(format!(
                "ALTER TABLE {table} ADD COLUMN {}",
                column_ddl(attribute)
            ));
            continue;
        };
        if !compatible(dialect, attribute.value_type, &column.declared) {
            return Err(drift(
                schema,
                attribute.name,
                format!(
                    "{} ({})",
                    expected_type(dialect, attribute.value_type),
                    rust(attribute)
                ),
                format!("`{}`", column.declared),
                "change the column's type, or the attribute's",
            ));
        }
        if column.not_null && attribute.nullable {
            return Err(drift(
                schema,
                attribute.name,
                format!("a nullable column ({})", rust(attribute)),
                "NOT NULL".to_owned(),
                "drop the column's NOT NULL, or make the attribute required",
            ));
        }
    }
    for column in found {
        let known = schema.attributes.iter().any(|a| a.name == column.name)
            || column.name == SEQUENCE_COLUMN;
        if !known && column.not_null && !column.has_default {
            return Err(drift(
                schema,
                &column.name,
                "no column the resource does not know, or one an insert may leave out".to_owned(),
                format!("`{}` NOT NULL without a default", column.declared),
                "give the column a default, drop its NOT NULL, or declare it as an attribute",
            ));
        }
    }
    if dialect == Dialect::Postgres && !found.iter().any(|c| c.name == SEQUENCE_COLUMN) {
        // Insertion order, which every unsorted read returns; existing rows
        // are numbered as PostgreSQL finds them.
        statements.push(format!(
            "ALTER TABLE {table} ADD COLUMN {} BIGSERIAL NOT NULL",
            ident(SEQUENCE_COLUMN)
        ));
    }
    Ok(statements)
}

fn drift(
    schema: &'static Schema,
    column: &str,
    expected: String,
    found: String,
    fix: &'static str,
) -> Error {
    Error::new(ErrorKind::SchemaDrift {
        resource: schema.name,
        table: schema.table,
        column: column.to_owned(),
        expected,
        found,
        fix,
    })
}

fn rust(attribute: &Attribute) -> String {
    format!(
        "`{}: {}`",
        attribute.name,
        attribute.value_type.rust_name(attribute.nullable)
    )
}

/// What the resource's type needs, in the database's words.
fn expected_type(dialect: Dialect, t: ValueType) -> &'static str {
    match (dialect, t) {
        (Dialect::Sqlite, ValueType::Bool | ValueType::I16 | ValueType::I32 | ValueType::I64) => {
            "a column of INTEGER affinity"
        }
        (Dialect::Sqlite, ValueType::F64) => "a column of REAL affinity",
        (
            Dialect::Sqlite,
            ValueType::String | ValueType::Uuid | ValueType::DateTime | ValueType::Date,
        ) => "a column of TEXT affinity",
        (Dialect::Sqlite, ValueType::Bytes) => "a column of BLOB affinity",
        #[cfg(feature = "decimal")]
        (Dialect::Sqlite, ValueType::Decimal) => "a column of TEXT affinity",
        #[cfg(feature = "json")]
        (Dialect::Sqlite, ValueType::Json) => "a column of TEXT affinity",
        (Dialect::Postgres, ValueType::Bool) => "`boolean`",
        (Dialect::Postgres, ValueType::I16) => "`smallint`",
        (Dialect::Postgres, ValueType::I32) => "`integer`",
        (Dialect::Postgres, ValueType::I64) => "`bigint`",
        (Dialect::Postgres, ValueType::F64) => "`double precision`",
        (Dialect::Postgres, ValueType::String) => "`text` (or `character varying`)",
        (Dialect::Postgres, ValueType::Uuid) => "`uuid`",
        (Dialect::Postgres, ValueType::DateTime) => "`timestamp with time zone`",
        (Dialect::Postgres, ValueType::Date) => "`date`",
        (Dialect::Postgres, ValueType::Bytes) => "`bytea`",
        #[cfg(feature = "decimal")]
        (Dialect::Postgres, ValueType::Decimal) => "`numeric`",
        #[cfg(feature = "json")]
        (Dialect::Postgres, ValueType::Json) => "`jsonb`",
    }
}

/// Whether a column declared `declared` holds values of type `t`.
fn compatible(dialect: Dialect, t: ValueType, declared: &str) -> bool {
    let declared = declared.to_ascii_lowercase();
    match dialect {
        Dialect::Sqlite => {
            let affinity = sqlite_affinity(&declared);
            match t {
                ValueType::Bool | ValueType::I16 | ValueType::I32 | ValueType::I64 => {
                    affinity == Affinity::Integer
                }
                ValueType::F64 => affinity == Affinity::Real,
                ValueType::Bytes => affinity == Affinity::Blob,
                _ => affinity == Affinity::Text,
            }
        }
        Dialect::Postgres => match t {
            ValueType::String => matches!(
                declared.as_str(),
                "text" | "character varying" | "character"
            ),
            _ => expected_type(Dialect::Postgres, t).trim_matches('`') == declared.as_str(),
        },
    }
}

#[derive(PartialEq, Eq, Debug)]
enum Affinity {
    Integer,
    Text,
    Blob,
    Real,
    Numeric,
}

/// SQLite's rules for a declared type's affinity, in its order
/// (<https://www.sqlite.org/datatype3.html>, 3.1).
fn sqlite_affinity(declared: &str) -> Affinity {
    if declared.contains("int") {
        Affinity::Integer
    } else if ["char", "clob", "text"]
        .iter()
        .any(|s| declared.contains(s))
    {
        Affinity::Text
    } else if declared.contains("blob") || declared.is_empty() {
        Affinity::Blob
    } else if ["real", "floa", "doub"]
        .iter()
        .any(|s| declared.contains(s))
    {
        Affinity::Real
    } else {
        Affinity::Numeric
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_reads_declared_types_by_affinity() {
        assert_eq!(sqlite_affinity("varchar(20)"), Affinity::Text);
        assert_eq!(sqlite_affinity("bigint"), Affinity::Integer);
        assert_eq!(sqlite_affinity("double precision"), Affinity::Real);
        assert_eq!(sqlite_affinity(""), Affinity::Blob);
        assert_eq!(sqlite_affinity("decimal(10,2)"), Affinity::Numeric);
        assert!(compatible(
            Dialect::Sqlite,
            ValueType::String,
            "VARCHAR(20)"
        ));
        assert!(!compatible(Dialect::Sqlite, ValueType::I64, "TEXT"));
        assert!(compatible(
            Dialect::Postgres,
            ValueType::String,
            "character varying"
        ));
        assert!(!compatible(Dialect::Postgres, ValueType::I64, "integer"));
        assert!(compatible(
            Dialect::Postgres,
            ValueType::DateTime,
            "timestamp with time zone"
        ));
    }
}
