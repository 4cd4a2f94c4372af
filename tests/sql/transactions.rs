//! Transactions on a SQLite file (WAL): a read outside an open transaction
//! sees the last commit without waiting, and a raw query inside one
//! (`Sqlite::query` through the transaction's layer) sees its writes. And a
//! write inside a transaction cancelled before its work ran on its blocking
//! thread (which runs it regardless) is undone there.

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
