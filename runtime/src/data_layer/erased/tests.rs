//! Tests of the erased vector: every record dropped exactly once (counted by a
//! type that counts its drops), also when a clone panics part-way; records
//! land where grouping, swapping, truncating and appending say; buffers keep
//! the record type's alignment.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

/// A record that counts its drops and clones in shared counters, and panics
/// when cloned if its id is `panics_at`.
#[derive(Debug)]
struct Counted {
    id: u64,
    /// Something owned, so a double drop or a leak shows to Miri too.
    label: String,
    counts: Arc<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    drops: AtomicUsize,
    clones: AtomicUsize,
    /// The id whose clone panics (`u64::MAX`: none).
    panics_at: std::sync::atomic::AtomicU64,
}

impl Counts {
    fn new() -> Arc<Counts> {
        let counts = Arc::new(Counts::default());
        counts.panics_at.store(u64::MAX, Ordering::SeqCst);
        counts
    }
    fn drops(&self) -> usize {
        self.drops.load(Ordering::SeqCst)
    }
    fn clones(&self) -> usize {
        self.clones.load(Ordering::SeqCst)
    }
}

impl Clone for Counted {
    fn clone(&self) -> Self {
        if self.id == self.counts.panics_at.load(Ordering::SeqCst) {
            panic!("clone of {} fails", self.id);
        }
        self.counts.clones.fetch_add(1, Ordering::SeqCst);
        Counted {
            id: self.id,
            label: self.label.clone(),
            counts: self.counts.clone(),
        }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.counts.drops.fetch_add(1, Ordering::SeqCst);
    }
}

static COUNTED: RecordType = RecordType::of::<Counted>();

fn counted(counts: &Arc<Counts>, ids: impl IntoIterator<Item = u64>) -> Vec<Counted> {
    ids.into_iter()
        .map(|id| Counted {
            id,
            label: format!("record {id}"),
            counts: counts.clone(),
        })
        .collect()
}

/// An erased vector of the records of `ids`.
fn erased(counts: &Arc<Counts>, ids: impl IntoIterator<Item = u64>) -> ErasedVec {
    ErasedVec::from_vec(&COUNTED, Box::new(counted(counts, ids))).expect("a Vec<Counted>")
}

fn ids_of(records: Box<dyn Any + Send>) -> Vec<u64> {
    let records = vec_of::<Counted>(records).expect("records of Counted");
    records
        .iter()
        .map(|r| {
            assert_eq!(r.label, format!("record {}", r.id));
            r.id
        })
        .collect()
}

#[test]
fn records_go_in_and_come_back_out_as_the_vec_they_were() {
    let counts = Counts::new();
    let vec = erased(&counts, 0..10);
    assert_eq!(vec.len(), 10);
    assert_eq!(ids_of(vec.boxed()), (0..10).collect::<Vec<_>>());
    // The vec came back and was dropped there: each record once.
    assert_eq!(counts.drops(), 10);
    // Another type is given back, untouched.
    let other = ErasedVec::from_vec(&COUNTED, Box::new(vec![1_u64, 2]));
    let back = other.err().expect("not records").downcast::<Vec<u64>>();
    assert_eq!(*back.expect("the same box"), vec![1, 2]);
    // Records of another type are not read as these, and still dropped once.
    let not_u64 = vec_of::<u64>(erased(&counts, 0..3).boxed()).err();
    assert_eq!(ids_of(not_u64.expect("not u64s")), vec![0, 1, 2]);
    assert_eq!(counts.drops(), 13);
    let not_these = ErasedVec::from_vec(&ALIGNED, erased(&counts, 0..2).boxed()).err();
    assert_eq!(ids_of(not_these.expect("not Aligned")), vec![0, 1]);
}

#[test]
fn clones_grow_the_buffer_and_every_record_is_dropped_once() {
    let counts = Counts::new();
    let source = erased(&counts, 0..100);
    let mut copy = ErasedVec::new(&COUNTED);
    for i in (0..100).rev() {
        copy.extend_cloned(&source, &[i]);
    }
    assert!(copy.capacity() >= 100);
    assert_eq!(counts.clones(), 100);
    drop(source);
    assert_eq!(counts.drops(), 100);
    assert_eq!(ids_of(copy.boxed()), (0..100).rev().collect::<Vec<_>>());
    assert_eq!(counts.drops(), 200);
}

