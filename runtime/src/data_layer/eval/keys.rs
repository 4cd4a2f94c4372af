//! The primary-key index of a stored table (key value → row), which the
//! in-memory layer keeps and the evaluator follows for every to-one hop: keyed
//! by the key's own type when it is an integer or a UUID, so a lookup hashes
//! and compares an `i64` or a `Uuid`, not a `Value`.

use foldhash::HashMap;
use uuid::Uuid;

use crate::value::{Value, ValueType};

/// Key value → row. Lookups follow `Value`'s `==`: a value of another type
/// than the keys' finds nothing.
pub(crate) enum KeyIndex {
    /// Integer keys.
    Ints(HashMap<i64, usize>),
    /// UUID keys.
    Uuids(HashMap<Uuid, usize>),
    /// Keys of any other type.
    Values(HashMap<Value, usize>),
}

impl KeyIndex {
    /// An empty index for keys of `value_type`.
    pub(crate) fn new(value_type: ValueType) -> Self {
        match value_type {
            ValueType::I16 | ValueType::I32 | ValueType::I64 => KeyIndex::Ints(HashMap::default()),
            ValueType::Uuid => KeyIndex::Uuids(HashMap::default()),
            _ => KeyIndex::Values(HashMap::default()),
        }
    }

    /// The row whose key is `key`.
    #[inline(always)]
    pub(crate) fn get(&self, key: &Value) -> Option<&usize> {
        match (self, key) {
            (KeyIndex::Ints(map), Value::Int(i)) => map.get(i),
            (KeyIndex::Uuids(map), Value::Uuid(u)) => map.get(u),
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
                map.insert(u, row);
            }
            (KeyIndex::Values(map), key) => {
                map.insert(key, row);
            }
            (_, key) => {
                let mut values: HashMap<Value, usize> =
                    match std::mem::replace(self, KeyIndex::Values(HashMap::default())) {
                        KeyIndex::Ints(map) => {
                            map.into_iter().map(|(k, r)| (Value::Int(k), r)).collect()
                        }
                        KeyIndex::Uuids(map) => {
                            map.into_iter().map(|(k, r)| (Value::Uuid(k), r)).collect()
                        }
                        KeyIndex::Values(map) => map,
                    };
                values.insert(key, row);
                *self = KeyIndex::Values(values);
            }
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
        let mut text = KeyIndex::new(ValueType::String);
        text.insert(Value::from("a"), 4);
        assert!(text.contains_key(&Value::from("a")));
    }
}
