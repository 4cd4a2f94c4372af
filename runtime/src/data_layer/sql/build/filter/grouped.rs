//! Aggregates in a filter, correlated or grouped.
//!
//! An aggregate is a value of the record it is computed for. Two forms give
//! the same value, and which is cheaper depends on how many records it is
//! computed for:
//!
//! - **Correlated**: a scalar subquery per row, `(SELECT count(*) FROM ticket
//!   t1 WHERE t1.rep_id = t0.id AND ..)`, that reads the related records of
//!   each row (`aggregate::subquery`). It costs what the rows asked for relate
//!   to, one lookup each: the form of aggregates loaded onto given records
//!   (`DataLayer::aggregate`), and of every aggregate not covered below.
//! - **Grouped**: one derived table computing the aggregate for every record
//!   at once, grouped by the record it belongs to, left-joined to the
//!   statement's rows: `LEFT JOIN (SELECT <key> AS k, <aggregate> AS v FROM
//!   <hops> WHERE <relationship filter, visibility, aggregate filter> GROUP BY
//!   <key>) g ON g.k = t0.<key>`, the value `COALESCE(g.v, 0)` for a `count`
//!   and `g.v` for `sum`, `min`, `max`, `avg` (a record with no related record
//!   has no group, and those aggregate nothing to nil: the correlated form's
//!   value). For a keyed first hop the key is the hop's own linking column
//!   (the destination's attribute, or a many_to_many join table's
//!   source-side one), compared with the source's; for a hop linked by a
//!   condition (`no_attributes`, a manual relationship's `condition`) the
//!   source table is inside the derived table, read as `s<n>`, so that
//!   `parent(..)` reads it, and the key is its primary key. A key is grouped
//!   and compared as `special::key` has it: on SQLite the decimals equal as
//!   numbers (`1.5`, `1.50`) are one group, which relates to both, and so
//!   are the equal JSON documents.
//!
//! **The rule**: a `count`, `sum`, `min`, `max` or `avg` computed for the
//! statement's own rows (an aggregate at the top of a read's filter, not
//! through a path nor inside `exists` or another aggregate's filter, and a
//! sort key on an aggregate; not a load's, a partitioned read whose rows
//! are the related records of given parents) is grouped, unless it is a `count` the index on
//! the linking column covers (one keyed hop, no relationship filter,
//! visibility condition nor aggregate filter): each correlated count is then
//! a search of that index alone (PostgreSQL: an index-only scan, 0.5-0.75x
//! the hand-written `GROUP BY`, where the grouped table scans the table,
//! 1.0x; SQLite: 20% fewer instructions than the grouped scan of the index).
//! `exists` (an `EXISTS` stops at the first related record and becomes a
//! semi-join), `first` (the first value in insertion order: no aggregate
//! function gives it on both dialects), loaded aggregates, and aggregates
//! anywhere else stay correlated.
//!
//! The grouped table is restricted to the records the rest of the
//! statement's filter selects: its top-level conjuncts that hold no
//! aggregate and the read's visibility condition, applied to the source
//! (`t1.rep_id IN (SELECT s.id .. WHERE <conjuncts>)`, or the conditions on
//! `s` itself), so that `id in ^ids and open_count > 3` computes the counts
//! of `ids` only. A record of the statement that the restriction drops fails
//! the same conjuncts in the statement's own `WHERE`, so no value it reads is
//! missing. When the restriction does not compile (an invalid filter) the
//! table is not restricted: the statement's own filter reports the error.
//!
//! On SQLite, a table that is not restricted (every record's group computed)
//! reads the first hop's table `NOT INDEXED`: one pass over it, rather than a
//! walk of the index on its linking column fetching each row it names (3 to
//! 10 times slower on 100,000 tickets). Measured on 1,000 representatives
//! and 100,000 tickets (`benches/aggregates`, README): the count of tickets
//! above each representative's threshold (through a `parent()`
//! relationship) went from 2.6-3.9 times the hand-written `GROUP BY` with the
//! correlated form (each representative's ~100 tickets fetched one by one)
//! to 0.9-1.1.

use super::super::aggregate::{self, Overflow, function, no_path};
use super::super::hop::{First, reached_as};
use super::super::operators::{Frag, Kind};
use super::super::special;
use super::super::text::{Mark, column, ident, sequence};
use super::{Compiler, Root, Slot};
use crate::data_layer::aggregate_path;
use crate::error::Result;
use crate::expr::{Aggregate, AggregateKind, Expr, Name};
use crate::resource::Schema;

/// The statement whose aggregates are grouped: its own table and the
/// conjuncts of its filter each grouped table is restricted by.
pub(in crate::data_layer::sql::build) struct Grouping<'p> {
    schema: &'static Schema,
    alias: String,
    /// The top-level conjuncts of the statement's filter that hold no
    /// aggregate (borrowed: most statements group nothing, and a load's
    /// filter holds every key it loads onto).
    restriction: Vec<&'p Expr>,
    /// The `LEFT JOIN`s of the grouped tables compiled so far, for the
    /// statement's `FROM`, each with when it was built and how many
    /// truncations of the parameters there were then: the text reading its
    /// value may be discarded after (a comparison of values of different
    /// types is nil), and then so is the join.
    joins: Vec<(Mark, usize, String)>,
}

