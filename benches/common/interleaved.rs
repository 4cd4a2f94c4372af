//! Interleaved A/B timing, shared by the benchmarks: the hand-written code and
//! ashore's run alternately and their medians are compared, so load that
//! drifts on a busy machine falls on both sides alike.

use std::time::{Duration, Instant};

/// Times `by_hand` and `ashore` alternately, `rounds` times each, and prints
/// their medians and ratio: on a busy machine, load that drifts between
/// criterion's two measurement phases skews their ratio; alternating does not.
/// Also prints the minor page faults per call of each (Linux), which is where
/// the difference went on SQLite before (memory handed back and faulted in).
pub fn interleaved(what: &str, rounds: usize, mut by_hand: impl FnMut(), mut ashore: impl FnMut()) {
    let median = |mut times: Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let (mut hand_times, mut ashore_times) = (Vec::new(), Vec::new());
    let (mut hand_faults, mut ashore_faults) = (0, 0);
    for _ in 0..rounds.max(1) {
        let (start, faults) = (Instant::now(), minor_faults());
        by_hand();
        hand_times.push(start.elapsed());
        hand_faults += minor_faults() - faults;
        let (start, faults) = (Instant::now(), minor_faults());
        ashore();
        ashore_times.push(start.elapsed());
        ashore_faults += minor_faults() - faults;
    }
    let (hand, ashore) = (median(hand_times), median(ashore_times));
    println!(
        "{what}, interleaved medians of {rounds}: hand-written {hand:.2?}, ashore {ashore:.2?}, \
         ratio {:.2}; minor page faults per call: hand-written {}, ashore {}",
        ashore.as_secs_f64() / hand.as_secs_f64(),
        hand_faults / rounds.max(1) as u64,
        ashore_faults / rounds.max(1) as u64,
    );
}

/// The process's minor page faults so far (field 10 of `/proc/self/stat`), or
/// 0 where there is no such file.
fn minor_faults() -> u64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0;
    };
    // The command name (field 2) is in parentheses and may hold spaces.
    stat.rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().nth(7))
        .and_then(|f| f.parse().ok())
        .unwrap_or(0)
}
