//! The hops of a filter through relationships: a keyed one (a column equal
//! to another, through a many_to_many's join table), one linked by a
//! condition (`no_attributes`, a manual relationship's `condition`) whose
//! `parent(..)` reads the source's row, and that `parent(..)` itself. Each
//! hop's destination carries the relationship's `filter` and the
//! destination's visibility in its `ON` condition (see `filter`). A has_one
//! (or belongs_to) that may reach several records reaches the first of those
//! alone (`hop::Hop::first_only`).

use super::super::hop::Hop;
use super::super::operators::{Frag, Kind};
use super::super::text::column;
use super::Compiler;
use crate::data_layer::sort_path;
use crate::error::Result;
use crate::expr::Expr;
use crate::resource::{RelationshipInfo, Schema};
use crate::value::ValueType;

impl Compiler<'_> {
    /// The hop through relationship `name` of `schema`, read from
    /// `source_alias`: to the first record alone for a has_one (or
    /// belongs_to) that may reach several (`sort_path::first_by`).
    pub(in crate::data_layer::sql::build) fn hop(
        &mut self,
        schema: &'static Schema,
        name: &str,
        source_alias: &str,
    ) -> Result<(Hop, &'static Schema)> {
        let Some(rel) = schema.relationship(name) else {
            return Err(self.invalid(format!("no relationship named `{name}` on {}", schema.name)));
        };
        if rel.manual && !rel.linked_by_condition() {
            return Err(self.invalid(format!(
                "relationship `{name}` of {} is manual; a filter cannot go through it",
                schema.name
            )));
        }
        let first_by = sort_path::path_first_by(rel, schema, self.root.name)?;
        let (hop, dest) = if rel.linked_by_condition() {
            self.parent_hop(schema, rel, source_alias)?
        } else {
            self.keyed_hop(schema, rel, source_alias)?
        };
        Ok(match first_by {
            None => (hop, dest),
            Some(by) => {
                let alias = self.alias("t");
                (hop.first_only(self.dialect, dest, &by, alias), dest)
            }
        })
    }

    /// The hop through `rel` of `schema` linked by keys (through a
    /// many_to_many's join table), read from `source_alias`.
    fn keyed_hop(
        &mut self,
        schema: &'static Schema,
        rel: &'static RelationshipInfo,
        source_alias: &str,
    ) -> Result<(Hop, &'static Schema)> {
        let dest = (rel.destination)();
        let key = Kind::of_type(self.attribute(schema, rel.source_attribute, &[])?);
        let dest_key = Kind::of_type(self.attribute(dest, rel.destination_attribute(), &[])?);
        let join = match &rel.through {
            None => None,
            Some(t) => {
                let join = (t.resource)();
                self.attribute(join, t.source_attribute_on_join_resource, &[])?;
                self.attribute(join, t.destination_attribute_on_join_resource, &[])?;
                Some((
                    join,
                    self.alias("j"),
                    t.source_attribute_on_join_resource,
                    t.destination_attribute_on_join_resource,
                ))
            }
        };
        let alias = self.alias("t");
        let mut conditions = Vec::new();
        if let Some(filter) = rel.checked_filter(schema, self.root.name)? {
            conditions.push(self.scope(dest, &alias, &filter)?);
        }
        conditions.extend(self.visible(dest, &alias)?);
        let filter = (!conditions.is_empty()).then(|| conditions.join(" AND "));
        let join_filter = match &join {
            Some((join, join_alias, _, _)) => self.visible(join, join_alias)?,
            None => None,
        };
        let hop = Hop {
            source: column(source_alias, rel.source_attribute),
            dest_table: dest.table,
            alias,
            dest_attr: rel.destination_attribute(),
            join: join.map(|(join, alias, source, dest)| (join.table, alias, source, dest)),
            key,
            dest_key,
            filter,
            join_filter,
            keyed: true,
        };
        Ok((hop, dest))
    }

    /// The hop through `rel` of `schema`, linked by a condition (a
    /// `no_attributes` relationship, or a manual one with a `condition`),
    /// read from `source_alias`: the condition, with `parent(..)` reading
    /// that alias, is what links the destination's rows.
    pub(in crate::data_layer::sql::build) fn parent_hop(
        &mut self,
        schema: &'static Schema,
        rel: &'static RelationshipInfo,
        source_alias: &str,
    ) -> Result<(Hop, &'static Schema)> {
        let dest = (rel.destination)();
        let alias = self.alias("t");
        let mut conditions = Vec::new();
        if let Some(filter) = rel.linking_condition(schema, self.root.name)? {
            conditions.push(self.correlated(schema, source_alias, dest, &alias, &filter)?);
        }
        conditions.extend(self.visible(dest, &alias)?);
        let hop = Hop {
            source: String::new(),
            dest_table: dest.table,
            dest_attr: dest.primary_key().name,
            alias,
            join: None,
            // No key links the records: the primary key's kind, unused.
            key: Kind::of_type(dest.primary_key().value_type),
            dest_key: Kind::of_type(dest.primary_key().value_type),
            filter: (!conditions.is_empty()).then(|| conditions.join(" AND ")),
            join_filter: None,
            keyed: false,
        };
        Ok((hop, dest))
    }

    /// `filter` (a `no_attributes` relationship's, or a manual
    /// relationship's condition) on the rows of `dest` read as `alias`, its
    /// `parent(..)` reading the rows of `source` read as `source_alias`.
    pub(in crate::data_layer::sql::build) fn correlated(
        &mut self,
        source: &'static Schema,
        source_alias: &str,
        dest: &'static Schema,
        alias: &str,
        filter: &Expr,
    ) -> Result<String> {
        let outer = self.parent.replace((source, source_alias.to_owned()));
        let condition = self.scope(dest, alias, filter);
        self.parent = outer;
        condition
    }

    /// `parent(name)`: the column of the source of the `no_attributes` hop
    /// being compiled. Out of `node`, whose frame every level of a deep
    /// filter takes.
    #[inline(never)]
    pub(super) fn parent_column(&self, name: &str, condition: bool) -> Result<Frag> {
        let Some((schema, alias)) = &self.parent else {
            return Err(self.invalid(format!(
                "`parent({name})` reads the source record of a relationship, so it is only \
                 allowed in the filter of a `no_attributes` relationship"
            )));
        };
        let Some(attribute) = schema.attribute(name) else {
            return Err(self.invalid(format!(
                "no attribute named `{name}` on {} (in `parent({name})`)",
                schema.name
            )));
        };
        if condition && attribute.value_type != ValueType::Bool {
            return Err(self.invalid(format!("`parent({name})` is not a condition")));
        }
        Ok(Frag::new(
            column(alias, name),
            Kind::of_type(attribute.value_type),
        ))
    }
}
