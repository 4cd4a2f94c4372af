//! Interleaved A/B timing, shared by the benchmarks: the hand-written code and
//! ashore's run alternately and their medians are compared, so load that
//! drifts on a busy machine falls on both sides alike.

use std::time::{Duration, Instant};

/// How many rounds an interleaved comparison runs: `ASHORE_BENCH_ROUNDS`, else
/// 15. Loads of a millisecond or so need many more to settle (a few hundred).
pub fn rounds() -> usize {
    std::env::var("ASHORE_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(15)
}

/// Times `by_hand` and `ashore` alternately, `rounds` times each, and prints
/// their medians and ratio: on a busy machine, load that drifts between
/// criterion's two measurement phases skews their ratio; alternating does not.
/// Also prints the CPU time of every thread per call of each (Linux), which
/// tells work from waiting, and the minor page faults per call, which is where
/// the difference went on SQLite before (memory handed back and faulted in).
pub fn interleaved(what: &str, rounds: usize, by_hand: impl FnMut(), ashore: impl FnMut()) {
    interleaved_with_setup(what, rounds, |_| {}, by_hand, ashore);
}

/// Which side a setup prepares for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Side {
    /// The hand-written code runs next.
    ByHand,
    /// ashore runs next.
    Ashore,
}

/// [`interleaved`], with `setup` run, untimed, before each call of either
/// side (told which): fresh data for a write (an emptied table before a
/// create), made through the connection that side then uses where that
/// matters (SQLite: see `benches/writes/main.rs`).
pub fn interleaved_with_setup(
    what: &str,
    rounds: usize,
    mut setup: impl FnMut(Side),
    mut by_hand: impl FnMut(),
    mut ashore: impl FnMut(),
) {
    let median = |mut times: Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let (mut hand_times, mut ashore_times) = (Vec::new(), Vec::new());
    let (mut hand_faults, mut ashore_faults) = (0, 0);
    let (mut hand_cpu, mut ashore_cpu) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..rounds.max(1) {
        setup(Side::ByHand);
        let (start, faults, cpu) = (Instant::now(), minor_faults(), cpu_time());
        by_hand();
        hand_times.push(start.elapsed());
        hand_cpu += cpu_time().saturating_sub(cpu);
        hand_faults += minor_faults() - faults;
        setup(Side::Ashore);
        let (start, faults, cpu) = (Instant::now(), minor_faults(), cpu_time());
        ashore();
        ashore_times.push(start.elapsed());
        ashore_cpu += cpu_time().saturating_sub(cpu);
        ashore_faults += minor_faults() - faults;
    }
    let (hand, ashore) = (median(hand_times), median(ashore_times));
    let calls = rounds.max(1) as u32;
    let (hand_cpu, ashore_cpu) = (hand_cpu / calls, ashore_cpu / calls);
    println!(
        "{what}, interleaved medians of {rounds}: hand-written {hand:.2?}, ashore {ashore:.2?}, \
         ratio {:.2}; CPU time per call (all threads, mean): hand-written {hand_cpu:.2?}, ashore \
         {ashore_cpu:.2?}, ratio {:.2}; minor page faults per call: hand-written {}, ashore {}",
        ashore.as_secs_f64() / hand.as_secs_f64(),
        ashore_cpu.as_secs_f64() / hand_cpu.as_secs_f64().max(1e-9),
        hand_faults / rounds.max(1) as u64,
        ashore_faults / rounds.max(1) as u64,
    );
}

/// The CPU time the process has had so far, every thread's (the pool's
/// blocking threads included): user and system time of `/proc/self/stat`, in
/// clock ticks (Linux's USER_HZ, 100 a second), so only sums over many calls
/// mean anything; zero where there is no such file. Beside wall time it tells
/// work from waiting (a hand-off between threads).
fn cpu_time() -> Duration {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return Duration::ZERO;
    };
    // utime and stime: fields 14 and 15, the 12th and 13th after the name.
    let ticks: u64 = stat
        .rsplit_once(')')
        .map(|(_, rest)| {
            rest.split_whitespace()
                .skip(11)
                .take(2)
                .filter_map(|f| f.parse::<u64>().ok())
                .sum()
        })
        .unwrap_or(0);
    Duration::from_millis(ticks * 10)
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
