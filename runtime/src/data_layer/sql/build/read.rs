//! The one SELECT of a read: columns, partition, filter, sort with the
//! insertion-order tie-breaker, and offset/limit (per key through `ROW_NUMBER`
//! for a partitioned read).
//!
//! The filter's paths that reach at most one record are `LEFT JOIN`s of the
//! statement itself, after the table (and a many_to_many partition's join),
//! and its conditions on them plain WHERE conditions (see `filter`): a read
//! still gives one row per record, so the sort, the window and the
//! partition are unchanged. So are the sort keys' paths (`order`).
//!
//! Order: an unsorted read is ordered by the insertion sequence alone. Once an
//! index narrows the rows this is cheap: the guide's loader for 10
//! representatives (100,000 tickets, PostgreSQL 15, `work_mem` 4MB) sorts 427
//! rows in memory (quicksort, 68kB, under 0.2 ms of 2.2 ms). For all 1,000 it
//! reads every ticket and sorts 42,854 rows on disk (external merge, 3.1MB,
//! about a third of the statement's 110-125 ms), exactly as the hand-written
//! JOIN with the same `ORDER BY` does. An unsorted partitioned read without a
//! window avoids that sort on PostgreSQL (below); a plain read does not yet.
//!
//! Visibility: the root's condition is compiled like the filter, with
//! bindings (and joins) of its own, and a many_to_many partition's join
//! subquery keeps only the join records its resource's condition lets
//! through; the filter's hops get theirs from `filter`.
//!
//! Partition keys compare, group and sort as `special::key` has them: on
//! SQLite the decimals equal as numbers (`1.5`, `1.50`) are one key, and so
//! are the equal JSON documents, as the loader groups them (by value), with
//! the records of each in sort order.
//!
//! Names are checked in the order the in-memory layer checks them (sort keys,
//! then the filter, then the partition), so the same invalid request fails with
//! the same error on every layer.

use std::borrow::Cow;

use super::super::{Columns, Dialect, Statement};
use super::filter::{Compiler, Root};
use super::operators::Kind;
use super::order::{Sorting, sorting};
use super::special;
use super::text::{Params, column, ident, sequence};
use crate::data_layer::{PartitionBy, ReadRequest, sort_path};
use crate::error::{Error, ErrorKind, Result};
use crate::resource::Schema;
use crate::value::{Value, ValueType};

/// Names of the extra columns of a windowed read.
const KEY: &str = "_ashore_key";
const ROW_NUMBER: &str = "_ashore_rn";

/// What a statement of a read gives.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// The records.
    Records,
    /// How many records there are.
    Count,
    /// The primary keys of the records (in no order), for a write to select
    /// them with.
    Keys,
}

