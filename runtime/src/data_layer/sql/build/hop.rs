//! Relationship hops as SQL: the LEFT JOIN of a path binding and the tables of
//! an `exists`.
//!
//! A hop links the destination's attribute to the source's (or, for
//! many_to_many, the join table's two attributes to each); the relationship's
//! `filter` option and the destination's visibility condition join the ON
//! condition of the destination, and so does the join resource's visibility
//! condition (on the join table's alias, in scope there: the join table and the
//! destination are always inner-joined together). A many_to_many hop
//! of a path left-joins the join table and the destination as one parenthesized
//! inner join, so a join record whose destination is missing or filtered out adds
//! no all-NULL row beside the related records.
//!
//! Keys compare as `special::key` has them: a decimal key relates the records
//! whose key is equal as a number (`1.5`, `1.50`), a JSON key the documents
//! equal to it, on SQLite too; every other key compares with a plain `=`.
//!
//! A hop through a has_one (or belongs_to) that may reach several records
//! reaches the first of them alone ([`Hop::first_only`]): its destination's
//! primary key equal to a scalar subquery picking the first of the records
//! the hop would reach (`ORDER BY` the relationship's sort, then insertion
//! order, `LIMIT 1`). It is linked by that condition, not a key, like a
//! `no_attributes` hop, so every form below reads it alike.
//!
//! A grouped aggregate (`filter::grouped`) reads the same tables without the
//! first hop's link, grouped by that hop's own linking column, and on SQLite
//! may read the first table `NOT INDEXED` ([`First`]).

use super::super::Dialect;
use super::operators::Kind;
use super::special::{key, key_eq, term};
use super::text::{boolean, column, ident, sequence};
use crate::resource::Schema;
use crate::sort::Order;

/// One relationship hop to the destination read as `alias`.
pub(super) struct Hop {
    /// The source's linking column (`t0."rep_id"`).
    pub(super) source: String,
    pub(super) dest_table: &'static str,
    pub(super) alias: String,
    /// The destination's linking attribute.
    pub(super) dest_attr: &'static str,
    /// many_to_many: the join table, its alias, its source-side and its
    /// destination-side attribute.
    pub(super) join: Option<(&'static str, String, &'static str, &'static str)>,
    /// The kind of `source` and of the key compared with it (`dest_attr`,
    /// or the join table's source-side attribute).
    pub(super) key: Kind,
    /// The kind of `dest_attr` and of the key compared with it (`source`, or
    /// the join table's destination-side attribute).
    pub(super) dest_key: Kind,
    /// The relationship's `filter` option and the destination's visibility
    /// condition, on `alias`.
    pub(super) filter: Option<String>,
    /// many_to_many: the join resource's visibility condition, on the join
    /// table's alias.
    pub(super) join_filter: Option<String>,
    /// Whether `source` and `dest_attr` link the records: false for a
    /// `no_attributes` relationship, whose `filter` (correlated to the
    /// source's alias through `parent(..)`) alone does.
    pub(super) keyed: bool,
}

impl Hop {
    /// The condition linking the destination to the source (or to the join
    /// table), the relationship filter and the visibility conditions.
    pub(super) fn dest_on(&self, dialect: Dialect) -> String {
        // Written into one string: every statement through a relationship
        // has one per hop.
        let mut on = String::new();
        if self.keyed {
            on.push_str(&key(
                dialect,
                self.dest_key,
                &column(&self.alias, self.dest_attr),
            ));
            on.push_str(" = ");
            match &self.join {
                None => on.push_str(&key(dialect, self.key, &self.source)),
                Some((_, join_alias, _, dest_side)) => {
                    on.push_str(&key(dialect, self.dest_key, &column(join_alias, dest_side)));
                }
            }
        }
        for condition in [&self.filter, &self.join_filter].into_iter().flatten() {
            if !on.is_empty() {
                on.push_str(" AND ");
            }
            on.push_str(condition);
        }
        if on.is_empty() {
            // A `no_attributes` relationship without a filter relates every
            // destination record.
            return boolean(dialect, true).to_owned();
        }
        on
    }

    /// The hop that reaches only the first of the records `self` reaches
    /// (`dest`'s records, all read as `self`'s alias in a subquery), in
    /// the order `by` (attribute positions on `dest`) then insertion order,
    /// read as `alias`.
    pub(super) fn first_only(
        self,
        dialect: Dialect,
        dest: &'static Schema,
        by: &[(usize, Order)],
        alias: String,
    ) -> Hop {
        let mut order: Vec<String> = by
            .iter()
            .map(|&(attr, o)| {
                let attribute = &dest.attributes[attr];
                term(
                    dialect,
                    &column(&self.alias, attribute.name),
                    attribute.value_type,
                    o,
                )
            })
            .collect();
        order.push(sequence(dialect, &self.alias));
        let pk = dest.primary_key();
        let kind = Kind::of_type(pk.value_type);
        let (from, conditions) = self.first(dialect, First::default());
        let first = format!(
            "(SELECT {} FROM {from} WHERE {} ORDER BY {} LIMIT 1)",
            column(&self.alias, pk.name),
            conditions.join(" AND "),
            order.join(", ")
        );
        Hop {
            source: String::new(),
            dest_table: self.dest_table,
            filter: Some(key_eq(dialect, kind, &column(&alias, pk.name), &first)),
            alias,
            dest_attr: pk.name,
            join: None,
            key: kind,
            dest_key: kind,
            join_filter: None,
            keyed: false,
        }
    }

