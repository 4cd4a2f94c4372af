//! The hand-written side: what a user writes with rusqlite, tokio-postgres or
//! plain `Vec`s alone — a `GROUP BY` of the tickets of the representatives
//! (or a pass over the tickets) into a `HashMap` of counts, set on each
//! representative; for "more than N tickets", the representatives whose key
//! is among those a `GROUP BY … HAVING count(*) > N` keeps (or a count of
//! every representative's tickets, then a filter), in insertion order; for
//! "more than N tickets above their threshold", the same with the tickets
//! joined to their representative and kept when their priority is above its
//! threshold.

use std::collections::HashMap;
use std::rc::Rc;

use ashore::prelude::*;

use crate::desk::{Desk, Key};

const SQLITE_COUNT: &str = "SELECT representative_id, count(*) FROM ticket \
     WHERE representative_id IN rarray(?1) GROUP BY representative_id";
const PG_COUNT: &str = "SELECT representative_id, count(*) FROM ticket \
     WHERE representative_id = ANY($1) GROUP BY representative_id";

/// In insertion order, as ashore reads them (SQLite's `rowid`, the hidden
/// `_ashore_seq` on PostgreSQL).
const SQLITE_MORE_THAN: &str = "SELECT id, name, priority_threshold FROM representative \
     WHERE id IN (SELECT representative_id FROM ticket GROUP BY representative_id \
     HAVING count(*) > ?1) ORDER BY rowid";
const PG_MORE_THAN: &str = "SELECT id, name, priority_threshold FROM representative \
     WHERE id IN (SELECT representative_id FROM ticket GROUP BY representative_id \
     HAVING count(*) > $1) ORDER BY _ashore_seq";

/// Tickets above their representative's threshold: the tickets joined to
/// their representative (a NULL priority is not above), grouped. The fastest
/// found: on PostgreSQL a correlated `(SELECT count(*) …) > $1` per
/// representative took 3-4 times as long; on SQLite, where both took the
/// same, `NOT INDEXED` (one pass over the table instead of a walk of the
/// `representative_id` index, fetching each row) a third of the time.
const SQLITE_ABOVE_MORE_THAN: &str = "SELECT id, name, priority_threshold FROM representative \
     WHERE id IN (SELECT t.representative_id FROM ticket t NOT INDEXED \
     JOIN representative r ON r.id = t.representative_id \
     WHERE t.priority > r.priority_threshold GROUP BY t.representative_id \
     HAVING count(*) > ?1) ORDER BY rowid";
const PG_ABOVE_MORE_THAN: &str = "SELECT id, name, priority_threshold FROM representative \
     WHERE id IN (SELECT t.representative_id FROM ticket t \
     JOIN representative r ON r.id = t.representative_id \
     WHERE t.priority > r.priority_threshold GROUP BY t.representative_id \
     HAVING count(*) > $1) ORDER BY _ashore_seq";

/// Sets each representative's count from `counts` (0 when it has no ticket).
fn set_counts<D: Desk>(reps: &mut [D::Rep], counts: &HashMap<D::Key, i64>) {
    for rep in reps {
        let n = counts.get(&D::rep_id(rep)).copied().unwrap_or(0);
        *D::count(rep) = Loaded::new(n);
    }
}

