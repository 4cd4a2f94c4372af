//! The in-memory layer's identities, checked as SQL's unique indexes check
//! them: within the tenant (the tenant attribute is one of the columns), nils
//! distinct (a record with a nil in any column shares its identity with no
//! other), a batch checked against the stored records and against itself.
//!
//! [`check`] is what every write of rows calls (create, and an update that
//! replaces records: it names the rows it replaces, whose old values then do
//! not count), [`check_in_order`] what an upsert calls (row by row, as the
//! databases check one); [`index`] finds stored records by their identity
//! values.

use foldhash::{HashMap, HashMapExt, HashSet};

use crate::error::{Constraint, Error, ErrorKind, Result};
use crate::resource::{Identity, Rows, Schema, Table};
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
    rows: &Rows,
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

/// [`check`] of an upsert's rows as SQL checks them: one after the other, in
/// the order given, each against the records as the rows before it left them.
/// Each step is a row and the stored record it updates (`Some(position)`), or
/// `None` for a row appended. So a batch that swaps two records' values of
/// another identity is refused, as the databases' unique indexes refuse it
/// at its first row, where a check of the end state would let it through.
pub(crate) fn check_in_order(
    schema: &'static Schema,
    table: &dyn Table,
    steps: &[(Option<usize>, &[Value])],
) -> Result<()> {
    for identity in schema.identities {
        let stored = index(schema, table, identity);
        let mut held: HashMap<usize, Vec<Value>> =
            stored.iter().map(|(v, &p)| (p, v.clone())).collect();
        let mut taken: HashSet<Vec<Value>> = stored.into_keys().collect();
        for (position, row) in steps {
            // An updated record's old values are free once it is written.
            if let Some(old) = position.and_then(|p| held.remove(&p)) {
                taken.remove(&old);
            }
            let Some(values) = identity.values_of(schema, row) else {
                continue;
            };
            if !taken.insert(values.clone()) {
                return Err(violation(schema, identity, &values));
            }
            if let Some(p) = position {
                held.insert(*p, values);
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
            "another {} record has ({}) = ({})",
            schema.name,
            identity.columns(schema).join(", "),
            shown.join(", ")
        )
        .into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data_layer::memory::tests::Rep;
    use crate::data_layer::store::append_rows;
    use crate::resource::{Resource, Row};
    use crate::testing::flat;

    static BY_NAME: [Identity; 1] = [Identity {
        name: "unique_name",
        keys: &["name"],
    }];

    fn rep(id: i64, name: &str) -> Row {
        vec![Value::Int(id), Value::String(name.to_owned()), Value::Null]
    }

    fn identity_of(err: &Error) -> Option<&'static str> {
        match err.kind() {
            ErrorKind::Constraint { identity, .. } => *identity,
            _ => None,
        }
    }

    #[test]
    fn stored_records_and_the_batch_count_but_the_replaced_ones_do_not() {
        let schema: &'static Schema = Box::leak(Box::new(Schema {
            identities: &BY_NAME,
            ..*Rep::schema()
        }));
        let mut table = (schema.new_table)();
        append_rows(&mut *table, schema, vec![rep(1, "ada"), rep(2, "bob")]).expect("rows");

        assert!(
            check(
                schema,
                &*table,
                &[],
                &flat(vec![rep(3, "cy"), rep(4, "dee")])
            )
            .is_ok()
        );
        let taken =
            check(schema, &*table, &[], &flat(vec![rep(3, "bob")])).expect_err("bob is stored");
        assert_eq!(identity_of(&taken), Some("unique_name"));
        assert_eq!(
            taken.to_string(),
            "unique constraint `unique_name` violated on Rep"
        );
        let twice = check(
            schema,
            &*table,
            &[],
            &flat(vec![rep(3, "cy"), rep(4, "cy")]),
        );
        assert_eq!(
            identity_of(&twice.expect_err("cy twice")),
            Some("unique_name")
        );
        // An update replacing record 1 (ada) may keep ada's name, and take
        // bob's when bob's record is replaced too.
        assert!(check(schema, &*table, &[0], &flat(vec![rep(1, "ada")])).is_ok());
        assert!(check(schema, &*table, &[0], &flat(vec![rep(1, "bob")])).is_err());
        assert!(
            check(
                schema,
                &*table,
                &[0, 1],
                &flat(vec![rep(1, "bob"), rep(2, "ada")])
            )
            .is_ok()
        );
        assert_eq!(index(schema, &*table, &BY_NAME[0]).len(), 2);
    }
}