#[test]
fn a_clone_that_panics_part_way_drops_what_was_cloned_once_and_nothing_else() {
    let counts = Counts::new();
    let source = erased(&counts, 0..10);
    counts.panics_at.store(6, Ordering::SeqCst);
    let made = catch_unwind(AssertUnwindSafe(|| {
        let mut copy = ErasedVec::with_capacity(&COUNTED, 2);
        copy.extend_cloned(&source, &[0, 1, 2]);
        copy.extend_cloned_all(&source);
        copy
    }));
    assert!(made.is_err(), "the clone of record 6 panics");
    // Records 0..3, then 0..6, were cloned, and dropped as the panic unwound.
    assert_eq!(counts.clones(), 9);
    assert_eq!(counts.drops(), 9);
    // The source is whole.
    counts.panics_at.store(u64::MAX, Ordering::SeqCst);
    assert_eq!(ids_of(source.boxed()), (0..10).collect::<Vec<_>>());
    assert_eq!(counts.drops(), 19);
}

#[test]
fn a_boxed_vec_keeps_what_was_cloned_onto_it_even_when_a_clone_panics() {
    // As `Table::select_onto` clones onto the records `Table::select` boxed.
    let counts = Counts::new();
    let source = erased(&counts, 0..5);
    let mut out = erased(&counts, [100, 101]).boxed();
    counts.panics_at.store(3, Ordering::SeqCst);
    let done = catch_unwind(AssertUnwindSafe(|| {
        let out = out.downcast_mut::<ErasedVec>().expect("records");
        out.reserve_exact(10);
        out.extend_cloned(&source, &[0, 1, 2, 3, 4]);
    }));
    assert!(done.is_err());
    let capacity = out.downcast_ref::<ErasedVec>().expect("records").capacity();
    assert!(capacity >= 12, "the room made is kept");
    assert_eq!(counts.drops(), 0);
    assert_eq!(ids_of(out), vec![100, 101, 0, 1, 2]);
    drop(source);
    assert_eq!(counts.drops(), 10);
}

#[test]
fn truncate_drops_the_tail_only() {
    let counts = Counts::new();
    let mut vec = erased(&counts, 0..8);
    vec.truncate(10);
    assert_eq!((vec.len(), counts.drops()), (8, 0));
    vec.truncate(5);
    assert_eq!((vec.len(), counts.drops()), (5, 3));
    vec.truncate(0);
    assert_eq!((vec.len(), counts.drops()), (0, 8));
    // Still usable after.
    let more = erased(&counts, [42]);
    vec.append(more);
    assert_eq!(ids_of(vec.boxed()), vec![42]);
    assert_eq!(counts.drops(), 9);
}

#[test]
fn swaps_exchange_records_and_check_their_positions() {
    let counts = Counts::new();
    let mut vec = erased(&counts, 0..5);
    vec.swap(0, 4);
    vec.swap(1, 1);
    vec.swap(2, 3);
    let past_end = catch_unwind(AssertUnwindSafe(|| vec.swap(1, 5)));
    assert!(past_end.is_err(), "a position past the end panics");
    assert_eq!(counts.drops(), 0);
    assert_eq!(ids_of(vec.boxed()), vec![4, 1, 3, 2, 0]);
    assert_eq!(counts.drops(), 5);
}

#[test]
fn append_moves_records_without_dropping_or_cloning_them() {
    let counts = Counts::new();
    // Into an empty vector (which takes the buffer), then onto records.
    let mut vec = ErasedVec::new(&COUNTED);
    vec.append(erased(&counts, 0..3));
    vec.append(erased(&counts, 3..7));
    vec.append(erased(&counts, []));
    assert_eq!((counts.clones(), counts.drops()), (0, 0));
    assert_eq!(ids_of(vec.boxed()), (0..7).collect::<Vec<_>>());
    assert_eq!(counts.drops(), 7);
}

