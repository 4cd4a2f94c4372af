//! Loading from SQL databases through ashore against hand-written code doing
//! the same work in the same run: 1,000 representatives, 100,000 tickets and
//! 300,000 comments in a SQLite file and (when `ASHORE_PG_URL` is set) in
//! PostgreSQL, with UUID keys and with integer keys, loading onto 10
//! representatives and onto all 1,000:
//!
//! - the has_many `Representative::tickets` against one hand-written SELECT of
//!   the tickets of those representatives (rusqlite, `IN rarray(?1)`;
//!   tokio-postgres, `= ANY($1)`), decoded into the same `Ticket`s and grouped
//!   by representative in a `HashMap`;
//! - the top 3 tickets of each representative by priority
//!   (`Representative::tickets().sort(Ticket::priority().desc()).limit(3)`)
//!   against a hand-written `ROW_NUMBER()` window query and the same group-by;
//! - the guide's manual relationship `tickets_above_threshold`, its loader
//!   exactly as the README writes it, against a hand-written JOIN of tickets
//!   and representatives;
//! - the nested load `Representative::tickets().load(Ticket::comments())`
//!   against two hand-written SELECTs and two group-bys.
//!
//! The answers are checked to agree before anything is timed. The figure that
//! matters is the ratio of each ashore load to its hand-written counterpart:
//! besides criterion's figures, each pair is also timed alternately (printed as
//! "interleaved medians"), which keeps the ratio honest on a busy machine.
//!
//! `cargo bench --bench sql` (add `ASHORE_PG_URL=postgres://..` for
//! PostgreSQL); `cargo bench --bench sql -- "guide's|nested"` runs only the
//! cases whose name holds one of the alternatives; `ASHORE_BENCH_ROUNDS` sets
//! the interleaved rounds (15); `-- --list` skips criterion's own timing.
//!
//! The hand-written SQLite connection keeps rusqlite's defaults, where
//! ashore's layer reads through memory mapping (128 MiB, `Sqlite::set_mmap_size`);
//! `ASHORE_BENCH_HAND_MMAP=134217728` gives the hand-written connection the same
//! `mmap_size`, to compare like for like.
//!
//! The runtime is a multi-threaded Tokio runtime, as `#[tokio::main]` builds
//! (SQLite statements run in place); `ASHORE_BENCH_RUNTIME=current_thread`
//! runs everything on a current-thread one (SQLite statements on the pool's
//! blocking threads).
//!
//! With `ASHORE_BENCH_SIDE=ashore` (or `hand`) it only runs that side of each
//! case `ASHORE_BENCH_REPEAT` times (5), inside the case's `measured_*`
//! function, and exits: for `valgrind --tool=callgrind --collect-atstart=no
//! --toggle-collect='*measured_*'` and `callgrind_annotate --inclusive=yes`
//! (callgrind toggles per thread: on the default multi-threaded runtime the
//! SQLite statements run in place, inside `measured_*`; with
//! `ASHORE_BENCH_RUNTIME=current_thread` they run on the pool's blocking
//! threads, which need `--toggle-collect='*sqlite*layer*fetch*'` too). Build
//! with `CARGO_PROFILE_BENCH_DEBUG=line-tables-only cargo bench --bench sql --no-run`.

mod by_hand;
#[macro_use]
#[path = "../common/measured.rs"]
mod measured;
#[path = "../common/cases.rs"]
mod cases;
#[path = "../common/databases.rs"]
mod databases;
mod helpdesk;
#[path = "../common/interleaved.rs"]
mod interleaved;
#[path = "../common/keys.rs"]
mod keys;
#[path = "../common/resources.rs"]
mod resources;
#[path = "../common/runtime.rs"]
mod runtime;
#[path = "../common/selection.rs"]
mod selection;

use std::hint::black_box;
use std::time::Duration;

use ashore::data_layer::sql::Sqlite;
use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, Criterion, criterion_group, criterion_main};
use tokio::runtime::Runtime;

use by_hand::PgStatements;
use cases::Case;
use databases::{PgSchema, SqliteFile};
use helpdesk::Helpdesk;
use helpdesk::integer_keys::IntegerKeys;
use helpdesk::uuid_keys::UuidKeys;
use interleaved::interleaved;

/// Checks that ashore and the hand-written code attach the same tickets (and
/// comments) to every representative, in the same order.
fn check_same<H: Helpdesk>(case: Case, what: &str, by_hand: &mut [H::Rep], ashore: &mut [H::Rep]) {
    let mut total = 0;
    for (h, a) in by_hand.iter_mut().zip(ashore) {
        assert_eq!(H::rep_id(h), H::rep_id(a));
        let h = H::tickets(case, h).get().expect("loaded").clone();
        let a = H::tickets(case, a).get().expect("loaded").clone();
        assert_eq!(h, a, "{what}: the tickets of a representative differ");
        total += h.len();
    }
    assert!(total > 0, "{what}: nothing loaded");
    println!("{what}: ashore and hand-written agree ({total} tickets)");
}

fn timed<'c>(c: &'c mut Criterion, name: &str) -> BenchmarkGroup<'c, WallTime> {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group
}

/// The cases to run: with a filter on the command line (criterion's, a regex),
/// those whose full name holds one of its `|`-separated alternatives; else all.
fn cases(layer: &str, keys: &str) -> Vec<(Case, String)> {
    let words = selection::filter_words();
    Case::ALL
        .into_iter()
        .map(|case| (case, format!("{layer} {keys}, {}", case.name())))
        .filter(|(_, name)| selection::selected(name, &words))
        .collect()
}

