//! The primary-key index of a stored table (key value → row), which the
//! in-memory layer keeps and the evaluator follows for every to-one hop: keyed
//! by the key's own type when it is an integer or a UUID, so a lookup hashes
//! and compares an `i64` or a `Uuid`, not a `Value`. Integer keys that stay
//! dense (the keys ashore generates are 1, 2, 3, …) are a vector indexed by
//! the key, no hashing at all ([`IntKeys`]).

use foldhash::HashMap;
use uuid::Uuid;

use crate::value::{Value, ValueType};

/// Key value → row. Lookups follow `Value`'s `==`: a value of another type
/// than the keys' finds nothing.
#[derive(Clone)]
pub(crate) enum KeyIndex {
    /// Integer keys.
    Ints(IntKeys),
    /// UUID keys, as `Uuid::as_u128` (hashed as one `u128`, faster than the
    /// UUID's sixteen bytes).
    Uuids(HashMap<u128, usize>),
    /// Keys of any other type.
    Values(HashMap<Value, usize>),
}

impl KeyIndex {
    /// An empty index for keys of `value_type`.
    pub(crate) fn new(value_type: ValueType) -> Self {
        match value_type {
            ValueType::I16 | ValueType::I32 | ValueType::I64 => KeyIndex::Ints(IntKeys::default()),
            ValueType::Uuid => KeyIndex::Uuids(HashMap::default()),
            _ => KeyIndex::Values(HashMap::default()),
        }
    }

    /// The row whose key is `key`.
    #[inline(always)]
    pub(crate) fn get(&self, key: &Value) -> Option<&usize> {
        match (self, key) {
            (KeyIndex::Ints(map), Value::Int(i)) => map.get(i),
            (KeyIndex::Uuids(map), Value::Uuid(u)) => map.get(&u.as_u128()),
            (KeyIndex::Ints(_) | KeyIndex::Uuids(_), _) => None,
            (KeyIndex::Values(map), _) => map.get(key),
        }
    }

    /// Whether some row has key `key`.
    pub(crate) fn contains_key(&self, key: &Value) -> bool {
        self.get(key).is_some()
    }

    /// Records that row `row` has key `key`. A key of another type than the
    /// index's turns it into an index of values (the schema's checks make
    /// that unreachable; it keeps lookups right regardless).
    pub(crate) fn insert(&mut self, key: Value, row: usize) {
        match (&mut *self, key) {
            (KeyIndex::Ints(map), Value::Int(i)) => {
                map.insert(i, row);
            }
            (KeyIndex::Uuids(map), Value::Uuid(u)) => {
                map.insert(u.as_u128(), row);
            }
            (KeyIndex::Values(map), key) => {
                map.insert(key, row);
            }
            (_, key) => {
                let mut values: HashMap<Value, usize> =
                    match std::mem::replace(self, KeyIndex::Values(HashMap::default())) {
                        KeyIndex::Ints(map) => map
                            .into_pairs()
                            .into_iter()
                            .map(|(k, r)| (Value::Int(k), r))
                            .collect(),
                        KeyIndex::Uuids(map) => map
                            .into_iter()
                            .map(|(k, r)| (Value::Uuid(Uuid::from_u128(k)), r))
                            .collect(),
                        KeyIndex::Values(map) => map,
                    };
                values.insert(key, row);
                *self = KeyIndex::Values(values);
            }
        }
    }
}

/// Integer key → row: a vector indexed by `key - base` while the keys stay
/// dense, else a hash map. The vector may hold at most twice as many slots as
/// keys (and [`DENSE_SLACK`] more); a key that would leave that, or fall below
/// the base, turns it into the map for good.
#[derive(Clone)]
pub(crate) enum IntKeys {
    /// `rows[k - base]` is key `k`'s row, [`NONE`] for no such key.
    Dense {
        base: i64,
        rows: Vec<usize>,
        len: usize,
    },
    Sparse(HashMap<i64, usize>),
}

/// An empty slot of [`IntKeys::Dense`].
const NONE: usize = usize::MAX;

