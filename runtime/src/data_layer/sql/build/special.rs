//! Comparisons of the types whose stored form does not compare as their values
//! do, so that each operator gives the evaluator's answer on either dialect:
//!
//! - a decimal is text on SQLite, compared through the `ashore_decimal`
//!   collation (as a number: `1.5 = 1.50`, `9 < 10`), which the SQLite layer
//!   registers on its connections; PostgreSQL's `numeric` compares as a number
//!   itself;
//! - a JSON document is text on SQLite, compared by its canonical text
//!   (`ashore_json_key`, registered likewise: keys sorted, numbers by value);
//!   PostgreSQL's `jsonb` equality is the same. Documents have no order:
//!   `operators::cmp` makes an ordered comparison of them nil before this.
//!
//! Every other kind compares as written in `operators`. A sort key ([`term`])
//! orders decimals as numbers and text byte-wise, as the evaluator does.
//!
//! A relationship's keys link and group the same way ([`key`]): a decimal
//! key `1.5` relates the records keyed `1.50`, and a JSON key the documents
//! equal to it, as the evaluator links them (by [`Value`](crate::value::Value)
//! equality), wherever a key is compared (a hop's link, a load's keys, a
//! grouped aggregate's groups).

use std::borrow::Cow;

use super::super::Dialect;
use super::operators::{Frag, Kind};
use crate::sort::Order;
use crate::value::ValueType;

/// The SQLite collation that compares decimals (stored as text) as numbers.
#[cfg(feature = "decimal")]
pub(crate) const DECIMAL_COLLATION: &str = "ashore_decimal";

/// The SQLite function giving a stored JSON document's canonical text.
#[cfg(feature = "json")]
pub(crate) const JSON_KEY: &str = "ashore_json_key";

/// `l sign r` (`sign` the SQL operator: `=`, `<>`, `<`, ...) when the
/// operands' kind needs its own SQL (both of one kind, as `operators::cmp` has
/// checked); `None` for every other kind.
#[allow(unused_variables)]
pub(super) fn cmp(dialect: Dialect, sign: &str, l: &Frag, r: &Frag) -> Option<String> {
    match (dialect, l.kind) {
        #[cfg(feature = "decimal")]
        (Dialect::Sqlite, Kind::Decimal) => Some(format!(
            "({} COLLATE {DECIMAL_COLLATION} {sign} {})",
            l.sql, r.sql
        )),
        #[cfg(feature = "json")]
        (Dialect::Sqlite, Kind::Json) => Some(format!(
            "({JSON_KEY}({}) {sign} {JSON_KEY}({}))",
            l.sql, r.sql
        )),
        _ => None,
    }
}

/// `x in array` (`array` a bound list of `x`'s kind) when the kind needs its
/// own SQL; `None` for every other kind.
#[allow(unused_variables)]
pub(super) fn is_in(dialect: Dialect, kind: Kind, x: &str, array: &str) -> Option<String> {
    match (dialect, kind) {
        #[cfg(feature = "decimal")]
        (Dialect::Sqlite, Kind::Decimal) => Some(format!(
            "{x} COLLATE {DECIMAL_COLLATION} IN rarray({array})"
        )),
        #[cfg(feature = "json")]
        (Dialect::Sqlite, Kind::Json) => Some(format!(
            "{JSON_KEY}({x}) IN (SELECT {JSON_KEY}(value) FROM rarray({array}))"
        )),
        _ => None,
    }
}

/// The collation a sort key or `min`/`max` of `kind` takes, with its leading
/// space: decimals on SQLite; `""` for every other kind.
#[allow(unused_variables)]
pub(super) fn collation(dialect: Dialect, kind: Kind) -> &'static str {
    match (dialect, kind) {
        #[cfg(feature = "decimal")]
        // `DECIMAL_COLLATION`, spelled out for a `&'static str`.
        (Dialect::Sqlite, Kind::Decimal) => " COLLATE ashore_decimal",
        _ => "",
    }
}

/// A relationship key `x` of `kind` as it is compared and grouped: a decimal
/// collated, a JSON document's canonical text, on SQLite; `x` itself for
/// every other kind (and on PostgreSQL), so no other key's SQL changes.
#[allow(unused_variables)]
pub(super) fn key(dialect: Dialect, kind: Kind, x: &str) -> Cow<'_, str> {
    match (dialect, kind) {
        #[cfg(feature = "decimal")]
        (Dialect::Sqlite, Kind::Decimal) => Cow::Owned(format!("{x} COLLATE {DECIMAL_COLLATION}")),
        #[cfg(feature = "json")]
        (Dialect::Sqlite, Kind::Json) => Cow::Owned(format!("{JSON_KEY}({x})")),
        _ => Cow::Borrowed(x),
    }
}

/// `l = r`, two relationship keys of `kind` compared as [`key`] has them.
pub(super) fn key_eq(dialect: Dialect, kind: Kind, l: &str, r: &str) -> String {
    format!("{} = {}", key(dialect, kind, l), key(dialect, kind, r))
}

/// `<value> <direction> NULLS <FIRST|LAST>`, text in byte order, decimals as
/// numbers.
pub(super) fn term(dialect: Dialect, value: &str, value_type: ValueType, order: Order) -> String {
    let collate = match (dialect, value_type) {
        (Dialect::Postgres, ValueType::String) => " COLLATE \"C\"",
        _ => collation(dialect, Kind::of_type(value_type)),
    };
    let direction = match order {
        Order::Asc => "ASC NULLS LAST",
        Order::Desc => "DESC NULLS FIRST",
        Order::AscNilsFirst => "ASC NULLS FIRST",
        Order::DescNilsLast => "DESC NULLS LAST",
    };
    format!("{value}{collate} {direction}")
}
