//! Aggregates through ashore against hand-written code doing the same work in
//! the same run: 1,000 representatives and 100,000 tickets spread unevenly
//! over them (`desk.rs`), in memory, in a SQLite file and (when
//! `ASHORE_PG_URL` is set) in PostgreSQL, with UUID keys and with integer
//! keys:
//!
//! - **count, loaded**: `Representative::ticket_count()` (`count ticket_count:
//!   tickets`) loaded onto all 1,000 representatives and onto 10 of them
//!   (every hundredth), against a hand-written `GROUP BY representative_id`
//!   of their tickets (rusqlite, `IN rarray(?1)`; tokio-postgres,
//!   `= ANY($1)`) into a `HashMap` of counts, or in memory a pass over the
//!   tickets counting into one;
//! - **more than 100 tickets**: the representatives read with
//!   `filter(expr!(ticket_count > ^n))`, against a hand-written
//!   `WHERE id IN (SELECT representative_id … GROUP BY … HAVING count(*) > $1)`
//!   in insertion order, or in memory a count of every representative's
//!   tickets and a filter;
//! - **more than 50 tickets above their threshold**: the same through
//!   `count above_count: above`, `above` a `no_attributes` relationship whose
//!   filter compares each ticket with its representative (`priority >
//!   parent(priority_threshold)`), `filter(expr!(above_count > ^n))`, against
//!   the same `GROUP BY … HAVING` over the tickets joined to their
//!   representative, or in memory the count of the tickets above each one's
//!   threshold and a filter.
//!
//! The answers are checked to agree before anything is timed. The figure that
//! matters is the ratio of each ashore call to its hand-written counterpart:
//! each pair is timed alternately ("interleaved medians", printed), then by
//! criterion.
//!
//! `cargo bench --bench aggregates` (add `ASHORE_PG_URL=postgres://..` for
//! PostgreSQL); `cargo bench --bench aggregates -- "sqlite|more than"` runs only
//! the cases whose name holds one of the alternatives; `ASHORE_BENCH_ROUNDS`
//! sets the interleaved rounds (15); `-- --list` skips criterion's own timing.
//!
//! With `ASHORE_BENCH_SIDE=ashore` (or `hand`) it only runs that side of each
//! case `ASHORE_BENCH_REPEAT` times (5), inside the case's `measured_*`
//! function, and exits: for `valgrind --tool=callgrind --collect-atstart=no
//! --toggle-collect='*measured_*'` and `callgrind_annotate --inclusive=yes`.
//! Build with `CARGO_PROFILE_BENCH_DEBUG=line-tables-only cargo bench --bench
//! aggregates --no-run`.

mod by_hand;
#[path = "../common/databases.rs"]
mod databases;
mod desk;
#[macro_use]
#[path = "../common/measured.rs"]
mod measured;
#[path = "../common/interleaved.rs"]
mod interleaved;
#[path = "../common/keys.rs"]
mod keys;
#[path = "../common/runtime.rs"]
mod runtime;
#[path = "../common/selection.rs"]
mod selection;

use std::hint::black_box;
use std::time::Duration;

use ashore::data_layer::sql::Sqlite;
use ashore::{Domain, Memory};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use tokio::runtime::Runtime;

use by_hand::PgStatements;
use databases::{PgSchema, SqliteFile};
use desk::integer_keys::IntegerKeys;
use desk::uuid_keys::UuidKeys;
use desk::{Desk, REPS};
use interleaved::interleaved;

/// One comparison of the benchmark.
#[derive(Clone, Copy, Debug)]
enum Case {
    /// The count loaded onto this many representatives.
    Count(usize),
    /// The representatives with more than this many tickets.
    MoreThan(i64),
    /// The representatives with more than this many tickets above their
    /// priority threshold.
    AboveMoreThan(i64),
}

impl Case {
    const ALL: [Case; 4] = [
        Case::Count(10),
        Case::Count(REPS),
        Case::MoreThan(100),
        Case::AboveMoreThan(50),
    ];

    fn name(self) -> String {
        match self {
            Case::Count(n) => format!("count loaded, {n} reps"),
            Case::MoreThan(n) => format!("more than {n} tickets, filter"),
            Case::AboveMoreThan(n) => format!("more than {n} tickets above threshold, filter"),
        }
    }
}