/// The count of tickets of each of `reps`, with rusqlite.
pub fn sqlite_count<D: Desk>(conn: &rusqlite::Connection, reps: &mut [D::Rep]) {
    let ids: Rc<Vec<rusqlite::types::Value>> =
        Rc::new(reps.iter().map(|r| D::rep_id(r).to_sqlite()).collect());
    let mut stmt = conn.prepare_cached(SQLITE_COUNT).expect("prepare");
    let counts: HashMap<D::Key, i64> = stmt
        .query_map([ids], |row| Ok((D::Key::from_sqlite(row, 0)?, row.get(1)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    set_counts::<D>(reps, &counts);
}

/// The representatives with more than `n` tickets (`above`: above their
/// threshold), with rusqlite.
pub fn sqlite_more_than<D: Desk>(conn: &rusqlite::Connection, above: bool, n: i64) -> Vec<D::Rep> {
    let sql = if above {
        SQLITE_ABOVE_MORE_THAN
    } else {
        SQLITE_MORE_THAN
    };
    let mut stmt = conn.prepare_cached(sql).expect("prepare");
    stmt.query_map([n], |row| {
        Ok(D::rep(
            D::Key::from_sqlite(row, 0)?,
            row.get(1)?,
            row.get(2)?,
        ))
    })
    .expect("query")
    .collect::<rusqlite::Result<_>>()
    .expect("rows")
}

/// The prepared statements of the hand-written tokio-postgres code.
pub struct PgStatements {
    count: tokio_postgres::Statement,
    more_than: tokio_postgres::Statement,
    above_more_than: tokio_postgres::Statement,
}

impl PgStatements {
    pub async fn prepare(client: &tokio_postgres::Client) -> PgStatements {
        PgStatements {
            count: client.prepare(PG_COUNT).await.expect("prepare"),
            more_than: client.prepare(PG_MORE_THAN).await.expect("prepare"),
            above_more_than: client.prepare(PG_ABOVE_MORE_THAN).await.expect("prepare"),
        }
    }
}

/// The count of tickets of each of `reps`, with tokio-postgres.
pub async fn postgres_count<D: Desk>(
    client: &tokio_postgres::Client,
    stmts: &PgStatements,
    reps: &mut [D::Rep],
) {
    let ids: Vec<D::Key> = reps.iter().map(D::rep_id).collect();
    let rows = client.query(&stmts.count, &[&ids]).await.expect("query");
    let counts: HashMap<D::Key, i64> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    set_counts::<D>(reps, &counts);
}

/// The representatives with more than `n` tickets (`above`: above their
/// threshold), with tokio-postgres.
pub async fn postgres_more_than<D: Desk>(
    client: &tokio_postgres::Client,
    stmts: &PgStatements,
    above: bool,
    n: i64,
) -> Vec<D::Rep> {
    let stmt = if above {
        &stmts.above_more_than
    } else {
        &stmts.more_than
    };
    let rows = client.query(stmt, &[&n]).await.expect("query");
    rows.iter()
        .map(|r| D::rep(r.get(0), r.get(1), r.get(2)))
        .collect()
}

/// The count of tickets of each of `reps`, by a pass over `tickets`.
pub fn memory_count<D: Desk>(tickets: &[D::Ticket], reps: &mut [D::Rep]) {
    let mut counts: HashMap<D::Key, i64> = reps.iter().map(|r| (D::rep_id(r), 0)).collect();
    for t in tickets {
        if let Some(n) = D::ticket_rep(t).and_then(|k| counts.get_mut(&k)) {
            *n += 1;
        }
    }
    set_counts::<D>(reps, &counts);
}

/// Those of `reps` with more than `n` of `tickets` (`above`: of those whose
/// priority is above the representative's threshold), in order.
pub fn memory_more_than<D: Desk>(
    tickets: &[D::Ticket],
    reps: &[D::Rep],
    above: bool,
    n: i64,
) -> Vec<D::Rep> {
    let mut counts: HashMap<D::Key, i64> = HashMap::with_capacity(reps.len());
    if above {
        // Each ticket is compared with its representative's threshold.
        let thresholds: HashMap<D::Key, i64> = reps
            .iter()
            .map(|r| (D::rep_id(r), D::rep_threshold(r)))
            .collect();
        for t in tickets {
            let Some(k) = D::ticket_rep(t) else { continue };
            let (Some(p), Some(&th)) = (D::ticket_priority(t), thresholds.get(&k)) else {
                continue;
            };
            if p > th {
                *counts.entry(k).or_default() += 1;
            }
        }
    } else {
        for t in tickets {
            if let Some(k) = D::ticket_rep(t) {
                *counts.entry(k).or_default() += 1;
            }
        }
    }
    reps.iter()
        .filter(|r| counts.get(&D::rep_id(r)).is_some_and(|&c| c > n))
        .cloned()
        .collect()
}
