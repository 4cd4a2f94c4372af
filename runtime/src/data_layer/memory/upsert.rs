//! The in-memory upsert: each row finds a stored record by the upsert's
//! identity (in its tenant, nils never matching); a record found is replaced
//! in place by itself with the row's values of the attributes the upsert
//! updates, the other rows are appended as a create appends them. A record
//! found that the upsert may not update (`Upsert::visibility`, tested under
//! the same write lock) fails the call before anything is written. Keys,
//! references and identities are checked on everything written before
//! anything is (identities row by row, as the databases check them), so it is
//! all or nothing; the records come back in the order of the rows.

use std::ops::Range;

use super::keys::{assign_keys, check_primary_keys};
use super::{Memory, Stored, check_references, identities, not_registered};
use crate::data_layer::eval::Filter;
use crate::data_layer::store::append_rows;
use crate::data_layer::{Records, Upsert};
use crate::error::Result;
use crate::resource::{Row, Rows, Schema};
use crate::value::Value;

impl Memory {
    pub(super) fn upsert_now(
        &self,
        schema: &'static Schema,
        mut rows: Rows,
        upsert: &Upsert,
    ) -> Result<Records> {
        let mut tables = self
            .tables
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let stored = tables
            .get(schema.name)
            .ok_or_else(|| not_registered(schema))?;
        // Every row has the width of the first.
        if let Some(row) = rows.get(0) {
            schema.check_row(row)?;
        }
        // Every row gets a key, found or not, as the SQL layers give one to
        // every row they insert or find.
        assign_keys(schema, stored.max_int, &mut rows)?;

        // The records found (position, replaced by its merged row) first, then
        // the rows to append; `order` says where each row of `rows` went.
        let found = identities::index(schema, &*stored.table, upsert.identity);
        let mut replaced = Vec::new();
        let mut updates = Vec::new();
        let mut inserts = Vec::new();
        let mut order = Vec::with_capacity(rows.len());
        for row in rows.into_rows() {
            let position = upsert
                .identity
                .values_of(schema, &row)
                .and_then(|values| found.get(&values).copied());
            match position {
                Some(position) => {
                    let mut merged: Row = (0..schema.attributes.len())
                        .map(|attr| stored.table.get(position, attr))
                        .collect();
                    for &attr in &upsert.update {
                        merged[attr] = row[attr].clone();
                    }
                    order.push(Place::Updated(updates.len()));
                    replaced.push(position);
                    updates.push(merged);
                }
                None => {
                    order.push(Place::Inserted(inserts.len()));
                    inserts.push(row);
                }
            }
        }

        // The records found are tested against what the upsert may update
        // under the same lock as the write: no other writer comes between.
        if !replaced.is_empty()
            && !upsert.visibility.is_empty()
            && let Some(updatable) = Filter::visible(schema, schema, &upsert.visibility, &*tables)?
            && !replaced.iter().all(|&position| updatable.matches(position))
        {
            return Err(Upsert::forbidden(schema));
        }

        let width = schema.attributes.len();
        let written = Rows::from_rows(width, updates.iter().chain(&inserts).cloned().collect())?;
        check_references(&tables, schema, &written)?;
        let stored = super::stored_mut(&mut tables, schema)?;
        check_primary_keys(schema, stored, &Rows::from_rows(width, inserts.clone())?)?;
        // In the rows' order, as the databases check an upsert.
        let steps: Vec<(Option<usize>, &[Value])> = order
            .iter()
            .map(|place| match *place {
                Place::Updated(i) => (Some(replaced[i]), &updates[i][..]),
                Place::Inserted(i) => (None, &inserts[i][..]),
            })
            .collect();
        identities::check_in_order(schema, &*stored.table, &steps)?;

        let inserted = write(stored, schema, inserts, &replaced, updates)?;
        let positions: Vec<usize> = order
            .into_iter()
            .map(|place| match place {
                Place::Updated(i) => replaced[i],
                Place::Inserted(i) => inserted.start + i,
            })
            .collect();
        Ok(Records::Typed(stored.table.select(&positions)))
    }
}

/// Where one row of an upsert went.
enum Place {
    /// It updated the `i`th record found.
    Updated(usize),
    /// It was the `i`th row appended.
    Inserted(usize),
}

/// Appends `inserts` and replaces the records at `replaced` by `updates`, all or
/// nothing; the positions of the records appended.
fn write(
    stored: &mut Stored,
    schema: &'static Schema,
    inserts: Vec<Row>,
    replaced: &[usize],
    updates: Vec<Row>,
) -> Result<Range<usize>> {
    let pk = schema.primary_key;
    let keys: Vec<Value> = inserts.iter().map(|r| r[pk].clone()).collect();
    let inserted_max = keys
        .iter()
        .filter_map(|k| match k {
            Value::Int(i) => Some(*i),
            _ => None,
        })
        .max();
    let table = &mut *stored.table;
    let inserted = append_rows(table, schema, inserts)?;
    // The new versions go after the rows appended, then swap places with the
    // old ones, which are dropped.
    if let Err(e) = append_rows(table, schema, updates) {
        table.truncate(inserted.start);
        return Err(e);
    }
    let swaps: Vec<(usize, usize)> = replaced
        .iter()
        .enumerate()
        .map(|(i, &position)| (position, inserted.end + i))
        .collect();
    table.swap(&swaps);
    table.truncate(inserted.end);
    stored.index_keys(inserted.start, keys);
    if let Some(m) = inserted_max {
        stored.max_int = Some(stored.max_int.map_or(m, |s| s.max(m)));
    }
    Ok(inserted)
}
