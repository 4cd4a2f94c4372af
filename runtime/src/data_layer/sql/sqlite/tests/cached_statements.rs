//! Writes leave a connection's cached statements prepared. Setting a pragma
//! such as `defer_foreign_keys` expires every statement the connection holds,
//! so a write that set it before every statement made each cached read
//! compile again on its next run.

use super::*;
use crate::changeset::Changes;
use rusqlite::StatementStatus;

/// A statement of the test's own, cached on the connection like the layer's.
const PROBE: &str = "SELECT count(*) FROM rep WHERE name <> 'probe'";

/// Runs the probe from the cache of the connection the layer hands out:
/// that connection's handle (to tell connections apart) and how many times the
/// cached statement has been compiled again.
async fn probe(sqlite: &Sqlite) -> (usize, i32) {
    sqlite
        .with_connection(|c| {
            let mut statement = c.prepare_cached(PROBE)?;
            statement.query_row([], |r| r.get::<_, i64>(0))?;
            // SAFETY: only the pointer's value is read, to compare connections.
            let handle = unsafe { c.handle() } as usize;
            Ok((handle, statement.get_status(StatementStatus::RePrepare)))
        })
        .await
        .expect("probe")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_updates_and_destroys_leave_cached_statements_prepared() {
    let sqlite = Sqlite::memory().expect("memory");
    sqlite
        .migrate(vec![Rep::schema(), Tag::schema(), Ticket::schema()])
        .await
        .expect("migrate");
    let (connection, before) = probe(&sqlite).await;
    assert_eq!(before, 0);
    sqlite
        .create(
            Rep::schema(),
            vec![vec![Value::Null, s("ana"), 3_i64.into()]],
        )
        .await
        .expect("create");
    sqlite
        .update(
            ReadRequest::new(Rep::schema()),
            Changes(vec![(2, Value::Int(5))]),
        )
        .await
        .expect("update");
    sqlite
        .destroy(ReadRequest::new(Rep::schema()))
        .await
        .expect("destroy");
    let (again, recompiled) = probe(&sqlite).await;
    assert_eq!(again, connection, "the writes ran on another connection");
    assert_eq!(recompiled, 0, "a write expired the cached statements");
}
