//! Moving a loader's records into their groups for
//! [`Related::group_by`](super::Related::group_by), one group at a time.
//!
//! The records come in the loader's order, where consecutive records mostly
//! belong to different groups. Pushing each onto its group in that order
//! scatters the writes over every group's buffer at once (a thousand of them
//! for the guide's load of 1,000 representatives), each store landing on a
//! line not in cache: that was a fifth of the load's time. Here the records
//! are first ordered by group (a counting sort of their positions, stable),
//! then each group's buffer is allocated and filled in one go, so the writes
//! go to one buffer at a time, in order; the reads jump instead, which the
//! processor overlaps.

use std::mem::ManuallyDrop;

/// `records` moved into `groups` groups, record `i` into group `slots[i]`,
/// each group keeping the records' order and allocated at its size.
///
/// `slots` has one entry per record, each below `groups` (as
/// [`Grouping`](super::grouping::Grouping) makes them); otherwise the records
/// are pushed one by one instead, the ones without a valid slot dropped.
pub(super) fn gather<D>(records: Vec<D>, slots: &[u32], groups: usize) -> Vec<Vec<D>> {
    if slots.len() != records.len() {
        return push_each(records, slots, groups);
    }
    // `starts[g]..starts[g + 1]`: where group `g`'s records are in `order`;
    // counting them also checks every slot names a group (one pass).
    let mut starts = vec![0_usize; groups + 1];
    for &slot in slots {
        match starts.get_mut(slot as usize + 1) {
            Some(count) => *count += 1,
            None => return push_each(records, slots, groups),
        }
    }
    for g in 0..groups {
        starts[g + 1] += starts[g];
    }
    let mut next = starts.clone();
    let mut order = vec![0_usize; slots.len()];
    for (i, &slot) in slots.iter().enumerate() {
        order[next[slot as usize]] = i;
        next[slot as usize] += 1;
    }
    // From here every record is moved out exactly once (`order` holds each
    // position once: one per record, placed by its own slot), and the
    // vector's buffer is then freed without dropping any. Nothing below can
    // unwind midway but an allocation failure, which aborts; were it to,
    // the records not yet moved would leak, never be dropped twice.
    let mut records = ManuallyDrop::new(records);
    let base = records.as_mut_ptr();
    let out = starts
        .windows(2)
        .map(|bounds| {
            let rows = &order[bounds[0]..bounds[1]];
            let mut group = Vec::with_capacity(rows.len());
            for &i in rows {
                // SAFETY: `i < records.len()` (a position of `slots`, whose
                // length is the records'), and no position is read twice,
                // so each record is moved out once and never used again.
                group.push(unsafe { base.add(i).read() });
            }
            group
        })
        .collect();
    // SAFETY: every record was moved out above; with its length set to
    // zero the vector frees its buffer and drops nothing.
    unsafe {
        records.set_len(0);
        ManuallyDrop::drop(&mut records);
    }
    out
}

/// The plain way, for slots that do not fit the records.
fn push_each<D>(records: Vec<D>, slots: &[u32], groups: usize) -> Vec<Vec<D>> {
    let mut out: Vec<Vec<D>> = (0..groups).map(|_| Vec::new()).collect();
    for (record, &slot) in records.into_iter().zip(slots) {
        if let Some(group) = out.get_mut(slot as usize) {
            group.push(record);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::rc::Rc;

    /// A record that counts its drops.
    struct Counted(u32, Rc<Cell<usize>>);

    impl Drop for Counted {
        fn drop(&mut self) {
            self.1.set(self.1.get() + 1);
        }
    }

    fn values(groups: &[Vec<Counted>]) -> Vec<Vec<u32>> {
        groups
            .iter()
            .map(|g| g.iter().map(|c| c.0).collect())
            .collect()
    }

    #[test]
    fn records_go_to_their_groups_in_order_and_are_dropped_once() {
        let drops = Rc::new(Cell::new(0));
        let records: Vec<Counted> = (0..7).map(|i| Counted(i, drops.clone())).collect();
        let groups = gather(records, &[2, 0, 2, 1, 0, 2, 0], 4);
        assert_eq!(
            values(&groups),
            [vec![1, 4, 6], vec![3], vec![0, 2, 5], vec![]]
        );
        assert_eq!(drops.get(), 0, "moved, not dropped");
        assert_eq!(groups[0].capacity(), 3, "allocated at its size");
        drop(groups);
        assert_eq!(drops.get(), 7);
    }

    #[test]
    fn slots_that_do_not_fit_fall_back_without_losing_a_drop() {
        let drops = Rc::new(Cell::new(0));
        let records: Vec<Counted> = (0..3).map(|i| Counted(i, drops.clone())).collect();
        // One slot short, and one out of range: pushed one by one, the
        // records without a valid slot dropped.
        let groups = gather(records, &[1, 5], 2);
        assert_eq!(values(&groups), [vec![], vec![0]]);
        assert_eq!(drops.get(), 2);
        drop(groups);
        assert_eq!(drops.get(), 3);
        // As many slots as records, one naming no group.
        let drops = Rc::new(Cell::new(0));
        let records: Vec<Counted> = (0..2).map(|i| Counted(i, drops.clone())).collect();
        let groups = gather(records, &[0, 2], 2);
        assert_eq!(values(&groups), [vec![0], vec![]]);
        assert_eq!(drops.get(), 1);
        drop(groups);
        assert_eq!(drops.get(), 2);
    }

    #[test]
    fn no_records_and_zero_sized_records() {
        assert!(gather(Vec::<u8>::new(), &[], 0).is_empty());
        let groups = gather(vec![(), (), ()], &[1, 0, 1], 2);
        assert_eq!(groups, [vec![()], vec![(), ()]]);
    }
}