/// Whether `kind` is grouped (see the module's rule).
fn grouped_kind(kind: AggregateKind) -> bool {
    matches!(
        kind,
        AggregateKind::Count
            | AggregateKind::Sum
            | AggregateKind::Min
            | AggregateKind::Max
            | AggregateKind::Avg
    )
}

impl<'p> Compiler<'p> {
    /// From now on the aggregates computed for the rows of `schema` read as
    /// `alias` (the statement's own table) at the top of its filter and in
    /// its sort keys are grouped, restricted by `filter`'s conjuncts that
    /// hold no aggregate.
    pub(in crate::data_layer::sql::build) fn group_aggregates(
        &mut self,
        schema: &'static Schema,
        alias: &str,
        filter: Option<&'p Expr>,
    ) {
        let restriction = filter
            .map(|f| {
                f.conjuncts()
                    .into_iter()
                    .filter(|c| !c.holds_aggregate())
                    .collect()
            })
            .unwrap_or_default();
        self.grouping = Some(Grouping {
            schema,
            alias: alias.to_owned(),
            restriction,
            joins: Vec::new(),
        });
    }

    /// Whether aggregates computed for the rows of `schema` read as `alias`
    /// are grouped.
    pub(in crate::data_layer::sql::build) fn groups_at(
        &self,
        schema: &'static Schema,
        alias: &str,
    ) -> bool {
        self.grouping
            .as_ref()
            .is_some_and(|g| std::ptr::eq(g.schema, schema) && g.alias == alias)
    }

    /// The `LEFT JOIN`s of the grouped aggregates compiled since the last
    /// call, for the statement's `FROM`.
    pub(in crate::data_layer::sql::build) fn grouped_joins(&mut self) -> String {
        let Some(grouping) = &mut self.grouping else {
            return String::new();
        };
        let params = &*self.params;
        std::mem::take(&mut grouping.joins)
            .into_iter()
            .filter(|(built, truncations, _)| !params.discarded_since(*built, *truncations))
            .map(|(_, _, join)| join)
            .collect()
    }

    /// The value of `aggregate` (of a field at `field`) for the rows of
    /// `schema` read as `alias`: grouped when the rule says so and this is
    /// the statement's own table, else its correlated subquery; an integer
    /// sum past `i64` is nil.
    pub(in crate::data_layer::sql::build) fn aggregate_value(
        &mut self,
        schema: &'static Schema,
        alias: &str,
        aggregate: &Aggregate,
        field: Option<usize>,
    ) -> Result<String> {
        if grouped_kind(aggregate.kind)
            && self.groups_at(schema, alias)
            && !self.covered(schema, aggregate)
        {
            return self.grouped(schema, aggregate, field);
        }
        let dialect = self.dialect;
        aggregate::subquery(
            dialect,
            self,
            schema,
            alias,
            aggregate,
            field,
            Overflow::Nil,
        )
    }