/// Empty slots a dense index may hold beyond as many as it has keys.
const DENSE_SLACK: usize = 1024;

impl Default for IntKeys {
    fn default() -> Self {
        IntKeys::Dense {
            base: 0,
            rows: Vec::new(),
            len: 0,
        }
    }
}

impl IntKeys {
    /// The row of key `key`.
    #[inline(always)]
    pub(crate) fn get(&self, key: &i64) -> Option<&usize> {
        match self {
            IntKeys::Dense { base, rows, .. } => {
                let at = usize::try_from(key.checked_sub(*base)?).ok()?;
                rows.get(at).filter(|r| **r != NONE)
            }
            IntKeys::Sparse(map) => map.get(key),
        }
    }

    /// Records that key `key` is at row `row` (replacing an earlier row).
    pub(crate) fn insert(&mut self, key: i64, row: usize) {
        if let IntKeys::Dense { base, rows, len } = self {
            if rows.is_empty() {
                *base = key;
            }
            let at = key
                .checked_sub(*base)
                .and_then(|at| usize::try_from(at).ok())
                .filter(|&at| at < rows.len().max((*len + 1) * 2 + DENSE_SLACK));
            if let Some(at) = at {
                if at >= rows.len() {
                    rows.resize(at + 1, NONE);
                }
                if rows[at] == NONE {
                    *len += 1;
                }
                rows[at] = row;
                return;
            }
            *self = IntKeys::Sparse(std::mem::take(self).into_pairs().into_iter().collect());
        }
        if let IntKeys::Sparse(map) = self {
            map.insert(key, row);
        }
    }

    /// Every key with its row.
    fn into_pairs(self) -> Vec<(i64, usize)> {
        match self {
            IntKeys::Dense { base, rows, .. } => rows
                .into_iter()
                .enumerate()
                .filter(|(_, r)| *r != NONE)
                .map(|(at, r)| (base + at as i64, r))
                .collect(),
            IntKeys::Sparse(map) => map.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_indexes_find_what_value_equality_finds() {
        let mut ints = KeyIndex::new(ValueType::I64);
        ints.insert(Value::Int(7), 0);
        assert_eq!(ints.get(&Value::Int(7)), Some(&0));
        assert_eq!(ints.get(&Value::Float(7.0)), None);
        assert!(!ints.contains_key(&Value::Null));
        // A key of another type keeps every key findable.
        ints.insert(Value::from("x"), 1);
        assert!(matches!(ints, KeyIndex::Values(_)));
        assert_eq!(ints.get(&Value::Int(7)), Some(&0));
        assert_eq!(ints.get(&Value::from("x")), Some(&1));
        let mut uuids = KeyIndex::new(ValueType::Uuid);
        uuids.insert(Value::Uuid(Uuid::from_u128(3)), 2);
        assert_eq!(uuids.get(&Value::Uuid(Uuid::from_u128(3))), Some(&2));
        assert_eq!(uuids.get(&Value::Int(3)), None);
        // Dense integer keys, then keys that are not: every one still found.
        let mut dense = IntKeys::default();
        for k in 1..=100 {
            dense.insert(k, k as usize * 10);
        }
        assert!(matches!(dense, IntKeys::Dense { .. }));
        assert_eq!(dense.get(&50), Some(&500));
        assert_eq!(
            (dense.get(&0), dense.get(&101), dense.get(&-5)),
            (None, None, None)
        );
        dense.insert(50, 7);
        assert_eq!(dense.get(&50), Some(&7));
        dense.insert(-3, 1);
        dense.insert(i64::MAX, 2);
        assert!(matches!(dense, IntKeys::Sparse(_)));
        assert_eq!((dense.get(&50), dense.get(&-3)), (Some(&7), Some(&1)));
        assert_eq!(
            (dense.get(&100), dense.get(&i64::MAX)),
            (Some(&1000), Some(&2))
        );
        assert_eq!(dense.get(&101), None);
        let mut text = KeyIndex::new(ValueType::String);
        text.insert(Value::from("a"), 4);
        assert!(text.contains_key(&Value::from("a")));
    }
}
