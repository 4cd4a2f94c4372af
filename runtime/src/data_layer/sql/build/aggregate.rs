//! The one SELECT of `DataLayer::aggregate`: the records a request selects
//! (its filter and visibility, as a read's), each with its primary key and
//! one correlated subquery per aggregate over the records its path reaches.
//! Records given by their primary keys (a load's `id in [..]`) are read from
//! `keyed::source`: on PostgreSQL one search of the key's index per key
//! rather than a scan of the table; the rest of the filter and the visibility
//! apply as to any record.
//!
//! The subquery joins the path's hops as an `exists` does (each hop with the
//! relationship's filter and the destination's visibility in its ON
//! condition), adds the aggregate's filter as a scope on the last hop's alias,
//! and aggregates: `count(*)`, `EXISTS`, `sum`, `min`, `max`, `avg` (a float on
//! both dialects), or the field of the row with the smallest insertion
//! sequence whose field is not NULL (`first`); `min` and `max` of decimals
//! are the first row in value then insertion order (equal decimals may
//! differ in scale, and every layer gives the earliest created). A sum of integers is exact, as
//! memory's: on PostgreSQL `sum` (`numeric`) cast to `bigint`, on SQLite the
//! layer's `ashore_sum` (SQLite's own `sum` fails when a partial sum passes
//! `i64`); past `i64` it is the database's error in a load ([`Overflow::Error`])
//! and nil in a filter or a sort key ([`Overflow::Nil`]: a `CASE` on the range
//! on PostgreSQL, `ashore_sum_or_nil` on SQLite), as in memory. Text compares
//! byte-wise (`COLLATE "C"`), as in memory. Values are bound as parameters, as
//! in every filter.

use super::super::{Columns, Dialect, Statement};
use super::filter::{Compiler, Root};
use super::hop::{Hop, exists, reached};
use super::keyed;
use super::operators::Kind;
use super::special;
use super::text::{Params, boolean, column, sequence};
use crate::data_layer::{ReadRequest, aggregate_path};
use crate::error::{Error, ErrorKind, Result};
use crate::expr::{Aggregate, AggregateKind};
use crate::resource::Schema;
use crate::value::ValueType;

/// What an integer sum past `i64` gives.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Overflow {
    /// The database's error: a loaded aggregate (memory's is an error too).
    Error,
    /// Nil: an aggregate in a filter or a sort key (nil in memory too).
    Nil,
}

/// The statement computing `aggregates` for the records `request` selects:
/// rows of the primary key then one value per aggregate
/// (`Columns::Values`), in insertion order.
pub(super) fn aggregate(
    dialect: Dialect,
    request: &ReadRequest,
    aggregates: &[Aggregate],
) -> Result<Statement> {
    let schema = request.schema;
    if request.partition.is_some() {
        return Err(Error::new(ErrorKind::InvalidQuery {
            resource: schema.name,
            message: "a partitioned read cannot compute aggregates".to_owned(),
        }));
    }
    aggregate_path::check_scalars(schema, aggregates)?;
    let mut params = Params::new(dialect);
    let mut compiler = Compiler::new(schema, &mut params, request.visibility.clone());
    compiler.group_aggregates(schema, "t0", request.filter.as_ref());
    let mut selected = vec![column("t0", schema.primary_key().name)];
    let mut types = vec![schema.primary_key().value_type];
    for aggregate in aggregates {
        let target = aggregate_path::resolve(schema, aggregate)?;
        selected.push(subquery(
            dialect,
            &mut compiler,
            schema,
            "t0",
            aggregate,
            target.field,
            Overflow::Error,
        )?);
        types.push(target.value_type);
    }
    let source = keyed::source(compiler.params(), schema, "t0", request.filter.as_ref());
    let mut filter = Root::default();
    if let Some(expr) = &source.filter {
        filter.add(compiler.root(schema, "t0", expr)?);
    }
    if let Some(visible) = compiler.visible_root(schema, "t0")? {
        filter.add(visible);
    }
    drop(compiler);
    let mut sql = format!(
        "SELECT {} FROM {}{}",
        selected.join(", "),
        source.from,
        filter.joins
    );
    if !filter.conditions.is_empty() {
        sql.push_str(&format!(" WHERE {}", filter.conditions.join(" AND ")));
    }
    sql.push_str(&format!(" ORDER BY {}", sequence(dialect, "t0")));
    Ok(Statement {
        sql,
        params: params.list,
        columns: Columns::Values(types),
    })
}