measured!(
    measured_count_10: Case::Count(10),
    measured_count_1000: Case::Count(_),
    measured_more_than: Case::MoreThan(_),
    measured_above_more_than: Case::AboveMoreThan(_),
);

/// The read side of a filter case: whether it counts only the tickets above
/// the threshold, and `n`.
fn filter_of(case: Case) -> Option<(bool, i64)> {
    match case {
        Case::Count(_) => None,
        Case::MoreThan(n) => Some((false, n)),
        Case::AboveMoreThan(n) => Some((true, n)),
    }
}

/// The representatives `Case::Count(n)` loads onto: `n` of them, evenly
/// spaced (the first ones have few tickets, the last ones many).
fn parents<D: Desk>(n: usize, reps: &[D::Rep]) -> Vec<D::Rep> {
    reps.iter()
        .step_by((reps.len() / n).max(1))
        .take(n)
        .cloned()
        .collect()
}

/// The cases to run: with a filter on the command line (criterion's, a regex),
/// those whose full name holds one of its `|`-separated alternatives; else all.
fn cases(layer: &str, keys: &str) -> Vec<(Case, String)> {
    let words = selection::filter_words();
    Case::ALL
        .into_iter()
        .map(|case| (case, format!("aggregates, {layer} {keys}, {}", case.name())))
        .filter(|(_, name)| selection::selected(name, &words))
        .collect()
}

/// Both sides of one case on one layer: each gives the representatives it
/// produced (counts loaded, or those read).
struct Sides<'a, R> {
    by_hand: Box<dyn FnMut() -> Vec<R> + 'a>,
    ashore: Box<dyn FnMut() -> Vec<R> + 'a>,
}

/// The sides of `Case::Count` onto `parents`: each loads onto a fresh copy.
fn count_sides<'a, D: Desk>(
    parents: Vec<D::Rep>,
    mut by_hand: impl FnMut(&mut [D::Rep]) + 'a,
    rt: &'a Runtime,
    domain: &'a Domain,
) -> Sides<'a, D::Rep> {
    let ours = parents.clone();
    Sides {
        by_hand: Box::new(move || {
            let mut reps = parents.clone();
            by_hand(&mut reps);
            reps
        }),
        ashore: Box::new(move || {
            let mut reps = ours.clone();
            D::load_count(rt, domain, &mut reps);
            reps
        }),
    }
}

/// Checks that both sides agree, then times them: only one side under
/// callgrind (`ASHORE_BENCH_SIDE`), else interleaved then by criterion.
fn run<R: PartialEq + std::fmt::Debug>(
    c: &mut Criterion,
    case: Case,
    what: &str,
    hand_name: &str,
    mut sides: Sides<'_, R>,
) {
    let (hand, ashore) = ((sides.by_hand)(), (sides.ashore)());
    assert_eq!(hand, ashore, "{what}: ashore and hand-written differ");
    assert!(!hand.is_empty(), "{what}: nothing");
    println!(
        "{what}: ashore and hand-written agree ({} representatives)",
        hand.len()
    );
    let knob = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
    if let Some(side) = knob("ASHORE_BENCH_SIDE") {
        let repeat: usize = knob("ASHORE_BENCH_REPEAT").map_or(5, |r| r.parse().expect("repeat"));
        case.measured(&mut || {
            for _ in 0..repeat {
                match side.as_str() {
                    "hand" => black_box((sides.by_hand)()),
                    _ => black_box((sides.ashore)()),
                };
            }
        });
        return;
    }
    interleaved(
        what,
        interleaved::rounds(),
        || drop(black_box((sides.by_hand)())),
        || drop(black_box((sides.ashore)())),
    );
    let mut group = c.benchmark_group(what);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function(hand_name, |b| {
        b.iter_batched(|| (), |()| (sides.by_hand)(), BatchSize::LargeInput)
    });
    group.bench_function("ashore", |b| {
        b.iter_batched(|| (), |()| (sides.ashore)(), BatchSize::LargeInput)
    });
    group.finish();
}

