//! Finding the group of each record for [`Related::group_by`](super::Related::group_by),
//! in one pass over the records: each record's key is read and looked up
//! as it comes, by the key's own type, and only its group (four bytes) is
//! kept, so nothing the size of the records' keys is written and read back.
//! Integer keys that lie close together (the keys ashore generates are 1, 2,
//! 3, …) index a vector, no hashing at all ([`IntSlots`]); other integers and
//! UUIDs hash as `i64`/`u128`; keys of any other type hash as themselves.

use foldhash::{HashMap, HashMapExt};
use std::hash::Hash;

use crate::scalar::Scalar;
use crate::value::ValueType;

/// Records' groups: `slots[i]` is record `i`'s group; groups are numbered in
/// the order their keys first appear, `firsts[g]` being the first record of
/// group `g`.
pub(super) struct Grouping {
    pub(super) slots: Vec<u32>,
    pub(super) firsts: Vec<usize>,
}

/// No group yet.
const NONE: u32 = u32::MAX;

/// Key → group, for one key type.
trait Slots<K> {
    /// The group of `key`, `NONE` when it has none yet.
    fn get(&self, key: &K) -> u32;
    /// Records that `key`'s group is `slot`.
    fn insert(&mut self, key: K, slot: u32);
}

impl<K: Eq + Hash> Slots<K> for HashMap<K, u32> {
    #[inline]
    fn get(&self, key: &K) -> u32 {
        HashMap::get(self, key).copied().unwrap_or(NONE)
    }
    fn insert(&mut self, key: K, slot: u32) {
        HashMap::insert(self, key, slot);
    }
}

impl Grouping {
    fn with_capacity(records: usize) -> Self {
        Grouping {
            slots: Vec::with_capacity(records),
            firsts: Vec::new(),
        }
    }

    /// Puts record `i` into group `slot`, a new one when it is `NONE`; the
    /// group it went to.
    #[inline]
    fn put(&mut self, i: usize, slot: u32) -> u32 {
        let slot = if slot == NONE {
            self.firsts.push(i);
            self.firsts.len() as u32 - 1
        } else {
            slot
        };
        self.slots.push(slot);
        slot
    }

    /// The grouping of `records` by the key `key` gives each (nil keys form
    /// a group).
    pub(super) fn of<D, P: Scalar + Eq + Hash>(
        records: &[D],
        key: impl Fn(&D) -> Option<P>,
    ) -> Self {
        let n = records.len();
        if matches!(P::TYPE, ValueType::I16 | ValueType::I32 | ValueType::I64) {
            let typed = |r: &D| key(r).map_or(Some(None), |k| k.as_int().map(Some));
            if let Some(grouping) = Self::by(records, typed, IntSlots::new(n)) {
                return grouping;
            }
        }
        if P::TYPE == ValueType::Uuid {
            let typed =
                |r: &D| key(r).map_or(Some(None), |k| k.as_uuid().map(|u| Some(u.as_u128())));
            let map: HashMap<u128, u32> = HashMap::with_capacity(n.min(1024));
            if let Some(grouping) = Self::by(records, typed, map) {
                return grouping;
            }
        }
        let map: HashMap<P, u32> = HashMap::with_capacity(n.min(1024));
        Self::by(records, |r| Some(key(r)), map).unwrap_or_else(|| Self::with_capacity(0))
    }

    /// The grouping of `records` by the keys `key` gives (`Some(None)` for
    /// nil), looked up in `slots`; `None` as soon as `key` gives `None` (a key
    /// not of the type `slots` holds).
    #[inline]
    fn by<D, K>(
        records: &[D],
        key: impl Fn(&D) -> Option<Option<K>>,
        mut slots: impl Slots<K>,
    ) -> Option<Self> {
        let mut nil = NONE;
        let mut grouping = Self::with_capacity(records.len());
        for (i, record) in records.iter().enumerate() {
            let Some(key) = key(record)? else {
                nil = grouping.put(i, nil);
                continue;
            };
            let slot = slots.get(&key);
            let put = grouping.put(i, slot);
            if slot == NONE {
                slots.insert(key, put);
            }
        }
        Some(grouping)
    }
}

/// Integer key → group: a vector indexed by `key - base` while the keys span
/// at most `limit` values (about twice as many as there are records), else a
/// hash map. The vector grows both ways as keys come, by at least its own
/// length at the bottom, so keys arriving in any order cost amortized constant
/// time.
enum IntSlots {
    Dense {
        base: i64,
        slots: Vec<u32>,
        limit: usize,
    },
    Sparse(HashMap<i64, u32>),
}

impl IntSlots {
    /// An empty map for the keys of `records` records.
    fn new(records: usize) -> Self {
        IntSlots::Dense {
            base: 0,
            slots: Vec::new(),
            limit: records.saturating_mul(2).saturating_add(1024),
        }
    }
}

impl Slots<i64> for IntSlots {
    #[inline]
    fn get(&self, key: &i64) -> u32 {
        match self {
            IntSlots::Dense { base, slots, .. } => usize::try_from(key.wrapping_sub(*base))
                .ok()
                .filter(|_| *key >= *base)
                .and_then(|at| slots.get(at).copied())
                .unwrap_or(NONE),
            IntSlots::Sparse(map) => Slots::get(map, key),
        }
    }

