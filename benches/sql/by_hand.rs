//! The hand-written side: what a user writes with rusqlite or tokio-postgres
//! alone for each [`Case`] — one statement per level, rows decoded into the
//! same structs, grouped by parent in a `HashMap` and attached. Its SQLite
//! connection keeps rusqlite's defaults (`Connection::open`, no `mmap_size`),
//! as a user's would; ashore's layer reads through memory mapping by default
//! (`Sqlite::set_mmap_size`), which the README's benchmark section weighs.

use std::collections::HashMap;
use std::rc::Rc;

use ashore::prelude::*;

use crate::cases::{Case, TOP};
use crate::helpdesk::{Helpdesk, Key, Loadable};

/// Every ticket of the representatives.
const SQLITE_TICKETS: &str = "SELECT id, subject, priority, representative_id FROM ticket \
     WHERE representative_id IN rarray(?1)";
const PG_TICKETS: &str = "SELECT id, subject, priority, representative_id FROM ticket \
     WHERE representative_id = ANY($1)";

/// The top 3 per representative: priority descending, nils first (what `desc`
/// means), ties in insertion order (SQLite's `rowid`, the hidden `_ashore_seq`
/// on PostgreSQL), as ashore orders them.
const SQLITE_TOP: &str = "SELECT id, subject, priority, representative_id FROM (\
     SELECT id, subject, priority, representative_id, ROW_NUMBER() OVER (\
     PARTITION BY representative_id ORDER BY priority DESC NULLS FIRST, rowid) AS rn \
     FROM ticket WHERE representative_id IN rarray(?1)) WHERE rn <= ?2";
const PG_TOP: &str = "SELECT id, subject, priority, representative_id FROM (\
     SELECT id, subject, priority, representative_id, ROW_NUMBER() OVER (\
     PARTITION BY representative_id ORDER BY priority DESC NULLS FIRST, _ashore_seq) AS rn \
     FROM ticket WHERE representative_id = ANY($1)) t WHERE rn <= $2";

/// The guide's loader: the tickets above their representative's threshold, in
/// insertion order (as ashore returns them).
const SQLITE_ABOVE: &str = "SELECT t.id, t.subject, t.priority, t.representative_id \
     FROM ticket t JOIN representative r ON r.id = t.representative_id \
     WHERE t.representative_id IN rarray(?1) AND t.priority > r.priority_threshold \
     ORDER BY t.rowid";
const PG_ABOVE: &str = "SELECT t.id, t.subject, t.priority, t.representative_id \
     FROM ticket t JOIN representative r ON r.id = t.representative_id \
     WHERE t.representative_id = ANY($1) AND t.priority > r.priority_threshold \
     ORDER BY t._ashore_seq";

/// The comments of the tickets (the nested load's second level).
const SQLITE_COMMENTS: &str =
    "SELECT id, body, ticket_id FROM comment WHERE ticket_id IN rarray(?1)";
const PG_COMMENTS: &str = "SELECT id, body, ticket_id FROM comment WHERE ticket_id = ANY($1)";

/// The statement of `case`'s first level on SQLite or PostgreSQL.
pub fn tickets_sql(case: Case, postgres: bool) -> &'static str {
    match (case, postgres) {
        (Case::HasMany(_) | Case::Nested(_), false) => SQLITE_TICKETS,
        (Case::HasMany(_) | Case::Nested(_), true) => PG_TICKETS,
        (Case::Top3(_), false) => SQLITE_TOP,
        (Case::Top3(_), true) => PG_TOP,
        (Case::Above(_), false) => SQLITE_ABOVE,
        (Case::Above(_), true) => PG_ABOVE,
    }
}

/// Groups `children` by `key` and moves each group into `field` of its parent.
fn attach<P, C: Loadable, K: Key>(
    parents: &mut [P],
    parent_key: impl Fn(&P) -> K,
    field: impl Fn(&mut P) -> &mut Loaded<Vec<C>>,
    children: Vec<C>,
    key: impl Fn(&C) -> Option<K>,
) {
    let mut groups: HashMap<K, Vec<C>> = HashMap::with_capacity(parents.len());
    for child in children {
        if let Some(k) = key(&child) {
            groups.entry(k).or_default().push(child);
        }
    }
    for parent in parents {
        let children = groups.remove(&parent_key(parent)).unwrap_or_default();
        *field(parent) = Loaded::new(children);
    }
}

