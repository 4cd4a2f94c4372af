//! Values to and from SQLite, following the storage table in `sql`: integers and
//! booleans as `INTEGER`, floats as `REAL`, strings as `TEXT`, UUIDs as lowercase
//! hyphenated `TEXT`, timestamps as `TEXT` `YYYY-MM-DDTHH:MM:SS.ffffffZ`, dates
//! as `TEXT` `YYYY-MM-DD`, bytes as `BLOB`, decimals as their `TEXT` (scale
//! kept: `1.50`), JSON documents as their `TEXT`.
//!
//! Two things SQLite cannot keep: a NaN is stored as `NULL` (SQLite turns every NaN
//! into `NULL`; creates refuse it, see `nan_attribute`), and `-0.0` reads back as
//! `0.0`. A timestamp keeps microseconds; nanoseconds beyond them are dropped.

use chrono::{DateTime, Utc};
use rusqlite::types::{ToSql, ToSqlOutput, Value as Sql, ValueRef};
use rusqlite::vtab::array::Array;
use std::rc::Rc;

pub(crate) use crate::data_layer::columns::sqlite::{
    DATE_FORMAT, DATETIME_FORMAT, decode, decode_attribute,
};
use crate::data_layer::sql::Param;
use crate::resource::Schema;
use crate::value::{Value, ValueType};

/// A timestamp as SQLite stores it.
pub(crate) fn encode_datetime(d: &DateTime<Utc>) -> String {
    d.format(DATETIME_FORMAT).to_string()
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
        Value::Date(d) => Sql::Text(d.format(DATE_FORMAT).to_string()),
        Value::Bytes(b) => Sql::Blob(b.clone()),
        #[cfg(feature = "decimal")]
        Value::Decimal(d) => Sql::Text(d.to_string()),
        #[cfg(feature = "json")]
        Value::Json(j) => Sql::Text(j.to_string()),
    }
}

/// What reading a row of a schema back gives, made of the row a create
/// stored: a timestamp keeps microseconds (the text it is stored as, parsed
/// again) and `-0.0` is `0.0`; every other value is stored as given. A create
/// builds its records from its rows with this, row by row as it binds them,
/// instead of decoding what `RETURNING` gives.
pub(crate) struct StoredForm {
    /// The attributes whose values may change, with their types.
    changed: Vec<(usize, ValueType)>,
}

impl StoredForm {
    /// The stored form of rows of `schema`.
    pub(crate) fn new(schema: &Schema) -> StoredForm {
        StoredForm {
            changed: schema
                .attributes
                .iter()
                .enumerate()
                .filter(|(_, a)| matches!(a.value_type, ValueType::F64 | ValueType::DateTime))
                .map(|(i, a)| (i, a.value_type))
                .collect(),
        }
    }

    /// Turns `row` into its stored form.
    pub(crate) fn apply(&self, row: &mut [Value]) {
        for &(i, t) in &self.changed {
            match row.get_mut(i) {
                Some(Value::Float(f)) if *f == 0.0 => *f = 0.0,
                Some(Value::DateTime(d)) => {
                    let text = encode_datetime(d);
                    if let Ok(v) = decode(ValueRef::Text(text.as_bytes()), t) {
                        row[i] = v;
                    }
                }
                _ => {}
            }
        }
    }
}

/// A value bound as a parameter without copying its text.
pub(crate) struct Bind<'a>(pub(crate) &'a Value);

impl ToSql for Bind<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            Value::String(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            other => ToSqlOutput::Owned(encode(other)),
        })
    }
}

/// Gives `f` a value as SQLite takes it, without copying its text: text and
/// bytes borrowed, a UUID through a buffer on the stack (SQLite copies
/// both), so handing a large create's rows over allocates nothing per value
/// but for timestamps, dates, decimals and JSON.
pub(crate) fn with_sql<R>(value: &Value, f: impl FnOnce(ToSqlOutput<'_>) -> R) -> R {
    match value {
        Value::Uuid(u) => {
            let mut buffer = uuid::Uuid::encode_buffer();
            let text: &str = u.hyphenated().encode_lower(&mut buffer);
            f(ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())))
        }
        Value::String(s) => f(ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes()))),
        Value::Bytes(b) => f(ToSqlOutput::Borrowed(ValueRef::Blob(b))),
        other => f(ToSqlOutput::Owned(encode(other))),
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

/// Checks raw SQL's parameters against its uses of `rarray`, before binding:
/// each `rarray(..)` must be given one parameter bound to a [`Param::List`] (or
/// nil), and each list must be such an argument and hold values of its type.
/// rusqlite's `rarray` asserts (in debug builds, inside a callback from C, so
/// the process aborts) that its argument is a bound list, which is why a value
/// there is refused here. `parameter_index` resolves named parameters.
///
/// The check reads the SQL with a small tokenizer (strings, quoted names and
/// comments skipped); a call it does not see (`"rarray"(?1)`) is not checked.
pub(crate) fn check_lists(
    sql: &str,
    params: &[Param],
    parameter_index: impl Fn(&str) -> Option<usize>,
) -> std::result::Result<(), String> {
    let has_list = params.iter().any(|p| matches!(p, Param::List(..)));
    if !has_list && !mentions_rarray(sql) {
        return Ok(());
    }
    let arguments = rarray_arguments(sql, parameter_index);
    for argument in &arguments {
        match argument {
            RarrayArgument::Parameter(i) => match params.get(i - 1) {
                Some(Param::Value(v)) if !v.is_null() => {
                    return Err(format!(
                        "`rarray` is given parameter {i}, bound to the value {v}; it takes a list \
                         (`Param::List`, through `query_params`)"
                    ));
                }
                // Nil is an empty list; a missing parameter is the count check's.
                _ => {}
            },
            RarrayArgument::Null => {}
            RarrayArgument::Other(text) => {
                return Err(format!(
                    "`rarray({text})`: `rarray` takes one parameter bound to a list \
                     (`rarray(?1)` with `Param::List`)"
                ));
            }
        }
    }
    for (i, param) in params.iter().enumerate() {
        let Param::List(t, values) = param else {
            continue;
        };
        let n = i + 1;
        if !arguments.contains(&RarrayArgument::Parameter(n)) {
            return Err(format!(
                "parameter {n} is a list, which SQLite reads only as the argument of `rarray` \
                 (`x IN rarray(?{n})`)"
            ));
        }
        if let Some(bad) = values.iter().find(|v| !t.fits(v)) {
            return Err(format!(
                "parameter {n} is a list of {}, but holds {bad}",
                t.rust_name(false)
            ));
        }
    }
    Ok(())
}