/// The statement of `request`, giving what `shape` says.
pub(super) fn read(dialect: Dialect, request: &ReadRequest, shape: Shape) -> Result<Statement> {
    let schema = request.schema;
    let count = shape == Shape::Count;
    if shape != Shape::Records && request.partition.is_some() {
        let message = match shape {
            Shape::Count => "a partitioned read cannot be counted",
            _ => "a partitioned request cannot select records to write",
        };
        return Err(invalid(schema, message.to_owned()));
    }
    let mut params = Params::new(dialect);
    let targets = sort_path::resolve_all(schema, &request.sort)?;

    // One compiler for every condition, so that aliases are never reused.
    let mut compiler = Compiler::new(schema, &mut params, request.visibility.clone());
    // A load (partitioned) computes its filter's aggregates for the related
    // records of its parents alone: correlated, its cost follows them.
    if request.partition.is_none() {
        compiler.group_aggregates(schema, "t0", request.filter.as_ref());
    }
    // A count orders nothing.
    let sorting = if count {
        Sorting::default()
    } else {
        sorting(dialect, &mut compiler, &targets)?
    };
    let sorted = !sorting.terms.is_empty();
    let mut order = sorting.terms;
    order.push(sequence(dialect, "t0"));
    let order = order.join(", ");

    let mut filter = Root::default();
    if let Some(expr) = &request.filter {
        filter.add(compiler.root(schema, "t0", expr)?);
    }
    if let Some(visible) = compiler.visible_root(schema, "t0")? {
        filter.add(visible);
    }
    let mut conditions = Vec::new();

    let mut from = format!("{} t0", ident(schema.table));
    let key = match &request.partition {
        None => None,
        Some(partition) => {
            let keys: Vec<Value> = partition
                .keys
                .iter()
                .filter(|k| !k.is_null())
                .cloned()
                .collect();
            let attribute = |s: &'static Schema, name: &str| {
                s.attribute(name).ok_or_else(|| {
                    invalid(
                        schema,
                        format!("no attribute named `{name}` on {} to partition by", s.name),
                    )
                })
            };
            match &partition.by {
                PartitionBy::Attribute(a) => {
                    let value_type = attribute(schema, a)?.value_type;
                    let key = column("t0", a);
                    conditions.push(one_of(compiler.params(), &key, value_type, keys));
                    // The key is an attribute the rows hold already.
                    Some((key, None, Kind::of_type(value_type)))
                }
                PartitionBy::Through {
                    join,
                    source_attribute_on_join,
                    destination_attribute_on_join,
                    destination_attribute,
                } => {
                    let dest_kind =
                        Kind::of_type(attribute(schema, destination_attribute)?.value_type);
                    let value_type = attribute(join, source_attribute_on_join)?.value_type;
                    let kind = Kind::of_type(value_type);
                    attribute(join, destination_attribute_on_join)?;
                    // One (key, destination value) pair per link, however many
                    // join records repeat it: a record appears once per key. A
                    // join record the join resource's visibility hides links
                    // nothing.
                    let source = column("j", source_attribute_on_join);
                    let dest_side = column("j", destination_attribute_on_join);
                    let mut keys = one_of(compiler.params(), &source, value_type, keys);
                    if let Some(visible) = compiler.visible(join, "j")? {
                        keys = format!("{keys} AND {visible}");
                    }
                    // Keys that are one key as values but not as stored
                    // (`special::key`) are one pair too.
                    let pair = [
                        special::key(dialect, kind, &source),
                        special::key(dialect, dest_kind, &dest_side),
                    ];
                    let (distinct, group_by) = if pair.iter().all(|k| matches!(k, Cow::Borrowed(_)))
                    {
                        ("DISTINCT ", String::new())
                    } else {
                        ("", format!(" GROUP BY {}", pair.join(", ")))
                    };
                    from.push_str(&format!(
                        " JOIN (SELECT {distinct}{source} AS {k}, {dest_side} AS {d} FROM {} j WHERE {keys}{group_by}) AS jk ON {}",
                        ident(join.table),
                        special::key_eq(
                            dialect,
                            dest_kind,
                            &column("t0", destination_attribute),
                            &column("jk", "d")
                        ),
                        k = ident("k"),
                        d = ident("d"),
                    ));
                    Some((column("jk", "k"), Some(value_type), kind))
                }
                PartitionBy::Parent {
                    source,
                    relationship,
                } => {
                    // The source records of the keys, each correlated with the
                    // rows its relationship's filter relates to it.
                    let key = source.primary_key();
                    let source_key = column("p", key.name);
                    let mut on = vec![one_of(compiler.params(), &source_key, key.value_type, keys)];
                    if let Some(filter) = relationship.checked_filter(source, schema.name)? {
                        on.push(compiler.correlated(source, "p", schema, "t0", &filter)?);
                    }
                    from.push_str(&format!(
                        " JOIN {} p ON {}",
                        ident(source.table),
                        on.join(" AND ")
                    ));
                    let kind = Kind::of_type(key.value_type);
                    Some((source_key, Some(key.value_type), kind))
                }
            }
        }
    };
    drop(compiler);
    // The filter's and the sort's to-one joins come after the partition's
    // join: they only read `t0` and each other.
    from.push_str(&filter.joins);
    from.push_str(&sorting.joins);
    conditions.extend(filter.conditions);
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };

    let attributes: Vec<String> = schema
        .attributes
        .iter()
        .map(|a| column("t0", a.name))
        .collect();
    let attributes = attributes.join(", ");

    let Some((key, key_type, key_kind)) = key else {
        if count {
            return Ok(count_statement(dialect, params, request, &from, &filter));
        }
        // The keys a write selects need an order only to cut a window.
        let (selected, columns) = match shape {
            Shape::Keys => (column("t0", schema.primary_key().name), Columns::None),
            _ => (attributes, Columns::Attributes),
        };
        let mut sql = format!("SELECT {selected} FROM {from}{filter}");
        if shape == Shape::Records || request.limit.is_some() || request.offset > 0 {
            sql.push_str(&format!(" ORDER BY {order}"));
            window(
                dialect,
                &mut params,
                &mut sql,
                request.offset,
                request.limit,
            );
        }
        return Ok(Statement {
            sql,
            params: params.list,
            columns,
        });
    };
    // The key as its records are grouped by.
    let grouped = special::key(dialect, key_kind, &key);
    // A key through a join is selected after the attributes; a key that is an
    // attribute is not selected twice.
    let (key_column, columns) = match key_type {
        Some(t) => (format!(", {key}"), Columns::AttributesAndKey(t)),
        None => (String::new(), Columns::Attributes),
    };
    if request.offset == 0 && request.limit.is_none() {
        // Only the order within each key matters (the loader groups by key).
        let (sql, columns) = match dialect {
            // Key first: the key list is walked through the key's index in key
            // order, so this costs no sort when unsorted.
            Dialect::Sqlite => (
                format!(
                    "SELECT {attributes}{key_column} FROM {from}{filter} ORDER BY {grouped}, {order}"
                ),
                columns,
            ),
            // Sorting every related row would cost more than the rest of the
            // read (it spills past `work_mem`): the layer orders them by the
            // sequence instead.
            Dialect::Postgres if !sorted => (
                format!(
                    "SELECT {attributes}{key_column}, {} FROM {from}{filter}",
                    sequence(dialect, "t0")
                ),
                match key_type {
                    Some(t) => Columns::AttributesKeyAndSeq(t),
                    None => Columns::AttributesAndSeq,
                },
            ),
            Dialect::Postgres => (
                format!("SELECT {attributes}{key_column} FROM {from}{filter} ORDER BY {order}"),
                columns,
            ),
        };
        return Ok(Statement {
            sql,
            params: params.list,
            columns,
        });
    }

    // Offset and limit per key: number the records of each key in sort order.
    let inner: Vec<String> = schema
        .attributes
        .iter()
        .map(|a| format!("{} AS {}", column("t0", a.name), ident(a.name)))
        .collect();
    let rn = column("t0", ROW_NUMBER);
    let mut bounds = Vec::new();
    if request.offset > 0 {
        bounds.push(format!("{rn} > {}", params.count(request.offset)));
    }
    if let Some(limit) = request.limit {
        let end = request.offset.saturating_add(limit);
        bounds.push(format!("{rn} <= {}", params.count(end)));
    }
    let outer_key = match key_type {
        Some(_) => format!(", {}", column("t0", KEY)),
        None => String::new(),
    };
    let sql = format!(
        "SELECT {attributes}{outer_key} FROM (SELECT {}, {key} AS {}, ROW_NUMBER() OVER (PARTITION BY {grouped} ORDER BY {order}) AS {} FROM {from}{filter}) AS t0 WHERE {} ORDER BY {rn}",
        inner.join(", "),
        ident(KEY),
        ident(ROW_NUMBER),
        bounds.join(" AND "),
    );
    Ok(Statement {
        sql,
        params: params.list,
        columns,
    })
}

