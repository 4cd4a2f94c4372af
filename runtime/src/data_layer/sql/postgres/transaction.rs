//! Transactions of the PostgreSQL layer: one pooled connection held from
//! `BEGIN` (PostgreSQL's default isolation, `READ COMMITTED`) to `COMMIT` or
//! `ROLLBACK`; every statement of the transaction's layer runs on it, its
//! writes each inside a savepoint so a failed one leaves nothing behind, nor
//! does a cancelled one (see `savepoint`).
//!
//! A statement the server refuses outside a savepoint aborts the transaction
//! on the server, and PostgreSQL's `COMMIT` then rolls back without an error:
//! the layer keeps track (see `aborted`), refuses every later call, and
//! answers the commit with [`ErrorKind::TransactionAborted`](crate::ErrorKind::TransactionAborted).
//! So too when a statement of the transaction runs past the statement timeout,
//! which closes its connection (see `pool::abandon`): nothing is committed.

use std::sync::Arc;

use deadpool_postgres::Object;

use super::Postgres;
use super::aborted::{self, Aborted};
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
    /// Whether the server has aborted the transaction (see `aborted`).
    pub(super) aborted: Aborted,
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
        let mut lease = self.lease().await?;
        tracing::debug!(sql = "BEGIN", "postgres");
        if let Err(e) = lease.batch_execute("BEGIN").await {
            lease.distrust();
            return Err(data_layer("beginning a transaction", e));
        }
        let object = lease.keep();
        let mut layer = self.clone();
        layer.held = Some(Held {
            slot: Arc::new(tokio::sync::Mutex::new(Some(object))),
            savepoint: Open::default(),
            aborted: Aborted::default(),
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
        let object = held.slot.lock().await.take();
        if let Some(failure) = held.aborted.failure() {
            // The server rolls back whatever it is sent: roll back, and say
            // why a commit did not happen.
            if let Some(object) = object {
                self.roll_back(object).await;
            }
            return if sql == "COMMIT" {
                Err(failure)
            } else {
                Ok(())
            };
        }
        let object = object.ok_or_else(ended)?;
        if sql == "COMMIT" {
            // A write cancelled in its savepoint is undone first; if that
            // fails, the connection is closed, which rolls back the rest: the
            // transaction is aborted, as a later call would have found it.
            if let Err(e) = savepoint::settle(&object, &held.savepoint).await {
                drop(Object::take(object));
                let err = held
                    .aborted
                    .fail(data_layer("undoing a cancelled write", e));
                return Err(held.aborted.failure().unwrap_or(err));
            }
        } else {
            savepoint::forget(&held.savepoint);
        }
        // Something sent may have failed unseen: the `COMMIT` runs only if a
        // statement before it can (see `aborted`).
        let sql = match sql {
            "COMMIT" if held.aborted.unsure() => "SELECT 1; COMMIT",
            sql => sql,
        };
        tracing::debug!(sql, "postgres");
        let result = object.batch_execute(sql).await;
        if let Err(e) = &result
            && aborted::is_in_failed_transaction(e)
        {
            self.roll_back(object).await;
            return Err(held.aborted.unseen());
        }
        // After COMMIT or ROLLBACK, failed or not, the connection is outside a
        // transaction, or broken: after a failure the pool checks it.
        let mut lease = Lease::new(object, self.layer.marks.clone());
        if result.is_err() {
            lease.distrust();
        }
        drop(lease);
        result.map_err(|e| {
            // A deferred constraint fails the COMMIT: the error of a write to
            // the table that broke it.
            let schema = e
                .as_db_error()
                .and_then(|db| db.table())
                .and_then(|table| self.layer.schema_of(table));
            match (sql, schema) {
                ("ROLLBACK", _) => data_layer("rolling back a transaction", e),
                (_, Some(schema)) => write_error(schema, e),
                (_, None) => data_layer("committing a transaction", e),
            }
        })
    }

    /// Rolls back the transaction on `object`, which then goes back to the
    /// pool, or is closed if the rollback failed.
    async fn roll_back(&self, object: Object) {
        tracing::debug!(sql = "ROLLBACK", "postgres");
        match object.batch_execute("ROLLBACK").await {
            Ok(()) => drop(Lease::new(object, self.layer.marks.clone())),
            Err(e) => {
                tracing::warn!(error = %e, "postgres: closing a connection that could not be rolled back");
                drop(Object::take(object));
            }
        }
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