    /// An aggregate in a filter, on the alias of the slot `at` binds: grouped
    /// at the top of a statement's filter for its own rows, else correlated.
    /// Out of `node`, whose frame every level of a deep filter takes.
    #[inline(never)]
    pub(super) fn aggregate(
        &mut self,
        expr: &Expr,
        at: &[Name],
        aggregate: &Aggregate,
        slots: &[Slot<'_>],
        condition: bool,
    ) -> Result<Frag> {
        let slot = slots
            .iter()
            .find(|s| s.path == at)
            .ok_or_else(|| self.invalid(format!("unresolved path in `{expr}`")))?;
        let (schema, alias) = (slot.schema, slot.alias.clone());
        let target = aggregate_path::resolve(schema, aggregate)?;
        if aggregate.kind == AggregateKind::List {
            return Err(self.invalid(format!(
                "a `list` aggregate is no value a filter can use (in `{expr}`)"
            )));
        }
        if condition && aggregate.kind != AggregateKind::Exists {
            return Err(self.invalid(format!("`{expr}` is not a condition")));
        }
        let sql = if self.at_top {
            self.aggregate_value(schema, &alias, aggregate, target.field)?
        } else {
            let dialect = self.dialect;
            aggregate::subquery(
                dialect,
                self,
                schema,
                &alias,
                aggregate,
                target.field,
                Overflow::Nil,
            )?
        };
        // Through a path that reaches no record (a nil belongs_to, an empty
        // has_many's all-nil record), the aggregate is nil, as memory has
        // it, not the subquery's count of nothing (0) or `false`.
        let sql = if at.is_empty() {
            sql
        } else {
            let key = column(&alias, schema.primary_key().name);
            format!("(CASE WHEN {key} IS NULL THEN NULL ELSE {sql} END)")
        };
        Ok(Frag::new(sql, Kind::of_type(target.value_type)))
    }

    /// Whether `aggregate` reads nothing but the linking column of one keyed
    /// hop (a `count` with no filter, over a relationship with no `filter`
    /// option nor visibility condition on its destination): the index on
    /// that column holds all it reads.
    fn covered(&self, schema: &'static Schema, aggregate: &Aggregate) -> bool {
        let [name] = &aggregate.path[..] else {
            return false;
        };
        let Some(rel) = schema.relationship(name) else {
            return false;
        };
        aggregate.kind == AggregateKind::Count
            && aggregate.filter.is_none()
            && !rel.manual
            && !rel.linked_by_condition()
            && rel.through.is_none()
            && rel.filter.is_none()
            && (!self.scoped || self.visibility.of((rel.destination)()).is_none())
    }

    /// The grouped form of `aggregate` for the statement's own rows: its
    /// table joined (kept for [`grouped_joins`](Self::grouped_joins)) and
    /// the value read from it.
    fn grouped(
        &mut self,
        schema: &'static Schema,
        aggregate: &Aggregate,
        field: Option<usize>,
    ) -> Result<String> {
        let dialect = self.dialect;
        let Some(grouping) = &self.grouping else {
            unreachable!("`aggregate_value` groups only with a grouping");
        };
        let outer = grouping.alias.clone();
        let restriction = grouping.restriction.clone();
        let source = self.alias("s");
        let (hops, at, alias, filter) = aggregate::reach(self, schema, &source, aggregate)?;
        let restricted = self.restriction(schema, &source, &restriction);
        let key = hops.first().and_then(|hop| hop.own_key());
        let value = field
            .map(|i| column(&alias, at.attributes[i].name))
            .unwrap_or_default();
        let field_type = field.map(|i| at.attributes[i].value_type);
        let Some((aggregated, cast)) = function(
            dialect,
            aggregate.kind,
            &value,
            field_type,
            &sequence(dialect, &alias),
            Overflow::Nil,
        ) else {
            unreachable!("only kinds an aggregate function computes are grouped");
        };
        let how = First {
            unlinked: key.is_some(),
            scan: restricted.is_none(),
        };
        let (mut from, mut conditions) =
            reached_as(dialect, &hops, how).ok_or_else(|| no_path(schema, aggregate))?;
        conditions.extend(filter);
        let source_table = format!("{} {source}", ident(schema.table));
        let (key, outer_key, kind) = match key {
            Some((key, kind)) => {
                // A keyed hop (not linked by a condition) names its source
                // attribute.
                let rel = schema
                    .relationship(&aggregate.path[0])
                    .ok_or_else(|| no_path(schema, aggregate))?;
                if let Some(restricted) = restricted {
                    conditions.push(format!(
                        "{} IN (SELECT {} FROM {source_table}{} WHERE {})",
                        special::key(dialect, kind, &key),
                        special::key(dialect, kind, &column(&source, rel.source_attribute)),
                        restricted.joins,
                        restricted.conditions.join(" AND ")
                    ));
                }
                (key, column(&outer, rel.source_attribute), kind)
            }
            None => {
                let pk = schema.primary_key().name;
                let mut tables = source_table;
                if let Some(restricted) = restricted {
                    tables.push_str(&restricted.joins);
                    conditions.extend(restricted.conditions);
                }
                from = format!("{tables}, {from}");
                let kind = Kind::of_type(schema.primary_key().value_type);
                (column(&source, pk), column(&outer, pk), kind)
            }
        };
        let conditions = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        let g = self.alias("g");
        let join = format!(
            " LEFT JOIN (SELECT {key} AS k, ({aggregated}){cast} AS v FROM {from}{conditions} \
             GROUP BY {}) {g} ON {}",
            special::key(dialect, kind, &key),
            special::key_eq(dialect, kind, &format!("{g}.k"), &outer_key)
        );
        let built = self.params.point();
        let truncations = self.params.truncations();
        if let Some(grouping) = &mut self.grouping {
            grouping.joins.push((built, truncations, join));
        }
        Ok(match aggregate.kind {
            AggregateKind::Count => format!("COALESCE({g}.v, 0)"),
            _ => format!("{g}.v"),
        })
    }

    /// The conditions selecting the records of `schema` read as `source`
    /// that the statement's `restriction` and visibility condition keep;
    /// `None` when nothing restricts them, or when they do not compile (the
    /// statement's own filter reports the error).
    fn restriction(
        &mut self,
        schema: &'static Schema,
        source: &str,
        restriction: &[&Expr],
    ) -> Option<Root> {
        let mark = self.params.point();
        let mut compile = || -> Result<Root> {
            let mut root = Root::default();
            for conjunct in restriction {
                root.add(self.root(schema, source, conjunct)?);
            }
            if let Some(visible) = self.visible_root(schema, source)? {
                root.add(visible);
            }
            Ok(root)
        };
        match compile() {
            Ok(root) if !root.conditions.is_empty() => Some(root),
            Ok(_) => None,
            Err(_) => {
                self.params.truncate(mark);
                None
            }
        }
    }
}
