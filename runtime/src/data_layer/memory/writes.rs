//! Updates and destroys in memory, each under one write lock: the records are
//! selected as a read selects them (filter, visibility, sort and window),
//! checked as the SQL layers' constraints would check them, then changed in
//! place or removed, the others keeping their insertion order.
//!
//! - An update's belongs_to keys must name a stored record, as on create
//!   (`check_references`): the same `Constraint::ForeignKey`.
//! - A destroy of a record that a belongs_to key of a record not destroyed
//!   with it names is refused, as SQL's foreign keys (`NO ACTION`) refuse it:
//!   a `Constraint::ForeignKey` naming the destroyed resource and no attribute.

use foldhash::HashSet;

use super::*;
use crate::data_layer::check_request;
use crate::data_layer::store::{remove_rows, replace_rows};

impl Memory {
    /// Updates what `request` selects with `changes`: see
    /// [`DataLayer::update`].
    pub(super) fn update_now(&self, request: &ReadRequest, changes: &Changes) -> Result<Records> {
        let schema = request.schema;
        check_request(request, "update")?;
        changes.check(schema)?;
        let mut tables = self.tables.write().unwrap_or_else(PoisonError::into_inner);
        let positions = positions(&tables, request)?;
        let stored = tables
            .get(schema.name)
            .ok_or_else(|| not_registered(schema))?;
        let width = schema.attributes.len();
        let mut rows = Rows::with_capacity(width, positions.len());
        for &p in &positions {
            rows.push((0..width).map(|a| stored.table.get(p, a)))?;
            let last = rows.len() - 1;
            changes.apply(&mut rows[last]);
        }
        check_references(&tables, schema, &rows)?;
        // The new values against every identity, the records replaced aside.
        super::identities::check(schema, &*stored.table, &positions, &rows)?;
        let stored = super::stored_mut(&mut tables, schema)?;
        let records = replace_rows(&mut *stored.table, schema, &positions, &mut rows)?;
        Ok(Records::Typed(records))
    }

    /// Destroys what `request` selects: see [`DataLayer::destroy`].
    pub(super) fn destroy_now(&self, request: &ReadRequest) -> Result<Records> {
        let schema = request.schema;
        check_request(request, "destroy")?;
        let mut tables = self.tables.write().unwrap_or_else(PoisonError::into_inner);
        let positions = positions(&tables, request)?;
        let stored = tables
            .get(schema.name)
            .ok_or_else(|| not_registered(schema))?;
        let pk = schema.primary_key;
        let keys: HashSet<Value> = positions.iter().map(|&p| stored.table.get(p, pk)).collect();
        check_referrers(&tables, schema, &keys, &positions)?;
        let stored = super::stored_mut(&mut tables, schema)?;
        let records = remove_rows(&mut *stored.table, &positions);
        if !positions.is_empty() {
            // Positions after the first removed one moved: index them again.
            let mut primary = KeyIndex::new(schema.primary_key().value_type);
            for row in 0..stored.table.len() {
                primary.insert(stored.table.get(row, pk), row);
            }
            stored.primary = primary;
        }
        Ok(Records::Typed(records))
    }
}

/// The positions of the records `request` selects, ascending (insertion
/// order, whatever its sort).
fn positions(tables: &super::Store, request: &ReadRequest) -> Result<Vec<usize>> {
    let schema = request.schema;
    let table = tables.table(schema).ok_or_else(|| not_registered(schema))?;
    let sort = sort_keys(request, tables)?;
    let filter = Filter::compile(schema, request.filter.as_ref(), &request.visibility, tables)?;
    let mut rows = selected(table, filter.as_ref(), &sort, request.offset, request.limit);
    rows.sort_unstable();
    Ok(rows)
}

/// Refuses to destroy the records of `schema` with primary keys `keys` (at
/// `positions`) when a stored record that is not destroyed with them names one
/// through a belongs_to (not manual) keyed by `schema`'s primary key: what
/// SQL's foreign keys refuse.
fn check_referrers(
    tables: &super::Store,
    schema: &'static Schema,
    keys: &HashSet<Value>,
    positions: &[usize],
) -> Result<()> {
    if keys.is_empty() {
        return Ok(());
    }
    let destroyed: HashSet<usize> = positions.iter().copied().collect();
    for other in tables.values() {
        for rel in other.schema.relationships {
            if rel.manual || rel.kind != RelationshipKind::BelongsTo {
                continue;
            }
            let destination = (rel.destination)();
            if destination.name != schema.name
                || destination.primary_key().name != rel.destination_attribute()
            {
                continue;
            }
            let Some(source) = other.schema.attribute_index(rel.source_attribute) else {
                continue;
            };
            let itself = other.schema.name == schema.name;
            for row in 0..other.table.len() {
                if itself && destroyed.contains(&row) {
                    continue;
                }
                let key = other.table.get(row, source);
                if !key.is_null() && keys.contains(&key) {
                    return Err(Error::new(ErrorKind::Constraint {
                        resource: schema.name,
                        attribute: None,
                        identity: None,
                        constraint: Constraint::ForeignKey,
                        source: format!(
                            "{} {key} is still named by `{}` of a {}",
                            schema.name, rel.source_attribute, other.schema.name
                        )
                        .into(),
                    }));
                }
            }
        }
    }
    Ok(())
}
