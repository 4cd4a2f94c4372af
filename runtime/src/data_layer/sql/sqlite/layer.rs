//! The `DataLayer` implementation: reads, creates, updates, destroys and
//! migrations, each run as
//! the statements `build` makes (the writes' own work is in `writes`), and
//! the decoding of result rows into records (shared with raw queries, which
//! match columns by name).

use foldhash::HashMap;
use rusqlite::Connection;

use super::transaction::Unit;
use super::{Inner, Sqlite, codec, errors, migrate};
use crate::data_layer::columns::sqlite::SqliteRow;
use crate::data_layer::group_positions;
use crate::data_layer::sql::{Columns, Dialect, Param, Statement, build};
use crate::data_layer::store::{Collector, Target, collector};
use crate::data_layer::{
    BoxFuture, Changes, DataLayer, Partition, ReadRequest, ReadResult, Records, Upsert,
};
use crate::error::{Error, Result};
use crate::resource::{Row, Rows, Schema};
use crate::value::Value;

/// The keys of a partitioned read: each key's position (its group), and the
/// attribute holding the key when the partition is by an attribute of the
/// records read (then the key is taken from the record instead of decoding the
/// key column again).
pub(super) struct Keys {
    positions: HashMap<Value, usize>,
    attribute: Option<usize>,
}

impl Keys {
    fn new(schema: &'static Schema, partition: Partition) -> Keys {
        let attribute = partition.key_attribute(schema);
        let positions = group_positions(partition.keys.into_iter());
        Keys {
            positions,
            attribute,
        }
    }

    /// The group of a record with partition key `key`.
    fn group_of(&self, schema: &'static Schema, key: &Value) -> Result<usize> {
        self.positions.get(key).copied().ok_or_else(|| {
            Error::data_layer(format!(
                "sqlite: a record of {} came back for key {key}, which was not asked for",
                schema.name
            ))
        })
    }
}

/// Runs a statement that returns records of `schema` and decodes each row into
/// `into` as it is read; with `keys`, the last column is each record's partition
/// key, and the record goes to the group of its key's position.
pub(super) fn fetch(
    conn: &Connection,
    inner: &Inner,
    schema: &'static Schema,
    statement: &Statement,
    keys: Option<&Keys>,
    into: &mut Collector,
    what: &dyn Fn(rusqlite::Error) -> Error,
) -> Result<()> {
    let width = schema.attributes.len();
    let key_type = match (&statement.columns, keys) {
        // Unpartitioned, or partitioned by an attribute the rows hold.
        (
            Columns::Attributes,
            None
            | Some(Keys {
                attribute: Some(_), ..
            }),
        ) => None,
        (Columns::AttributesAndKey(t), Some(_)) => Some(*t),
        (columns, _) => {
            return Err(Error::data_layer(format!(
                "sqlite: a statement for {} returns {columns:?}{}",
                schema.name,
                if keys.is_some() {
                    ""
                } else {
                    " without a partition"
                }
            )));
        }
    };
    let mut prepared = conn.prepare_cached(&statement.sql).map_err(what)?;
    codec::bind(&mut prepared, &statement.params).map_err(what)?;
    let columns = prepared.column_count();
    let expected = width + usize::from(key_type.is_some());
    if columns != expected {
        return Err(Error::data_layer(format!(
            "sqlite: a statement for {} returns {columns} columns, expected {expected}",
            schema.name
        )));
    }
    let _statement = inner.ran(&statement.sql);
    let mut rows = prepared.raw_query();
    while let Some(row) = rows.next().map_err(what)? {
        let mut record = SqliteRow { row, schema };
        match (key_type, keys) {
            (
                None,
                Some(
                    keys @ Keys {
                        attribute: Some(key),
                        ..
                    },
                ),
            ) => into.push_sqlite(
                Target::Keyed {
                    attribute: *key,
                    group_of: &|k| keys.group_of(schema, k),
                },
                &mut record,
            )?,
            (Some(t), Some(keys)) => {
                let v = row.get_ref(width).map_err(what)?;
                let key = codec::decode(v, t).map_err(|found| {
                    Error::data_layer(format!(
                        "sqlite: a partition key of {} is not a {}: {found:?}",
                        schema.name,
                        t.rust_name(false)
                    ))
                })?;
                into.push_sqlite(Target::Group(keys.group_of(schema, &key)?), &mut record)?;
            }
            _ => into.push_sqlite(Target::Group(0), &mut record)?,
        }
    }
    Ok(())
}