/// `x IN rarray(?n)` / `x = ANY($n::type[])`: `x` is one of `keys`.
fn one_of(params: &mut Params, x: &str, value_type: ValueType, keys: Vec<Value>) -> String {
    let array = params.list(value_type, keys);
    let dialect = params.dialect;
    if let Some(is_in) = special::is_in(dialect, Kind::of_type(value_type), x, &array) {
        return is_in;
    }
    match dialect {
        Dialect::Sqlite => format!("{x} IN rarray({array})"),
        Dialect::Postgres => format!("{x} = ANY({array})"),
    }
}

/// `LIMIT`/`OFFSET` of a read that is not partitioned.
fn window(
    dialect: Dialect,
    params: &mut Params,
    sql: &mut String,
    offset: usize,
    limit: Option<usize>,
) {
    match limit {
        Some(limit) => {
            sql.push_str(&format!(" LIMIT {}", params.count(limit)));
        }
        None if offset > 0 && dialect == Dialect::Sqlite => sql.push_str(" LIMIT -1"),
        None => {}
    }
    if offset > 0 {
        sql.push_str(&format!(" OFFSET {}", params.count(offset)));
    }
}

/// `SELECT count(*)` of the rows of `from` that `filter` keeps, within the
/// request's window. Nothing is ordered: how many rows a window holds does not
/// depend on which they are.
fn count_statement(
    dialect: Dialect,
    mut params: Params,
    request: &ReadRequest,
    from: &str,
    filter: &str,
) -> Statement {
    let sql = if request.limit.is_none() && request.offset == 0 {
        format!("SELECT count(*) FROM {from}{filter}")
    } else {
        let mut rows = format!("SELECT 1 FROM {from}{filter}");
        window(
            dialect,
            &mut params,
            &mut rows,
            request.offset,
            request.limit,
        );
        format!("SELECT count(*) FROM ({rows}) AS c")
    };
    Statement {
        sql,
        params: params.list,
        columns: Columns::Count,
    }
}

fn invalid(schema: &'static Schema, message: String) -> Error {
    Error::new(ErrorKind::InvalidQuery {
        resource: schema.name,
        message,
    })
}
