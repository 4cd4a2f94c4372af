//! Records judged by their own content: a resource's visibility condition
//! evaluated on records that did not come from its table (what a manual loader
//! returned, whatever it read or built), so what reaches the caller is what the
//! caller may read, not merely a key it may read.
//!
//! The condition's own attributes are read from the records as they are. The
//! records its relationship paths reach (attribute paths, `exists`, and the
//! paths of the relationships' `filter` options) are read from the data layer
//! first, one read per hop of the paths (destination key `in` the values of
//! the records the hop starts from; a many_to_many hop, one read of the join
//! resource and one of the destination), without visibility conditions, as a
//! visibility condition's own paths are unscoped (see `eval`). They are held in
//! memory, and the in-memory evaluator evaluates the condition with paths
//! starting from the records' own content: the semantics of a read, on every
//! layer.

use std::ops::Range;

use foldhash::{HashMap, HashSet};

use super::eval::{Filter, KeyIndex, Tables};
use super::store::{Table, append_rows};
use super::{DataLayer, ReadRequest, Records, Visibility};
use crate::error::{Error, ErrorKind, Result};
use crate::expr::{Expr, MAX_FILTER_DEPTH, Name};
use crate::resource::{RelationshipInfo, Schema};
use crate::value::Value;

/// Whether each record of `rows` (records of `schema`) satisfies
/// `visibility`'s condition on `schema`, in row order; every record does when
/// there is none. Reads what the condition's paths reach from `layer`.
pub(crate) async fn visible(
    layer: &dyn DataLayer,
    schema: &'static Schema,
    visibility: &Visibility,
    rows: &dyn Table,
) -> Result<Vec<bool>> {
    let Some(condition) = visibility.of(schema) else {
        return Ok(vec![true; rows.len()]);
    };
    condition.check_depth(
        schema.name,
        &format_args!("the tenant and policy condition on {}", schema.name),
    )?;
    let mut hops = Vec::new();
    plan(schema, condition, &mut hops, 0)?;
    let held = fetch(layer, schema, &hops, rows).await?.indexed();
    let filter = Filter::visible_in(schema, rows, visibility, &held)?;
    Ok((0..rows.len())
        .map(|row| filter.as_ref().is_none_or(|f| f.matches(row)))
        .collect())
}

/// One relationship hop of a condition's paths, and the hops after it.
struct Hop {
    relationship: &'static RelationshipInfo,
    next: Vec<Hop>,
}

/// Adds the hops of `expr`, evaluated on records of `schema`, to `hops`.
/// `depth` counts the relationship filters and `exists` entered, bounded by
/// [`MAX_FILTER_DEPTH`] (relationship filters may lead into each other).
fn plan(schema: &'static Schema, expr: &Expr, hops: &mut Vec<Hop>, depth: usize) -> Result<()> {
    if depth > MAX_FILTER_DEPTH {
        return Err(Error::new(ErrorKind::InvalidQuery {
            resource: schema.name,
            message: format!(
                "the tenant and policy condition on {} goes through more than \
                 MAX_FILTER_DEPTH ({MAX_FILTER_DEPTH}) relationship filters",
                schema.name
            ),
        }));
    }
    let mut stack = vec![expr];
    while let Some(expr) = stack.pop() {
        match expr {
            Expr::Attr { path, .. } => add_path(schema, path, hops, None, depth)?,
            Expr::Exists { path, expr } => add_path(schema, path, hops, Some(expr), depth + 1)?,
            Expr::Aggregate { at, aggregate } => {
                let path: Vec<Name> = at.iter().chain(&aggregate.path).cloned().collect();
                add_path(schema, &path, hops, aggregate.filter.as_ref(), depth + 1)?
            }
            _ => stack.extend(expr.operands().into_iter().flatten()),
        }
    }
    Ok(())
}

/// Adds the hops of `path` from `schema` to `hops`, then those of `then`
/// (an `exists`' condition) from where the path ends. A name that is no
/// relationship, or a manual one, adds nothing: evaluating names the error.
fn add_path(
    schema: &'static Schema,
    path: &[Name],
    hops: &mut Vec<Hop>,
    then: Option<&Expr>,
    depth: usize,
) -> Result<()> {
    let Some((name, rest)) = path.split_first() else {
        return then.map_or(Ok(()), |e| plan(schema, e, hops, depth));
    };
    let Some(relationship) = schema.relationship(name) else {
        return Ok(());
    };
    if relationship.linked_by_condition() {
        // Its records are linked by a condition, not by keys to read by.
        return Err(Error::new(ErrorKind::InvalidQuery {
            resource: schema.name,
            message: format!(
                "a tenant or policy condition checked on the records a manual loader \
                 returned cannot go through relationship `{name}` of {}, which a condition \
                 links (not keys)",
                schema.name
            ),
        }));
    }
    if relationship.manual {
        // Evaluating names the error.
        return Ok(());
    }
    let destination = (relationship.destination)();
    let at = match hops
        .iter()
        .position(|h| std::ptr::eq(h.relationship, relationship))
    {
        Some(at) => at,
        None => {
            let mut hop = Hop {
                relationship,
                next: Vec::new(),
            };
            if let Some(filter) = relationship.filter {
                plan(destination, &filter(), &mut hop.next, depth + 1)?;
            }
            hops.push(hop);
            hops.len() - 1
        }
    };
    add_path(destination, rest, &mut hops[at].next, then, depth)
}

