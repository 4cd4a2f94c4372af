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
//!
//! # The drivers
//!
//! Each layer is built on a driver that its public API exposes (raw queries,
//! `Sqlite::with_connection`, `Postgres::client`, pools of your own), so
//! ashore re-exports each driver at the version it is built with; use these
//! paths rather than a dependency of your own:
//!
//! | feature | driver | re-exported as |
//! | --- | --- | --- |
//! | `sqlite` (default) | rusqlite 0.40, SQLite bundled (libsqlite3-sys 0.38), pooled by deadpool-sqlite 0.14 | `ashore::sql::rusqlite`, `ashore::sql::deadpool_sqlite` |
//! | `postgres` (opt-in) | tokio-postgres 0.7, pooled by deadpool-postgres 0.14 | `ashore::sql::tokio_postgres`, `ashore::sql::deadpool_postgres` |
//!
//! **One SQLite per program.** libsqlite3-sys declares `links = "sqlite3"`, and
//! Cargo lets only one package link a given native library into a build. A
//! second version of it in your dependency tree (`rusqlite = "0.32"`, or
//! sqlx-sqlite or diesel pulling another libsqlite3-sys) fails to resolve with
//! "package `libsqlite3-sys` links to the native library `sqlite3`, but it
//! conflicts with a previous package which links to `sqlite3` as well". Then:
//!
//! - use `ashore::sql::rusqlite` instead of a `rusqlite` dependency of your own;
//! - or depend on the same major versions (`rusqlite = "0.40"`; any crate whose
//!   libsqlite3-sys is 0.38), which Cargo unifies into one, with the features of
//!   both (ashore's turns on `bundled`);
//! - or, to keep another SQLite driver, turn ashore's off:
//!   `ashore = { version = "..", default-features = false }` (the in-memory layer
//!   only) or `features = ["postgres"]` with it.
//!
//! tokio-postgres has no native library: a second version of it builds, but its
//! types (a `Client`, a `ToSql` impl) are not the types of
//! `ashore::sql::tokio_postgres`, so use the re-export where they meet ashore's.

pub mod build;
mod control;
mod overflow;
#[cfg(feature = "postgres")]
mod postgres;
/// The PostgreSQL layer's pool: deadpool-postgres 0.14, as the layer uses it
/// ([`Postgres::from_pool`], [`Postgres::pool`], [`Postgres::client`]).
#[cfg(feature = "postgres")]
pub use deadpool_postgres;
/// The SQLite layer's pool: deadpool-sqlite 0.14, as [`Sqlite::from_pool`] takes it.
#[cfg(feature = "sqlite")]
pub use deadpool_sqlite;
#[cfg(feature = "postgres")]
pub use postgres::{Postgres, PostgresSettings};
/// The SQLite driver the layer is built on: rusqlite 0.40 with SQLite bundled
/// (see [the drivers](self#the-drivers): a second version of it in one program
/// does not build).
#[cfg(feature = "sqlite")]
pub use rusqlite;
/// The PostgreSQL driver the layer is built on: tokio-postgres 0.7 (see
/// [the drivers](self#the-drivers)).
#[cfg(feature = "postgres")]
pub use tokio_postgres;
#[cfg(feature = "sqlite")]
mod sqlite;
use crate::value::{Value, ValueType};
#[cfg(feature = "sqlite")]
pub use sqlite::{DEFAULT_MMAP_SIZE, Sqlite, SqlitePool};

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
