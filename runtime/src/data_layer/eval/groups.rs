//! The index a relationship hop builds on first use over a destination
//! attribute that is not the primary key: each value to the rows holding it,
//! in row order ([`RowGroups`]). Built in one pass over the column and one
//! over the rows: each row's group is found by one lookup (an integer hashed
//! as an `i64`, a UUID as its `u128`, other values as `Value`s; an integer or
//! UUID column is read typed, a few hundred rows per call), and the rows
//! are laid out contiguously by group, so there is no vector per value to
//! grow (the cost of a hop through a has_many over a large table was that
//! growth, not the lookups).

use foldhash::HashMap;
use std::hash::Hash;
use uuid::Uuid;

use crate::data_layer::store::Table;
use crate::value::{Value, ValueType};

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

/// Rows read per call of [`Table::ints`] or [`Table::uuids`].
const READ: usize = 512;

impl RowGroups {
    /// The groups of rows `0..len`, row `r` holding `value(r)`.
    pub(super) fn build(len: usize, value: impl Fn(usize) -> Value) -> Self {
        let mut builder = Builder::new(len);
        for row in 0..len {
            builder.value(value(row));
        }
        builder.finish()
    }

    /// The groups of the rows of `table` by attribute `attr`, of type `ty`:
    /// an integer or UUID column read typed, a few hundred rows per call
    /// (no `Value` made and dropped per row), any other as values.
    pub(super) fn of_column(table: &dyn Table, attr: usize, ty: ValueType) -> Self {
        let len = table.len();
        let (ints, uuids) = match ty {
            ValueType::I16 | ValueType::I32 | ValueType::I64 => (true, false),
            ValueType::Uuid => (false, true),
            _ => return RowGroups::build(len, |row| table.get(row, attr)),
        };
        let mut builder = Builder::new(len);
        let mut rows = Vec::with_capacity(READ);
        let (mut int_col, mut uuid_col) = (Vec::new(), Vec::new());
        for start in (0..len).step_by(READ) {
            rows.clear();
            rows.extend(start..len.min(start + READ));
            if ints {
                int_col.clear();
                table.ints(&rows, attr, &mut int_col);
                int_col.iter().for_each(|&i| builder.int(i));
            } else if uuids {
                uuid_col.clear();
                table.uuids(&rows, attr, &mut uuid_col);
                uuid_col.iter().for_each(|&u| builder.uuid(u));
            }
        }
        builder.finish()
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
        self.rows_of(group)
    }

    /// The rows holding `Value::Int(i)`, ascending.
    #[inline]
    pub(super) fn get_int(&self, i: i64) -> &[usize] {
        self.rows_of(self.ints.get(&i))
    }

    /// The rows holding the UUID `Uuid::from_u128(u)`, ascending.
    #[inline]
    pub(super) fn get_uuid(&self, u: u128) -> &[usize] {
        self.rows_of(self.uuids.get(&u))
    }

    #[inline]
    fn rows_of(&self, group: Option<&usize>) -> &[usize] {
        match group {
            Some(&g) => &self.rows[self.starts[g]..self.starts[g + 1]],
            None => &[],
        }
    }
}

/// Groups being built, row after row.
struct Builder {
    groups: RowGroups,
    /// Rows per group.
    counts: Vec<usize>,
    /// Each row's group, `NO_GROUP` for nil.
    group_of: Vec<usize>,
}

impl Builder {
    fn new(len: usize) -> Self {
        Builder {
            groups: RowGroups::default(),
            counts: Vec::new(),
            group_of: Vec::with_capacity(len),
        }
    }

    fn push(&mut self, group: usize) {
        if group != NO_GROUP {
            self.counts[group] += 1;
        }
        self.group_of.push(group);
    }

    /// The next row holds integer `i` (nil for `None`).
    #[inline]
    fn int(&mut self, i: Option<i64>) {
        let group = group_in(&mut self.groups.ints, &mut self.counts, i);
        self.push(group);
    }

    /// The next row holds UUID `u` (nil for `None`).
    #[inline]
    fn uuid(&mut self, u: Option<Uuid>) {
        let key = u.map(|u| u.as_u128());
        let group = group_in(&mut self.groups.uuids, &mut self.counts, key);
        self.push(group);
    }

    /// The next row holds `value`.
    fn value(&mut self, value: Value) {
        match value {
            Value::Null => self.push(NO_GROUP),
            Value::Int(i) => self.int(Some(i)),
            Value::Uuid(u) => self.uuid(Some(u)),
            v => {
                let group = group_in(&mut self.groups.values, &mut self.counts, Some(v));
                self.push(group);
            }
        }
    }

    /// The rows laid out by group.
    fn finish(self) -> RowGroups {
        let Builder {
            mut groups,
            counts,
            group_of,
        } = self;
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
}

/// The group of `key` in `map`, a new one (counted in `counts`) when the
/// key is new; `NO_GROUP` for nil.
#[inline]
fn group_in<K: Hash + Eq>(
    map: &mut HashMap<K, usize>,
    counts: &mut Vec<usize>,
    key: Option<K>,
) -> usize {
    match key {
        None => NO_GROUP,
        Some(key) => *map.entry(key).or_insert_with(|| {
            counts.push(0);
            counts.len() - 1
        }),
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

    crate::testing::test_resource!(Cell3 in "cell3", id: i64 = None, {
        n: Option<i64>,
        u: Option<Uuid>,
        t: Option<String>
    });

    #[test]
    fn a_typed_column_groups_as_its_values_do() {
        use crate::data_layer::store::{new_table, push_rows};
        use crate::resource::Resource;
        // Past one read of `READ` rows, with nils and repeats.
        let rows: Vec<Vec<Value>> = (0..1300_i64)
            .map(|i| {
                let n = (i % 5 != 0).then_some(i % 37 - 18);
                let u = (i % 7 != 0).then(|| Uuid::from_u128((i % 11) as u128));
                let t = (i % 3 != 0).then(|| format!("t{}", i % 13));
                vec![Value::Int(i), n.into(), u.into(), t.into()]
            })
            .collect();
        let mut table = new_table::<Cell3>();
        push_rows(&mut *table, Cell3::schema(), rows.clone()).expect("rows");
        for (attr, ty) in [
            (1, ValueType::I64),
            (2, ValueType::Uuid),
            (3, ValueType::String),
        ] {
            let typed = RowGroups::of_column(&*table, attr, ty);
            let values = RowGroups::build(rows.len(), |r| rows[r][attr].clone());
            let mut keys: Vec<Value> = rows.iter().map(|r| r[attr].clone()).collect();
            keys.extend([
                Value::Int(99),
                Value::Uuid(Uuid::from_u128(99)),
                Value::from("x"),
            ]);
            for key in &keys {
                assert_eq!(typed.get(key), values.get(key), "{key:?}");
            }
            assert!(keys.iter().any(|k| typed.get(k).len() > 1));
        }
    }
}
