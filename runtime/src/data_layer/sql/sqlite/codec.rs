//! Values to and from SQLite, following the storage table in `sql`: integers and
//! booleans as `INTEGER`, floats as `REAL`, strings as `TEXT`, UUIDs as lowercase
//! hyphenated `TEXT`, timestamps as `TEXT` `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
//!
//! Two things SQLite cannot keep: a NaN is stored as `NULL` (SQLite turns every NaN
//! into `NULL`; creates refuse it, see `nan_attribute`), and `-0.0` reads back as
//! `0.0`. A timestamp keeps microseconds; nanoseconds beyond them are dropped.

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::types::{ToSql, ToSqlOutput, Value as Sql, ValueRef};
use rusqlite::vtab::array::Array;
use std::rc::Rc;
use uuid::Uuid;

use crate::data_layer::sql::Param;
use crate::error::{Error, ErrorKind, Result};
use crate::resource::{Row, Schema};
use crate::value::{Value, ValueType};

/// How timestamps are written: fixed width, so text order is time order (years
/// 0 to 9999).
pub(crate) const DATETIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

/// A timestamp as SQLite stores it.
pub(crate) fn encode_datetime(d: &DateTime<Utc>) -> String {
    d.format(DATETIME_FORMAT).to_string()
}

/// A timestamp back from text: the stored form, any RFC 3339 form, or SQLite's
/// own `YYYY-MM-DD HH:MM:SS[.fff]` (UTC, what `datetime('now')` and
/// `CURRENT_TIMESTAMP` give), so raw SQL may produce timestamps too.
pub(crate) fn decode_datetime(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(d) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.fZ") {
        return Some(d.and_utc());
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
        .ok()
        .map(|d| d.and_utc())
}

/// A value as an owned SQLite value.
pub(crate) fn encode(v: &Value) -> Sql {
    match v {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(i64::from(*b)),
        Value::Int(i) => Sql::Integer(*i),
        Value::Float(f) => Sql::Real(*f),
        Value::String(s) => Sql::Text(s.clone()),
        Value::Uuid(u) => Sql::Text(u.hyphenated().to_string()),
        Value::DateTime(d) => Sql::Text(encode_datetime(d)),
    }
}

/// A value bound as a parameter without copying its text.
pub(crate) struct Bind<'a>(pub(crate) &'a Value);

impl ToSql for Bind<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            Value::String(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            other => ToSqlOutput::Owned(encode(other)),
        })
    }
}

/// Binds a statement's parameters, `?1` onwards; a list is one `rarray` value.
pub(crate) fn bind(stmt: &mut rusqlite::Statement<'_>, params: &[Param]) -> rusqlite::Result<()> {
    let expected = stmt.parameter_count();
    if expected != params.len() {
        return Err(rusqlite::Error::InvalidParameterCount(
            params.len(),
            expected,
        ));
    }
    for (i, param) in params.iter().enumerate() {
        match param {
            Param::Value(v) => stmt.raw_bind_parameter(i + 1, Bind(v))?,
            Param::List(_, values) => {
                let list: Array = Rc::new(values.iter().map(encode).collect());
                stmt.raw_bind_parameter(i + 1, list)?;
            }
        }
    }
    Ok(())
}

/// Binds plain values, `?1` onwards (raw SQL).
pub(crate) fn bind_values(
    stmt: &mut rusqlite::Statement<'_>,
    values: &[Value],
) -> rusqlite::Result<()> {
    let expected = stmt.parameter_count();
    if expected != values.len() {
        return Err(rusqlite::Error::InvalidParameterCount(
            values.len(),
            expected,
        ));
    }
    for (i, v) in values.iter().enumerate() {
        stmt.raw_bind_parameter(i + 1, Bind(v))?;
    }
    Ok(())
}

/// What was found instead of a value of the expected type.
#[derive(Debug, PartialEq)]
pub(crate) enum Found {
    /// A value that is not of the type (or out of its range).
    Value(Value),
    /// Something no `Value` can show (a blob, text that is not UTF-8).
    Other(String),
}

