//! The source table of an aggregate statement whose records are given by
//! their primary keys (a load's: `id in [..]`, the keys of the records loaded
//! onto).
//!
//! On PostgreSQL, for UUID keys, the table is then read one key at a time, `FROM unnest($1::uuid[]) AS k0(k) CROSS JOIN LATERAL (SELECT * FROM
//! "rep" k1 WHERE k1."id" = k0.k OFFSET 0) t0`, a search of the primary key
//! index per key, and the `id in [..]` conjunct is left out of the `WHERE`
//! (the rows are exactly those of the keys). Everything else stays: the rest
//! of the filter, the read's visibility on `t0` (a record the actor may not
//! read, or of another tenant, is still not returned) and the order by
//! insertion sequence.
//!
//! Why, by measurement (`benches/aggregates`, 1,000 representatives, their
//! tickets counted; `EXPLAIN ANALYZE` of the prepared statement, interleaved
//! medians): with `WHERE t0."id" = ANY($1)` PostgreSQL prices an index search
//! by how the key follows the table's order. UUID keys do not, and it scans
//! the table whatever the number of keys: for 10 keys 0.091 ms against 0.049
//! ms one key at a time (the hand-written `GROUP BY` of the tickets, 0.045
//! ms), for 100 0.69 against 0.49, for 300 2.17 against 1.79, for 1,000 the
//! same within noise. A join to the unnested keys without `OFFSET 0` is
//! planned as a hash join over the same scan; `OFFSET 0` keeps the subquery
//! from being merged into the join. Integer keys, generated in insertion
//! order, do follow it: PostgreSQL already searches the index for `= ANY`
//! (0.046 ms for 10 keys), and a search per key costs more there (10 keys
//! 0.049 ms; 1,000 keys 5.3 against 4.9 ms, and 1.06-1.82 times the
//! hand-written code in the benchmark against 1.01-1.10), so they keep the
//! table, as does every other key type (text keys would follow UUIDs, not
//! measured yet). On a table as small as the benchmark's 1,000
//! representatives PostgreSQL may plan `= ANY` as a sequential scan instead
//! (`EXPLAIN ANALYZE` in the ninth session: 0.166 against 0.099 ms for the
//! hand-written `GROUP BY`), but that costs no time: `pgbench -M prepared`,
//! 10 keys, three rounds of 4 s on a quiet machine (tenth session), 0.141-0.164
//! ms a statement for `= ANY`, 0.136-0.160 ms one key at a time, 0.151-0.158 ms
//! by hand.
//!
//! The keys are deduplicated (a key given twice is one record, as with
//! `= ANY`); elements of another type than the key's and nils equal no key
//! and are dropped. SQLite, which searches the key's index for
//! `IN rarray(?1)`, and any other filter keep `FROM "rep" t0`.

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
/// table one key at a time when `filter` gives the primary keys (UUIDs) on
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
/// key types read one key at a time: UUIDs, whose order is not the table's.
fn array_type(value_type: ValueType) -> Option<ValueType> {
    match value_type {
        ValueType::Uuid => Some(ValueType::Uuid),
        _ => None,
    }
}

/// The elements of `list` that may equal a key bound as `array_type`, each
/// once, in order.
fn distinct_keys(array_type: ValueType, list: &[Value]) -> Vec<Value> {
    let mut seen = HashSet::default();
    list.iter()
        .filter(|v| matches!((array_type, v), (ValueType::Uuid, Value::Uuid(_))))
        .filter(|v| seen.insert(*v))
        .cloned()
        .collect()
}
