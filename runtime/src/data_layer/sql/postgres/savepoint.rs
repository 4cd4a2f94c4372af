//! The savepoint a write runs in inside a caller's transaction, and what
//! becomes of one a cancelled write left open.
//!
//! A write inside a transaction runs between `SAVEPOINT ashore_write` and
//! `RELEASE` (kept) or `ROLLBACK TO` (undone). Its caller may stop waiting in
//! between (a `tokio::time::timeout`, a `select!`): the statements already
//! sent still run on the server, and nothing is left to end the savepoint. So
//! the transaction is marked while a write's savepoint is open, and its next
//! use (a statement, or `COMMIT`) first rolls back to the savepoint a
//! cancelled write left: the write leaves nothing behind. (A `ROLLBACK`
//! discards it with the rest.)
//!
//! The mark is set in the same poll that hands `SAVEPOINT` to the connection,
//! and cleared in the one that hands it `RELEASE` or `ROLLBACK TO`:
//! tokio-postgres sends a simple query when its future is first polled, before
//! it waits for anything, and a future is only dropped between polls. So the
//! mark is set exactly when the server has (or will have) the savepoint open
//! and nothing sent after it ends it, and rolling back to it never names one
//! that does not exist (which would abort the transaction). A write cancelled
//! once `RELEASE` was sent had finished: it stays, as a create outside a
//! transaction whose `COMMIT` was sent does.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use deadpool_postgres::Object;

/// Opens a write's savepoint.
const OPEN: &str = "SAVEPOINT ashore_write";
/// Keeps what the write did.
const RELEASE: &str = "RELEASE SAVEPOINT ashore_write";
/// Undoes what the write did.
const UNDO: &str = "ROLLBACK TO SAVEPOINT ashore_write; RELEASE SAVEPOINT ashore_write";

/// Whether a transaction has a write's savepoint open: set while a write
/// runs, and left set by a write cancelled before it ended its savepoint.
/// Shared by the clones of a transaction's layer.
#[derive(Clone, Default)]
pub(super) struct Open(Arc<AtomicBool>);

/// A write's savepoint on a transaction's connection, open until
/// [`end`](Self::end). Dropped before (the write's future cancelled), it
/// leaves the transaction marked, and [`settle`] undoes it.
pub(super) struct Savepoint<'a> {
    client: &'a Object,
    open: &'a Open,
}

impl<'a> Savepoint<'a> {
    /// Opens the savepoint on `client`, the connection of the transaction
    /// whose mark is `open`.
    pub(super) async fn begin(
        client: &'a Object,
        open: &'a Open,
    ) -> Result<Savepoint<'a>, tokio_postgres::Error> {
        // Marked in the poll that sends it (see the module docs).
        open.0.store(true, Ordering::Relaxed);
        if let Err(e) = run(client, OPEN).await {
            // The transaction is aborted: nothing to roll back to.
            open.0.store(false, Ordering::Relaxed);
            return Err(e);
        }
        Ok(Savepoint { client, open })
    }

    /// Ends the savepoint: keeps what the write did, or (`keep` false, the
    /// write failed) undoes it.
    pub(super) async fn end(self, keep: bool) -> Result<(), tokio_postgres::Error> {
        // Cleared in the poll that sends the end (see the module docs).
        self.open.0.store(false, Ordering::Relaxed);
        run(self.client, if keep { RELEASE } else { UNDO }).await
    }
}

/// Before `client`, a transaction's connection marked by `open`, runs anything
/// more: rolls back the savepoint a cancelled write left open, if any.
pub(super) async fn settle(client: &Object, open: &Open) -> Result<(), tokio_postgres::Error> {
    // Cleared in the poll that sends the undo: a use cancelled meanwhile
    // leaves nothing for the next one to undo again.
    if open.0.swap(false, Ordering::Relaxed) {
        tracing::debug!("postgres: undoing a write whose caller stopped waiting");
        run(client, UNDO).await?;
    }
    Ok(())
}

/// Forgets the mark: the transaction is rolled back, savepoint and all.
pub(super) fn forget(open: &Open) {
    open.0.store(false, Ordering::Relaxed);
}

/// Runs the savepoint statement `sql` on `client`.
async fn run(client: &Object, sql: &'static str) -> Result<(), tokio_postgres::Error> {
    tracing::debug!(sql, "postgres");
    client.batch_execute(sql).await
}