    fn insert(&mut self, key: i64, slot: u32) {
        if let IntSlots::Dense { base, slots, limit } = self {
            if slots.is_empty() {
                *base = key;
            }
            // Where `key` falls, from the base (negative below it).
            let at = i128::from(key) - i128::from(*base);
            let len = slots.len() as i128;
            if at >= 0 && at < *limit as i128 {
                let at = at as usize;
                if at >= slots.len() {
                    slots.resize(at + 1, NONE);
                }
                slots[at] = slot;
                return;
            }
            if at < 0 && len - at <= *limit as i128 {
                // Room below: what `key` needs, or as much as the vector
                // holds, within the limit and no lower than `i64::MIN`.
                let need = (-at) as usize;
                let floor = (i128::from(*base) - i128::from(i64::MIN)) as u128;
                let pad = need
                    .max(slots.len())
                    .min(*limit - slots.len())
                    .min(usize::try_from(floor).unwrap_or(usize::MAX));
                let mut grown = vec![NONE; pad];
                grown.append(slots);
                *slots = grown;
                *base = (i128::from(*base) - pad as i128) as i64;
                slots[pad - need] = slot;
                return;
            }
            let pairs = slots
                .iter()
                .enumerate()
                .filter(|(_, s)| **s != NONE)
                .map(|(at, &s)| (base.wrapping_add(at as i64), s));
            let map: HashMap<i64, u32> = pairs.collect();
            *self = IntSlots::Sparse(map);
        }
        if let IntSlots::Sparse(map) = self {
            map.insert(key, slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn groups<P: Scalar + Eq + Hash>(keys: &[Option<P>]) -> (Vec<u32>, Vec<usize>) {
        let g = Grouping::of(keys, |k| k.clone());
        (g.slots, g.firsts)
    }

    #[test]
    fn every_kind_of_key_groups_alike() {
        // Dense integers, with a nil key, in first-seen order.
        let dense = groups(&[Some(3_i64), None, Some(1), Some(3), None]);
        let expected = (vec![0, 1, 2, 0, 1], vec![0, 1, 2]);
        assert_eq!(dense, expected);
        // Integers too far apart for a vector: hashed, same answer.
        let sparse = groups(&[Some(i64::MAX), None, Some(i64::MIN), Some(i64::MAX), None]);
        assert_eq!(sparse, expected);
        assert_eq!(
            groups(&[Some(3_i32), None, Some(1), Some(3), None]),
            expected
        );
        let u = |n| Some(Uuid::from_u128(n));
        assert_eq!(groups(&[u(7), None, u(1), u(7), None]), expected);
        let text = |s: &str| Some(s.to_owned());
        let strings = groups(&[text("b"), None, text("a"), text("b"), None]);
        assert_eq!(strings, expected);
        let none: [Option<i64>; 2] = [None, None];
        assert_eq!(groups(&none), (vec![0, 0], vec![0]));
        assert_eq!(groups::<i64>(&[]), (vec![], vec![]));
    }

    /// The grouping a plain map gives: the reference every path must match.
    fn reference(keys: &[i64]) -> (Vec<u32>, Vec<usize>) {
        let mut slot_of = std::collections::HashMap::new();
        let (mut slots, mut firsts) = (Vec::new(), Vec::new());
        for (i, k) in keys.iter().enumerate() {
            let slot = *slot_of.entry(*k).or_insert_with(|| {
                firsts.push(i);
                firsts.len() - 1
            });
            slots.push(slot as u32);
        }
        (slots, firsts)
    }

    #[test]
    fn integer_keys_in_any_order_group_as_a_map_does() {
        let ids = |keys: &[i64]| keys.iter().map(|&k| Some(k)).collect::<Vec<_>>();
        // Keys arriving in a scattered order (as a loader's records do),
        // below the first one, descending, repeated: the vector grows both
        // ways and stays dense.
        let scattered: Vec<i64> = (0..3000).map(|i| (i * 7919 % 1000) + 1).collect();
        let descending: Vec<i64> = (0..2000).rev().chain(0..2000).collect();
        // Keys too far apart for a vector (a map from the second on), and
        // keys at the ends of `i64`, where the room below is cut short.
        let spread: Vec<i64> = (0..500).map(|i| i * 1_000_003 - 250_000_000).collect();
        let ends = [i64::MIN + 2, i64::MIN + 5, i64::MIN, i64::MIN + 2, i64::MAX];
        for keys in [&scattered[..], &descending, &spread, &ends] {
            assert_eq!(groups(&ids(keys)), reference(keys));
        }
        let mut dense = IntSlots::new(10);
        for k in [50, 40, 45, 60, 10] {
            dense.insert(k, k as u32);
        }
        assert!(matches!(dense, IntSlots::Dense { .. }));
        assert_eq!(
            (dense.get(&40), dense.get(&41), dense.get(&9)),
            (40, NONE, NONE)
        );
        // Past the limit (2 × 10 + 1024 values): a map, every key kept.
        dense.insert(10 + 1044, 7);
        assert!(matches!(dense, IntSlots::Sparse(_)));
        assert_eq!(
            (dense.get(&10), dense.get(&60), dense.get(&1054)),
            (10, 60, 7)
        );
    }
}
