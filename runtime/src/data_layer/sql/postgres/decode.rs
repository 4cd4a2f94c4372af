//! Turning PostgreSQL rows (binary format) back into [`Value`]s and [`Row`]s.
//!
//! A column is decoded by its own type (`smallint` → `i16`, `integer` → `i32`,
//! `bigint` → `i64`, `real`/`double precision` → `f64`, text types → `String`,
//! `uuid`, `timestamptz` (and `timestamp`, taken as UTC), `boolean`; SQL `NULL` →
//! nil), then checked against the attribute it fills, so a column whose type does
//! not fit its attribute is an error naming both.

use foldhash::{HashMap, HashMapExt};
use tokio_postgres::types::{FromSql, Type};
use tokio_postgres::{Column, Row as PgRow};

use super::errors::data_layer;
use crate::data_layer::sql::Columns;
use crate::error::{Error, ErrorKind, Result};
use crate::resource::{AttributeInfo, Row, Schema};
use crate::value::{Value, ValueType};

/// The value of column `i`, decoded by the column's type.
pub(super) fn column(row: &PgRow, i: usize) -> Result<Value> {
    fn get<'a, T: FromSql<'a>>(row: &'a PgRow, i: usize) -> Result<Option<T>> {
        row.try_get::<_, Option<T>>(i)
            .map_err(|e| data_layer(format!("decoding column {i}"), e))
    }
    let ty = row.columns()[i].type_();
    let value = match *ty {
        Type::INT2 => get::<i16>(row, i)?.map(|v| Value::Int(v.into())),
        Type::INT4 => get::<i32>(row, i)?.map(|v| Value::Int(v.into())),
        Type::INT8 => get::<i64>(row, i)?.map(Value::Int),
        Type::FLOAT4 => get::<f32>(row, i)?.map(|v| Value::Float(v.into())),
        Type::FLOAT8 => get::<f64>(row, i)?.map(Value::Float),
        Type::BOOL => get::<bool>(row, i)?.map(Value::Bool),
        Type::UUID => get::<uuid::Uuid>(row, i)?.map(Value::Uuid),
        Type::TIMESTAMPTZ => get::<chrono::DateTime<chrono::Utc>>(row, i)?.map(Value::DateTime),
        Type::TIMESTAMP => {
            get::<chrono::NaiveDateTime>(row, i)?.map(|v| Value::DateTime(v.and_utc()))
        }
        _ if <String as FromSql>::accepts(ty) => get::<String>(row, i)?.map(Value::String),
        _ => {
            return Err(Error::new(ErrorKind::DataLayer {
                message: format!(
                    "column `{}` has type {ty}, which no attribute type reads",
                    row.columns()[i].name()
                ),
                source: None,
            }));
        }
    };
    Ok(value.unwrap_or(Value::Null))
}

/// `value` as a value of `attribute`: nil, or a value of its type (an integer
/// read into a float attribute becomes a float).
pub(super) fn fit(
    schema: &Schema,
    attribute: &'static AttributeInfo,
    value: Value,
) -> Result<Value> {
    let expected = match (attribute.value_type, value) {
        (_, Value::Null) => return Ok(Value::Null),
        (ValueType::Bool, v @ Value::Bool(_))
        | (ValueType::I16 | ValueType::I32 | ValueType::I64, v @ Value::Int(_))
        | (ValueType::F64, v @ Value::Float(_))
        | (ValueType::String, v @ Value::String(_))
        | (ValueType::Uuid, v @ Value::Uuid(_))
        | (ValueType::DateTime, v @ Value::DateTime(_)) => return Ok(v),
        (ValueType::F64, Value::Int(i)) => return Ok(Value::Float(i as f64)),
        (t, found) => (type_name(t), found),
    };
    Err(Error::new(ErrorKind::TypeMismatch {
        resource: schema.name,
        attribute: attribute.name,
        expected: expected.0,
        found: expected.1,
    }))
}

fn type_name(t: ValueType) -> &'static str {
    match t {
        ValueType::Bool => "a boolean",
        ValueType::I16 | ValueType::I32 | ValueType::I64 => "an integer",
        ValueType::F64 => "a float",
        ValueType::String => "a string",
        ValueType::Uuid => "a UUID",
        ValueType::DateTime => "a timestamp",
    }
}

