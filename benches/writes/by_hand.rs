//! The hand-written side: what a user writes with rusqlite or tokio-postgres
//! alone for each write, returning the same tickets ashore returns.
//!
//! - SQLite create: one prepared `INSERT` executed per row in a transaction
//!   (SQLite's fastest way in; the keys are made in Rust: new UUIDs, or
//!   integers after one `SELECT MAX(id)` in the transaction, as the table's
//!   `INT` key is not the rowid). The records are built from the input.
//! - PostgreSQL create: one `INSERT .. SELECT * FROM UNNEST($1::uuid[], ..)`
//!   of every row (integer keys: the identity column assigns them and
//!   `RETURNING id` gives them back, in input order).
//! - Update, both: one prepared `UPDATE .. SET priority = ? WHERE priority > ?
//!   RETURNING id, subject, priority, representative_id` (in a transaction on
//!   SQLite), its rows decoded into tickets, as ashore returns the records
//!   (ashore also orders them by insertion; the hand-written code does not).

use rusqlite::{Connection, params};

use crate::desk::{Desk, NewTicket};
use crate::keys::Key;

const SQLITE_INSERT: &str =
    "INSERT INTO ticket (id, subject, priority, representative_id) VALUES (?1, ?2, ?3, ?4)";
const UPDATE_RETURNING: &str = "UPDATE ticket SET priority = $1 WHERE priority > $2 \
     RETURNING id, subject, priority, representative_id";

/// Inserts `tickets` with rusqlite.
pub fn sqlite_create<D: Desk>(
    conn: &mut Connection,
    tickets: &[NewTicket<D::Key>],
) -> Vec<D::Ticket> {
    let tx = conn.transaction().expect("begin");
    let mut last: i64 = if D::INTEGER_KEYS {
        tx.query_row("SELECT MAX(id) FROM ticket", [], |r| {
            r.get::<_, Option<i64>>(0)
        })
        .expect("max")
        .unwrap_or(0)
    } else {
        0
    };
    let mut created = Vec::with_capacity(tickets.len());
    {
        let mut insert = tx.prepare_cached(SQLITE_INSERT).expect("prepare");
        for t in tickets {
            let id = D::next_key(&mut last);
            insert
                .execute(params![
                    id.to_sqlite(),
                    t.subject,
                    t.priority,
                    t.representative_id.to_sqlite()
                ])
                .expect("insert");
            created.push(D::ticket(
                id,
                t.subject.clone(),
                Some(t.priority),
                Some(t.representative_id),
            ));
        }
    }
    tx.commit().expect("commit");
    created
}

/// Sets priority `to` on every ticket above `above` with rusqlite.
pub fn sqlite_update<D: Desk>(conn: &mut Connection, above: i64, to: i64) -> Vec<D::Ticket> {
    let tx = conn.transaction().expect("begin");
    let updated = {
        let mut update = tx.prepare_cached(UPDATE_RETURNING).expect("prepare");
        let rows = update
            .query_map(params![to, above], |r| {
                let rep = match r.get_ref(3)? {
                    rusqlite::types::ValueRef::Null => None,
                    _ => Some(D::Key::from_sqlite(r, 3)?),
                };
                Ok(D::ticket(
                    D::Key::from_sqlite(r, 0)?,
                    r.get(1)?,
                    r.get(2)?,
                    rep,
                ))
            })
            .expect("update");
        rows.collect::<rusqlite::Result<Vec<_>>>().expect("rows")
    };
    tx.commit().expect("commit");
    updated
}

/// The statements the PostgreSQL side runs, prepared once.
pub struct PgStatements {
    create: tokio_postgres::Statement,
    update: tokio_postgres::Statement,
}

impl PgStatements {
    pub async fn prepare<D: Desk>(client: &tokio_postgres::Client) -> PgStatements {
        let create = if D::INTEGER_KEYS {
            format!(
                "INSERT INTO ticket (subject, priority, representative_id) \
                 SELECT * FROM UNNEST($1::text[], $2::int8[], $3::{0}[]) RETURNING id",
                D::PG_TYPE
            )
        } else {
            format!(
                "INSERT INTO ticket (id, subject, priority, representative_id) \
                 SELECT * FROM UNNEST($1::{0}[], $2::text[], $3::int8[], $4::{0}[])",
                D::PG_TYPE
            )
        };
        PgStatements {
            create: client.prepare(&create).await.expect("prepare the create"),
            update: client
                .prepare(UPDATE_RETURNING)
                .await
                .expect("prepare the update"),
        }
    }
}

/// Inserts `tickets` with tokio-postgres, in one statement.
pub async fn postgres_create<D: Desk>(
    client: &tokio_postgres::Client,
    stmts: &PgStatements,
    tickets: &[NewTicket<D::Key>],
) -> Vec<D::Ticket> {
    let subjects: Vec<&str> = tickets.iter().map(|t| t.subject.as_str()).collect();
    let priorities: Vec<i64> = tickets.iter().map(|t| t.priority).collect();
    let reps: Vec<D::Key> = tickets.iter().map(|t| t.representative_id).collect();
    let ids: Vec<D::Key> = if D::INTEGER_KEYS {
        let rows = client
            .query(&stmts.create, &[&subjects, &priorities, &reps])
            .await
            .expect("insert");
        rows.iter().map(|r| r.get(0)).collect()
    } else {
        let mut last = 0;
        let ids: Vec<D::Key> = tickets.iter().map(|_| D::next_key(&mut last)).collect();
        client
            .execute(&stmts.create, &[&ids, &subjects, &priorities, &reps])
            .await
            .expect("insert");
        ids
    };
    ids.into_iter()
        .zip(tickets)
        .map(|(id, t)| {
            D::ticket(
                id,
                t.subject.clone(),
                Some(t.priority),
                Some(t.representative_id),
            )
        })
        .collect()
}

/// Sets priority `to` on every ticket above `above` with tokio-postgres.
pub async fn postgres_update<D: Desk>(
    client: &tokio_postgres::Client,
    stmts: &PgStatements,
    above: i64,
    to: i64,
) -> Vec<D::Ticket> {
    let rows = client
        .query(&stmts.update, &[&to, &above])
        .await
        .expect("update");
    rows.iter()
        .map(|r| D::ticket(r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect()
}
