//! The in-memory layer's identities, checked as SQL's unique indexes check
//! them: within the tenant (the tenant attribute is one of the columns), nils
//! distinct (a record with a nil in any column shares its identity with no
//! other), a batch checked against the stored records and against itself.
//!
//! [`check`] is what every write of rows calls (create, upsert, and an update
//! that replaces records: it names the rows it replaces, whose old values then
//! do not count); [`index`] finds stored records by their identity values.

use foldhash::{HashMap, HashMapExt, HashSet};

use crate::error::{Constraint, Error, ErrorKind, Result};
use crate::resource::{Identity, Row, Schema, Table};
use crate::value::Value;

/// Refuses `rows` (new values of records of `schema`) when one of them has the
/// values of an identity that a stored record of `table` has, or another of
/// `rows` has: a unique [`ErrorKind::Constraint`] naming the identity, with
/// its attribute when it has one column. The stored records at `replaced`
/// (positions in `table`: the records `rows` replace, for an update) do not
/// count. Does nothing for a resource without identities.
pub(crate) fn check(
    schema: &'static Schema,
    table: &dyn Table,
    replaced: &[usize],
    rows: &[Row],
) -> Result<()> {
    let replaced: HashSet<usize> = replaced.iter().copied().collect();
    for identity in schema.identities {
        let mut taken = index(schema, table, identity);
        taken.retain(|_, position| !replaced.contains(position));
        let mut batch = HashSet::default();
        for row in rows {
            let Some(values) = identity.values_of(schema, row) else {
                continue;
            };
            if taken.contains_key(&values) || !batch.insert(values.clone()) {
                return Err(violation(schema, identity, &values));
            }
        }
    }
    Ok(())
}

/// The stored records of `table` (of `schema`) by their values of `identity`:
/// values → position. Records with a nil among them are left out.
pub(crate) fn index(
    schema: &'static Schema,
    table: &dyn Table,
    identity: &'static Identity,
) -> HashMap<Vec<Value>, usize> {
    let positions: Vec<usize> = (0..table.len()).collect();
    let mut columns: Vec<Vec<Value>> = Vec::new();
    for column in identity.columns(schema) {
        let mut values = Vec::with_capacity(positions.len());
        if let Some(attr) = schema.attribute_index(column) {
            table.values(&positions, attr, &mut values);
        }
        columns.push(values);
    }
    let mut index = HashMap::with_capacity(positions.len());
    for position in positions {
        let values: Option<Vec<Value>> = columns
            .iter()
            .map(|c| c.get(position).filter(|v| !v.is_null()).cloned())
            .collect();
        if let Some(values) = values {
            index.insert(values, position);
        }
    }
    index
}

/// The error of a write that would give two records `values` for `identity`.
fn violation(schema: &'static Schema, identity: &'static Identity, values: &[Value]) -> Error {
    let shown: Vec<String> = values.iter().map(ToString::to_string).collect();
    Error::new(ErrorKind::Constraint {
        resource: schema.name,
        attribute: identity.attribute(schema),
        identity: Some(identity.name),
        constraint: Constraint::Unique,
        source: format!(
            "a {} with ({}) = ({}) already exists",
            schema.name,
            identity.columns(schema).join(", "),
            shown.join(", ")
        )
        .into(),
    })
}
