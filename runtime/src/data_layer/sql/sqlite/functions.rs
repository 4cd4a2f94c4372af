//! The SQL functions every connection of the SQLite layer gets: the text
//! functions of filters whose SQLite built-ins only know ASCII (`lower`,
//! `upper`) or ignore case (`LIKE`), as the Rust functions the in-memory
//! evaluator calls (`crate::expr::text`), so both layers give the same
//! answers. Deterministic, so SQLite may use them in indexes and factor them
//! out; a `NULL` (or any value that is not text) gives `NULL`.
//!
//! And the sum of an integer aggregate, exact as memory's (SQLite's own `sum`
//! fails when a partial sum passes `i64`, even if the total is back in range):
//! `ashore_sum(x)` fails only when the total is past `i64` ("integer
//! overflow", as SQLite's), `ashore_sum_or_nil(x)` is then `NULL` (in a filter
//! or a sort key, where memory's value is nil). And `ashore_fsum(x)`, floats
//! added in order without SQLite's compensation, as memory adds them, and
//! `ashore_isum(x)`, the exact sum of integers as a float (an `avg`'s sum).
//!
//! With feature `decimal`, the collation `ashore_decimal` compares decimals
//! (stored as text) as numbers; with feature `json`, `ashore_json_key(x)` is a
//! stored document's canonical text (`crate::value::json`), what equality of
//! documents compares (see `build::special`).

use rusqlite::Connection;
use rusqlite::functions::{Aggregate, Context, FunctionFlags};
use rusqlite::types::ValueRef;

use crate::expr::text::{self, Pattern};

/// Registers `ashore_lower(x)`, `ashore_upper(x)`, `ashore_like(x, pattern)`,
/// `ashore_ilike(x, pattern)`, `ashore_sum(x)`, `ashore_sum_or_nil(x)`,
/// `ashore_fsum(x)` and `ashore_isum(x)` on
/// `conn` (again: replaces them), and the decimal collation and JSON key of
/// the features on.
pub(crate) fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    #[cfg(feature = "decimal")]
    conn.create_collation(
        crate::data_layer::sql::build::DECIMAL_COLLATION,
        decimal_order,
    )?;
    #[cfg(feature = "json")]
    conn.create_scalar_function(crate::data_layer::sql::build::JSON_KEY, 1, flags, json_key)?;
    conn.create_scalar_function("ashore_lower", 1, flags, |ctx| map(ctx, text::lower))?;
    conn.create_scalar_function("ashore_upper", 1, flags, |ctx| map(ctx, text::upper))?;
    conn.create_scalar_function("ashore_like", 2, flags, |ctx| like(ctx, false))?;
    conn.create_scalar_function("ashore_ilike", 2, flags, |ctx| like(ctx, true))?;
    conn.create_aggregate_function("ashore_sum", 1, flags, ExactSum { nil: false })?;
    conn.create_aggregate_function("ashore_sum_or_nil", 1, flags, ExactSum { nil: true })?;
    conn.create_aggregate_function("ashore_fsum", 1, flags, FloatSum)?;
    conn.create_aggregate_function("ashore_isum", 1, flags, IntegerSumAsFloat)
}

/// The exact sum of integers as a float (`NULL` when none), whatever its
/// size: what an `avg` of integers divides, as memory and PostgreSQL
/// (`sum(x)::float8`) make it.
struct IntegerSumAsFloat;

impl Aggregate<Option<i128>, Option<f64>> for IntegerSumAsFloat {
    fn init(&self, ctx: &mut Context<'_>) -> rusqlite::Result<Option<i128>> {
        ExactSum { nil: true }.init(ctx)
    }

    fn step(&self, ctx: &mut Context<'_>, sum: &mut Option<i128>) -> rusqlite::Result<()> {
        ExactSum { nil: true }.step(ctx, sum)
    }

    fn finalize(
        &self,
        _: &mut Context<'_>,
        sum: Option<Option<i128>>,
    ) -> rusqlite::Result<Option<f64>> {
        Ok(sum.flatten().map(|s| s as f64))
    }
}

/// The sum of floats added one after the other in the order given (`NULL`s
/// skipped; `NULL` when none is left, or when the sum is NaN), as memory adds
/// them: SQLite's own `sum` compensates for rounding (`0.1 + 0.2 + 0.3` is
/// `0.6` there, `0.6000000000000001` in memory and on PostgreSQL).
struct FloatSum;

impl Aggregate<Option<f64>, Option<f64>> for FloatSum {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<Option<f64>> {
        Ok(None)
    }

    fn step(&self, ctx: &mut Context<'_>, sum: &mut Option<f64>) -> rusqlite::Result<()> {
        let value = match ctx.get_raw(0) {
            ValueRef::Null => return Ok(()),
            ValueRef::Real(f) => f,
            ValueRef::Integer(i) => i as f64,
            other => {
                return Err(rusqlite::Error::UserFunctionError(
                    format!("ashore_fsum of a {:?} value", other.data_type()).into(),
                ));
            }
        };
        *sum = Some(sum.unwrap_or(0.0) + value);
        Ok(())
    }

