//! [`Domain::transaction`]: a block of reads and writes that commits whole or
//! not at all.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;

use crate::domain::{Armed, Domain, Doom, Scope};
use crate::error::{Error, Result as AshoreResult};

impl Domain {
    /// Runs `f` inside one transaction of the data layer: every read, get,
    /// count, load, create and write made through the `Domain` it is given
    /// (`tx`) runs inside it, and reads see the transaction's own writes. When
    /// `f` returns `Ok`, the transaction commits (an error committing is
    /// returned, and nothing was written); when it returns `Err` or panics, it
    /// rolls back and the `Err` is returned or the panic resumed. `E` is any
    /// error an [`Error`] converts into, `ashore::Error` itself included.
    ///
    /// A write that fails inside is undone alone. Another statement that fails
    /// may abort the whole transaction on the database's side (on PostgreSQL,
    /// any statement the server refuses outside a write; on SQLite, one after
    /// which SQLite rolls back): then every later call through `tx` and the
    /// commit return [`ErrorKind::TransactionAborted`](crate::ErrorKind::TransactionAborted)
    /// naming it, even if `f` ignored that error, and nothing is kept. So too,
    /// on every layer, after a call of several writes (a create
    /// [`with_related`](crate::Create::with_related) records, a many_to_many
    /// relate or replace) that failed, or was cancelled, after writing part of
    /// itself: it is all or nothing inside a transaction as it is outside.
    ///
    /// Isolation: on memory, transactions are serializable (one writing at a
    /// time; writes outside wait for it, reads outside see the store as last
    /// committed); SQLite begins `IMMEDIATE` (one writer at a time; reads
    /// outside see the last commit on a file in WAL mode, and wait for the
    /// transaction on a database in memory, up to the 5 s busy timeout);
    /// PostgreSQL runs at its default, `READ COMMITTED`, where two
    /// transactions that read a record and write a value computed from it
    /// may lose one of the updates (memory and SQLite run them one after the
    /// other). Use `tx` only inside `f`: once
    /// the transaction has ended, its layer refuses every call.
    ///
    /// Cancelled (the future dropped before it finishes, by a timeout or an
    /// aborted task), the transaction rolls back: memory throws its copy away,
    /// and a SQL layer's connection goes back to its pool, which rolls it back
    /// before anyone reuses it. Dropped while committing, it may have
    /// committed: read before retrying.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let alice = representative(&support, "Alice").await?;
    /// // A ticket and its reassignment, all or nothing.
    /// let ticket = support
    ///     .transaction(|tx| async move {
    ///         let ticket = tx
    ///             .create(Ticket::changeset().set(Ticket::subject(), "Toner low"))
    ///             .await?;
    ///         // The transaction's own write is read back inside it.
    ///         assert!(tx.get::<Ticket>(ticket.id).await?.is_some());
    ///         Ok::<_, ashore::Error>(ticket)
    ///     })
    ///     .await?;
    /// assert!(support.get::<Ticket>(ticket.id).await?.is_some());
    ///
    /// // An error rolls back what the block wrote.
    /// let failed: ashore::Result<()> = support
    ///     .transaction(|tx| async move {
    ///         tx.create(Ticket::changeset().set(Ticket::subject(), "Never kept"))
    ///             .await?;
    ///         Err(ashore::Error::loader("the billing service is down"))
    ///     })
    ///     .await;
    /// assert!(failed.is_err());
    /// let kept = Ticket::query().filter(expr!(subject == "Never kept"));
    /// assert_eq!(support.read(kept).count().await?, 0);
    /// # let _ = alice;
    /// # Ok(()) }
    /// ```
    pub async fn transaction<T, E, F, Fut>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(Domain) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: From<Error>,
    {
        let transaction = self.data_layer().begin().await?;
        tracing::debug!(layer = self.data_layer().name(), "transaction begun");
        let doom = Doom::default();
        let tx = self.with_layer(transaction.layer(), doom.clone());
        match AssertUnwindSafe(f(tx)).catch_unwind().await {
            Ok(Ok(value)) => {
                // A verb of several writes failed inside after writing part
                // of itself: nothing is kept.
                if let Some(err) = doom.failure() {
                    rollback(transaction).await;
                    return Err(err.into());
                }
                transaction.commit().await?;
                tracing::debug!("transaction committed");
                Ok(value)
            }
            Ok(Err(e)) => {
                rollback(transaction).await;
                Err(e)
            }
            Err(panic) => {
                rollback(transaction).await;
                std::panic::resume_unwind(panic)
            }
        }
    }
}

/// Runs `f` in a transaction of `scope`'s domain, with the scope moved onto
/// it: in the transaction the domain is already a transaction's, else in one
/// begun for it (committed when `f` returns `Ok`). Inside a caller's
/// transaction, `f` failing or cancelled after part of it was written aborts
/// that transaction: `f` runs on a domain of its own over that transaction,
/// which counts its writes apart from those of the calls running beside it.
pub(crate) async fn atomically<T, F, Fut>(mut scope: Scope, f: F) -> AshoreResult<T>
where
    F: FnOnce(Scope) -> Fut,
    Fut: Future<Output = AshoreResult<T>>,
{
    if let Some(doom) = scope.domain.doom() {
        // Inside a caller's transaction: a failure (or a cancellation) after
        // part of it was written aborts the transaction (`domain::guarded`).
        let armed = Armed::new(doom);
        scope.domain = scope.domain.with_doom(armed.doom().clone());
        return armed.ended(f(scope).await);
    }
    let domain = scope.domain.clone();
    domain
        .transaction(move |tx| {
            scope.domain = tx;
            f(scope)
        })
        .await
}

/// Rolls back; a failure is logged (the connection is then discarded by its
/// pool, which rolls back as well) and the caller's own outcome returned.
async fn rollback(transaction: Box<dyn crate::data_layer::Transaction>) {
    match transaction.rollback().await {
        Ok(()) => tracing::debug!("transaction rolled back"),
        Err(e) => tracing::warn!(error = %e, "rolling back a transaction failed"),
    }
}
