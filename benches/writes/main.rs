//! Bulk writes through ashore against hand-written code doing the same work in
//! the same run, on a SQLite file and (when `ASHORE_PG_URL` is set) on
//! PostgreSQL, with UUID keys and with integer keys, over the tables ashore's
//! `migrate` makes (the helpdesk of `benches/common/resources.rs`, 1,000
//! representatives):
//!
//! - `create_many` of 100,000 tickets against one prepared `INSERT` per row in
//!   a transaction (rusqlite) and one `INSERT .. SELECT * FROM UNNEST(..)`
//!   (tokio-postgres), the table emptied before each call (untimed; on SQLite
//!   through the connection of the side that writes next, the WAL then
//!   checkpointed: see `EMPTY`);
//! - `update_all` of the 100,000 tickets (priority above -1, which all are)
//!   against one prepared `UPDATE .. RETURNING` decoded into the same tickets
//!   (on PostgreSQL `VACUUM ticket` runs before each call, untimed).
//!
//! Both sides return the records written (see `by_hand.rs` for exactly what
//! the hand-written code does); the answers are checked to agree before
//! anything is timed. Each pair is timed alternately (`ASHORE_BENCH_ROUNDS`
//! rounds, 5 unless set) and the medians and their ratio printed, as
//! `cargo bench --bench sql` prints its "interleaved medians".
//!
//! `cargo bench --bench writes` (add `ASHORE_PG_URL=postgres://..` for
//! PostgreSQL); `cargo bench --bench writes -- "sqlite|update"` runs only the
//! cases whose name holds one of the alternatives. It runs under `cargo bench`
//! only (`--bench`), not in `cargo test`, on a multi-threaded runtime
//! (`ASHORE_BENCH_RUNTIME=current_thread` for the other; `common/runtime.rs`).
//!
//! With `ASHORE_BENCH_SIDE=ashore` (or `hand`) it only runs that side of each
//! case selected, `ASHORE_BENCH_REPEAT` times (5), each call inside
//! `measured_create` or `measured_update` and its setup (emptying the table)
//! outside, and does not time them: for `valgrind --tool=callgrind
//! --collect-atstart=no --toggle-collect='*measured_*'` (add `--cache-sim=yes`
//! for cache misses), `perf record` or `/usr/bin/time`. Build with
//! `CARGO_PROFILE_BENCH_DEBUG=line-tables-only cargo bench --bench writes
//! --no-run` for line numbers.

mod by_hand;
#[path = "../common/databases.rs"]
mod databases;
mod desk;
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

use ashore::data_layer::sql::Sqlite;
use tokio::runtime::Runtime;

use by_hand::PgStatements;
use databases::{PgSchema, SqliteFile};
use desk::integer_keys::IntegerKeys;
use desk::uuid_keys::UuidKeys;
use desk::{Desk, NewTicket};
use interleaved::{Side, interleaved, interleaved_with_setup};

/// Representatives, made once.
const REPS: usize = 1_000;
/// Tickets created per `create_many`, and updated per `update_all`.
const TICKETS: usize = 100_000;
/// Every ticket's priority is above this (they are 0 to 10).
const ABOVE: i64 = -1;

/// The rounds of each interleaved comparison: `ASHORE_BENCH_ROUNDS`, else 5
/// (each call writes 100,000 rows).
fn rounds() -> usize {
    if std::env::var("ASHORE_BENCH_ROUNDS").is_ok() {
        interleaved::rounds()
    } else {
        5
    }
}

/// Whether the case `name` runs: with a filter on the command line, when its
/// name holds one of the filter's `|`-separated alternatives; else always.
fn selected(name: &str) -> bool {
    selection::selected(name, &selection::filter_words())
}

/// The tickets both sides create, spread over the representatives `reps`.
fn new_tickets<K: Copy>(reps: &[K]) -> Vec<NewTicket<K>> {
    (0..TICKETS)
        .map(|i| NewTicket {
            subject: format!("ticket {i}"),
            priority: (i % 11) as i64,
            representative_id: reps[i * 7919 % reps.len()],
        })
        .collect()
}

/// Checks that both creates made the same tickets, in the order given.
fn check_created<D: Desk>(what: &str, by_hand: &[D::Ticket], ashore: &[D::Ticket]) {
    assert_eq!(by_hand.len(), TICKETS, "{what}: hand-written count");
    assert_eq!(ashore.len(), TICKETS, "{what}: ashore count");
    for (h, a) in by_hand.iter().zip(ashore) {
        assert_eq!(D::parts(h), D::parts(a), "{what}: a ticket differs");
    }
    println!("{what}: ashore and hand-written agree ({TICKETS} tickets)");
}

