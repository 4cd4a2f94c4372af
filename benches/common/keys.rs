//! A primary key type as the benchmarks' hand-written SQL binds and reads it
//! (`Uuid` and `i64`), shared by `benches/sql/` and `benches/writes/`.

use std::fmt::Debug;
use std::hash::Hash;

use ashore::prelude::*;

/// A primary key type as the hand-written code binds and reads it.
pub trait Key:
    Copy
    + Eq
    + Ord
    + Hash
    + Debug
    + Send
    + Sync
    + tokio_postgres::types::ToSql
    + for<'a> tokio_postgres::types::FromSql<'a>
    + 'static
{
    /// How rusqlite binds it: a UUID is stored as its hyphenated text.
    fn to_sqlite(self) -> rusqlite::types::Value;
    /// Column `i` of a SQLite row.
    fn from_sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self>;
}

impl Key for Uuid {
    fn to_sqlite(self) -> rusqlite::types::Value {
        rusqlite::types::Value::Text(self.hyphenated().to_string())
    }

    fn from_sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
        let text = row.get_ref(i)?.as_str()?;
        Uuid::parse_str(text).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
        })
    }
}

impl Key for i64 {
    fn to_sqlite(self) -> rusqlite::types::Value {
        rusqlite::types::Value::Integer(self)
    }

    fn from_sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
        row.get(i)
    }
}
