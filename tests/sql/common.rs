//! What the `sql` tests share (`crate::common`): a PostgreSQL layer in a
//! schema of its own.
//!
//! PostgreSQL tests need `ASHORE_PG_URL` (e.g. `postgres://postgres@127.0.0.1:5432/test`).
//! Without it, each passes, and the binary prints one line saying so; with it,
//! a server that cannot be reached fails the test. Each test works in a new
//! schema, dropped (best-effort) when its `PgDb` is dropped, panics included.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use ashore::data_layer::sql::{Postgres, PostgresSettings};

/// A PostgreSQL layer whose tables live in a schema made for one test.
pub struct PgDb {
    pub postgres: Postgres,
    pub schema: String,
    url: String,
}

/// A layer in a new schema, or `None` (after saying so) when `ASHORE_PG_URL` is
/// not set. Panics when it is set and the server cannot be used.
pub async fn pg(test: &str) -> Option<PgDb> {
    pg_with(test, PostgresSettings::default()).await
}

/// [`pg`] with `settings` (their schema replaced by the test's own).
pub async fn pg_with(test: &str, mut settings: PostgresSettings) -> Option<PgDb> {
    // An empty value counts as not set, as in the behaviour suites
    // (`tests/common/layers.rs`).
    let url = std::env::var("ASHORE_PG_URL").ok();
    let Some(url) = url.filter(|u| !u.trim().is_empty()) else {
        // Straight to stderr, once per test binary: the test harness captures
        // `println!`, and the skip must be visible in a plain `cargo test`.
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "skipping the PostgreSQL parts of the `sql` tests: ASHORE_PG_URL is not set"
            );
        });
        return None;
    };
    let schema = unique_schema(test);
    settings.schema = Some(schema.clone());
    let postgres = Postgres::connect_with(&url, settings)
        .await
        .unwrap_or_else(|e| panic!("ASHORE_PG_URL is set, but {url} cannot be used: {e}"));
    Some(PgDb {
        postgres,
        schema,
        url,
    })
}

/// A schema name no other test or run uses.
fn unique_schema(test: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "ashore_{test}_{}_{nanos}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

impl Drop for PgDb {
    /// Drops the schema on a connection of its own, on a thread of its own (a
    /// test's runtime may be gone or inside `block_on`). Failures are ignored.
    /// It waits at most 10 seconds for locks: a test that panicked while a
    /// pooled connection of the schema's layer held one (still alive while this
    /// runs) must fail, not hang.
    fn drop(&mut self) {
        let url = self.url.clone();
        let sql = format!(
            "SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS \"{}\" CASCADE",
            self.schema.replace('"', "\"\"")
        );
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                let Ok((client, connection)) =
                    tokio_postgres::connect(&url, tokio_postgres::NoTls).await
                else {
                    return;
                };
                let connection = tokio::spawn(connection);
                let _ = client.batch_execute(&sql).await;
                drop(client);
                let _ = connection.await;
            });
        })
        .join();
    }
}
