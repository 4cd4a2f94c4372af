//! The list of an `in`, prepared once per read: its nil and float elements
//! apart, and a long list's other elements hashed (as `i64`s or UUIDs when they
//! all are, the common `key in ^ids`), with `in`'s semantics (see `eval`).

use foldhash::HashSet;
use std::cmp::Ordering;

use crate::value::Value;

/// The list of an `in`.
pub(super) struct InList {
    values: Vec<Value>,
    /// For a long list: its elements other than floats and nil, hashed. Values of
    /// these types equal (by `Value::compare`) only values equal by `Value::eq`.
    hashed: Option<Hashed>,
    floats: Vec<Value>,
    has_nil: bool,
}

/// The hashed elements of a long `in` list: as integers or UUIDs when they all
/// are (the common `key in ^ids`), which hashes each probe as its own type.
enum Hashed {
    Ints(HashSet<i64>),
    Uuids(HashSet<uuid::Uuid>),
    Values(HashSet<Value>),
}

impl Hashed {
    fn new<'v>(values: impl Iterator<Item = &'v Value> + Clone) -> Hashed {
        let ints: Option<HashSet<i64>> = values
            .clone()
            .map(|v| match v {
                Value::Int(i) => Some(*i),
                _ => None,
            })
            .collect();
        let uuids = || {
            values.clone().map(|v| match v {
                Value::Uuid(u) => Some(*u),
                _ => None,
            })
        };
        match ints {
            Some(ints) => Hashed::Ints(ints),
            None => match uuids().collect::<Option<HashSet<_>>>() {
                Some(uuids) => Hashed::Uuids(uuids),
                None => Hashed::Values(values.cloned().collect()),
            },
        }
    }

    /// Whether `x` equals (by `Value::eq`) an element.
    #[inline]
    fn contains(&self, x: &Value) -> bool {
        match (self, x) {
            (Hashed::Ints(set), Value::Int(i)) => set.contains(i),
            (Hashed::Uuids(set), Value::Uuid(u)) => set.contains(u),
            (Hashed::Ints(_) | Hashed::Uuids(_), _) => false,
            (Hashed::Values(set), _) => set.contains(x),
        }
    }
}

/// Lists longer than this are hashed.
const HASHED_IN: usize = 8;

impl InList {
    pub(super) fn new(values: Vec<Value>) -> InList {
        let has_nil = values.iter().any(Value::is_null);
        let floats = values
            .iter()
            .filter(|v| matches!(v, Value::Float(_)))
            .cloned()
            .collect();
        let hashed = (values.len() > HASHED_IN).then(|| {
            Hashed::new(
                values
                    .iter()
                    .filter(|v| !matches!(v, Value::Float(_) | Value::Null)),
            )
        });
        InList {
            values,
            hashed,
            floats,
            has_nil,
        }
    }

    /// The answer for a value equal to no element: nil when the list holds a
    /// nil, else false.
    pub(super) fn miss(&self) -> Option<bool> {
        if self.has_nil { None } else { Some(false) }
    }

    /// The elements an integer can equal, hashed as `i64`s, when that is all of
    /// them: a long list of integers, nils aside (no floats, which an integer
    /// can equal too).
    pub(super) fn int_set(&self) -> Option<&HashSet<i64>> {
        match &self.hashed {
            Some(Hashed::Ints(set)) if self.floats.is_empty() => Some(set),
            _ => None,
        }
    }

    /// The elements a UUID can equal, hashed as UUIDs, when the list is long
    /// and holds only UUIDs and nils.
    pub(super) fn uuid_set(&self) -> Option<&HashSet<uuid::Uuid>> {
        match &self.hashed {
            Some(Hashed::Uuids(set)) => Some(set),
            _ => None,
        }
    }

    /// `x in list`: nil for a nil `x`, true when an element compares equal, else
    /// nil when the list holds a nil, else false.
    pub(super) fn contains(&self, x: &Value) -> Option<bool> {
        let equal = |e: &Value| x.compare(e) == Some(Ordering::Equal);
        let found = match (x, &self.hashed) {
            (Value::Null, _) => return None,
            (Value::Float(_), _) | (_, None) => self.values.iter().any(equal),
            (Value::Int(_), Some(set)) => set.contains(x) || self.floats.iter().any(equal),
            (_, Some(set)) => set.contains(x),
        };
        if found {
            Some(true)
        } else if self.has_nil {
            None
        } else {
            Some(false)
        }
    }
}
