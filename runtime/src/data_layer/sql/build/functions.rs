//! The text functions of a filter as SQL, giving what the in-memory evaluator
//! gives (`crate::expr::text`): nil when an operand is nil or not text (then
//! `NULL`, the operands' parameters dropped, as `operators` does), values and
//! patterns always bound as parameters.
//!
//! - SQLite: `lower`, `upper`, `LIKE` only know ASCII and its `LIKE` ignores
//!   case, so the layer registers `ashore_lower`, `ashore_upper`,
//!   `ashore_like` and `ashore_ilike` on every connection (the same Rust
//!   functions memory calls); `instr`, `substr`, `length` (characters) and
//!   `||` are its own.
//! - PostgreSQL: `strpos`, `starts_with`, `right`, `char_length`, `||`, and
//!   `lower`/`upper`, which follow the database's `LC_CTYPE` (simple case
//!   mapping in a libc UTF-8 locale, as memory). A `like` pattern is bound as
//!   [`Pattern::escaped`] writes it for `LIKE`'s default backslash escape,
//!   lowered in Rust for `ilike` (`lower(x) LIKE $1`), so `%` and `_` after a
//!   backslash are literal and a trailing backslash is one.

use super::super::Dialect;
use super::operators::{Frag, Kind};
use super::text::{Mark, Params};
use crate::expr::Func;
use crate::expr::text::Pattern;
use crate::value::Value;

/// `lower(x)`, `upper(x)` or `length(x)`.
pub(super) fn func(params: &mut Params, f: Func, x: Frag, mark: Mark) -> Frag {
    if x.kind != Kind::Text {
        params.truncate(mark);
        return Frag::null();
    }
    let x = x.sql;
    let (sql, kind) = match (f, params.dialect) {
        (Func::Lower, Dialect::Sqlite) => (format!("ashore_lower({x})"), Kind::Text),
        (Func::Upper, Dialect::Sqlite) => (format!("ashore_upper({x})"), Kind::Text),
        (Func::Lower, Dialect::Postgres) => (format!("lower({x})"), Kind::Text),
        (Func::Upper, Dialect::Postgres) => (format!("upper({x})"), Kind::Text),
        (Func::Length, Dialect::Sqlite) => (format!("length({x})"), Kind::Int),
        (Func::Length, Dialect::Postgres) => (format!("char_length({x})"), Kind::Int),
    };
    Frag::new(sql, kind)
}

/// A test of two texts.
#[derive(Clone, Copy)]
pub(super) enum Test {
    Contains,
    StartsWith,
    EndsWith,
}

/// `contains(l, r)`, `starts_with(l, r)` or `ends_with(l, r)`.
pub(super) fn test(params: &mut Params, test: Test, l: Frag, r: Frag, mark: Mark) -> Frag {
    let Some((l, r)) = texts(params, l, r, mark) else {
        return Frag::null();
    };
    let sql = match (test, params.dialect) {
        (Test::Contains, Dialect::Sqlite) => format!("(instr({l}, {r}) > 0)"),
        (Test::Contains, Dialect::Postgres) => format!("(strpos({l}, {r}) > 0)"),
        (Test::StartsWith, Dialect::Sqlite) => format!("(substr({l}, 1, length({r})) = {r})"),
        (Test::StartsWith, Dialect::Postgres) => format!("starts_with({l}, {r})"),
        // A start before the first character gives a shorter text, never `r`.
        (Test::EndsWith, Dialect::Sqlite) => {
            format!("(substr({l}, length({l}) - length({r}) + 1) = {r})")
        }
        (Test::EndsWith, Dialect::Postgres) => format!("(right({l}, char_length({r})) = {r})"),
    };
    Frag::new(sql, Kind::Bool)
}

/// `concat(l, r)`.
pub(super) fn concat(params: &mut Params, l: Frag, r: Frag, mark: Mark) -> Frag {
    match texts(params, l, r, mark) {
        Some((l, r)) => Frag::new(format!("({l} || {r})"), Kind::Text),
        None => Frag::null(),
    }
}

/// The SQL of `l` and `r` when both are text; else `None`, their parameters
/// dropped.
fn texts(params: &mut Params, l: Frag, r: Frag, mark: Mark) -> Option<(String, String)> {
    if l.kind != Kind::Text || r.kind != Kind::Text {
        params.truncate(mark);
        return None;
    }
    Some((l.sql, r.sql))
}

/// `like(x, pattern)`, or `ilike` when `fold`: nil when `x` is not text or
/// there is no text pattern.
pub(super) fn like(
    params: &mut Params,
    fold: bool,
    x: Frag,
    pattern: Option<&str>,
    mark: Mark,
) -> Frag {
    let Some(pattern) = pattern.filter(|_| x.kind == Kind::Text) else {
        params.truncate(mark);
        return Frag::null();
    };
    let x = x.sql;
    let sql = match params.dialect {
        Dialect::Sqlite => {
            let p = params.value(Value::String(pattern.to_owned()));
            let name = if fold { "ashore_ilike" } else { "ashore_like" };
            format!("{name}({x}, {p})")
        }
        Dialect::Postgres => {
            let p = params.value(Value::String(Pattern::new(pattern, fold).escaped()));
            if fold {
                format!("(lower({x}) LIKE {p})")
            } else {
                format!("({x} LIKE {p})")
            }
        }
    };
    Frag::new(sql, Kind::Bool)
}
