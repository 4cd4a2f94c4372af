//! The index a relationship hop builds on first use over a destination
//! attribute that is not the primary key: each value to the rows holding it,
//! in row order ([`RowGroups`]). Built in one pass over the column and one
//! over the rows: each row's group is found by one lookup (an integer hashed
//! as an `i64`, a UUID as its `u128`, other values as `Value`s), and the rows
//! are laid out contiguously by group, so there is no vector per value to
//! grow (the cost of a hop through a has_many over a large table was that
//! growth, not the lookups).

use foldhash::HashMap;

use crate::value::Value;

/// Value → the rows holding it, ascending. Lookups follow `Value`'s `==`
/// (`Int(1)` is not `Float(1.0)`); nil is never a key.
#[derive(Default)]
pub(super) struct RowGroups {
    ints: HashMap<i64, usize>,
    uuids: HashMap<u128, usize>,
    values: HashMap<Value, usize>,
    /// Group `g`'s rows are `rows[starts[g]..starts[g + 1]]`.
    starts: Vec<usize>,
    rows: Vec<usize>,
}

/// A row whose value is nil: in no group.
const NO_GROUP: usize = usize::MAX;

impl RowGroups {
    /// The groups of rows `0..len`, row `r` holding `value(r)`.
    pub(super) fn build(len: usize, value: impl Fn(usize) -> Value) -> Self {
        let mut groups = RowGroups::default();
        let mut counts: Vec<usize> = Vec::new();
        let mut group_of = Vec::with_capacity(len);
        for row in 0..len {
            let mut next = || {
                counts.push(0);
                counts.len() - 1
            };
            let group = match value(row) {
                Value::Null => NO_GROUP,
                Value::Int(i) => *groups.ints.entry(i).or_insert_with(&mut next),
                Value::Uuid(u) => *groups.uuids.entry(u.as_u128()).or_insert_with(&mut next),
                v => *groups.values.entry(v).or_insert_with(&mut next),
            };
            if group != NO_GROUP {
                counts[group] += 1;
            }
            group_of.push(group);
        }
        groups.starts = Vec::with_capacity(counts.len() + 1);
        let mut total = 0;
        for count in &counts {
            groups.starts.push(total);
            total += count;
        }
        groups.starts.push(total);
        // Where the next row of each group goes.
        let mut fill = groups.starts[..counts.len()].to_vec();
        groups.rows = vec![0; total];
        for (row, group) in group_of.into_iter().enumerate() {
            if group != NO_GROUP {
                groups.rows[fill[group]] = row;
                fill[group] += 1;
            }
        }
        groups
    }

    /// The rows holding `key`, ascending (none for nil).
    #[inline]
    pub(super) fn get(&self, key: &Value) -> &[usize] {
        let group = match key {
            Value::Null => None,
            Value::Int(i) => self.ints.get(i),
            Value::Uuid(u) => self.uuids.get(&u.as_u128()),
            v => self.values.get(v),
        };
        match group {
            Some(&g) => &self.rows[self.starts[g]..self.starts[g + 1]],
            None => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn each_value_finds_its_rows_in_order() {
        let column = [
            Value::Int(3),
            Value::Null,
            Value::Float(3.0),
            Value::Int(3),
            Value::from("a"),
            Value::Uuid(Uuid::from_u128(9)),
            Value::from("a"),
            Value::Int(-1),
            Value::Uuid(Uuid::from_u128(9)),
        ];
        let groups = RowGroups::build(column.len(), |r| column[r].clone());
        assert_eq!(groups.get(&Value::Int(3)), [0, 3]);
        assert_eq!(groups.get(&Value::Float(3.0)), [2]);
        assert_eq!(groups.get(&Value::from("a")), [4, 6]);
        assert_eq!(groups.get(&Value::Uuid(Uuid::from_u128(9))), [5, 8]);
        assert_eq!(groups.get(&Value::Int(-1)), [7]);
        assert!(groups.get(&Value::Null).is_empty());
        assert!(groups.get(&Value::Int(4)).is_empty());
        assert!(groups.get(&Value::Uuid(Uuid::from_u128(3))).is_empty());
        let empty = RowGroups::build(0, |_| Value::Null);
        assert!(empty.get(&Value::Int(0)).is_empty());
    }
}
