//! The statements run on PostgreSQL, against the in-memory layer: only when
//! `ASHORE_PG_URL` holds a connection string (for instance
//! `postgres://postgres@127.0.0.1:5432/test`). Each run works in a schema of its
//! own, dropped at the end.

use chrono::{DateTime, Utc};
use tokio::runtime::Runtime;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, NoTls};

use super::differential::{Db, fixed, load, random};
use super::*;
use crate::expr::text;

struct Postgres {
    runtime: Runtime,
    client: Client,
    schema: String,
}

fn connect() -> Option<Postgres> {
    let Ok(url) = std::env::var("ASHORE_PG_URL") else {
        eprintln!("ASHORE_PG_URL is not set: PostgreSQL tests skipped");
        return None;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(&url, NoTls).await.expect("connect");
        tokio::spawn(connection);
        client
    });
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let schema = format!("ashore_build_{}_{nanos}", std::process::id());
    let mut db = Postgres {
        runtime,
        client,
        schema,
    };
    let setup = format!(
        "CREATE SCHEMA \"{0}\"; SET search_path TO \"{0}\"",
        db.schema
    );
    db.execute(&setup);
    Some(db)
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let drop = format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.schema);
        let _ = self.runtime.block_on(self.client.batch_execute(&drop));
    }
}

type Bound = Box<dyn ToSql + Sync + Send>;

fn bind(p: &Param) -> std::result::Result<Bound, String> {
    // A nil is NULL in the array (an insert's column, `UNNEST`).
    fn all<T, F: Fn(&Value) -> Option<T>>(
        values: &[Value],
        f: F,
    ) -> std::result::Result<Vec<Option<T>>, String> {
        values
            .iter()
            .map(|v| match v {
                Value::Null => Ok(None),
                v => f(v).map(Some).ok_or_else(|| format!("{v:?} in a list")),
            })
            .collect()
    }
    Ok(match p {
        Param::Value(v) => match v {
            Value::Null => return Err("a nil parameter".into()),
            Value::Bool(b) => Box::new(*b),
            Value::Int(i) => Box::new(*i),
            Value::Float(f) => Box::new(*f),
            Value::String(s) => Box::new(s.clone()),
            Value::Uuid(u) => Box::new(*u),
            Value::DateTime(d) => Box::new(*d),
            Value::Date(d) => Box::new(*d),
            Value::Bytes(b) => Box::new(b.clone()),
            #[cfg(feature = "decimal")]
            Value::Decimal(d) => Box::new(*d),
            #[cfg(feature = "json")]
            Value::Json(j) => Box::new((**j).clone()),
        },
        Param::List(t, values) => match t {
            ValueType::Bool => Box::new(all(values, |v| match v {
                Value::Bool(b) => Some(*b),
                _ => None,
            })?),
            ValueType::I16 => Box::new(all(values, |v| match v {
                Value::Int(i) => i16::try_from(*i).ok(),
                _ => None,
            })?),
            ValueType::I32 => Box::new(all(values, |v| match v {
                Value::Int(i) => i32::try_from(*i).ok(),
                _ => None,
            })?),
            ValueType::I64 => Box::new(all(values, |v| match v {
                Value::Int(i) => Some(*i),
                _ => None,
            })?),
            ValueType::F64 => Box::new(all(values, |v| match v {
                Value::Float(f) => Some(*f),
                _ => None,
            })?),
            ValueType::String => Box::new(all(values, |v| match v {
                Value::String(s) => Some(s.clone()),
                _ => None,
            })?),
            ValueType::Uuid => Box::new(all(values, |v| match v {
                Value::Uuid(u) => Some(*u),
                _ => None,
            })?),
            ValueType::DateTime => Box::new(all(values, |v| match v {
                Value::DateTime(d) => Some(*d),
                _ => None,
            })?),
            ValueType::Date => Box::new(all(values, |v| match v {
                Value::Date(d) => Some(*d),
                _ => None,
            })?),
            ValueType::Bytes => Box::new(all(values, |v| match v {
                Value::Bytes(b) => Some(b.clone()),
                _ => None,
            })?),
            #[cfg(feature = "decimal")]
            ValueType::Decimal => Box::new(all(values, |v| match v {
                Value::Decimal(d) => Some(*d),
                _ => None,
            })?),
            #[cfg(feature = "json")]
            ValueType::Json => Box::new(all(values, |v| match v {
                Value::Json(j) => Some((**j).clone()),
                _ => None,
            })?),
        },
    })
}

fn column(row: &tokio_postgres::Row, i: usize, t: ValueType) -> std::result::Result<Value, String> {
    let e = |e: tokio_postgres::Error| e.to_string();
    Ok(match t {
        ValueType::Bool => row.try_get::<_, Option<bool>>(i).map_err(e)?.into(),
        ValueType::I16 => row.try_get::<_, Option<i16>>(i).map_err(e)?.into(),
        ValueType::I32 => row.try_get::<_, Option<i32>>(i).map_err(e)?.into(),
        ValueType::I64 => row.try_get::<_, Option<i64>>(i).map_err(e)?.into(),
        ValueType::F64 => row.try_get::<_, Option<f64>>(i).map_err(e)?.into(),
        ValueType::String => row.try_get::<_, Option<String>>(i).map_err(e)?.into(),
        ValueType::Uuid => row.try_get::<_, Option<uuid::Uuid>>(i).map_err(e)?.into(),
        ValueType::DateTime => row
            .try_get::<_, Option<DateTime<Utc>>>(i)
            .map_err(e)?
            .into(),
        ValueType::Date => row
            .try_get::<_, Option<chrono::NaiveDate>>(i)
            .map_err(e)?
            .into(),
        ValueType::Bytes => row.try_get::<_, Option<Vec<u8>>>(i).map_err(e)?.into(),
        #[cfg(feature = "decimal")]
        ValueType::Decimal => row
            .try_get::<_, Option<rust_decimal::Decimal>>(i)
            .map_err(e)?
            .into(),
        #[cfg(feature = "json")]
        ValueType::Json => row
            .try_get::<_, Option<serde_json::Value>>(i)
            .map_err(e)?
            .into(),
    })
}

