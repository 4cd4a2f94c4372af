//! The SQL functions every connection of the SQLite layer gets: the text
//! functions of filters whose SQLite built-ins only know ASCII (`lower`,
//! `upper`) or ignore case (`LIKE`), as the Rust functions the in-memory
//! evaluator calls (`crate::expr::text`), so both layers give the same
//! answers. Deterministic, so SQLite may use them in indexes and factor them
//! out; a `NULL` (or any value that is not text) gives `NULL`.
//!
//! With feature `decimal`, the collation `ashore_decimal` compares decimals
//! (stored as text) as numbers; with feature `json`, `ashore_json_key(x)` is a
//! stored document's canonical text (`crate::value::json`), what equality of
//! documents compares (see `build::special`).

use rusqlite::Connection;
use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::ValueRef;

use crate::expr::text::{self, Pattern};

/// Registers `ashore_lower(x)`, `ashore_upper(x)`, `ashore_like(x, pattern)`
/// and `ashore_ilike(x, pattern)` on `conn` (again: replaces them), and the
/// decimal collation and JSON key of the features on.
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
    conn.create_scalar_function("ashore_ilike", 2, flags, |ctx| like(ctx, true))
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