/// Attaches `tickets` (and for a nested load, first `comments` onto them).
fn attach_all<H: Helpdesk>(
    case: Case,
    reps: &mut [H::Rep],
    mut tickets: Vec<H::Ticket>,
    comments: Option<Vec<H::Comment>>,
) {
    if let Some(comments) = comments {
        attach(
            &mut tickets,
            H::ticket_id,
            H::comments,
            comments,
            H::comment_ticket,
        );
    }
    attach(
        reps,
        H::rep_id,
        |r| H::tickets(case, r),
        tickets,
        H::ticket_rep,
    );
}

/// Hand-written rusqlite.
pub fn sqlite<H: Helpdesk>(conn: &rusqlite::Connection, case: Case, reps: &mut [H::Rep]) {
    let keys = |keys: Vec<H::Key>| -> Rc<Vec<rusqlite::types::Value>> {
        Rc::new(keys.into_iter().map(Key::to_sqlite).collect())
    };
    let ids = keys(reps.iter().map(H::rep_id).collect());
    let mut stmt = conn
        .prepare_cached(tickets_sql(case, false))
        .expect("prepare");
    let ticket = |row: &rusqlite::Row<'_>| {
        Ok(H::ticket(
            H::Key::from_sqlite(row, 0)?,
            row.get(1)?,
            row.get(2)?,
            Some(H::Key::from_sqlite(row, 3)?),
        ))
    };
    let tickets: Vec<H::Ticket> = if let Case::Top3(_) = case {
        stmt.query_map(rusqlite::params![ids, TOP as i64], ticket)
    } else {
        stmt.query_map([ids], ticket)
    }
    .expect("query")
    .collect::<rusqlite::Result<_>>()
    .expect("rows");
    let comments = matches!(case, Case::Nested(_)).then(|| {
        let ids = keys(tickets.iter().map(H::ticket_id).collect());
        let mut stmt = conn.prepare_cached(SQLITE_COMMENTS).expect("prepare");
        stmt.query_map([ids], |row| {
            Ok(H::comment(
                H::Key::from_sqlite(row, 0)?,
                row.get(1)?,
                Some(H::Key::from_sqlite(row, 2)?),
            ))
        })
        .expect("query")
        .collect::<rusqlite::Result<Vec<_>>>()
        .expect("rows")
    });
    attach_all::<H>(case, reps, tickets, comments);
}

/// The prepared statements of the hand-written tokio-postgres code.
pub struct PgStatements {
    tickets: tokio_postgres::Statement,
    comments: tokio_postgres::Statement,
}

impl PgStatements {
    pub async fn prepare(client: &tokio_postgres::Client, case: Case) -> PgStatements {
        PgStatements {
            tickets: client
                .prepare(tickets_sql(case, true))
                .await
                .expect("prepare"),
            comments: client.prepare(PG_COMMENTS).await.expect("prepare"),
        }
    }
}

/// Hand-written tokio-postgres.
pub async fn postgres<H: Helpdesk>(
    client: &tokio_postgres::Client,
    stmts: &PgStatements,
    case: Case,
    reps: &mut [H::Rep],
) {
    let ids: Vec<H::Key> = reps.iter().map(H::rep_id).collect();
    let top = TOP as i64;
    let rows = if let Case::Top3(_) = case {
        client.query(&stmts.tickets, &[&ids, &top]).await
    } else {
        client.query(&stmts.tickets, &[&ids]).await
    }
    .expect("query");
    let tickets: Vec<H::Ticket> = rows
        .iter()
        .map(|row| H::ticket(row.get(0), row.get(1), row.get(2), row.get(3)))
        .collect();
    drop(rows);
    let comments = if let Case::Nested(_) = case {
        let ids: Vec<H::Key> = tickets.iter().map(H::ticket_id).collect();
        let rows = client.query(&stmts.comments, &[&ids]).await.expect("query");
        Some(
            rows.iter()
                .map(|row| H::comment(row.get(0), row.get(1), row.get(2)))
                .collect(),
        )
    } else {
        None
    };
    attach_all::<H>(case, reps, tickets, comments);
}