    fn finalize(
        &self,
        _: &mut Context<'_>,
        sum: Option<Option<f64>>,
    ) -> rusqlite::Result<Option<f64>> {
        Ok(sum.flatten().filter(|s| !s.is_nan()))
    }
}

/// The exact sum of integers (`NULL`s skipped; `NULL` when none is left);
/// past `i64`, an error or, when `nil`, `NULL`.
struct ExactSum {
    nil: bool,
}

impl Aggregate<Option<i128>, Option<i64>> for ExactSum {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<Option<i128>> {
        Ok(None)
    }

    fn step(&self, ctx: &mut Context<'_>, sum: &mut Option<i128>) -> rusqlite::Result<()> {
        match ctx.get_raw(0) {
            ValueRef::Null => {}
            ValueRef::Integer(i) => *sum = Some(sum.unwrap_or(0) + i128::from(i)),
            other => {
                return Err(rusqlite::Error::UserFunctionError(
                    format!("ashore_sum of a {:?} value", other.data_type()).into(),
                ));
            }
        }
        Ok(())
    }

    fn finalize(
        &self,
        _: &mut Context<'_>,
        sum: Option<Option<i128>>,
    ) -> rusqlite::Result<Option<i64>> {
        let Some(sum) = sum.flatten() else {
            return Ok(None);
        };
        match i64::try_from(sum) {
            Ok(sum) => Ok(Some(sum)),
            Err(_) if self.nil => Ok(None),
            Err(_) => Err(rusqlite::Error::UserFunctionError(
                "integer overflow".into(),
            )),
        }
    }
}

/// Argument `i` as text; `None` for anything else.
fn text_arg<'c>(ctx: &'c Context<'_>, i: usize) -> rusqlite::Result<Option<&'c str>> {
    match ctx.get_raw(i) {
        ValueRef::Text(bytes) => std::str::from_utf8(bytes)
            .map(Some)
            .map_err(|e| rusqlite::Error::UserFunctionError(e.into())),
        _ => Ok(None),
    }
}

fn map(ctx: &Context<'_>, f: fn(&str) -> String) -> rusqlite::Result<Option<String>> {
    Ok(text_arg(ctx, 0)?.map(f))
}

/// `like` (or `ilike` when `fold`); the pattern, a parameter of the
/// statement, is parsed once per statement (SQLite's auxiliary data).
fn like(ctx: &Context<'_>, fold: bool) -> rusqlite::Result<Option<bool>> {
    let (Some(x), Some(_)) = (text_arg(ctx, 0)?, text_arg(ctx, 1)?) else {
        return Ok(None);
    };
    let pattern = ctx.get_or_create_aux(1, |p: ValueRef<'_>| {
        p.as_str().map(|p| Pattern::new(p, fold))
    })?;
    Ok(Some(pattern.matches(x, fold)))
}

/// Two decimals as stored (text) in numeric order; text that is no decimal
/// (written by other means) after every decimal, in byte order.
#[cfg(feature = "decimal")]
fn decimal_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    use std::str::FromStr;
    match (
        rust_decimal::Decimal::from_str(a),
        rust_decimal::Decimal::from_str(b),
    ) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

/// `ashore_json_key(x)`: the canonical text of the document stored as `x`;
/// text that is no JSON is its own key, anything else `NULL`.
#[cfg(feature = "json")]
fn json_key(ctx: &Context<'_>) -> rusqlite::Result<Option<String>> {
    Ok(
        text_arg(ctx, 0)?.map(|text| match serde_json::from_str(text) {
            Ok(document) => crate::value::json::canonical(&document),
            Err(_) => text.to_owned(),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(conn: &Connection, function: &str, values: &str) -> rusqlite::Result<Option<i64>> {
        conn.query_row(
            &format!("SELECT {function}(x) FROM (SELECT column1 AS x FROM (VALUES {values}))"),
            [],
            |row| row.get(0),
        )
    }

    #[test]
    fn integer_sums_are_exact_and_past_i64_fail_or_are_nil() {
        let conn = Connection::open_in_memory().expect("open");
        register(&conn).expect("register");
        // A partial sum past `i64`, the total back in range: SQLite's own
        // `sum` fails, ours (and memory's) does not.
        let back = "(9223372036854775807), (1), (NULL), (-5)";
        assert!(sum(&conn, "sum", back).is_err());
        assert_eq!(sum(&conn, "ashore_sum", back), Ok(Some(i64::MAX - 4)));
        assert_eq!(
            sum(&conn, "ashore_sum_or_nil", back),
            Ok(Some(i64::MAX - 4))
        );
        let past = "(-9223372036854775808), (-3)";
        let err = sum(&conn, "ashore_sum", past).unwrap_err();
        assert!(err.to_string().contains("integer overflow"), "{err}");
        assert_eq!(sum(&conn, "ashore_sum_or_nil", past), Ok(None));
        assert_eq!(sum(&conn, "ashore_sum", "(NULL), (NULL)"), Ok(None));
        let none = conn.query_row("SELECT ashore_sum(1) WHERE 0", [], |row| {
            row.get::<_, Option<i64>>(0)
        });
        assert_eq!(none, Ok(None));
        assert!(sum(&conn, "ashore_sum", "(1), ('x')").is_err());
    }
}
