//! Transactions on a SQLite file (WAL): a read outside an open transaction
//! sees the last commit without waiting, and a raw query inside one
//! (`Sqlite::query` through the transaction's layer) sees its writes.

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
