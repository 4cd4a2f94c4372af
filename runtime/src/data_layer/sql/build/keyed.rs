//! The source table of an aggregate statement whose records are given by
//! their primary keys (a load's: `id in [..]`, the keys of the records loaded
//! onto).
//!
//! On PostgreSQL the table is then read one key at a time, `FROM
//! unnest($1::uuid[]) AS k0(k) CROSS JOIN LATERAL (SELECT * FROM "rep" k1
//! WHERE k1."id" = k0.k OFFSET 0) t0`, a search of the primary key index per
//! key, and the `id in [..]` conjunct is left out of the `WHERE` (the rows are
//! exactly those of the keys). Everything else stays: the rest of the filter,
//! the read's visibility on `t0` (a record the actor may not read, or of
//! another tenant, is still not returned) and the order by insertion
//! sequence. With `WHERE t0."id" = ANY($1)` PostgreSQL reads a small table
//! (the benchmark's 1,000 representatives, 12 pages) with a sequential scan
//! whatever the number of keys (its cost model prices a page read in order
//! below an index search), 0.045 ms of a 0.10 ms statement for 10 keys
//! against 0.006 ms through the index (`EXPLAIN ANALYZE`, prepared, UUID
//! keys); a join to the unnested keys without `OFFSET 0` is planned as a hash
//! join over the same scan. `OFFSET 0` keeps the subquery from being merged
//! into the join, so each key is its own search. For 1,000 keys of 1,000 the
//! searches cost no more than the scan (9.8 ms against 10.2 ms).
//!
//! The keys are deduplicated (a key given twice is one record, as with
//! `= ANY`); elements of another type than the key's and nils equal no key
//! and are dropped. Only integer, UUID and text keys, whose equality in
//! PostgreSQL is Rust's, take this form; SQLite, which searches the key's
//! index for `IN rarray(?1)`, and any other filter keep `FROM "rep" t0`.

use std::borrow::Cow;

use foldhash::HashSet;

use super::super::Dialect;
use super::text::{Params, column, ident};
use crate::expr::Expr;
use crate::resource::Schema;
use crate::value::{Value, ValueType};

/// Where a statement reads its source table, and what of its filter is left
/// for its `WHERE`.
pub(super) struct Source<'a> {
    /// The `FROM` item whose alias is the statement's source alias.
    pub(super) from: String,
    /// The filter, without the conjunct `from` already applies.
    pub(super) filter: Option<Cow<'a, Expr>>,
}

/// The source of a statement reading `schema` as `alias` with `filter`: its
/// table one key at a time when `filter` gives the primary keys on
/// PostgreSQL, else the table itself.
pub(super) fn source<'a>(
    params: &mut Params,
    schema: &'static Schema,
    alias: &str,
    filter: Option<&'a Expr>,
) -> Source<'a> {
    let table = || Source {
        from: format!("{} {alias}", ident(schema.table)),
        filter: filter.map(Cow::Borrowed),
    };
    if params.dialect != Dialect::Postgres {
        return table();
    }
    let Some(filter) = filter else {
        return table();
    };
    let key = schema.primary_key();
    let Some(array_type) = array_type(key.value_type) else {
        return table();
    };
    let conjuncts = filter.conjuncts();
    let found = conjuncts
        .iter()
        .enumerate()
        .find_map(|(i, conjunct)| match conjunct {
            Expr::In(x, list) => match x.as_ref() {
                Expr::Attr { path, name } if path.is_empty() && *name == key.name => {
                    Some((i, list))
                }
                _ => None,
            },
            _ => None,
        });
    let Some((at, list)) = found else {
        return table();
    };
    let keys = distinct_keys(array_type, list);
    if keys.is_empty() {
        return table();
    }
    let array = params.list(array_type, keys);
    let rest = conjuncts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != at)
        .map(|(_, conjunct)| (*conjunct).clone())
        .reduce(Expr::and);
    Source {
        from: format!(
            "unnest({array}) AS k0(k) CROSS JOIN LATERAL (SELECT * FROM {} k1 WHERE {} = k0.k OFFSET 0) {alias}",
            ident(schema.table),
            column("k1", key.name),
        ),
        filter: rest.map(Cow::Owned),
    }
}

/// The type the keys of a primary key of `value_type` are bound as, for the
/// key types whose equality in PostgreSQL is the values' own.
fn array_type(value_type: ValueType) -> Option<ValueType> {
    match value_type {
        ValueType::I16 | ValueType::I32 | ValueType::I64 => Some(ValueType::I64),
        ValueType::Uuid => Some(ValueType::Uuid),
        ValueType::String => Some(ValueType::String),
        _ => None,
    }
}

/// The elements of `list` that may equal a key bound as `array_type`, each
/// once, in order.
fn distinct_keys(array_type: ValueType, list: &[Value]) -> Vec<Value> {
    let mut seen = HashSet::default();
    list.iter()
        .filter(|v| {
            matches!(
                (array_type, v),
                (ValueType::I64, Value::Int(_))
                    | (ValueType::Uuid, Value::Uuid(_))
                    | (ValueType::String, Value::String(_))
            )
        })
        .filter(|v| seen.insert(*v))
        .cloned()
        .collect()
}