    /// The destination table and its alias.
    pub(super) fn dest(&self) -> String {
        let mut dest = ident(self.dest_table);
        dest.push(' ');
        dest.push_str(&self.alias);
        dest
    }

    /// `LEFT JOIN` of a binding.
    pub(super) fn left_join(&self, dialect: Dialect) -> String {
        match &self.join {
            None => format!(" LEFT JOIN {} ON {}", self.dest(), self.dest_on(dialect)),
            Some((table, join_alias, source_side, _)) => format!(
                " LEFT JOIN ({} {join_alias} JOIN {} ON {}) ON {}",
                ident(table),
                self.dest(),
                self.dest_on(dialect),
                self.join_link(dialect, join_alias, source_side)
            ),
        }
    }

    /// The hop as the first table of an `exists` (the link to the outer alias
    /// goes to the WHERE clause) and its WHERE conditions; see [`First`].
    fn first(&self, dialect: Dialect, how: First) -> (String, Vec<String>) {
        let scan = if how.scan && dialect == Dialect::Sqlite {
            " NOT INDEXED"
        } else {
            ""
        };
        match &self.join {
            None if how.unlinked => {
                let own = [&self.filter, &self.join_filter];
                let conditions = own.into_iter().flatten().cloned().collect();
                (format!("{}{scan}", self.dest()), conditions)
            }
            None => (
                format!("{}{scan}", self.dest()),
                vec![self.dest_on(dialect)],
            ),
            Some((table, join_alias, source_side, _)) => (
                format!(
                    "{} {join_alias}{scan} JOIN {} ON {}",
                    ident(table),
                    self.dest(),
                    self.dest_on(dialect)
                ),
                if how.unlinked {
                    Vec::new()
                } else {
                    vec![self.join_link(dialect, join_alias, source_side)]
                },
            ),
        }
    }

    /// The column of the hop's own side that its link compares with the
    /// source's (the destination's attribute, or the join table's
    /// source-side one), and the kind of both. `None` for a hop linked by a
    /// condition.
    pub(super) fn own_key(&self) -> Option<(String, Kind)> {
        if !self.keyed {
            return None;
        }
        Some(match &self.join {
            None => (column(&self.alias, self.dest_attr), self.dest_key),
            Some((_, join_alias, source_side, _)) => (column(join_alias, source_side), self.key),
        })
    }

    /// many_to_many: the join table's source-side attribute equal to the
    /// source's.
    fn join_link(&self, dialect: Dialect, join_alias: &str, source_side: &str) -> String {
        key_eq(
            dialect,
            self.key,
            &column(join_alias, source_side),
            &self.source,
        )
    }

    /// The hop as a later table of an `exists`.
    fn inner_join(&self, dialect: Dialect) -> String {
        match &self.join {
            None => format!(" JOIN {} ON {}", self.dest(), self.dest_on(dialect)),
            Some((table, join_alias, source_side, _)) => format!(
                " JOIN {} {join_alias} ON {} JOIN {} ON {}",
                ident(table),
                self.join_link(dialect, join_alias, source_side),
                self.dest(),
                self.dest_on(dialect)
            ),
        }
    }
}

/// `EXISTS` over the records reached through `hops`, tested with `inner` (a
/// condition on the last hop's alias).
pub(super) fn exists(dialect: Dialect, hops: &[Hop], inner: String) -> String {
    let Some((from, mut conditions)) = reached(dialect, hops) else {
        // An empty path tests the record itself, still never nil.
        return format!("COALESCE({inner}, {})", boolean(dialect, false));
    };
    conditions.push(inner);
    format!(
        "EXISTS (SELECT 1 FROM {from} WHERE {})",
        conditions.join(" AND ")
    )
}

/// The tables of the records reached through `hops` (inner-joined, the first
/// one's link to the outer alias left to the WHERE clause) and the WHERE
/// conditions so far: what `exists` and an aggregate select from. `None` for
/// no hop.
pub(super) fn reached(dialect: Dialect, hops: &[Hop]) -> Option<(String, Vec<String>)> {
    reached_as(dialect, hops, First::default())
}

/// How the first hop's table is read by [`reached_as`].
#[derive(Clone, Copy, Default)]
pub(super) struct First {
    /// Without its link to the source (a grouped aggregate groups by
    /// [`Hop::own_key`] instead).
    pub(super) unlinked: bool,
    /// On SQLite, `NOT INDEXED`: one pass over the table rather than a walk
    /// of an index fetching each row it names.
    pub(super) scan: bool,
}

/// [`reached`], the first hop's table read as `how` says.
pub(super) fn reached_as(
    dialect: Dialect,
    hops: &[Hop],
    how: First,
) -> Option<(String, Vec<String>)> {
    let (first, rest) = hops.split_first()?;
    let (mut from, conditions) = first.first(dialect, how);
    for hop in rest {
        from.push_str(&hop.inner_join(dialect));
    }
    Some((from, conditions))
}
