//! A statement that fails inside a transaction, its error ignored by the
//! block, which goes on to commit.
//!
//! PostgreSQL aborts the whole transaction on any statement the server refuses
//! outside a savepoint, and answers a later `COMMIT` by rolling back without an
//! error: the layer must say so. Every later call and the commit are then
//! `ErrorKind::TransactionAborted` naming what failed, and nothing is kept;
//! so too when the statement failed after its caller stopped waiting for it,
//! or ran past the statement timeout. A statement that succeeds after its
//! caller stopped waiting leaves the transaction whole.
//!
//! SQLite leaves the transaction whole after most failed statements (the
//! commit keeps the writes), but rolls it back itself after some
//! (`INSERT OR ROLLBACK`): then, too, every later call and the commit fail,
//! and nothing, before or after, is kept.
//!
//! Raw SQL that would end or nest the transaction (a `COMMIT`, `ROLLBACK`,
//! `BEGIN` or `SAVEPOINT` of its own) is refused before it runs, alike on both
//! layers: later statements still run inside the transaction, and the block's
//! outcome decides for all of them.

use std::time::Duration;

use ashore::Value;
use ashore::data_layer::sql::{Postgres, PostgresSettings, Sqlite};
use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Entry {
        attributes {
            integer_primary_key id;
            attribute text: String;
        }
    }
}

async fn entries(layer: impl ashore::DataLayer) -> Domain {
    let domain = Domain::builder()
        .data_layer(layer)
        .resource::<Entry>()
        .build()
        .expect("the domain builds");
    domain.migrate().await.expect("migrate");
    domain
}

fn entry(text: &str) -> Changeset<Entry> {
    Entry::changeset().set(Entry::text(), text.to_owned())
}

async fn texts(domain: &Domain) -> Vec<String> {
    let mut texts: Vec<String> = domain
        .read(Entry::query())
        .await
        .expect("read")
        .into_iter()
        .map(|e| e.text)
        .collect();
    texts.sort();
    texts
}

