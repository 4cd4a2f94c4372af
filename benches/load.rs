//! Loading in memory, through ashore against hand-written code over the same
//! records, in the same run: 1,000 representatives, 100,000 tickets and
//! 300,000 comments, once with integer primary keys and once with UUIDs
//! (`load/schema.rs`). Each load runs onto 10 representatives and onto all
//! 1,000:
//!
//! - has_many: `Representative::tickets()` against a `HashMap` group-by;
//! - the guide's manual relationship `tickets_above_threshold`, its loader as
//!   the README writes it, against a hand-written filter and group-by;
//! - the top 3 tickets of each representative by priority
//!   (`Representative::tickets().sort(Ticket::priority().desc()).limit(3)`)
//!   against a group-by and a sort of each group;
//! - nested, representatives → tickets → comments
//!   (`Representative::tickets().load(Ticket::comments())`) against two
//!   group-bys.
//!
//! Every answer is checked equal to the hand-written one before anything is
//! timed. The figure that matters is the ratio of each ashore load to its
//! hand-written counterpart: each pair is timed alternately ("interleaved
//! medians", printed), which keeps the ratio honest on a busy machine, then
//! by criterion.
//!
//! Knobs (environment): `ASHORE_BENCH_ONLY=text` runs the cases whose name
//! contains `text`; `ASHORE_BENCH_ROUNDS` sets the interleaved rounds (15).
//! With `ASHORE_BENCH_SIDE=ashore` (or `hand`) it only runs that side of each
//! case `ASHORE_BENCH_REPEAT` times (5), inside the case's `measured_*`
//! function (each time cloning the parents, loading and dropping the result,
//! as the interleaved timing does), and exits: for `valgrind --tool=callgrind --collect-atstart=no
//! --toggle-collect='*measured_*'` and `callgrind_annotate --inclusive=yes`,
//! which counts each case on its own line. Build with
//! `CARGO_PROFILE_BENCH_DEBUG=line-tables-only cargo bench --bench load --no-run`.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use tokio::runtime::Runtime;

#[macro_use]
#[path = "common/measured.rs"]
mod measured;
#[path = "common/cases.rs"]
mod cases;
#[path = "common/interleaved.rs"]
mod interleaved;
#[path = "common/resources.rs"]
mod resources;
#[macro_use]
#[path = "load/schema.rs"]
mod schema;

use interleaved::interleaved;

use cases::{COMMENTS_PER_TICKET, Case, REPS, TICKETS, TOP};

/// Comments in all.
const COMMENTS: usize = TICKETS * COMMENTS_PER_TICKET;

/// One set of records with its loads, ashore's and hand-written.
pub trait Helpdesk {
    /// The representatives a load fills in.
    type Parents: Clone + PartialEq;
    /// The representatives `case` loads onto, nothing loaded.
    fn parents(&self, case: Case) -> Self::Parents;
    /// Loads `case` through ashore.
    fn ashore(&self, rt: &Runtime, case: Case, reps: &mut Self::Parents);
    /// Loads `case` by hand.
    fn by_hand(&self, case: Case, reps: &mut Self::Parents);
    /// How many records a load attached.
    fn tickets(reps: &Self::Parents) -> usize;
}

fn knob(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Checks, times and benchmarks every case on one set of records.
fn run<H: Helpdesk>(c: &mut Criterion, rt: &Runtime, keys: &str, data: &H) {
    let only = knob("ASHORE_BENCH_ONLY");
    for case in Case::ALL {
        let what = format!("memory, {keys} keys, {}", case.name());
        if only.as_ref().is_some_and(|o| !what.contains(o.as_str())) {
            continue;
        }
        let parents = data.parents(case);
        let mut by_hand = parents.clone();
        data.by_hand(case, &mut by_hand);
        let mut ashore = parents.clone();
        data.ashore(rt, case, &mut ashore);
        assert!(by_hand == ashore, "{what}: ashore and hand-written differ");
        let total = H::tickets(&by_hand);
        assert!(total > 0, "{what}: nothing loaded");
        println!("{what}: ashore and hand-written agree ({total} records)");

        if let Some(side) = knob("ASHORE_BENCH_SIDE") {
            let repeat: usize =
                knob("ASHORE_BENCH_REPEAT").map_or(5, |r| r.parse().expect("repeat"));
            // As the interleaved timing does: each call clones the parents,
            // loads and drops what it loaded (freeing the records is part of
            // the cost, and keeping every call's records alive would measure
            // fresh memory instead).
            case.measured(&mut || {
                for _ in 0..repeat {
                    let mut reps = parents.clone();
                    match side.as_str() {
                        "hand" => data.by_hand(case, &mut reps),
                        _ => data.ashore(rt, case, &mut reps),
                    }
                    drop(black_box(reps));
                }
            });
            continue;
        }
        let rounds = interleaved::rounds();
        interleaved(
            &what,
            rounds,
            || data.by_hand(case, &mut parents.clone()),
            || data.ashore(rt, case, &mut parents.clone()),
        );

        let mut group = c.benchmark_group(what);
        group.sample_size(20);
        group.bench_function("hand-written", |b| {
            b.iter_batched_ref(
                || parents.clone(),
                |reps| data.by_hand(case, black_box(reps)),
                BatchSize::LargeInput,
            )
        });
        group.bench_function("ashore", |b| {
            b.iter_batched_ref(
                || parents.clone(),
                |reps| data.ashore(rt, case, black_box(reps)),
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }
}

helpdesk!(integer_keys, integer_primary_key, i64);
helpdesk!(uuid_keys, uuid_primary_key, Uuid);

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    // Records are made only for the key types of the cases run.
    let wanted = |keys: &str| {
        let only = knob("ASHORE_BENCH_ONLY").unwrap_or_default();
        Case::ALL
            .iter()
            .any(|case| format!("memory, {keys} keys, {}", case.name()).contains(&only))
    };
    if wanted("integer") {
        let integer = rt.block_on(integer_keys::data());
        run(c, &rt, "integer", &integer);
    }
    if wanted("UUID") {
        let uuid = rt.block_on(uuid_keys::data());
        run(c, &rt, "UUID", &uuid);
    }
    if knob("ASHORE_BENCH_SIDE").is_some() {
        std::process::exit(0);
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
