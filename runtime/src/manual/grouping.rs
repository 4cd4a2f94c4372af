//! Finding the group of each record for [`Related::group_by`](super::Related::group_by):
//! the keys are read once, then grouped by their own type. Integer keys that
//! lie close together (the keys ashore generates are 1, 2, 3, …) index a
//! vector, no hashing at all; other integers and UUIDs hash as `i64`/`u128`;
//! keys of any other type hash as themselves. Only the last is compiled per
//! key type; the first two are plain functions.

use foldhash::{HashMap, HashMapExt};
use std::hash::Hash;

use crate::scalar::Scalar;

/// Records' groups: `slots[i]` is record `i`'s group; groups are numbered in
/// the order their keys first appear, `firsts[g]` being the first record of
/// group `g` and `sizes[g]` its number of records.
pub(super) struct Grouping {
    pub(super) slots: Vec<u32>,
    pub(super) firsts: Vec<usize>,
    pub(super) sizes: Vec<usize>,
}

/// No group yet.
const NONE: u32 = u32::MAX;

impl Grouping {
    fn with_capacity(records: usize) -> Self {
        Grouping {
            slots: Vec::with_capacity(records),
            firsts: Vec::new(),
            sizes: Vec::new(),
        }
    }

    /// Puts record `i` into group `slot`, a new one when it is `NONE`; the
    /// group it went to.
    #[inline]
    fn put(&mut self, i: usize, slot: u32) -> u32 {
        let slot = if slot == NONE {
            self.firsts.push(i);
            self.sizes.push(0);
            self.firsts.len() as u32 - 1
        } else {
            slot
        };
        self.sizes[slot as usize] += 1;
        self.slots.push(slot);
        slot
    }

    /// The grouping of records whose keys are `keys` (nil keys form a group).
    pub(super) fn of<P: Scalar + Eq + Hash>(keys: &[Option<P>]) -> Self {
        if let Some(ints) = typed(keys, P::as_int) {
            return Self::of_ints(&ints);
        }
        if let Some(uuids) = typed(keys, |k| k.as_uuid().map(|u| u.as_u128())) {
            return Self::hashed(&uuids);
        }
        Self::hashed(keys)
    }

    /// Integer keys: a vector from key to group when they span at most about
    /// twice as many values as there are records, else hashed.
    fn of_ints(keys: &[Option<i64>]) -> Self {
        let (min, max) = keys
            .iter()
            .flatten()
            .fold((i64::MAX, i64::MIN), |(lo, hi), &k| (lo.min(k), hi.max(k)));
        let span = (max as i128 - min as i128 + 1).max(0) as u128;
        if span > (keys.len() as u128) * 2 + 1024 {
            return Self::hashed(keys);
        }
        let mut slot_of = vec![NONE; span as usize];
        let mut nil = NONE;
        let mut grouping = Self::with_capacity(keys.len());
        for (i, key) in keys.iter().enumerate() {
            let slot = match key {
                Some(k) => &mut slot_of[(k - min) as usize],
                None => &mut nil,
            };
            *slot = grouping.put(i, *slot);
        }
        grouping
    }

    /// Any keys, hashed (a key already seen costs one lookup, no entry).
    fn hashed<K: Eq + Hash>(keys: &[Option<K>]) -> Self {
        let mut slot_of: HashMap<&K, u32> = HashMap::with_capacity(keys.len().min(1024));
        let mut nil = NONE;
        let mut grouping = Self::with_capacity(keys.len());
        for (i, key) in keys.iter().enumerate() {
            let Some(key) = key else {
                nil = grouping.put(i, nil);
                continue;
            };
            match slot_of.get(key) {
                Some(&slot) => {
                    grouping.put(i, slot);
                }
                None => {
                    slot_of.insert(key, grouping.put(i, NONE));
                }
            }
        }
        grouping
    }
}

/// `keys` as `of` gives them, when it gives every one.
fn typed<P, T>(keys: &[Option<P>], of: impl Fn(&P) -> Option<T>) -> Option<Vec<Option<T>>> {
    // A loop, not a `collect` into `Option<Vec<_>>`, which cannot size its
    // vector in advance.
    let mut typed = Vec::with_capacity(keys.len());
    for key in keys {
        typed.push(match key {
            Some(k) => Some(of(k)?),
            None => None,
        });
    }
    Some(typed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn groups(g: &Grouping) -> (Vec<u32>, Vec<usize>, Vec<usize>) {
        (g.slots.clone(), g.firsts.clone(), g.sizes.clone())
    }

    #[test]
    fn every_kind_of_key_groups_alike() {
        // Dense integers, with a nil key, in first-seen order.
        let dense = Grouping::of(&[Some(3_i64), None, Some(1), Some(3), None]);
        let expected = (vec![0, 1, 2, 0, 1], vec![0, 1, 2], vec![2, 2, 1]);
        assert_eq!(groups(&dense), expected);
        // Integers too far apart for a vector: hashed, same answer.
        let sparse = Grouping::of(&[Some(i64::MAX), None, Some(i64::MIN), Some(i64::MAX), None]);
        assert_eq!(groups(&sparse), expected);
        let u = |n| Some(Uuid::from_u128(n));
        let uuids = Grouping::of(&[u(7), None, u(1), u(7), None]);
        assert_eq!(groups(&uuids), expected);
        let text = |s: &str| Some(s.to_owned());
        let strings = Grouping::of(&[text("b"), None, text("a"), text("b"), None]);
        assert_eq!(groups(&strings), expected);
        let none: [Option<i64>; 2] = [None, None];
        assert_eq!(groups(&Grouping::of(&none)), (vec![0, 0], vec![0], vec![2]));
        assert_eq!(groups(&Grouping::of::<i64>(&[])), (vec![], vec![], vec![]));
    }
}
