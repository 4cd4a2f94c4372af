//! Transactions on a SQLite file (WAL): a read outside an open transaction
//! sees the last commit without waiting, and a raw query inside one
//! (`Sqlite::query` through the transaction's layer) sees its writes. And a
//! write inside a transaction cancelled before its work ran on its blocking
//! thread (which runs it regardless) is undone there. On a database in
//! memory, a read outside waits for the transaction, then says the database
//! is locked. On PostgreSQL, a block that locks what it reads (`FOR UPDATE`)
//! loses no concurrent update.

use std::future::{Future, IntoFuture};
use std::task::Poll;
use std::time::Duration;

use ashore::data_layer::sql::Sqlite;
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

#[tokio::test]
async fn a_read_outside_a_transaction_on_a_file_sees_the_last_commit() {
    let dir = std::env::temp_dir().join(format!("ashore-tx-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = Sqlite::open(dir.join("entries.db")).unwrap();
    let domain = Domain::builder()
        .data_layer(sqlite)
        .resource::<Entry>()
        .build()
        .unwrap();
    domain.migrate().await.unwrap();
    domain
        .create(Entry::changeset().set(Entry::text(), "committed"))
        .await
        .unwrap();
    let outside = domain.clone();
    let (seen_outside, seen_raw) = domain
        .transaction(|tx| async move {
            tx.create(Entry::changeset().set(Entry::text(), "pending"))
                .await?;
            // Another connection, while the transaction holds the write lock:
            // it reads the last commit at once (a busy wait would time out).
            let outside =
                tokio::time::timeout(Duration::from_secs(2), outside.read(Entry::query()).count())
                    .await
                    .expect("a read outside does not wait")?;
            let raw: Vec<Entry> = tx
                .data_layer_as::<Sqlite>()
                .expect("the transaction's layer is a Sqlite")
                .query("SELECT * FROM entry", vec![])
                .await?;
            Ok::<_, ashore::Error>((outside, raw.len()))
        })
        .await
        .unwrap();
    assert_eq!(seen_outside, 1, "only the committed entry");
    assert_eq!(seen_raw, 2, "a raw query inside sees the pending entry");
    assert_eq!(domain.read(Entry::query()).count().await.unwrap(), 2);
    drop(domain);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The runtime of `a_write_cancelled_before_its_work_ran_is_undone`: one
/// blocking thread, which the test keeps busy to hold a write's work back.
fn one_blocking_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads(1)
        .build()
        .expect("a runtime")
}

#[test]
fn a_write_cancelled_before_its_work_ran_is_undone() {
    one_blocking_thread().block_on(async {
        let domain = Domain::builder()
            .data_layer(Sqlite::memory().unwrap())
            .resource::<Entry>()
            .build()
            .unwrap();
        domain.migrate().await.unwrap();
        let entry = |text: &str| Entry::changeset().set(Entry::text(), text.to_owned());
        domain
            .transaction(|tx| async move {
                tx.create(entry("before")).await?;
                // The one blocking thread is busy until `release`: the write's
                // work waits for it.
                let (release, released) = std::sync::mpsc::channel::<()>();
                let (started, busy) = tokio::sync::oneshot::channel();
                let holder = tokio::task::spawn_blocking(move || {
                    started.send(()).unwrap();
                    released.recv().unwrap();
                });
                busy.await.unwrap();
                {
                    let mut write = std::pin::pin!(tx.create(entry("cancelled")).into_future());
                    let first =
                        std::future::poll_fn(|cx| Poll::Ready(write.as_mut().poll(cx))).await;
                    assert!(first.is_pending(), "the write waits for the thread");
                } // Dropped: its caller stops waiting; its work runs next.
                release.send(()).unwrap();
                holder.await.unwrap();
                tx.create(entry("after")).await?;
                Ok::<_, ashore::Error>(())
            })
            .await
            .unwrap();
        let mut texts: Vec<String> = domain
            .read(Entry::query())
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.text)
            .collect();
        texts.sort();
        assert_eq!(texts, ["after", "before"]);
    });
}

/// The README's way to keep a read-then-write block from losing a concurrent
/// update on PostgreSQL (`READ COMMITTED`): lock the record as it is read,
/// with raw SQL on the block's layer. Four blocks that each add one to a
/// counter five times end at twenty; a block waits for the one holding the
/// lock to commit, then reads what it wrote.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_locked_as_it_is_read_loses_no_concurrent_update_on_postgres() {
    use ashore::Value;
    use ashore::data_layer::sql::Postgres;
    let Some(db) = crate::common::pg("lost_update").await else {
        return;
    };
    let domain = Domain::builder()
        .data_layer(db.postgres.clone())
        .resource::<Counter>()
        .build()
        .unwrap();
    domain.migrate().await.unwrap();
    let counter = domain
        .create(Counter::changeset().set(Counter::value(), 0))
        .await
        .unwrap();
    let tasks = (0..4).map(|_| {
        let domain = domain.clone();
        tokio::spawn(async move {
            for _ in 0..5 {
                domain
                    .transaction(|tx| async move {
                        let layer = tx.data_layer_as::<Postgres>().expect("a Postgres");
                        let locked: Vec<Counter> = layer
                            .query(
                                "SELECT * FROM counter WHERE id = $1 FOR UPDATE",
                                vec![Value::from(counter.id)],
                            )
                            .await?;
                        let read = &locked[0];
                        // Long enough for the other blocks to read too.
                        tokio::time::sleep(Duration::from_millis(2)).await;
                        tx.update(
                            read,
                            Counter::changeset().set(Counter::value(), read.value + 1),
                        )
                        .await?;
                        Ok::<_, ashore::Error>(())
                    })
                    .await
                    .unwrap();
            }
        })
    });
    for task in tasks.collect::<Vec<_>>() {
        task.await.unwrap();
    }
    let end = domain.get::<Counter>(counter.id).await.unwrap().unwrap();
    assert_eq!(end.value, 20, "no update lost");
}

/// On a SQLite database in memory, a writing transaction holds the whole
/// database: a read through the outer domain waits for it up to the busy
/// timeout, then fails with an error that says so and names the way out
/// (read through `tx`).
#[tokio::test]
async fn a_read_outside_a_transaction_in_memory_waits_then_says_the_database_is_locked() {
    let domain = Domain::builder()
        .data_layer(Sqlite::memory().unwrap())
        .resource::<Entry>()
        .build()
        .unwrap();
    domain.migrate().await.unwrap();
    let outside = domain.clone();
    let err = domain
        .transaction(|tx| async move {
            tx.create(Entry::changeset().set(Entry::text(), "pending"))
                .await?;
            outside.read(Entry::query()).await
        })
        .await
        .expect_err("the outer read cannot get the lock");
    assert!(matches!(err.kind(), ErrorKind::DataLayer { .. }), "{err:?}");
    let shown = err.to_string();
    assert!(
        shown.contains("database is locked")
            && shown.contains("read through the transaction's `tx`"),
        "{shown}"
    );
    assert_eq!(
        domain.read(Entry::query()).count().await.unwrap(),
        0,
        "rolled back"
    );
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Counter {
        attributes {
            integer_primary_key id;
            attribute value: i64;
        }
    }
}
