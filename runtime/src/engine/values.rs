//! Values no data layer treats alike, refused before any layer sees them, so
//! every layer gives the same answer: a float that is NaN (SQLite cannot store
//! it; PostgreSQL stores it, orders it above infinity and finds it equal to
//! itself; memory finds it equal to nothing) and text holding a NUL character
//! (PostgreSQL refuses it; SQLite and memory keep it), or a JSON document
//! holding one anywhere (PostgreSQL's `jsonb` refuses it), and a date or a
//! timestamp outside the years 1 to 9999 (SQLite's text would misorder it, and
//! PostgreSQL cannot hold a timestamp near chrono's limits).
//!
//! Each is refused in the rows of a create ([`check_rows`]) and the values
//! of an update ([`check_changes`]), as an
//! [`ErrorKind::InvalidValue`], and among the constants of a filter
//! ([`check_filter`], an [`ErrorKind::InvalidQuery`], which also rounds a
//! filter's timestamps to the microsecond). An infinity is a number like any
//! other on every layer and is kept.

use chrono::Datelike;

use crate::changeset::Changes;
use crate::error::{Error, ErrorKind, Result};
use crate::expr::Expr;
use crate::resource::{Rows, Schema};
use crate::value::Value;

/// Why `value` is refused, if it is.
fn refusal(value: &Value) -> Option<&'static str> {
    match value {
        Value::Float(f) if f.is_nan() => Some(
            "NaN, which the data layers do not store or compare alike (SQLite cannot store it, \
             PostgreSQL finds it equal to itself and above infinity)",
        ),
        // A byte search (memchr), not a `char` pattern's.
        Value::String(s) if s.as_bytes().contains(&0) => {
            Some("text holding a NUL character (\\0), which PostgreSQL cannot store")
        }
        Value::Date(d) if !(1..=9999).contains(&d.year()) => {
            Some("a date outside the years 1 to 9999, which SQLite's text would not order as dates")
        }
        Value::DateTime(t) if !(1..=9999).contains(&t.year()) => Some(
            "a timestamp outside the years 1 to 9999, which SQLite's text would not order as \
             timestamps (and PostgreSQL cannot hold all of them)",
        ),
        #[cfg(feature = "json")]
        Value::Json(j) => crate::value::json::refusal(j).map(|refusal| match refusal {
            crate::value::json::Refusal::Nul => {
                "a JSON document holding a NUL character (\\u0000), which PostgreSQL's jsonb \
                 cannot store"
            }
            crate::value::json::Refusal::Deep => {
                "a JSON document nesting more than 127 arrays and objects, which the SQL layers \
                 could not read back"
            }
        }),
        _ => None,
    }
}

/// Refuses a create whose rows hold a NaN or text with a NUL, naming the
/// resource and the attribute.
pub(crate) fn check_rows(schema: &'static Schema, rows: &Rows) -> Result<()> {
    rows.iter().try_for_each(|row| check_row(schema, row))
}

/// [`check_rows`] of one row.
pub(crate) fn check_row(schema: &'static Schema, row: &[Value]) -> Result<()> {
    check_values(schema, row.iter().enumerate())
}

/// [`check_rows`] of the values a changeset sets (`None`: not set).
pub(crate) fn check_set(schema: &'static Schema, values: &[Option<Value>]) -> Result<()> {
    check_values(
        schema,
        values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.as_ref().map(|v| (i, v))),
    )
}

/// Refuses an update that sets a NaN or text with a NUL, as [`check_rows`].
pub(crate) fn check_changes(schema: &'static Schema, changes: &Changes) -> Result<()> {
    check_values(schema, changes.iter())
}

/// The first of `values` (each with its attribute's index) refused, as an
/// error naming the resource and the attribute.
fn check_values<'v>(
    schema: &'static Schema,
    values: impl Iterator<Item = (usize, &'v Value)>,
) -> Result<()> {
    for (index, value) in values {
        if let (Some(reason), Some(attribute)) = (refusal(value), schema.attributes.get(index)) {
            return Err(Error::new(ErrorKind::InvalidValue {
                resource: schema.name,
                attribute: attribute.name,
                reason,
            }));
        }
    }
    Ok(())
}

/// Checks a filter's constants as a create's values are checked, in one walk
/// with an explicit stack (its depth costs no call stack): a NaN, text with a
/// NUL or a date out of range is an [`ErrorKind::InvalidQuery`]; a timestamp
/// is rounded down to a whole microsecond, as a `DateTime<Utc>` is as it
/// becomes a [`Value`], so a `Value::DateTime` built by hand with nanoseconds
/// compares on every layer as the SQL layers read it.
pub(crate) fn check_filter(schema: &'static Schema, filter: Option<&mut Expr>) -> Result<()> {
    let check = |v: &mut Value| {
        if let Value::DateTime(t) = v {
            *t = crate::value::whole_micros(*t);
        }
        refusal(v)
    };
    let mut stack: Vec<&mut Expr> = filter.into_iter().collect();
    while let Some(expr) = stack.pop() {
        let refused = match expr {
            Expr::Value(v) => check(v),
            Expr::In(operand, values) => {
                stack.push(operand);
                values.iter_mut().find_map(check)
            }
            Expr::Attr { .. } | Expr::Parent(_) => None,
            Expr::Cmp(_, a, b)
            | Expr::Arith(_, a, b)
            | Expr::TextOp(_, a, b)
            | Expr::And(a, b)
            | Expr::Or(a, b) => {
                stack.push(a);
                stack.push(b);
                None
            }
            Expr::Not(a) | Expr::IsNil(a) | Expr::Func(_, a) | Expr::Exists { expr: a, .. } => {
                stack.push(a);
                None
            }
            Expr::Aggregate { aggregate, .. } => {
                stack.extend(aggregate.filter.as_mut());
                None
            }
        };
        if let Some(reason) = refused {
            return Err(Error::new(ErrorKind::InvalidQuery {
                resource: schema.name,
                message: format!("a filter value is {reason}"),
            }));
        }
    }
    Ok(())
}

/// Logs a request's filter, which holds the values it compares with, at
/// `TRACE` under the target `ashore::values` only: spans and statements never
/// carry values, so a subscriber sees them only when asked
/// (`RUST_LOG=ashore::values=trace`).
pub(crate) fn trace_filter(resource: &'static str, filter: Option<&crate::expr::Expr>) {
    if let Some(filter) = filter {
        tracing::trace!(target: "ashore::values", resource, filter = %filter, "filter");
    }
}
