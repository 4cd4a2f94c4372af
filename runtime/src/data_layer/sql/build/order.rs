//! The sort of a read: one `ORDER BY` term per sort key, nils placed as the
//! key's order says and text in byte order, and the `LEFT JOIN`s its paths
//! need.
//!
//! A key through relationships reads the record its path reaches as a filter
//! path does (`filter`'s hops: the relationship's `filter` option and the
//! destination's visibility condition in the ON condition), so a record the
//! read may not see leaves the all-NULL row and the key sorts as nil. A hop
//! that reaches at most one record is a `LEFT JOIN` of the statement (one row
//! per record still, so windows and partitions are unchanged), and so is one
//! that may reach several: its join keeps the first in the relationship's sort
//! order, then insertion order, alone (a scalar subquery, `ORDER BY .. LIMIT
//! 1`, names its primary key: `hop::Hop::first_only`, as for every path) —
//! what the in-memory layer reads (`eval::SortValues`).
//! A key that is an aggregate is its value as in a filter: grouped, or its
//! correlated subquery (`filter::grouped` says which).

use super::super::Dialect;
use super::filter::Compiler;
use super::special::term;
use super::text::column;
use crate::data_layer::aggregate_path;
use crate::data_layer::sort_path::{SortHop, SortTarget};
use crate::error::Result;

/// The sort of a read: its `ORDER BY` terms (without the insertion-order
/// tie-breaker) and the joins they read, for the statement's `FROM`.
#[derive(Default)]
pub(super) struct Sorting {
    pub(super) joins: String,
    pub(super) terms: Vec<String>,
}

/// The sort of a read whose table is aliased `t0`: `targets` (resolved
/// against its resource) compiled with `compiler`, whose hops get the
/// destinations' visibility conditions.
pub(super) fn sorting(
    dialect: Dialect,
    compiler: &mut Compiler<'_>,
    targets: &[SortTarget],
) -> Result<Sorting> {
    let mut sorting = Sorting::default();
    for target in targets {
        if let Some((aggregate, value_type)) = &target.aggregate {
            let field = aggregate_path::resolve(target.schema, aggregate)?.field;
            let value = compiler.aggregate_value(target.schema, "t0", aggregate, field)?;
            sorting.joins.push_str(&compiler.grouped_joins());
            sorting
                .terms
                .push(term(dialect, &value, *value_type, target.order));
            continue;
        }
        let (joins, value) = value(dialect, compiler, "t0", &target.hops, target)?;
        sorting.joins.push_str(&joins);
        let attribute = &target.schema.attributes[target.attribute];
        sorting
            .terms
            .push(term(dialect, &value, attribute.value_type, target.order));
    }
    Ok(sorting)
}

/// The joins and the value of `target`'s attribute, reached from `alias`
/// through `hops`.
fn value(
    dialect: Dialect,
    compiler: &mut Compiler<'_>,
    alias: &str,
    hops: &[SortHop],
    target: &SortTarget,
) -> Result<(String, String)> {
    let Some((first, rest)) = hops.split_first() else {
        let name = target.schema.attributes[target.attribute].name;
        return Ok((String::new(), column(alias, name)));
    };
    // A hop that may reach several records joins the first alone
    // (`Compiler::hop`): one row per record still.
    let (hop, _) = compiler.hop(first.source, first.relationship.name, alias)?;
    let (joins, value) = value(dialect, compiler, &hop.alias, rest, target)?;
    Ok((format!("{}{joins}", hop.left_join(dialect)), value))
}