fn mentions_rarray(sql: &str) -> bool {
    sql.as_bytes()
        .windows(6)
        .any(|w| w.eq_ignore_ascii_case(b"rarray"))
}

/// What a call `rarray(..)` is given.
#[derive(Debug, PartialEq)]
pub(crate) enum RarrayArgument<'s> {
    /// One parameter, by its number.
    Parameter(usize),
    /// `NULL`.
    Null,
    /// Anything else (its text).
    Other(&'s str),
}

/// One token of SQL, as far as `rarray_arguments` cares.
#[derive(Clone, Copy, PartialEq)]
enum Token<'s> {
    Word(&'s str),
    Parameter(Option<usize>),
    Open,
    Close,
    Other,
}

/// The arguments of the `rarray(..)` calls in `sql`, in order. Parameters are
/// numbered as SQLite numbers them: `?NNN` is NNN, `?` one more than the largest
/// so far, a named one (`:a`, `@a`, `$a`) whatever `parameter_index` says.
pub(crate) fn rarray_arguments(
    sql: &str,
    parameter_index: impl Fn(&str) -> Option<usize>,
) -> Vec<RarrayArgument<'_>> {
    let bytes = sql.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
    let mut tokens: Vec<(Token<'_>, usize, usize)> = Vec::new();
    let (mut at, mut largest) = (0, 0);
    while at < bytes.len() {
        let start = at;
        let b = bytes[at];
        let token = match b {
            b'\'' | b'"' | b'`' | b'[' => {
                let close = if b == b'[' { b']' } else { b };
                at += 1;
                // A doubled quote is one quote inside; both halves are skipped.
                while at < bytes.len() && bytes[at] != close {
                    at += 1;
                }
                at += 1;
                Token::Other
            }
            b'-' if bytes.get(at + 1) == Some(&b'-') => {
                while at < bytes.len() && bytes[at] != b'\n' {
                    at += 1;
                }
                continue;
            }
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                at += 2;
                while at < bytes.len() && !bytes[at..].starts_with(b"*/") {
                    at += 1;
                }
                at += 2;
                continue;
            }
            b'?' => {
                at += 1;
                while at < bytes.len() && bytes[at].is_ascii_digit() {
                    at += 1;
                }
                let n = if at == start + 1 {
                    Some(largest + 1)
                } else {
                    sql[start + 1..at].parse().ok()
                };
                Token::Parameter(n)
            }
            b':' | b'@' | b'$' if bytes.get(at + 1).is_some_and(|&c| word(c)) => {
                at += 1;
                while at < bytes.len() && word(bytes[at]) {
                    at += 1;
                }
                Token::Parameter(parameter_index(&sql[start..at]))
            }
            b'(' => {
                at += 1;
                Token::Open
            }
            b')' => {
                at += 1;
                Token::Close
            }
            _ if word(b) => {
                while at < bytes.len() && word(bytes[at]) {
                    at += 1;
                }
                Token::Word(&sql[start..at])
            }
            _ if b.is_ascii_whitespace() => {
                at += 1;
                continue;
            }
            _ => {
                at += 1;
                Token::Other
            }
        };
        if let Token::Parameter(Some(n)) = token {
            largest = largest.max(n);
        }
        tokens.push((token, start, at.min(bytes.len())));
    }
    let mut arguments = Vec::new();
    for (i, window) in tokens.windows(2).enumerate() {
        let [(Token::Word(w), ..), (Token::Open, _, open)] = window else {
            continue;
        };
        if !w.eq_ignore_ascii_case("rarray") {
            continue;
        }
        let mut depth = 1;
        let inside = tokens[i + 2..].iter().take_while(|(t, ..)| {
            match t {
                Token::Open => depth += 1,
                Token::Close => depth -= 1,
                _ => {}
            }
            depth > 0
        });
        let inside: Vec<_> = inside.collect();
        let end = inside.last().map_or(*open, |(_, _, end)| *end);
        arguments.push(match inside.as_slice() {
            [(Token::Parameter(Some(n)), ..)] => RarrayArgument::Parameter(*n),
            [(Token::Word(w), ..)] if w.eq_ignore_ascii_case("null") => RarrayArgument::Null,
            _ => RarrayArgument::Other(sql[*open..end].trim()),
        });
    }
    arguments
}

/// The first attribute of `rows` holding a NaN, which SQLite would store as `NULL`.
pub(crate) fn nan_attribute<'a>(
    schema: &'static Schema,
    rows: impl IntoIterator<Item = &'a [Value]>,
) -> Option<&'static str> {
    rows.into_iter().find_map(|row| {
        row.iter()
            .zip(schema.attributes)
            .find(|(v, _)| matches!(v, Value::Float(f) if f.is_nan()))
            .map(|(_, a)| a.name)
    })
}