/// Reads what `hops` reach from the records of `rows` (of `schema`), hop by
/// hop: each hop's destination records linked to the records its previous hop
/// read.
async fn fetch(
    layer: &dyn DataLayer,
    schema: &'static Schema,
    hops: &[Hop],
    rows: &dyn Table,
) -> Result<Held> {
    let mut held = Held::default();
    // A hop, the resource it starts from, and the held rows it starts from
    // (`None`: the records of `rows`).
    let mut queue: Vec<(&Hop, &'static Schema, Option<Range<usize>>)> =
        hops.iter().map(|hop| (hop, schema, None)).collect();
    while let Some((hop, from, source)) = queue.pop() {
        let relationship = hop.relationship;
        let keys = match source {
            None => values(rows, from, relationship.source_attribute, 0..rows.len()),
            Some(range) => values(
                held.table_mut(from),
                from,
                relationship.source_attribute,
                range,
            ),
        };
        let destination = (relationship.destination)();
        let attribute = relationship.destination_attribute();
        let read = match &relationship.through {
            None => held.read(layer, destination, attribute, keys).await?,
            Some(through) => {
                let join = (through.resource)();
                let joined = held
                    .read(layer, join, through.source_attribute_on_join_resource, keys)
                    .await?;
                let keys = values(
                    held.table_mut(join),
                    join,
                    through.destination_attribute_on_join_resource,
                    joined,
                );
                held.read(layer, destination, attribute, keys).await?
            }
        };
        queue.extend(
            hop.next
                .iter()
                .map(|next| (next, destination, Some(read.clone()))),
        );
    }
    Ok(held)
}

/// The distinct non-nil values of `attribute` on rows `range` of `table` (of
/// `schema`); none when `schema` has no such attribute (evaluating names it).
fn values(table: &dyn Table, schema: &Schema, attribute: &str, range: Range<usize>) -> Vec<Value> {
    let Some(attr) = schema.attribute_index(attribute) else {
        return Vec::new();
    };
    let mut seen = HashSet::default();
    range
        .map(|row| table.get(row, attr))
        .filter(|v| !v.is_null() && seen.insert(v.clone()))
        .collect()
}

/// The records read for a check, by resource, with their primary-key indexes
/// once every read is done.
#[derive(Default)]
struct Held {
    tables: HashMap<&'static str, HeldTable>,
}

/// One resource's records read for a check.
struct HeldTable {
    schema: &'static Schema,
    table: Box<dyn Table>,
    /// Built by [`Held::indexed`].
    primary: Option<KeyIndex>,
}

impl Tables for Held {
    fn table(&self, schema: &Schema) -> Option<&dyn Table> {
        self.tables.get(schema.name).map(|t| &*t.table)
    }
    fn primary_index(&self, schema: &Schema) -> Option<&KeyIndex> {
        self.tables
            .get(schema.name)
            .and_then(|t| t.primary.as_ref())
    }
}

impl Held {
    /// The table of `schema`'s records read so far (empty at first).
    fn table_mut(&mut self, schema: &'static Schema) -> &mut dyn Table {
        &mut *self
            .tables
            .entry(schema.name)
            .or_insert_with(|| HeldTable {
                schema,
                table: (schema.new_table)(),
                primary: None,
            })
            .table
    }

    /// Reads the records of `schema` whose `attribute` is one of `keys` into
    /// its table; returns the rows they are at.
    async fn read(
        &mut self,
        layer: &dyn DataLayer,
        schema: &'static Schema,
        attribute: &'static str,
        keys: Vec<Value>,
    ) -> Result<Range<usize>> {
        let start = self.table_mut(schema).len();
        if keys.is_empty() {
            return Ok(start..start);
        }
        let mut request = ReadRequest::new(schema);
        request.filter = Some(Expr::is_in(Expr::attr(attribute), keys));
        let records = layer.read(request).await?.records;
        let table = self.table_mut(schema);
        match records {
            Records::Typed(records) => table.append(records)?,
            Records::Rows(rows) => {
                append_rows(table, schema, rows)?;
            }
            Records::Grouped(_) => {
                return Err(Error::data_layer(format!(
                    "grouped records came back for an ungrouped read of {}",
                    schema.name
                )));
            }
        }
        Ok(start..table.len())
    }

    /// With the primary-key index of every table built (a record read twice
    /// is the same stored record; the index finds one of its rows).
    fn indexed(mut self) -> Self {
        for held in self.tables.values_mut() {
            let pk = held.schema.primary_key;
            let mut index = KeyIndex::new(held.schema.attributes[pk].value_type);
            for row in 0..held.table.len() {
                index.insert(held.table.get(row, pk), row);
            }
            held.primary = Some(index);
        }
        self
    }
}

#[cfg(test)]
mod tests;
