//! SQL data layers: SQLite (rusqlite, embedded) and PostgreSQL (tokio-postgres),
//! with the same semantics as the in-memory layer.
//!
//! - `build`: turns a [`ReadRequest`](super::ReadRequest) into one parameterized
//!   statement, and schemas into DDL and inserts, for either [`Dialect`]. No value
//!   is ever spliced into SQL text: every value is a parameter.
//! - `sqlite` / `postgres`: run those statements (prepared and cached) through a
//!   connection pool and turn rows back into records.
//!
//! Storage of each value type:
//!
//! | type | SQLite | PostgreSQL |
//! | --- | --- | --- |
//! | `bool` | `INTEGER` 0/1 | `BOOLEAN` |
//! | `i16`, `i32`, `i64` | `INTEGER` | `SMALLINT`, `INTEGER`, `BIGINT` |
//! | `f64` | `REAL` | `DOUBLE PRECISION` |
//! | `String` | `TEXT` (binary collation) | `TEXT`, compared and sorted `COLLATE "C"` |
//! | `Uuid` | `TEXT`, lowercase hyphenated | `UUID` |
//! | `DateTime<Utc>` | `TEXT` `YYYY-MM-DDTHH:MM:SS.ffffffZ` | `TIMESTAMPTZ` |
//!
//! So text compares byte-wise and sorts as Rust's `String` does on both, and
//! timestamps keep microseconds on both.
//!
//! Ties in a sort (and every unsorted read) keep insertion order, as in memory:
//! SQLite orders by `rowid`, PostgreSQL by a hidden `_ashore_seq BIGSERIAL`
//! column that `migrate` adds to every table. An unsorted partitioned read on
//! PostgreSQL returns that column instead of ordering by it
//! ([`Columns::AttributesAndSeq`], [`Columns::AttributesKeyAndSeq`]), and the
//! layer orders the rows.

pub mod build;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "postgres")]
#[cfg(feature = "postgres")]
pub use postgres::{Postgres, PostgresSettings};
#[cfg(feature = "sqlite")]
mod sqlite;
#[cfg(feature = "sqlite")]
use crate::value::{Value, ValueType};
#[cfg(feature = "sqlite")]
pub use sqlite::{Sqlite, SqlitePool};

/// The SQL spoken by a database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// SQLite 3.35 or later (bundled with rusqlite).
    Sqlite,
    /// PostgreSQL 12 or later.
    Postgres,
}

/// One statement to run: SQL text with numbered placeholders (`?1` on SQLite,
/// `$1` on PostgreSQL) and the values bound to them, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// The SQL text.
    pub sql: String,
    /// The parameters.
    pub params: Vec<Param>,
    /// What each result row holds.
    pub columns: Columns,
}

/// A parameter.
#[derive(Clone, Debug, PartialEq)]
pub enum Param {
    /// One value (never nil: a nil is written as `NULL` in the text).
    Value(Value),
    /// A list of values of one type, bound as one array parameter (`= ANY($1)` on
    /// PostgreSQL, `IN rarray(?1)` on SQLite), so a key set of any size is one
    /// parameter; on PostgreSQL also a column of an insert (`UNNEST($1::text[],
    /// ..)`), the one place it may hold nils.
    List(ValueType, Vec<Value>),
}

/// The shape of a statement's result rows.
#[derive(Clone, Debug, PartialEq)]
pub enum Columns {
    /// No rows (DDL).
    None,
    /// The resource's attributes, in schema order. For a read partitioned by an
    /// attribute, that attribute is each record's key.
    Attributes,
    /// The resource's attributes, then the record's insertion sequence (a
    /// `bigint`): an unsorted read partitioned by an attribute, in no particular
    /// order; the layer orders the rows by the sequence.
    AttributesAndSeq,
    /// The resource's attributes, then the partition key (of this type) that the
    /// record was found for: a read partitioned through a join resource.
    AttributesAndKey(ValueType),
    /// The resource's attributes, the partition key (of this type), then the
    /// record's insertion sequence (a `bigint`). The rows come in no particular
    /// order: the layer orders them by the sequence (at least within each key).
    AttributesKeyAndSeq(ValueType),
    /// One row of one `bigint`: how many records a read would return.
    Count,
    /// Values of these types, one column each: a record's primary key and
    /// its aggregates.
    Values(Vec<ValueType>),
}