/// A column's value as a value of type `t`. `NULL` is nil for every type (whether
/// nil is allowed is the resource's business).
pub(crate) fn decode(v: ValueRef<'_>, t: ValueType) -> std::result::Result<Value, Found> {
    let text = |bytes: &[u8]| {
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| Found::Other(format!("text of {} bytes that is not UTF-8", bytes.len())))
    };
    match (t, v) {
        (_, ValueRef::Null) => Ok(Value::Null),
        (ValueType::Bool, ValueRef::Integer(0)) => Ok(Value::Bool(false)),
        (ValueType::Bool, ValueRef::Integer(1)) => Ok(Value::Bool(true)),
        (ValueType::I64, ValueRef::Integer(i)) => Ok(Value::Int(i)),
        (ValueType::I32, ValueRef::Integer(i)) if i32::try_from(i).is_ok() => Ok(Value::Int(i)),
        (ValueType::I16, ValueRef::Integer(i)) if i16::try_from(i).is_ok() => Ok(Value::Int(i)),
        (ValueType::F64, ValueRef::Real(f)) => Ok(Value::Float(f)),
        // An expression over a REAL column may come back as an integer.
        (ValueType::F64, ValueRef::Integer(i)) => Ok(Value::Float(i as f64)),
        (ValueType::String, ValueRef::Text(bytes)) => text(bytes).map(Value::String),
        (ValueType::Uuid, ValueRef::Text(bytes)) => {
            let s = text(bytes)?;
            Uuid::parse_str(&s)
                .map(Value::Uuid)
                .map_err(|_| Found::Value(Value::String(s)))
        }
        (ValueType::Uuid, ValueRef::Blob(bytes)) if bytes.len() == 16 => Uuid::from_slice(bytes)
            .map(Value::Uuid)
            .map_err(|_| Found::Other("a blob".into())),
        (ValueType::DateTime, ValueRef::Text(bytes)) => {
            let s = text(bytes)?;
            decode_datetime(&s)
                .map(Value::DateTime)
                .ok_or(Found::Value(Value::String(s)))
        }
        (_, ValueRef::Integer(i)) => Err(Found::Value(Value::Int(i))),
        (_, ValueRef::Real(f)) => Err(Found::Value(Value::Float(f))),
        (_, ValueRef::Text(bytes)) => {
            Err(text(bytes).map_or_else(|e| e, |s| Found::Value(Value::String(s))))
        }
        (_, ValueRef::Blob(bytes)) => Err(Found::Other(format!("a blob of {} bytes", bytes.len()))),
    }
}

/// The Rust type of a value type, for errors.
pub(crate) fn type_name(t: ValueType) -> &'static str {
    match t {
        ValueType::Bool => "bool",
        ValueType::I16 => "i16",
        ValueType::I32 => "i32",
        ValueType::I64 => "i64",
        ValueType::F64 => "f64",
        ValueType::String => "String",
        ValueType::Uuid => "Uuid",
        ValueType::DateTime => "DateTime<Utc>",
    }
}

/// Decodes one column for attribute `attribute` of `schema`: a value that does not
/// fit is `TypeMismatch` (or `DataLayer` for what no `Value` can show), naming the
/// resource and the attribute.
pub(crate) fn decode_attribute(
    v: ValueRef<'_>,
    t: ValueType,
    schema: &'static Schema,
    attribute: &'static str,
) -> Result<Value> {
    decode(v, t).map_err(|found| match found {
        Found::Value(found) => Error::new(ErrorKind::TypeMismatch {
            resource: schema.name,
            attribute,
            expected: type_name(t),
            found,
        }),
        Found::Other(what) => Error::new(ErrorKind::DataLayer {
            message: format!(
                "sqlite: attribute `{attribute}` of {} expects {}, found {what}",
                schema.name,
                type_name(t)
            ),
            source: None,
        }),
    })
}

/// The first attribute of `rows` holding a NaN, which SQLite would store as `NULL`.
pub(crate) fn nan_attribute(schema: &'static Schema, rows: &[Row]) -> Option<&'static str> {
    rows.iter().find_map(|row| {
        row.iter()
            .zip(schema.attributes)
            .find(|(v, _)| matches!(v, Value::Float(f) if f.is_nan()))
            .map(|(_, a)| a.name)
    })
}