/// Checks that both updates return the same tickets (in any order), with
/// priority `to` from ashore's.
fn check_updated<D: Desk>(what: &str, by_hand: &[D::Ticket], ashore: &[D::Ticket], to: i64) {
    let sorted = |tickets: &[D::Ticket]| {
        let mut keyed: Vec<_> = tickets.iter().map(|t| (D::id(t), D::parts(t))).collect();
        keyed.sort_by_key(|(id, _)| *id);
        keyed
    };
    let (by_hand, ashore) = (sorted(by_hand), sorted(ashore));
    assert_eq!(by_hand.len(), TICKETS, "{what}: hand-written count");
    assert_eq!(ashore.len(), TICKETS, "{what}: ashore count");
    for ((h_id, (h_subject, _, h_rep)), (a_id, (a_subject, a_priority, a_rep))) in
        by_hand.iter().zip(&ashore)
    {
        assert_eq!(
            (h_id, h_subject, h_rep),
            (a_id, a_subject, a_rep),
            "{what}: a ticket differs"
        );
        assert_eq!(*a_priority, Some(to), "{what}: ashore's priority");
    }
    println!("{what}: ashore and hand-written agree ({TICKETS} tickets)");
}

/// Empties the tickets before a SQLite create, untimed, and checkpoints the
/// WAL, through the connection the next side writes with: each side then starts
/// from the same file, its own page cache current, and pays for its own writes
/// only. (Emptying through the hand-written connection alone left ashore's
/// connection to re-read the pages the `DELETE` changed, and the checkpoint of
/// the `DELETE`'s pages to whichever commit came next: ratios moved by 1.5x
/// with unrelated changes.)
const EMPTY: &str = "DELETE FROM ticket; PRAGMA wal_checkpoint(TRUNCATE);";

/// The code callgrind counts for a create (see the module comment).
#[inline(never)]
fn measured_create(f: &mut dyn FnMut()) {
    // Distinct bodies, so the linker does not fold the two into one.
    std::hint::black_box("measured_create");
    f()
}

/// The code callgrind counts for an update (see the module comment).
#[inline(never)]
fn measured_update(f: &mut dyn FnMut()) {
    std::hint::black_box("measured_update");
    f()
}

/// With `ASHORE_BENCH_SIDE` set (`hand`, else ashore's), runs that side of
/// the case `what` `ASHORE_BENCH_REPEAT` times (5), each call inside
/// `measured` after `setup` for that side, and returns true; else false.
fn only_one_side(
    what: &str,
    measured: fn(&mut dyn FnMut()),
    setup: &mut dyn FnMut(Side),
    by_hand: &mut dyn FnMut(),
    ashore: &mut dyn FnMut(),
) -> bool {
    let knob = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
    let Some(side) = knob("ASHORE_BENCH_SIDE") else {
        return false;
    };
    let repeat: usize = knob("ASHORE_BENCH_REPEAT").map_or(5, |r| r.parse().expect("repeat"));
    let side = if side == "hand" {
        Side::ByHand
    } else {
        Side::Ashore
    };
    for _ in 0..repeat {
        setup(side);
        match side {
            Side::ByHand => measured(&mut *by_hand),
            Side::Ashore => measured(&mut *ashore),
        }
    }
    println!("{what}: ran {side:?} {repeat} times, untimed");
    true
}