/// The statement of a `list` aggregate for the records `request` selects: one
/// row per value (the record's primary key, the value), the records reached
/// joined to the records selected (`FROM t0, <hops>`), ordered by record then
/// by record reached (`Columns::Values`).
pub(super) fn list(
    dialect: Dialect,
    request: &ReadRequest,
    aggregate: &Aggregate,
) -> Result<Statement> {
    let schema = request.schema;
    if request.partition.is_some() {
        return Err(Error::new(ErrorKind::InvalidQuery {
            resource: schema.name,
            message: "a partitioned read cannot compute aggregates".to_owned(),
        }));
    }
    let target = aggregate_path::resolve(schema, aggregate)?;
    if aggregate.kind != AggregateKind::List {
        return Err(aggregate_path::list_alone(schema, aggregate));
    }
    let mut params = Params::new(dialect);
    let mut compiler = Compiler::new(schema, &mut params, request.visibility.clone());
    compiler.group_aggregates(schema, "t0", request.filter.as_ref());
    let (hops, at, alias, filter) = reach(&mut compiler, schema, "t0", aggregate)?;
    let Some((from, mut conditions)) = reached(dialect, &hops) else {
        return Err(aggregate_path::list_alone(schema, aggregate));
    };
    conditions.extend(filter);
    let field = target
        .field
        .map(|i| column(&alias, at.attributes[i].name))
        .unwrap_or_default();
    conditions.push(format!("{field} IS NOT NULL"));
    let source = keyed::source(compiler.params(), schema, "t0", request.filter.as_ref());
    let mut root = Root::default();
    if let Some(expr) = &source.filter {
        root.add(compiler.root(schema, "t0", expr)?);
    }
    if let Some(visible) = compiler.visible_root(schema, "t0")? {
        root.add(visible);
    }
    drop(compiler);
    conditions.extend(root.conditions);
    let sql = format!(
        "SELECT {}, {field} FROM {}{}, {from} WHERE {} ORDER BY {}, {}",
        column("t0", schema.primary_key().name),
        source.from,
        root.joins,
        conditions.join(" AND "),
        sequence(dialect, "t0"),
        sequence(dialect, &alias),
    );
    Ok(Statement {
        sql,
        params: params.list,
        columns: Columns::Values(vec![schema.primary_key().value_type, target.value_type]),
    })
}

/// The hops of `aggregate`'s path from `t0`, the schema and alias they reach,
/// and its filter there.
pub(super) fn reach(
    compiler: &mut Compiler<'_>,
    schema: &'static Schema,
    from: &str,
    aggregate: &Aggregate,
) -> Result<(Vec<Hop>, &'static Schema, String, Option<String>)> {
    let mut at = schema;
    let mut alias = from.to_owned();
    let mut hops: Vec<Hop> = Vec::with_capacity(aggregate.path.len());
    for name in &aggregate.path {
        let (hop, dest) = compiler.hop(at, name, &alias)?;
        alias = hop.alias.clone();
        at = dest;
        hops.push(hop);
    }
    let filter = match &aggregate.filter {
        Some(filter) => {
            filter.check_depth(schema.name, &format_args!("the aggregate `{aggregate}`"))?;
            Some(compiler.scope(at, &alias, filter)?)
        }
        None => None,
    };
    Ok((hops, at, alias, filter))
}

/// The correlated subquery of `aggregate` on the rows of `schema` read as
/// `from` (`t0` in a statement's own select list; a filter's binding), an
/// integer sum past `i64` giving what `overflow` says.
pub(super) fn subquery(
    dialect: Dialect,
    compiler: &mut Compiler<'_>,
    schema: &'static Schema,
    from: &str,
    aggregate: &Aggregate,
    field: Option<usize>,
    overflow: Overflow,
) -> Result<String> {
    let (hops, at, alias, filter) = reach(compiler, schema, from, aggregate)?;
    if aggregate.kind == AggregateKind::Exists {
        let inner = filter.unwrap_or_else(|| boolean(dialect, true).to_owned());
        return Ok(exists(dialect, &hops, inner));
    }
    let Some((from, mut conditions)) = reached(dialect, &hops) else {
        return Err(no_path(schema, aggregate));
    };
    conditions.extend(filter);
    let value = field
        .map(|i| column(&alias, at.attributes[i].name))
        .unwrap_or_default();
    let field_type = field.map(|i| at.attributes[i].value_type);
    #[cfg(feature = "decimal")]
    if field_type == Some(ValueType::Decimal)
        && matches!(aggregate.kind, AggregateKind::Min | AggregateKind::Max)
    {
        // Equal decimals may differ in scale (`1.5`, `1.50`): the earliest
        // created of the least (greatest) ones, as memory gives, not whichever
        // the database's `min` (`max`) meets first or last.
        conditions.push(format!("{value} IS NOT NULL"));
        let order = if aggregate.kind == AggregateKind::Max {
            "DESC"
        } else {
            "ASC"
        };
        let collation = special::collation(dialect, Kind::Decimal);
        return Ok(format!(
            "(SELECT {value} FROM {from} WHERE {} ORDER BY {value}{collation} {order}, {} LIMIT 1)",
            conditions.join(" AND "),
            sequence(dialect, &alias)
        ));
    }
    let order = sequence(dialect, &alias);
    let Some((aggregated, cast)) = function(
        dialect,
        aggregate.kind,
        &value,
        field_type,
        &order,
        overflow,
    ) else {
        // `first`: the value of the first row that has one.
        conditions.push(format!("{value} IS NOT NULL"));
        return Ok(format!(
            "(SELECT {value} FROM {from} WHERE {} ORDER BY {} LIMIT 1)",
            conditions.join(" AND "),
            sequence(dialect, &alias)
        ));
    };
    Ok(format!(
        "(SELECT {aggregated} FROM {from} WHERE {}){cast}",
        conditions.join(" AND ")
    ))
}