impl Db for Postgres {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&mut self, sql: &str) {
        self.runtime
            .block_on(self.client.batch_execute(sql))
            .unwrap_or_else(|e| panic!("{e:?}: {sql}"));
    }

    fn query(
        &mut self,
        statement: &Statement,
        schema: &'static Schema,
    ) -> std::result::Result<Vec<Row>, String> {
        let mut types: Vec<ValueType> = match &statement.columns {
            Columns::Values(types) => types.clone(),
            _ => schema.attributes.iter().map(|a| a.value_type).collect(),
        };
        types.extend(key_type(statement));
        let params = statement
            .params
            .iter()
            .map(bind)
            .collect::<std::result::Result<Vec<Bound>, String>>()?;
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| &**p as &(dyn ToSql + Sync)).collect();
        let rows = self
            .runtime
            .block_on(self.client.query(&statement.sql, &refs))
            .map_err(|e| format!("{e:?}"))?;
        if statement.columns == Columns::None {
            return Ok(Vec::new());
        }
        let mut rows = rows
            .iter()
            .map(|row| {
                let seq = match statement.columns {
                    Columns::AttributesAndSeq | Columns::AttributesKeyAndSeq(_) => row
                        .try_get::<_, i64>(types.len())
                        .map_err(|e| e.to_string())?,
                    _ => 0,
                };
                let row = types
                    .iter()
                    .enumerate()
                    .map(|(i, t)| column(row, i, *t))
                    .collect::<std::result::Result<Row, String>>()?;
                Ok((seq, row))
            })
            .collect::<std::result::Result<Vec<(i64, Row)>, String>>()?;
        // Unordered rows: in insertion order, as the layer puts them.
        rows.sort_by_key(|&(seq, _)| seq);
        Ok(rows.into_iter().map(|(_, row)| row).collect())
    }
}

#[test]
fn same_answers_as_memory() {
    let Some(mut db) = connect() else { return };
    load(&mut db);
    let memory = memory();
    fixed(&mut db, &memory);
    super::visibility::fixed(&mut db, &memory);
    super::aggregates::same_as_memory(&mut db, &memory);
    super::grouped::same_as_memory(&mut db, &memory);
    random(&mut db, &memory, 0x5eed_0002, 3000);
    super::random_aggregates::random(&mut db, &memory, 0xa99_0002, 1500);
    // Last: it adds a table to both.
    super::keyed::same_as_memory(&mut db, &memory);
}

/// PostgreSQL's `lower` and `upper`, which the builder uses, map every
/// character as `crate::expr::text` (memory and SQLite) does: simple case
/// mapping, one character for one. The database's Unicode tables may be
/// older than Rust's: a pair of characters the database maps neither way
/// (letters added in Unicode 16 and later) may differ, a few dozen at most; a
/// database whose `LC_CTYPE` folds ASCII only would differ on thousands.
#[test]
fn lower_and_upper_map_every_character_as_memory_does() {
    let Some(db) = connect() else { return };
    let rows = db
        .runtime
        .block_on(db.client.query(
            "SELECT n, lower(chr(n)), upper(chr(n)) FROM generate_series(1, 1114111) AS n \
             WHERE (n < 55296 OR n > 57343) AND (lower(chr(n)) <> chr(n) OR upper(chr(n)) <> chr(n))",
            &[],
        ))
        .expect("query");
    let mut mapped = std::collections::HashMap::new();
    for row in &rows {
        let one = |i: usize| {
            let s: String = row.get(i);
            let mut chars = s.chars();
            let c = chars.next().expect("a character");
            assert_eq!(chars.next(), None, "one character for one: {s:?}");
            c
        };
        let n: i32 = row.get(0);
        mapped.insert(n as u32, (one(1), one(2)));
    }
    let server = |c: char| mapped.get(&(c as u32)).copied().unwrap_or((c, c));
    let mut unknown_pairs = Vec::new();
    for c in (1..=0x10FFFF).filter_map(char::from_u32) {
        let (lower, upper) = server(c);
        // Each mapping, and the database's way back from what memory gives.
        for (ours, theirs, upwards) in [
            (text::lower_char(c), lower, true),
            (text::upper_char(c), upper, false),
        ] {
            let back = |d: char| if upwards { server(d).1 } else { server(d).0 };
            if ours == theirs {
                continue;
            }
            // The database knows neither direction of the pair.
            assert!(
                theirs == c && back(ours) == ours,
                "U+{:04X} {c}: memory {ours}, PostgreSQL {theirs}",
                c as u32
            );
            unknown_pairs.push(c);
        }
    }
    assert!(
        unknown_pairs.len() < 200,
        "{} characters PostgreSQL does not map: {:?}",
        unknown_pairs.len(),
        &unknown_pairs[..20]
    );
    assert_eq!(server('É'), ('é', 'É'));
    assert_eq!(server('ß'), ('ß', 'ß'));
}
