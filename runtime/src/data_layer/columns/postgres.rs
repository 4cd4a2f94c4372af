//! Reading PostgreSQL rows (binary format): a column decoded by its own type
//! ([`column()`]), checked against the attribute it fills ([`fit`]), and
//! [`PgColumns`], the [`ColumnReader`] over a `tokio_postgres::Row` that the
//! collectors read records from, each field straight into its type.
//!
//! `smallint` → `i16`, `integer` → `i32`, `bigint` → `i64`, `real`/`double
//! precision` → `f64`, text types → `String`, `uuid`, `timestamptz` (and
//! `timestamp`, taken as UTC), `boolean`, `date` → `NaiveDate`, `bytea` →
//! `Vec<u8>`, `numeric` → `Decimal` (feature `decimal`), `jsonb` and `json` →
//! `serde_json::Value` (feature `json`); SQL `NULL` → nil.

use std::error::Error as StdError;

use tokio_postgres::Row as PgRow;
use tokio_postgres::types::{FromSql, Type};

use super::value_as;
use crate::error::{Error, ErrorKind, Result};
use crate::resource::{AttributeInfo, Schema};
use crate::scalar::{ColumnReader, NonNull};
use crate::value::{Value, ValueType};

/// A data-layer error: `what` was being done when `err` happened.
pub(crate) fn data_layer(
    what: impl Into<String>,
    err: impl StdError + Send + Sync + 'static,
) -> Error {
    Error::data_layer_caused(format!("{}: {}", what.into(), describe(&err)), err)
}

/// The error and its sources, on one line: tokio-postgres says only "db error"
/// and keeps the server's message in its source.
fn describe(err: &(dyn StdError + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text.replace('\n', "; ")
}

/// The value of column `i`, decoded by the column's type. An error names the
/// column.
pub(crate) fn column(row: &PgRow, i: usize) -> Result<Value> {
    column_as(row, i, || {
        format!("decoding column `{}`", row.columns()[i].name())
    })
}

/// The value of column `i`, which holds `attribute` of `schema`, decoded by the
/// column's type. An error names the resource and the attribute.
pub(crate) fn attribute_column(
    row: &PgRow,
    i: usize,
    schema: &Schema,
    attribute: &AttributeInfo,
) -> Result<Value> {
    column_as(row, i, || decoding(row, i, schema, attribute))
}

/// What decoding `attribute` from column `i` is called in an error.
fn decoding(row: &PgRow, i: usize, schema: &Schema, attribute: &AttributeInfo) -> String {
    format!(
        "decoding {}.{} (column `{}`)",
        schema.name,
        attribute.name,
        row.columns()[i].name()
    )
}

/// [`column()`], its errors saying `what` was being done.
fn column_as(row: &PgRow, i: usize, what: impl Fn() -> String) -> Result<Value> {
    fn get<'a, T: FromSql<'a>>(
        row: &'a PgRow,
        i: usize,
        what: &dyn Fn() -> String,
    ) -> Result<Option<T>> {
        row.try_get::<_, Option<T>>(i)
            .map_err(|e| data_layer(what(), e))
    }
    let ty = row.columns()[i].type_();
    let value = match *ty {
        Type::INT2 => get::<i16>(row, i, &what)?.map(|v| Value::Int(v.into())),
        Type::INT4 => get::<i32>(row, i, &what)?.map(|v| Value::Int(v.into())),
        Type::INT8 => get::<i64>(row, i, &what)?.map(Value::Int),
        Type::FLOAT4 => get::<f32>(row, i, &what)?.map(|v| Value::Float(v.into())),
        Type::FLOAT8 => get::<f64>(row, i, &what)?.map(Value::Float),
        Type::BOOL => get::<bool>(row, i, &what)?.map(Value::Bool),
        Type::UUID => get::<uuid::Uuid>(row, i, &what)?.map(Value::Uuid),
        Type::TIMESTAMPTZ => {
            get::<chrono::DateTime<chrono::Utc>>(row, i, &what)?.map(Value::DateTime)
        }
        Type::TIMESTAMP => {
            get::<chrono::NaiveDateTime>(row, i, &what)?.map(|v| Value::DateTime(v.and_utc()))
        }
        Type::DATE => get::<chrono::NaiveDate>(row, i, &what)?.map(Value::Date),
        Type::BYTEA => get::<Vec<u8>>(row, i, &what)?.map(Value::Bytes),
        #[cfg(feature = "decimal")]
        Type::NUMERIC => get::<rust_decimal::Decimal>(row, i, &what)?.map(Value::Decimal),
        #[cfg(feature = "json")]
        Type::JSONB | Type::JSON => {
            get::<serde_json::Value>(row, i, &what)?.map(|j| Value::Json(Box::new(j)))
        }
        _ if <String as FromSql>::accepts(ty) => get::<String>(row, i, &what)?.map(Value::String),
        _ => {
            return Err(Error::data_layer(format!(
                "column `{}` has type {ty}, which no attribute type reads",
                row.columns()[i].name()
            )));
        }
    };
    Ok(value.unwrap_or(Value::Null))
}

/// `value` as a value of `attribute`: nil, or a value of its type (an integer
/// read into a float attribute becomes a float).
pub(crate) fn fit(
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
        | (ValueType::DateTime, v @ Value::DateTime(_))
        | (ValueType::Date, v @ Value::Date(_))
        | (ValueType::Bytes, v @ Value::Bytes(_)) => return Ok(v),
        #[cfg(feature = "decimal")]
        (ValueType::Decimal, v @ Value::Decimal(_)) => return Ok(v),
        #[cfg(feature = "json")]
        (ValueType::Json, v @ Value::Json(_)) => return Ok(v),
        (ValueType::F64, Value::Int(i)) => return Ok(Value::Float(i as f64)),
        (t, found) => (t.rust_name(attribute.nullable), found),
    };
    Err(Error::new(ErrorKind::TypeMismatch {
        resource: schema.name,
        key: None,
        attribute: attribute.name,
        expected: expected.0,
        found: expected.1,
    }))
}