/// Runs raw SQL and decodes each row by column name against `schema`.
pub(super) fn query_rows(
    conn: &Connection,
    inner: &Inner,
    schema: &'static Schema,
    sql: &str,
    params: &[Param],
) -> Result<Vec<Row>> {
    let what = |e| errors::database(format_args!("running a query for {}", schema.name), e);
    let mut prepared = conn.prepare_cached(sql).map_err(what)?;
    codec::check_lists(sql, params, |name| {
        prepared.parameter_index(name).ok().flatten()
    })
    .map_err(|message| {
        Error::data_layer(format!("sqlite: a query for {}: {message}", schema.name))
    })?;
    codec::bind(&mut prepared, params).map_err(what)?;
    let names = prepared.column_names();
    let columns = schema
        .attributes
        .iter()
        .map(|a| {
            names
                .iter()
                .position(|n| *n == a.name)
                .or_else(|| names.iter().position(|n| n.eq_ignore_ascii_case(a.name)))
                .ok_or_else(|| {
                    Error::data_layer(format!(
                            "sqlite: the query returns no column `{}` for that attribute of {} (it returns {})",
                            a.name,
                            schema.name,
                            if names.is_empty() { "none".to_owned() } else { names.join(", ") }
                        ))
                })
        })
        .collect::<Result<Vec<usize>>>()?;
    let _statement = inner.ran(sql);
    let mut rows = prepared.raw_query();
    let mut records = Vec::new();
    while let Some(row) = rows.next().map_err(what)? {
        let mut record = Vec::with_capacity(columns.len());
        let key = columns
            .get(schema.primary_key)
            .and_then(|&c| row.get_ref(c).ok());
        for (&c, a) in columns.iter().zip(schema.attributes) {
            let v = row.get_ref(c).map_err(what)?;
            record.push(codec::decode_attribute(
                v,
                a.value_type,
                schema,
                a.name,
                key,
            )?);
        }
        records.push(record);
    }
    Ok(records)
}

/// What a destroy is doing, in its errors.
pub(super) const DESTROYING: &str = "destroying";

/// An error when a value of `rows` is NaN, which SQLite would store as NULL.
pub(super) fn refuse_nan<'a>(
    schema: &'static Schema,
    rows: impl IntoIterator<Item = &'a [Value]>,
) -> Result<()> {
    match codec::nan_attribute(schema, rows) {
        Some(attribute) => Err(Error::data_layer(format!(
            "sqlite: `{attribute}` of {} is NaN, which SQLite cannot store",
            schema.name
        ))),
        None => Ok(()),
    }
}

/// Refuses an identity over a decimal or a JSON document: SQLite's unique
/// index would compare their stored text (`1.5` apart from `1.50`, keys in
/// another order apart), where memory and PostgreSQL compare what they hold.
fn refuse_text_compared_identities(schema: &'static Schema) -> Result<()> {
    for identity in schema.identities {
        for key in identity.keys {
            let Some(attribute) = schema.attributes.iter().find(|a| a.name == *key) else {
                continue;
            };
            let what: Option<&str> = match attribute.value_type {
                #[cfg(feature = "decimal")]
                crate::value::ValueType::Decimal => Some("a decimal"),
                #[cfg(feature = "json")]
                crate::value::ValueType::Json => Some("a JSON document"),
                _ => None,
            };
            let Some(what) = what else {
                continue;
            };
            return Err(Error::new(crate::error::ErrorKind::InvalidQuery {
                resource: schema.name,
                message: format!(
                    "identity `{}` holds `{key}`, {what}: SQLite's unique index would compare \
                     its stored text, not its value as memory and PostgreSQL do; leave it out \
                     of the identity on SQLite",
                    identity.name
                ),
            }));
        }
    }
    Ok(())
}

impl DataLayer for Sqlite {
    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn register(&self, schema: &'static Schema) -> Result<()> {
        refuse_text_compared_identities(schema)?;
        let mut tables = self
            .inner
            .tables
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        tables.insert(schema.table, schema);
        Ok(())
    }

