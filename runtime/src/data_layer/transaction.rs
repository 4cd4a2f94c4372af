//! [`Transaction`]: what a data layer hands out for
//! [`Domain::transaction`](crate::Domain::transaction): a layer whose reads
//! and writes all run inside one transaction, and the commit or rollback
//! that ends it.

use std::sync::Arc;

use super::{BoxFuture, DataLayer};
use crate::error::Result;

/// A transaction a data layer has begun ([`DataLayer::begin`]).
///
/// [`layer`](Transaction::layer) reads and writes inside it; what it writes is
/// seen by its own reads and by nobody else's until [`commit`](Transaction::commit).
/// Dropped without either, it rolls back (on SQL layers, the connection
/// goes back to its pool, which rolls it back before reuse). After it ends,
/// its layer refuses every call with an error, so a copy kept past the end
/// cannot write outside the transaction.
pub trait Transaction: Send + Sync {
    /// The layer that reads and writes inside the transaction.
    fn layer(&self) -> Arc<dyn DataLayer>;

    /// Makes what the transaction wrote permanent and visible to others. An
    /// error (a deferred foreign key, a lost connection) means nothing was.
    /// A transaction the database aborted (a statement in it failed, and the
    /// database refuses to commit it) must be an error too, never `Ok`:
    /// [`ErrorKind::TransactionAborted`](crate::ErrorKind::TransactionAborted).
    fn commit(self: Box<Self>) -> BoxFuture<'static, Result<()>>;

    /// Undoes everything the transaction wrote.
    fn rollback(self: Box<Self>) -> BoxFuture<'static, Result<()>>;
}
