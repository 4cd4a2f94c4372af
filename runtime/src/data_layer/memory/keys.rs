//! Primary keys in the in-memory layer, as the SQL layers treat them: generated
//! keys assigned to the rows that leave them nil ([`assign_keys`]), keys
//! stored or given twice refused ([`check_primary_keys`]), and the index from
//! key to row kept up to date ([`Stored::index_keys`]).

use foldhash::{HashSet, HashSetExt};

use super::Stored;
use crate::error::{Constraint, Error, ErrorKind, Result};
use crate::resource::{Generated, Rows, Schema};
use crate::value::Value;

impl Stored {
    /// Indexes the primary keys `keys` of the records from position `start` on.
    pub(super) fn index_keys(&mut self, start: usize, keys: Vec<Value>) {
        for (i, key) in keys.into_iter().enumerate() {
            if !key.is_null() {
                self.primary.insert(key, start + i);
            }
        }
    }
}

/// Gives each row whose generated primary key is nil its key, as the SQL
/// layers do: integers continue after the largest key, stored (`stored_max`)
/// or given, in row order; UUIDs are random. Returns the largest integer key
/// now stored or given.
pub(super) fn assign_keys(
    schema: &'static Schema,
    stored_max: Option<i64>,
    rows: &mut Rows,
) -> Result<Option<i64>> {
    let pk = schema.primary_key;
    let mut max_int = stored_max;
    for row in rows.iter() {
        if let Value::Int(i) = row[pk] {
            max_int = Some(max_int.map_or(i, |m| m.max(i)));
        }
    }
    for row in rows.iter_mut() {
        if !row[pk].is_null() {
            continue;
        }
        match schema.primary_key().generated {
            Some(Generated::Integer) => {
                let next = max_int.map_or(Some(1), |m| m.checked_add(1));
                let next = next.ok_or_else(|| {
                    Error::data_layer(format!(
                        "no integer key is left for a new {}: the largest is {}",
                        schema.name,
                        i64::MAX
                    ))
                })?;
                row[pk] = Value::Int(next);
                max_int = Some(next);
            }
            Some(Generated::Uuid) => row[pk] = Value::Uuid(uuid::Uuid::new_v4()),
            None => {}
        }
    }
    Ok(max_int)
}

/// Refuses rows whose primary key is stored already or given twice: the same
/// error a database's primary-key constraint gives.
pub(super) fn check_primary_keys(
    schema: &'static Schema,
    stored: &Stored,
    rows: &Rows,
) -> Result<()> {
    let pk = schema.primary_key;
    let mut batch = HashSet::with_capacity(rows.len());
    for key in rows.iter().map(|r| &r[pk]).filter(|k| !k.is_null()) {
        if stored.primary.contains_key(key) || !batch.insert(key) {
            return Err(Error::new(ErrorKind::Constraint {
                resource: schema.name,
                attribute: Some(schema.primary_key().name),
                identity: None,
                constraint: Constraint::Unique,
                source: format!("another {} record has primary key {key}", schema.name).into(),
            }));
        }
    }
    Ok(())
}