/// With `ASHORE_BENCH_SIDE` set, runs that side of `case` `ASHORE_BENCH_REPEAT`
/// times inside the case's `measured_*` function and says so.
fn only_one_side(case: Case, hand: &mut dyn FnMut(), ashore: &mut dyn FnMut()) -> bool {
    let knob = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
    let Some(side) = knob("ASHORE_BENCH_SIDE") else {
        return false;
    };
    let repeat: usize = knob("ASHORE_BENCH_REPEAT").map_or(5, |r| r.parse().expect("repeat"));
    case.measured(&mut || {
        for _ in 0..repeat {
            match side.as_str() {
                "hand" => hand(),
                _ => ashore(),
            }
        }
    });
    true
}

/// The first `case.parents()` representatives.
fn parents<H: Helpdesk>(case: Case, reps: &[H::Rep]) -> Vec<H::Rep> {
    reps[..case.parents().min(reps.len())].to_vec()
}

fn sqlite<H: Helpdesk>(c: &mut Criterion, rt: &Runtime) {
    let cases = cases("sqlite", H::KEYS);
    if cases.is_empty() {
        return;
    }
    let file = SqliteFile::new("sql", H::KEYS);
    let domain = H::domain(Sqlite::open(file.path()).expect("open the SQLite file"));
    let reps = rt.block_on(H::seed(&domain));
    let conn = rusqlite::Connection::open(file.path()).expect("open by hand");
    rusqlite::vtab::array::load_module(&conn).expect("rarray");
    // Like for like with ashore's memory-mapped reads, when asked.
    if let Some(bytes) = std::env::var("ASHORE_BENCH_HAND_MMAP")
        .ok()
        .and_then(|v| v.parse::<i64>().ok())
    {
        conn.pragma_update(None, "mmap_size", bytes)
            .expect("mmap_size by hand");
    }

    for (case, what) in cases {
        let parents = parents::<H>(case, &reps);
        let mut by_hand = parents.clone();
        by_hand::sqlite::<H>(&conn, case, &mut by_hand);
        let mut ashore = parents.clone();
        H::load(case, rt, &domain, &mut ashore);
        check_same::<H>(case, &what, &mut by_hand, &mut ashore);
        if only_one_side(
            case,
            &mut || by_hand::sqlite::<H>(&conn, case, &mut parents.clone()),
            &mut || H::load(case, rt, &domain, &mut parents.clone()),
        ) {
            continue;
        }
        interleaved(
            &what,
            interleaved::rounds(),
            || by_hand::sqlite::<H>(&conn, case, &mut parents.clone()),
            || H::load(case, rt, &domain, &mut parents.clone()),
        );

        let mut group = timed(c, &what);
        group.bench_function("hand-written rusqlite + HashMap", |b| {
            b.iter_batched_ref(
                || parents.clone(),
                |reps| by_hand::sqlite::<H>(&conn, case, black_box(reps)),
                BatchSize::LargeInput,
            )
        });
        group.bench_function("ashore", |b| {
            b.iter_batched_ref(
                || parents.clone(),
                |reps| H::load(case, rt, &domain, black_box(reps)),
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }
    drop(conn);
    {
        // The pool closes its connections on Tokio's blocking threads.
        let _runtime = rt.enter();
        drop(domain);
    }
    drop(file);
}

fn postgres<H: Helpdesk>(c: &mut Criterion, rt: &Runtime) {
    let cases = cases("postgres", H::KEYS);
    if cases.is_empty() {
        return;
    }
    let Some(pg) = PgSchema::connect(rt, "sql", H::KEYS) else {
        return;
    };
    let (layer, client) = (&pg.layer, &pg.client);
    let domain = H::domain(layer.clone());
    let reps = rt.block_on(H::seed(&domain));
    rt.block_on(async {
        let client = layer.client().await.expect("client");
        client
            .batch_execute("ANALYZE ticket; ANALYZE representative; ANALYZE comment")
            .await
            .expect("analyze");
    });

    for (case, what) in cases {
        let parents = parents::<H>(case, &reps);
        let stmts = rt.block_on(PgStatements::prepare(client, case));
        let by_hand =
            |reps: &mut [H::Rep]| rt.block_on(by_hand::postgres::<H>(client, &stmts, case, reps));
        let mut hand = parents.clone();
        by_hand(&mut hand);
        let mut ashore = parents.clone();
        H::load(case, rt, &domain, &mut ashore);
        check_same::<H>(case, &what, &mut hand, &mut ashore);
        if only_one_side(case, &mut || by_hand(&mut parents.clone()), &mut || {
            H::load(case, rt, &domain, &mut parents.clone())
        }) {
            continue;
        }
        interleaved(
            &what,
            interleaved::rounds(),
            || by_hand(&mut parents.clone()),
            || H::load(case, rt, &domain, &mut parents.clone()),
        );

        let mut group = timed(c, &what);
        group.bench_function("hand-written tokio-postgres + HashMap", |b| {
            b.iter_batched_ref(
                || parents.clone(),
                |reps| by_hand(black_box(reps)),
                BatchSize::LargeInput,
            )
        });
        group.bench_function("ashore", |b| {
            b.iter_batched_ref(
                || parents.clone(),
                |reps| H::load(case, rt, &domain, black_box(reps)),
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }
    pg.finish(rt, domain);
}

fn bench(c: &mut Criterion) {
    let rt = runtime::runtime();
    sqlite::<UuidKeys>(c, &rt);
    sqlite::<IntegerKeys>(c, &rt);
    postgres::<UuidKeys>(c, &rt);
    postgres::<IntegerKeys>(c, &rt);
    if std::env::var("ASHORE_BENCH_SIDE").is_ok_and(|v| !v.is_empty()) {
        std::process::exit(0);
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