/// The rows of a builder statement: the schema's attributes in order, then for
/// `Columns::AttributesAndKey` the partition key, mapped to its position in
/// `keys`. For `Columns::AttributesKeyAndSeq`, the rows are put in the order of
/// their insertion sequence (the column after the key), which keeps that order
/// within each key.
pub(super) fn rows(
    schema: &'static Schema,
    columns: &Columns,
    pg_rows: &[PgRow],
    keys: &[Value],
) -> Result<(Vec<Row>, Vec<usize>)> {
    let n = schema.attributes.len();
    let with_seq = matches!(columns, Columns::AttributesKeyAndSeq(_));
    let with_key = with_seq || matches!(columns, Columns::AttributesAndKey(_));
    let width = n + usize::from(with_key) + usize::from(with_seq);
    let mut seqs = Vec::with_capacity(if with_seq { pg_rows.len() } else { 0 });
    let positions: HashMap<&Value, usize> = if with_key {
        let mut positions = HashMap::with_capacity(keys.len());
        for (i, key) in keys.iter().enumerate() {
            positions.entry(key).or_insert(i);
        }
        positions
    } else {
        HashMap::new()
    };
    let mut rows = Vec::with_capacity(pg_rows.len());
    let mut partition_keys = Vec::with_capacity(if with_key { pg_rows.len() } else { 0 });
    for pg_row in pg_rows {
        if pg_row.len() != width {
            return Err(Error::new(ErrorKind::DataLayer {
                message: format!(
                    "a statement for {} returned {} columns, expected {width}",
                    schema.name,
                    pg_row.len()
                ),
                source: None,
            }));
        }
        let row = schema
            .attributes
            .iter()
            .enumerate()
            .map(|(i, a)| fit(schema, a, column(pg_row, i)?))
            .collect::<Result<Row>>()?;
        if with_key {
            let key = column(pg_row, n)?;
            let position = positions.get(&key).copied().ok_or_else(|| {
                Error::new(ErrorKind::DataLayer {
                    message: format!(
                        "a partitioned read of {} returned a record for key {key}, which was not asked for",
                        schema.name
                    ),
                    source: None,
                })
            })?;
            partition_keys.push(position);
        }
        if with_seq {
            seqs.push(
                pg_row
                    .try_get::<_, i64>(n + 1)
                    .map_err(|e| data_layer("decoding the insertion sequence", e))?,
            );
        }
        rows.push(row);
    }
    if with_seq && !seqs.is_sorted() {
        let mut sorted: Vec<(i64, usize, Row)> = seqs
            .into_iter()
            .zip(partition_keys)
            .zip(rows)
            .map(|((seq, key), row)| (seq, key, row))
            .collect();
        sorted.sort_by_key(|&(seq, _, _)| seq);
        (partition_keys, rows) = sorted.into_iter().map(|(_, key, row)| (key, row)).unzip();
    }
    Ok((rows, partition_keys))
}

/// Rows of raw SQL as rows of `schema`: each attribute from the column of the
/// same name (extra columns are ignored; a missing one is an error even when
/// no row came back).
pub(super) fn rows_by_name(
    schema: &'static Schema,
    columns: &[Column],
    pg_rows: &[PgRow],
) -> Result<Vec<Row>> {
    let indexes = schema
        .attributes
        .iter()
        .map(|a| {
            columns
                .iter()
                .position(|c| c.name() == a.name)
                .ok_or_else(|| {
                    Error::new(ErrorKind::DataLayer {
                        message: format!(
                            "the query returned no column `{}` for attribute `{}` of {}",
                            a.name, a.name, schema.name
                        ),
                        source: None,
                    })
                })
        })
        .collect::<Result<Vec<usize>>>()?;
    pg_rows
        .iter()
        .map(|pg_row| {
            schema
                .attributes
                .iter()
                .zip(&indexes)
                .map(|(a, &i)| fit(schema, a, column(pg_row, i)?))
                .collect()
        })
        .collect()
}