fn sqlite<D: Desk>(rt: &Runtime) {
    let (create, update) = (
        format!("sqlite {}, create_many of {TICKETS}", D::KEYS),
        format!("sqlite {}, update_all of {TICKETS}", D::KEYS),
    );
    if !selected(&create) && !selected(&update) {
        return;
    }
    let file = SqliteFile::new("writes", D::KEYS);
    let layer = Sqlite::open(file.path()).expect("open the SQLite file");
    let domain = D::domain(layer.clone());
    let reps = rt.block_on(D::seed(&domain, REPS));
    let tickets = new_tickets(&reps);
    let mut conn = rusqlite::Connection::open(file.path()).expect("open by hand");
    // As ashore's connections check them.
    conn.execute_batch("PRAGMA foreign_keys = ON")
        .expect("foreign keys");
    let empty = |conn: &rusqlite::Connection| {
        conn.execute_batch(EMPTY).expect("empty");
    };

    if selected(&create) {
        empty(&conn);
        let by_hand = by_hand::sqlite_create::<D>(&mut conn, &tickets);
        empty(&conn);
        let ashore = rt.block_on(D::create_many(&domain, &tickets));
        check_created::<D>(&create, &by_hand, &ashore);
        let conn = std::cell::RefCell::new(&mut conn);
        let mut setup = |side| match side {
            Side::ByHand => empty(&conn.borrow()),
            Side::Ashore => rt
                .block_on(layer.with_connection(|c| c.execute_batch(EMPTY)))
                .expect("empty"),
        };
        let mut hand = || {
            drop(by_hand::sqlite_create::<D>(
                &mut conn.borrow_mut(),
                &tickets,
            ))
        };
        let mut ashore = || drop(rt.block_on(D::create_many(&domain, &tickets)));
        if !only_one_side(&create, measured_create, &mut setup, &mut hand, &mut ashore) {
            interleaved_with_setup(&create, rounds(), setup, hand, ashore);
        }
    }
    if selected(&update) {
        empty(&conn);
        rt.block_on(D::create_many(&domain, &tickets));
        let by_hand = by_hand::sqlite_update::<D>(&mut conn, ABOVE, 1);
        let ashore = rt.block_on(D::update_all(&domain, ABOVE, 2));
        check_updated::<D>(&update, &by_hand, &ashore, 2);
        let conn = std::cell::RefCell::new(&mut conn);
        let mut hand = || {
            drop(by_hand::sqlite_update::<D>(
                &mut conn.borrow_mut(),
                ABOVE,
                3,
            ))
        };
        let mut ashore = || drop(rt.block_on(D::update_all(&domain, ABOVE, 4)));
        if !only_one_side(
            &update,
            measured_update,
            &mut |_| {},
            &mut hand,
            &mut ashore,
        ) {
            interleaved(&update, rounds(), hand, ashore);
        }
    }
    drop(conn);
    {
        // The pool closes its connections on Tokio's blocking threads.
        let _runtime = rt.enter();
        drop(domain);
    }
    drop(file);
}

fn postgres<D: Desk>(rt: &Runtime) {
    let (create, update) = (
        format!("postgres {}, create_many of {TICKETS}", D::KEYS),
        format!("postgres {}, update_all of {TICKETS}", D::KEYS),
    );
    if !selected(&create) && !selected(&update) {
        return;
    }
    let Some(pg) = PgSchema::connect(rt, "writes", D::KEYS) else {
        return;
    };
    let client = &pg.client;
    let domain = D::domain(pg.layer.clone());
    let reps = rt.block_on(D::seed(&domain, REPS));
    let tickets = new_tickets(&reps);

    let stmts = rt.block_on(PgStatements::prepare::<D>(client));
    let batch = |sql: &str| {
        rt.block_on(client.batch_execute(sql))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    let empty = || batch("TRUNCATE ticket, comment");

    if selected(&create) {
        empty();
        let by_hand = rt.block_on(by_hand::postgres_create::<D>(client, &stmts, &tickets));
        empty();
        let ashore = rt.block_on(D::create_many(&domain, &tickets));
        check_created::<D>(&create, &by_hand, &ashore);
        let mut hand =
            || drop(rt.block_on(by_hand::postgres_create::<D>(client, &stmts, &tickets)));
        let mut ashore = || drop(rt.block_on(D::create_many(&domain, &tickets)));
        if !only_one_side(
            &create,
            measured_create,
            &mut |_| empty(),
            &mut hand,
            &mut ashore,
        ) {
            interleaved_with_setup(&create, rounds(), |_| empty(), hand, ashore);
        }
    }
    if selected(&update) {
        empty();
        rt.block_on(D::create_many(&domain, &tickets));
        batch("VACUUM ANALYZE ticket");
        let by_hand = rt.block_on(by_hand::postgres_update::<D>(client, &stmts, ABOVE, 1));
        let ashore = rt.block_on(D::update_all(&domain, ABOVE, 2));
        check_updated::<D>(&update, &by_hand, &ashore, 2);
        let mut hand =
            || drop(rt.block_on(by_hand::postgres_update::<D>(client, &stmts, ABOVE, 3)));
        let mut ashore = || drop(rt.block_on(D::update_all(&domain, ABOVE, 4)));
        let mut setup = |_| batch("VACUUM ticket");
        if !only_one_side(&update, measured_update, &mut setup, &mut hand, &mut ashore) {
            interleaved_with_setup(&update, rounds(), setup, hand, ashore);
        }
    }
    pg.finish(rt, domain);
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and
    // writing 100,000 rows is no test.
    if !std::env::args().any(|a| a == "--bench") {
        println!("benches/writes runs under `cargo bench` only");
        return;
    }
    let rt = runtime::runtime();
    sqlite::<UuidKeys>(&rt);
    sqlite::<IntegerKeys>(&rt);
    postgres::<UuidKeys>(&rt);
    postgres::<IntegerKeys>(&rt);
}
