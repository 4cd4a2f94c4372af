//! Interleaved A/B timing, shared by the benchmarks: the hand-written code and
//! ashore's run alternately and their medians are compared, so load that
//! drifts on a busy machine falls on both sides alike.

use std::time::{Duration, Instant};

/// Times `by_hand` and `ashore` alternately, `rounds` times each, and prints
/// their medians and ratio (ashore / hand-written): load that drifts between
/// criterion's two measurement phases skews their ratio; alternating does not.
pub fn interleaved(what: &str, rounds: usize, mut by_hand: impl FnMut(), mut ashore: impl FnMut()) {
    let median = |mut times: Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let (mut hand_times, mut ashore_times) = (Vec::new(), Vec::new());
    for _ in 0..rounds.max(1) {
        let start = Instant::now();
        by_hand();
        hand_times.push(start.elapsed());
        let start = Instant::now();
        ashore();
        ashore_times.push(start.elapsed());
    }
    let (hand, ashore) = (median(hand_times), median(ashore_times));
    println!(
        "{what}, interleaved medians of {rounds}: hand-written {hand:.2?}, ashore {ashore:.2?}, \
         ratio {:.2}",
        ashore.as_secs_f64() / hand.as_secs_f64()
    );
}