    fn read<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<ReadResult>> {
        Box::pin(async move {
            let statement = build::read(Dialect::Sqlite, &request)?;
            let schema = request.schema;
            let groups = request.partition.as_ref().map(|p| p.keys.len());
            let keys = request.partition.map(|p| Keys::new(schema, p));
            let records = self
                .run(move |conn, inner| {
                    let what = |e| errors::database(format_args!("reading {}", schema.name), e);
                    let mut into = collector(schema, groups)?;
                    fetch(
                        conn,
                        inner,
                        schema,
                        &statement,
                        keys.as_ref(),
                        &mut into,
                        &what,
                    )?;
                    Ok(into.finish())
                })
                .await?;
            Ok(ReadResult::new(records))
        })
    }

    fn count<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<usize>> {
        Box::pin(async move {
            let statement = build::count(Dialect::Sqlite, &request)?;
            let schema = request.schema;
            self.run(move |conn, inner| {
                let what = |e| errors::database(format_args!("counting {}", schema.name), e);
                let mut prepared = conn.prepare_cached(&statement.sql).map_err(what)?;
                codec::bind(&mut prepared, &statement.params).map_err(what)?;
                let _statement = inner.ran(&statement.sql);
                let mut rows = prepared.raw_query();
                let count: i64 = match rows.next().map_err(what)? {
                    Some(row) => row.get(0).map_err(what)?,
                    None => 0,
                };
                Ok(usize::try_from(count).unwrap_or(0))
            })
            .await
        })
    }

    fn aggregate<'a>(
        &'a self,
        request: ReadRequest,
        aggregates: Vec<crate::expr::Aggregate>,
    ) -> BoxFuture<'a, Result<Vec<Vec<Value>>>> {
        Box::pin(self.aggregate_now(request, aggregates))
    }

    fn aggregate_list<'a>(
        &'a self,
        request: ReadRequest,
        aggregate: crate::expr::Aggregate,
    ) -> BoxFuture<'a, Result<Vec<(Value, Value)>>> {
        Box::pin(self.aggregate_list_now(request, aggregate))
    }

    fn create<'a>(&'a self, schema: &'static Schema, rows: Rows) -> BoxFuture<'a, Result<Records>> {
        Box::pin(self.insert(schema, rows, None))
    }

    fn upsert<'a>(
        &'a self,
        schema: &'static Schema,
        rows: Rows,
        upsert: Upsert,
    ) -> BoxFuture<'a, Result<Records>> {
        Box::pin(self.insert(schema, rows, Some(upsert)))
    }

    fn update<'a>(
        &'a self,
        request: ReadRequest,
        changes: Changes,
    ) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move {
            let mut set = vec![Value::Null; request.schema.attributes.len()];
            changes.apply(&mut set);
            refuse_nan(request.schema, [set.as_slice()])?;
            let statement = build::update(Dialect::Sqlite, &request, &changes)?;
            self.write_returning(request.schema, statement, "updating")
                .await
        })
    }

    fn destroy<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move {
            let statement = build::delete(Dialect::Sqlite, &request)?;
            self.write_returning(request.schema, statement, DESTROYING)
                .await
        })
    }

    fn begin<'a>(&'a self) -> BoxFuture<'a, Result<Box<dyn crate::data_layer::Transaction>>> {
        Box::pin(self.begin_now())
    }

    fn migrate<'a>(&'a self, schemas: Vec<&'static Schema>) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            if schemas.is_empty() {
                return Ok(());
            }
            self.run(move |conn, inner| {
                let what = |e| errors::database("migrating", e);
                let mut tx = Unit::begin(conn).map_err(what)?;
                // Read and changed in one write transaction: what was
                // compared is what is changed.
                let ddl = migrate::plan(&tx, &schemas)?;
                for sql in &ddl {
                    let _statement = inner.ran(sql);
                    tx.execute_batch(sql).map_err(what)?;
                }
                tx.commit().map_err(what)
            })
            .await
        })
    }

    fn migration_plan<'a>(
        &'a self,
        schemas: Vec<&'static Schema>,
    ) -> BoxFuture<'a, Result<Vec<String>>> {
        Box::pin(async move { self.run(move |conn, _| migrate::plan(conn, &schemas)).await })
    }
}