/// Checks that `err` is a `TransactionAborted` whose message names `failed`.
fn assert_aborted(err: &Error, failed: &str) {
    assert!(
        matches!(err.kind(), ErrorKind::TransactionAborted { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains(failed), "{err}");
}

/// The transaction's PostgreSQL layer.
fn pg(tx: &Domain) -> &Postgres {
    tx.data_layer_as::<Postgres>()
        .expect("the transaction's layer is a Postgres")
}

/// Makes `slow(fail)`: sleeps `seconds`, then fails when `fail`, else
/// returns 1.
async fn slow_function(postgres: &Postgres, seconds: f64) {
    let sql = format!(
        "CREATE FUNCTION slow(fail boolean) RETURNS bigint AS $$ BEGIN \
         PERFORM pg_sleep({seconds}); \
         IF fail THEN RAISE EXCEPTION 'failed after sleeping'; END IF; \
         RETURN 1; END $$ LANGUAGE plpgsql"
    );
    postgres
        .client()
        .await
        .expect("a connection")
        .batch_execute(&sql)
        .await
        .expect("the function is made");
}

/// Returns once the server runs a statement whose text holds `marker`, seen
/// from a connection of its own: the moment a caller may stop waiting for a
/// statement known to have reached the server, however loaded the machine.
async fn until_running(postgres: &Postgres, marker: &str) {
    let client = postgres.client().await.expect("a connection");
    let pattern = format!("%{marker}%");
    loop {
        let running = client
            .query(
                "SELECT 1 FROM pg_stat_activity \
                 WHERE state = 'active' AND pid <> pg_backend_pid() AND query LIKE $1",
                &[&pattern],
            )
            .await
            .expect("pg_stat_activity is read");
        if !running.is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn postgres_a_refused_statement_fails_every_later_call_and_the_commit() {
    let Some(db) = crate::common::pg("aborted_refused").await else {
        return;
    };
    let domain = entries(db.postgres.clone()).await;
    let committed = domain
        .transaction(|tx| async move {
            tx.create(entry("lost")).await?;
            // A raw query the server refuses once it reads a row: the block
            // ignores its error.
            let failed = pg(&tx)
                .query::<Entry>("SELECT * FROM entry WHERE id / (id - id) = 1", vec![])
                .await;
            assert!(failed.is_err(), "{failed:?}");
            // Every later call says why it cannot run.
            let err = tx.read(Entry::query()).await.unwrap_err();
            assert_aborted(&err, "division by zero");
            let err = tx.create(entry("later")).await.unwrap_err();
            assert_aborted(&err, "division by zero");
            let err = tx.read(Entry::query()).count().await.unwrap_err();
            assert_aborted(&err, "division by zero");
            Ok::<_, Error>(())
        })
        .await;
    let err = committed.expect_err("the commit of an aborted transaction fails");
    assert_aborted(&err, "division by zero");
    assert!(texts(&domain).await.is_empty());
    // The connection went back clean: the next transaction commits.
    domain
        .transaction(|tx| async move {
            tx.create(entry("next")).await?;
            Ok::<_, Error>(())
        })
        .await
        .expect("the next transaction commits");
    assert_eq!(texts(&domain).await, ["next"]);
}

#[tokio::test]
async fn postgres_a_failed_write_and_a_client_side_error_leave_the_transaction_whole() {
    let Some(db) = crate::common::pg("aborted_whole").await else {
        return;
    };
    let domain = entries(db.postgres.clone()).await;
    domain
        .transaction(|tx| async move {
            let kept = tx.create(entry("kept")).await?;
            // A write runs in a savepoint: its failure is undone alone.
            let duplicate = entry("duplicate").set(Entry::id(), kept.id);
            assert!(tx.create(duplicate).await.is_err());
            // A row that does not decode fails on this side only.
            let err = pg(&tx)
                .query::<Entry>("SELECT id FROM entry", vec![])
                .await
                .unwrap_err();
            assert!(err.to_string().contains("text"), "{err}");
            tx.create(entry("after")).await?;
            Ok::<_, Error>(())
        })
        .await
        .expect("the transaction commits");
    assert_eq!(texts(&domain).await, ["after", "kept"]);
}

#[tokio::test]
async fn postgres_a_statement_that_fails_after_its_caller_stopped_waiting_fails_the_commit() {
    let Some(db) = crate::common::pg("aborted_unseen").await else {
        return;
    };
    slow_function(&db.postgres, 2.0).await;
    let domain = entries(db.postgres.clone()).await;
    for fail in [true, false] {
        let watcher = db.postgres.clone();
        let committed = domain
            .transaction(|tx| async move {
                tx.create(entry(if fail { "lost" } else { "kept" })).await?;
                let marker = format!("aborted_unseen_{fail}");
                let sql = format!("SELECT * FROM entry WHERE id = slow({fail}) /* {marker} */");
                let read = pg(&tx).query::<Entry>(&sql, vec![]);
                // Dropped once the server runs it (it sleeps two seconds
                // before it fails or succeeds), not after a guessed delay.
                tokio::select! {
                    done = read => panic!("the statement ended before its caller stopped waiting: {done:?}"),
                    () = until_running(&watcher, &marker) => {}
                }
                Ok::<_, Error>(())
            })
            .await;
        match fail {
            true => assert_aborted(
                &committed.expect_err("the statement failed unseen"),
                "caller stopped waiting",
            ),
            false => committed.expect("the statement succeeded unseen"),
        }
    }
    assert_eq!(texts(&domain).await, ["kept"]);
}

#[tokio::test]
async fn postgres_a_statement_past_the_statement_timeout_fails_the_commit() {
    let mut settings = PostgresSettings::default();
    settings.statement_timeout = Some(Duration::from_millis(200));
    let Some(db) = crate::common::pg_with("aborted_timeout", settings).await else {
        return;
    };
    slow_function(&db.postgres, 0.5).await;
    let domain = entries(db.postgres.clone()).await;
    let committed = domain
        .transaction(|tx| async move {
            tx.create(entry("lost")).await?;
            let err = pg(&tx)
                .query::<Entry>("SELECT * FROM entry WHERE id = slow(false)", vec![])
                .await
                .unwrap_err();
            assert!(matches!(err.kind(), ErrorKind::Timeout { .. }), "{err:?}");
            let err = tx.read(Entry::query()).await.unwrap_err();
            assert_aborted(&err, "timed out");
            Ok::<_, Error>(())
        })
        .await;
    assert_aborted(&committed.unwrap_err(), "timed out");
    assert!(texts(&domain).await.is_empty());
}

#[tokio::test]
async fn sqlite_a_failed_statement_leaves_the_transaction_whole() {
    let domain = entries(Sqlite::memory().unwrap()).await;
    domain
        .transaction(|tx| async move {
            let kept = tx.create(entry("kept")).await?;
            let sqlite = tx.data_layer_as::<Sqlite>().expect("a Sqlite");
            assert!(
                sqlite
                    .query::<Entry>("SELECT * FROM missing", vec![])
                    .await
                    .is_err()
            );
            // A constraint broken by raw SQL undoes that statement alone.
            let duplicate = "INSERT INTO entry (id, text) VALUES (?1, 'duplicate') RETURNING *";
            assert!(
                sqlite
                    .query::<Entry>(duplicate, vec![Value::Int(kept.id)])
                    .await
                    .is_err()
            );
            tx.create(entry("after")).await?;
            Ok::<_, Error>(())
        })
        .await
        .expect("the transaction commits");
    assert_eq!(texts(&domain).await, ["after", "kept"]);
}

#[tokio::test]
async fn sqlite_a_statement_that_rolls_the_transaction_back_fails_every_later_call_and_the_commit()
{
    let domain = entries(Sqlite::memory().unwrap()).await;
    let committed = domain
        .transaction(|tx| async move {
            let before = tx.create(entry("before")).await?;
            let sqlite = tx.data_layer_as::<Sqlite>().expect("a Sqlite");
            // SQLite rolls the whole transaction back on this conflict.
            let duplicate =
                "INSERT OR ROLLBACK INTO entry (id, text) VALUES (?1, 'duplicate') RETURNING *";
            let failed = sqlite
                .query::<Entry>(duplicate, vec![Value::Int(before.id)])
                .await;
            assert!(failed.is_err(), "{failed:?}");
            // Not written on its own, outside the transaction.
            let err = tx.create(entry("after")).await.unwrap_err();
            assert_aborted(&err, "UNIQUE constraint failed");
            let err = tx.read(Entry::query()).await.unwrap_err();
            assert_aborted(&err, "UNIQUE constraint failed");
            Ok::<_, Error>(())
        })
        .await;
    assert_aborted(&committed.unwrap_err(), "UNIQUE constraint failed");
    assert!(texts(&domain).await.is_empty());
}

/// `sql` run as a raw query on the transaction's layer, whichever it is.
async fn raw(tx: &Domain, sql: &str) -> Result<Vec<Entry>, Error> {
    if let Some(sqlite) = tx.data_layer_as::<Sqlite>() {
        return sqlite.query::<Entry>(sql, vec![]).await;
    }
    let postgres = tx.data_layer_as::<Postgres>().expect("a SQL layer");
    postgres.query::<Entry>(sql, vec![]).await
}

/// Statements and the keyword their error names.
const CONTROL: [(&str, &str); 6] = [
    ("COMMIT", "COMMIT"),
    ("  rollback", "rollback"),
    ("-- done\nEND", "END"),
    ("BEGIN", "BEGIN"),
    ("/* mine */ SAVEPOINT mine", "SAVEPOINT"),
    ("RELEASE SAVEPOINT ashore_write", "RELEASE"),
];

/// Each of [`CONTROL`] is refused, naming itself and the resource; the block
/// then returns `Err`: nothing written before or after is kept. A second
/// transaction writes, reads its own row through raw SQL, and commits.
async fn refused_and_the_block_decides(domain: Domain) {
    let rolled_back = domain
        .transaction(|tx| async move {
            tx.create(entry("before")).await?;
            for (sql, keyword) in CONTROL {
                let err = raw(&tx, sql).await.expect_err(sql);
                assert!(matches!(err.kind(), ErrorKind::DataLayer { .. }), "{err:?}");
                let message = err.to_string();
                assert!(message.contains("inside a transaction"), "{message}");
                assert!(message.contains("Entry"), "{message}");
                assert!(message.contains(&format!("`{keyword}`")), "{message}");
            }
            tx.create(entry("after")).await?;
            // Still one transaction: it sees both of its writes.
            assert_eq!(texts(&tx).await, ["after", "before"]);
            Err::<(), _>(Error::data_layer("the block gives up"))
        })
        .await;
    assert!(rolled_back.is_err());
    assert!(
        texts(&domain).await.is_empty(),
        "nothing was committed behind the block's back"
    );
    domain
        .transaction(|tx| async move {
            tx.create(entry("kept")).await?;
            let rows = raw(&tx, "SELECT * FROM entry").await?;
            assert_eq!(rows.len(), 1);
            Ok::<_, Error>(())
        })
        .await
        .expect("the transaction commits");
    assert_eq!(texts(&domain).await, ["kept"]);
    // Outside a transaction, raw SQL is the caller's own: not checked.
    assert!(raw(&domain, "SELECT * FROM entry").await.is_ok());
}

#[tokio::test]
async fn sqlite_refuses_raw_sql_that_would_end_its_transaction() {
    refused_and_the_block_decides(entries(Sqlite::memory().unwrap()).await).await;
}

#[tokio::test]
async fn postgres_refuses_raw_sql_that_would_end_its_transaction() {
    let Some(db) = crate::common::pg("control").await else {
        return;
    };
    refused_and_the_block_decides(entries(db.postgres.clone()).await).await;
}