/// The error of an aggregate over no relationship.
pub(super) fn no_path(schema: &'static Schema, aggregate: &Aggregate) -> Error {
    Error::new(ErrorKind::InvalidQuery {
        resource: schema.name,
        message: format!("an aggregate needs a relationship path (in `{aggregate}`)"),
    })
}

/// The aggregate function of `kind` over `value` (a column of type
/// `field_type`, empty for `count`) and the cast its result takes
/// (PostgreSQL's `sum` of integers and `avg`); `None` for the kinds no
/// aggregate function computes (`first`, `exists`, `list`).
///
/// Floats are summed one after the other in creation order (`order`, the
/// reached rows' insertion sequence), as memory adds them: `0.1 + 0.2 + 0.3`
/// is `0.6000000000000001` on every layer. SQLite's own `sum` and `avg`
/// compensate (they give `0.6`), so SQLite adds with `ashore_fsum`.
pub(super) fn function(
    dialect: Dialect,
    kind: AggregateKind,
    value: &str,
    field_type: Option<ValueType>,
    order: &str,
    overflow: Overflow,
) -> Option<(String, &'static str)> {
    let text = field_type == Some(ValueType::String) && dialect == Dialect::Postgres;
    let collated = |v: &str| {
        if text {
            format!("{v} COLLATE \"C\"")
        } else {
            let kind = field_type.map(Kind::of_type);
            format!("{v}{}", kind.map_or("", |k| special::collation(dialect, k)))
        }
    };
    let integer = matches!(
        field_type,
        Some(ValueType::I16 | ValueType::I32 | ValueType::I64)
    );
    let float = field_type == Some(ValueType::F64);
    Some(match kind {
        AggregateKind::Count => ("count(*)".to_owned(), ""),
        AggregateKind::Sum if integer && dialect == Dialect::Postgres => match overflow {
            Overflow::Error => (format!("sum({value})"), "::int8"),
            Overflow::Nil => (
                format!(
                    "CASE WHEN sum({value}) BETWEEN {} AND {} THEN sum({value}) END",
                    i64::MIN,
                    i64::MAX
                ),
                "::int8",
            ),
        },
        AggregateKind::Sum if integer => match overflow {
            Overflow::Error => (format!("ashore_sum({value})"), ""),
            Overflow::Nil => (format!("ashore_sum_or_nil({value})"), ""),
        },
        // A float sum of both infinities is NaN: nil, as SQLite gives it.
        AggregateKind::Sum if dialect == Dialect::Postgres => (
            format!("NULLIF(sum({value} ORDER BY {order}), 'NaN'::float8)"),
            "",
        ),
        AggregateKind::Sum => (format!("ashore_fsum({value} ORDER BY {order})"), ""),
        // `avg` is the sum (as `sum` makes it) divided by the count, as
        // memory computes it: PostgreSQL's own `avg` of floats also sums
        // squares (past `f64` for values near 1e155), and its `avg` of
        // integers and SQLite's round otherwise.
        AggregateKind::Avg if float && dialect == Dialect::Postgres => (
            format!("NULLIF(sum({value} ORDER BY {order}) / count({value}), 'NaN'::float8)"),
            "",
        ),
        AggregateKind::Avg if float => (
            format!("(ashore_fsum({value} ORDER BY {order}) / count({value}))"),
            "",
        ),
        AggregateKind::Avg if dialect == Dialect::Postgres => (
            format!("(sum({value})::float8 / count({value}))"),
            "::float8",
        ),
        AggregateKind::Avg if integer => (format!("(ashore_isum({value}) / count({value}))"), ""),
        AggregateKind::Avg => (format!("avg({value})"), ""),
        AggregateKind::Min => (format!("min({})", collated(value)), ""),
        AggregateKind::Max => (format!("max({})", collated(value)), ""),
        AggregateKind::First | AggregateKind::Exists | AggregateKind::List => return None,
    })
}