#[test]
fn records_handed_out_one_by_one_go_to_their_groups() {
    let counts = Counts::new();
    let vec = erased(&counts, 0..7);
    let slots = [2, 0, 2, 1, 0];
    let mut groups: Vec<ErasedVec> = [2, 1, 1]
        .iter()
        .map(|&size| ErasedVec::with_capacity(&COUNTED, size))
        .collect();
    let mut slots = slots.iter();
    vec.into_each(|record| match slots.next() {
        // SAFETY: handed over once, moved into another buffer.
        Some(&g) => unsafe { groups[g].push_moved(record) },
        // SAFETY: handed over once, dropped.
        None => unsafe { ErasedVec::drop_record(&COUNTED, record) },
    });
    // Records 5 and 6 had no group: dropped, and only they.
    assert_eq!(counts.drops(), 2);
    // Group 2 got one more than its size said: it grew.
    let groups =
        groups_of::<Counted>(ErasedGroups::boxed(&COUNTED, groups)).expect("groups of Counted");
    let ids: Vec<Vec<u64>> = groups
        .iter()
        .map(|g| g.iter().map(|r| r.id).collect())
        .collect();
    assert_eq!(ids, vec![vec![1, 4], vec![3], vec![0, 2]]);
    drop(groups);
    assert_eq!((counts.clones(), counts.drops()), (0, 7));
}

#[test]
fn clones_go_to_the_groups_their_pairs_name_in_order() {
    let counts = Counts::new();
    let source = erased(&counts, 0..600);
    // Every record, more than one batch of positions.
    let mut all = ErasedVec::new(&COUNTED);
    all.extend_cloned_all(&source);
    assert_eq!(ids_of(all.boxed()), (0..600).collect::<Vec<_>>());
    // Group 1 is allocated too small and grows; group 0 gets nothing.
    let mut groups: Vec<ErasedVec> = [0, 1, 2]
        .iter()
        .map(|&size| ErasedVec::with_capacity(&COUNTED, size))
        .collect();
    ErasedVec::clone_grouped(
        &source,
        &[(5, 2), (599, 1), (3, 1), (5, 2), (7, 1)],
        &mut groups,
    );
    let groups =
        groups_of::<Counted>(ErasedGroups::boxed(&COUNTED, groups)).expect("groups of Counted");
    let ids: Vec<Vec<u64>> = groups
        .iter()
        .map(|g| g.iter().map(|r| r.id).collect())
        .collect();
    assert_eq!(ids, vec![vec![], vec![599, 3, 7], vec![5, 5]]);
    drop(groups);
    drop(source);
    assert_eq!(counts.clones(), 605);
    assert_eq!(counts.drops(), 1205);
}

#[test]
fn a_panic_while_handing_out_records_drops_none_twice() {
    let counts = Counts::new();
    let vec = erased(&counts, 0..6);
    let mut kept = ErasedVec::new(&COUNTED);
    let done = catch_unwind(AssertUnwindSafe(|| {
        vec.into_each(|record| {
            if kept.len() == 3 {
                panic!("no room");
            }
            // SAFETY: handed over once, moved into another buffer.
            unsafe { kept.push_moved(record) };
        })
    }));
    assert!(done.is_err());
    // The records not handed out leak (the buffer is freed); none is dropped.
    assert_eq!(counts.drops(), 0);
    assert_eq!(ids_of(kept.boxed()), vec![0, 1, 2]);
    assert_eq!(counts.drops(), 3);
}

/// A record aligned more than the allocator's usual 16 bytes.
#[derive(Clone, Debug, PartialEq)]
#[repr(align(64))]
struct Aligned(u32);

static ALIGNED: RecordType = RecordType::of::<Aligned>();

#[test]
fn buffers_keep_the_record_types_alignment() {
    let mut vec = ErasedVec::new(&ALIGNED);
    let source = ErasedVec::from_vec(&ALIGNED, Box::new(vec![Aligned(7)])).expect("aligned");
    for _ in 0..40 {
        vec.extend_cloned(&source, &[0]);
        assert_eq!(vec.as_ptr() as usize % 64, 0);
    }
    let back = vec_of::<Aligned>(vec.boxed()).expect("aligned");
    assert_eq!(back, vec![Aligned(7); 40]);
    // An empty vector hands back an empty Vec (no buffer).
    let empty = ErasedVec::with_capacity(&ALIGNED, 0).boxed();
    assert_eq!(vec_of::<Aligned>(empty).expect("aligned").len(), 0);
    // Grouped records of no group are still of their type.
    let none = ErasedGroups::boxed(&ALIGNED, Vec::new());
    assert!(groups_of::<u8>(none).is_err());
}

#[test]
fn zero_sized_types_are_refused() {
    // In a constant (as `Typed::RECORD` makes it) this fails to compile; made
    // at run time, it panics.
    let made = catch_unwind(RecordType::of::<()>);
    assert!(made.is_err());
}
