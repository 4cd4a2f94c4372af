//! `Held`'s unconditional `Send` and `Sync`: the box lends, gives back,
//! clones and drops its value on another thread as a `Box<T>` would.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Held, Loaded};

/// Counts its drops in the shared counter.
#[derive(Clone)]
struct Counted(Arc<AtomicUsize>, Vec<String>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn a_held_value_moves_to_another_thread_and_drops_there_once() {
    let drops = Arc::new(AtomicUsize::new(0));
    let mut held = Held::new(Counted(drops.clone(), vec!["a".into()]));
    held.1.push("b".into());
    let copy = held.clone();
    let seen = std::thread::spawn(move || {
        let seen = held.1.clone();
        drop(held);
        seen
    })
    .join()
    .unwrap();
    assert_eq!(seen, ["a", "b"]);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    // The clone is its own value, still there.
    assert_eq!(copy.1, ["a", "b"]);
    let value = copy.into_inner();
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    drop(value);
    assert_eq!(drops.load(Ordering::SeqCst), 2);
}

#[test]
fn a_loaded_vector_is_shared_between_threads() {
    let loaded = Arc::new(Loaded::new(vec![1_i64, 2, 3]));
    let sums: Vec<i64> = (0..2)
        .map(|_| {
            let loaded = loaded.clone();
            std::thread::spawn(move || loaded.get().unwrap().iter().sum())
        })
        .map(|thread| thread.join().unwrap())
        .collect();
    assert_eq!(sums, [6, 6]);
    let mut loaded = Arc::try_unwrap(loaded).unwrap();
    loaded.get_mut().unwrap().push(4);
    assert_eq!(loaded.clone().into_inner().unwrap(), [1, 2, 3, 4]);
}

#[test]
fn a_loaded_value_is_as_big_as_two_pointers() {
    // The box and the function that frees it; `NotLoaded` takes no room.
    assert_eq!(size_of::<Loaded<Vec<i64>>>(), 2 * size_of::<usize>());
}