/// A result row read as the attributes of `schema`: attribute `i` from column
/// `i`. A column of the attribute's own type is read straight into it; any
/// other goes through [`column()`] and [`fit`], which convert what fits (an
/// integer into a float) and name what does not.
pub(crate) struct PgColumns<'r> {
    pub(crate) row: &'r PgRow,
    pub(crate) schema: &'static Schema,
}

impl PgColumns<'_> {
    /// The column of attribute `i`, and the attribute.
    fn locate(&self, i: usize) -> Result<(usize, &'static AttributeInfo)> {
        let schema = self.schema;
        match schema.attributes.get(i) {
            Some(a) if i < self.row.len() => Ok((i, a)),
            _ => Err(Error::data_layer(format!(
                "a row of {} has no column for attribute {i}",
                schema.name
            ))),
        }
    }

    /// The row's primary key, for an error naming its record.
    #[cold]
    pub(crate) fn key(&self) -> Option<Value> {
        let (c, attribute) = self.locate(self.schema.primary_key).ok()?;
        attribute_column(self.row, c, self.schema, attribute).ok()
    }

    /// Attribute `i`: straight from its column when the column is of type `T`,
    /// else through [`column()`] and [`fit`].
    #[inline]
    fn read<T: NonNull + for<'a> FromSql<'a>>(&mut self, i: usize) -> Result<Option<T>> {
        let (c, attribute) = self.locate(i)?;
        if T::accepts(self.row.columns()[c].type_()) {
            return self.get(c, i);
        }
        let found = attribute_column(self.row, c, self.schema, attribute)?;
        value_as(self.schema, i, fit(self.schema, attribute, found)?)
    }

    /// Column `c` (of attribute `i`) as a `T`; an error names the attribute.
    fn get<T: for<'a> FromSql<'a>>(&self, c: usize, i: usize) -> Result<Option<T>> {
        self.row.try_get::<_, Option<T>>(c).map_err(|e| {
            let attribute = &self.schema.attributes[i];
            data_layer(decoding(self.row, c, self.schema, attribute), e)
        })
    }
}

impl ColumnReader for PgColumns<'_> {
    fn bool(&mut self, i: usize) -> Result<Option<bool>> {
        self.read(i)
    }
    fn int(&mut self, i: usize) -> Result<Option<i64>> {
        let (c, _) = self.locate(i)?;
        match *self.row.columns()[c].type_() {
            Type::INT4 => Ok(self.get::<i32>(c, i)?.map(i64::from)),
            Type::INT2 => Ok(self.get::<i16>(c, i)?.map(i64::from)),
            _ => self.read(i),
        }
    }
    fn float(&mut self, i: usize) -> Result<Option<f64>> {
        self.read(i)
    }
    fn string(&mut self, i: usize) -> Result<Option<String>> {
        self.read(i)
    }
    fn uuid(&mut self, i: usize) -> Result<Option<uuid::Uuid>> {
        self.read(i)
    }
    fn datetime(&mut self, i: usize) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
        self.read(i)
    }
    fn other(&mut self, value_type: ValueType, i: usize) -> Result<Value> {
        let (c, attribute) = self.locate(i)?;
        let value = fit(
            self.schema,
            attribute,
            attribute_column(self.row, c, self.schema, attribute)?,
        )?;
        super::of_type(self.schema, i, value_type, value)
    }
}
