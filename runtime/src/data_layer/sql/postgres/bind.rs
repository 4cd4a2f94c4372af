//! Binding [`Value`]s as statement parameters: a `ToSql` wrapper that writes a
//! value in the binary format of the parameter's type.
//!
//! Statements from the builder cast every placeholder (`$1::bigint`,
//! `$2::uuid[]`), so the parameter's type always matches the value's variant.
//! Raw SQL from [`Postgres::query`](super::Postgres::query) and
//! [`Postgres::query_params`](super::Postgres::query_params) may have no casts, so the
//! server infers each parameter's type from its use; the wrapper then accepts the
//! column's actual type where that is sensible: an integer into `smallint`,
//! `integer` or `bigint` (range-checked) and into `real` or `double precision`, a
//! float into `real` or `double precision`, a string into `text`, `varchar`,
//! `char`, `name` or `citext`, a timestamp into `timestamptz` or `timestamp` (as
//! UTC), a date into `date`, bytes into `bytea`, a decimal into `numeric`, a
//! JSON document into `jsonb` or `json`. Anything else is an error naming the value and the type, never a panic.

use std::error::Error as StdError;

use bytes::BytesMut;
use tokio_postgres::types::{IsNull, Kind, ToSql, Type, to_sql_checked};

use crate::data_layer::sql::Param;
use crate::value::{Value, ValueType};

type BoxError = Box<dyn StdError + Sync + Send>;

/// One statement parameter, ready to hand to tokio-postgres.
#[derive(Debug)]
pub(super) enum Arg<'a> {
    /// One value.
    One(Bind<'a>),
    /// An array of values of one type.
    List(ValueType, Vec<Bind<'a>>),
}

impl<'a> Arg<'a> {
    /// The argument for a parameter (of the builder or of raw SQL).
    pub(super) fn from_param(param: &'a Param) -> Self {
        match param {
            Param::Value(v) => Arg::One(Bind(v)),
            Param::List(t, values) => Arg::List(*t, values.iter().map(Bind).collect()),
        }
    }
}

/// The arguments as tokio-postgres takes them.
pub(super) fn refs<'r>(args: &'r [Arg<'_>]) -> Vec<&'r (dyn ToSql + Sync)> {
    args.iter().map(|a| a as &(dyn ToSql + Sync)).collect()
}

impl ToSql for Arg<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match self {
            Arg::One(bind) => bind.to_sql(ty, out),
            Arg::List(t, values) => {
                if !matches!(ty.kind(), Kind::Array(_)) {
                    return Err(format!("a list parameter cannot be bound as {ty}").into());
                }
                if let Some(bad) = values.iter().find(|b| !t.fits(b.0)) {
                    return Err(format!("a list of {t:?} holds {}", bad.0).into());
                }
                values.to_sql(ty, out)
            }
        }
    }

    fn accepts(_: &Type) -> bool {
        // Decided per value in `to_sql`, which says what does not fit.
        true
    }

    to_sql_checked!();
}

/// One value, written in the binary format of whatever type the parameter has,
/// when the value fits it.
#[derive(Debug)]
pub(super) struct Bind<'a>(pub(super) &'a Value);

impl ToSql for Bind<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        let int_range = |i: i64, ty: &Type| -> BoxError {
            format!("the integer {i} is out of range for a parameter of type {ty}").into()
        };
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Bool(b) if <bool as ToSql>::accepts(ty) => b.to_sql(ty, out),
            Value::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)
                    .map_err(|_| int_range(*i, ty))?
                    .to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)
                    .map_err(|_| int_range(*i, ty))?
                    .to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::FLOAT4 => (*i as f32).to_sql(ty, out),
                _ => Err(mismatch(self.0, ty)),
            },
            Value::Float(f) => match *ty {
                Type::FLOAT8 => f.to_sql(ty, out),
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => Err(mismatch(self.0, ty)),
            },
            Value::String(s) if <&str as ToSql>::accepts(ty) => s.as_str().to_sql(ty, out),
            Value::Uuid(u) if <uuid::Uuid as ToSql>::accepts(ty) => u.to_sql(ty, out),
            // Rounded down to the microsecond, as SQLite keeps it (the
            // driver would round toward 2000-01-01, up before it).
            Value::DateTime(d) => {
                let d = crate::value::whole_micros(*d);
                match *ty {
                    Type::TIMESTAMPTZ => d.to_sql(ty, out),
                    Type::TIMESTAMP => d.naive_utc().to_sql(ty, out),
                    _ => Err(mismatch(self.0, ty)),
                }
            }
            Value::Date(d) if <chrono::NaiveDate as ToSql>::accepts(ty) => d.to_sql(ty, out),
            Value::Bytes(b) if <&[u8] as ToSql>::accepts(ty) => b.as_slice().to_sql(ty, out),
            #[cfg(feature = "decimal")]
            Value::Decimal(d) if <rust_decimal::Decimal as ToSql>::accepts(ty) => {
                if d.is_zero() {
                    return Ok(zero_numeric(d.scale(), out));
                }
                d.to_sql(ty, out)
            }
            #[cfg(feature = "json")]
            Value::Json(j) if <serde_json::Value as ToSql>::accepts(ty) => j.to_sql(ty, out),
            _ => Err(mismatch(self.0, ty)),
        }
    }

    fn accepts(_: &Type) -> bool {
        // Decided per value in `to_sql`, which says what does not fit.
        true
    }

    to_sql_checked!();
}

/// A zero of `scale` decimal places as PostgreSQL's binary `numeric`: no
/// digits, weight 0, positive, `scale` places shown (`0.00`). rust_decimal
/// sends every zero with scale 0, so `0.00` would read back as `0`.
#[cfg(feature = "decimal")]
fn zero_numeric(scale: u32, out: &mut BytesMut) -> IsNull {
    // A decimal's scale is at most 28.
    let scale = u16::try_from(scale).unwrap_or(u16::MAX);
    for field in [0_u16, 0, 0, scale] {
        out.extend_from_slice(&field.to_be_bytes());
    }
    IsNull::No
}

fn mismatch(value: &Value, ty: &Type) -> BoxError {
    format!("cannot bind {value} to a parameter of type {ty}").into()
}