fn memory<D: Desk>(c: &mut Criterion, rt: &Runtime) {
    let cases = cases("memory", D::KEYS);
    if cases.is_empty() {
        return;
    }
    let domain = D::domain(Memory::new());
    let (reps, tickets) = rt.block_on(D::seed(&domain));
    for (case, what) in cases {
        let sides = match case {
            Case::Count(n) => count_sides::<D>(
                parents::<D>(n, &reps),
                |reps| by_hand::memory_count::<D>(&tickets, reps),
                rt,
                &domain,
            ),
            Case::MoreThan(_) | Case::AboveMoreThan(_) => {
                let (r, d, t) = (&reps, &domain, &tickets);
                let (above, n) = filter_of(case).expect("a filter case");
                Sides {
                    by_hand: Box::new(move || by_hand::memory_more_than::<D>(t, r, above, n)),
                    ashore: Box::new(move || D::more_than(rt, d, above, n)),
                }
            }
        };
        run(c, case, &what, "hand-written HashMap count", sides);
    }
}

fn sqlite<D: Desk>(c: &mut Criterion, rt: &Runtime) {
    let cases = cases("sqlite", D::KEYS);
    if cases.is_empty() {
        return;
    }
    let file = SqliteFile::new("aggregates", D::KEYS);
    let domain = D::domain(Sqlite::open(file.path()).expect("open the SQLite file"));
    let (reps, _) = rt.block_on(D::seed(&domain));
    let conn = rusqlite::Connection::open(file.path()).expect("open by hand");
    rusqlite::vtab::array::load_module(&conn).expect("rarray");
    for (case, what) in cases {
        let (conn, d) = (&conn, &domain);
        let sides = match case {
            Case::Count(n) => count_sides::<D>(
                parents::<D>(n, &reps),
                |reps| by_hand::sqlite_count::<D>(conn, reps),
                rt,
                d,
            ),
            Case::MoreThan(_) | Case::AboveMoreThan(_) => {
                let (above, n) = filter_of(case).expect("a filter case");
                Sides {
                    by_hand: Box::new(move || by_hand::sqlite_more_than::<D>(conn, above, n)),
                    ashore: Box::new(move || D::more_than(rt, d, above, n)),
                }
            }
        };
        run(c, case, &what, "hand-written rusqlite GROUP BY", sides);
    }
    drop(conn);
    {
        // The pool closes its connections on Tokio's blocking threads.
        let _runtime = rt.enter();
        drop(domain);
    }
    drop(file);
}

fn postgres<D: Desk>(c: &mut Criterion, rt: &Runtime) {
    let cases = cases("postgres", D::KEYS);
    if cases.is_empty() {
        return;
    }
    let Some(pg) = PgSchema::connect(rt, "aggregates", D::KEYS) else {
        return;
    };
    let domain = D::domain(pg.layer.clone());
    let (reps, _) = rt.block_on(D::seed(&domain));
    let client = &pg.client;
    // VACUUM as autovacuum would after 100,000 inserts: until the visibility
    // map is set, an index lookup of a count fetches every heap page it
    // names (a correlated count per representative, ~100 pages each: 3-4
    // times the hand-written GROUP BY's one scan); after it, index-only scans.
    // Separate statements: VACUUM runs outside a transaction block.
    rt.block_on(async {
        for table in ["ticket", "representative"] {
            client
                .batch_execute(&format!("VACUUM ANALYZE {table}"))
                .await
                .expect("vacuum");
        }
    });
    let stmts = rt.block_on(PgStatements::prepare(client));
    for (case, what) in cases {
        let (s, d) = (&stmts, &domain);
        let sides = match case {
            Case::Count(n) => count_sides::<D>(
                parents::<D>(n, &reps),
                |reps| rt.block_on(by_hand::postgres_count::<D>(client, s, reps)),
                rt,
                d,
            ),
            Case::MoreThan(_) | Case::AboveMoreThan(_) => {
                let (above, n) = filter_of(case).expect("a filter case");
                Sides {
                    by_hand: Box::new(move || {
                        rt.block_on(by_hand::postgres_more_than::<D>(client, s, above, n))
                    }),
                    ashore: Box::new(move || D::more_than(rt, d, above, n)),
                }
            }
        };
        run(
            c,
            case,
            &what,
            "hand-written tokio-postgres GROUP BY",
            sides,
        );
    }
    drop(stmts);
    pg.finish(rt, domain);
}

fn bench(c: &mut Criterion) {
    let rt = runtime::runtime();
    memory::<UuidKeys>(c, &rt);
    memory::<IntegerKeys>(c, &rt);
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
