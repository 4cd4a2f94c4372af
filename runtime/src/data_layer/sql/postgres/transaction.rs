//! Transactions of the PostgreSQL layer: one pooled connection held from
//! `BEGIN` (PostgreSQL's default isolation, `READ COMMITTED`) to `COMMIT` or
//! `ROLLBACK`; every statement of the transaction's layer runs on it, its
//! writes each inside a savepoint so a failed one leaves nothing behind, nor
//! does a cancelled one (see `savepoint`).
//!
//! A statement of the transaction that runs past the statement timeout closes
//! its connection (see `pool::abandon`), which ends the transaction: nothing
//! is committed, and every later call, commit included, is an error.

use std::sync::Arc;

use deadpool_postgres::Object;

use super::Postgres;
use super::errors::{data_layer, write_error};
use super::pool::Lease;
use super::savepoint::{self, Open};
use crate::data_layer::{BoxFuture, DataLayer, Transaction};
use crate::error::{Error, Result};

/// The connection of a transaction, while it lasts; taken by each statement
/// for as long as it runs (see `Lease::held`).
#[derive(Clone)]
pub(super) struct Held {
    pub(super) slot: Arc<tokio::sync::Mutex<Option<Object>>>,
    /// Whether a write's savepoint is open on it (see `savepoint`).
    pub(super) savepoint: Open,
}

/// The error of a call on a transaction's layer after the transaction ended.
pub(super) fn ended() -> Error {
    Error::data_layer(
        "postgres: the transaction has ended; use the domain, not the transaction's, after it",
    )
}

impl Postgres {
    /// Begins a transaction on a connection of the pool.
    pub(super) async fn begin_now(&self) -> Result<Box<dyn Transaction>> {
        if self.held.is_some() {
            return Err(Error::data_layer(
                "postgres: a transaction inside a transaction is not supported; \
                 run the inner block in the outer transaction",
            ));
        }
        let lease = self.lease().await?;
        tracing::debug!(sql = "BEGIN", "postgres");
        lease
            .batch_execute("BEGIN")
            .await
            .map_err(|e| data_layer("beginning a transaction", e))?;
        let object = lease.keep();
        let mut layer = self.clone();
        layer.held = Some(Held {
            slot: Arc::new(tokio::sync::Mutex::new(Some(object))),
            savepoint: Open::default(),
        });
        Ok(Box::new(PostgresTransaction { layer }))
    }
}

/// A transaction of a [`Postgres`] layer.
struct PostgresTransaction {
    layer: Postgres,
}

impl PostgresTransaction {
    /// Ends the transaction with `sql`; the connection goes back to the pool.
    async fn end(&self, sql: &'static str) -> Result<()> {
        let held = self.layer.held.as_ref().ok_or_else(ended)?;
        let object = held.slot.lock().await.take().ok_or_else(ended)?;
        if sql == "COMMIT" {
            // A write cancelled in its savepoint is undone first; if that
            // fails, the connection is closed, which rolls back the rest.
            if let Err(e) = savepoint::settle(&object, &held.savepoint).await {
                drop(Object::take(object));
                return Err(data_layer("undoing a cancelled write", e));
            }
        } else {
            savepoint::forget(&held.savepoint);
        }
        tracing::debug!(sql, "postgres");
        let result = object.batch_execute(sql).await;
        // After COMMIT or ROLLBACK, failed or not, the connection is outside a
        // transaction (or broken, which the pool finds when it checks it).
        drop(Lease::new(object, self.layer.marks.clone()));
        result.map_err(|e| {
            // A deferred constraint fails the COMMIT: the error of a write to
            // the table that broke it.
            let schema = e
                .as_db_error()
                .and_then(|db| db.table())
                .and_then(|table| self.layer.schema_of(table));
            match (sql, schema) {
                ("COMMIT", Some(schema)) => write_error(schema, e),
                ("COMMIT", None) => data_layer("committing a transaction", e),
                _ => data_layer("rolling back a transaction", e),
            }
        })
    }
}

impl Drop for PostgresTransaction {
    /// Dropped without ending (its future cancelled): the connection is taken
    /// from the layer, so nothing more runs in the transaction, and rolled
    /// back in the background when a runtime is at hand (else the pool rolls
    /// it back before reusing it).
    fn drop(&mut self) {
        let Some(held) = &self.layer.held else {
            return;
        };
        let Ok(mut slot) = held.slot.try_lock() else {
            return;
        };
        let Some(object) = slot.take() else {
            return;
        };
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let marks = self.layer.marks.clone();
            runtime.spawn(async move {
                if object.batch_execute("ROLLBACK").await.is_ok() {
                    drop(Lease::new(object, marks));
                }
            });
        }
    }
}

impl Transaction for PostgresTransaction {
    fn layer(&self) -> Arc<dyn DataLayer> {
        Arc::new(self.layer.clone())
    }

    fn commit(self: Box<Self>) -> BoxFuture<'static, Result<()>> {
        Box::pin(async move { self.end("COMMIT").await })
    }

    fn rollback(self: Box<Self>) -> BoxFuture<'static, Result<()>> {
        Box::pin(async move { self.end("ROLLBACK").await })
    }
}
