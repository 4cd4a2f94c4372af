//! What the layer knows of whether the server has aborted a caller's
//! transaction, which PostgreSQL itself does not say at the end.
//!
//! A statement the server refuses (anything with a SQLSTATE: a bad cast, a
//! division by zero, a constraint broken by raw SQL) aborts the whole
//! transaction unless it ran in a savepoint; every later statement is then
//! refused (25P02), and `COMMIT` rolls back *without an error*. A block that
//! ignored the error of such a statement would see its commit succeed and its
//! writes silently lost. So each transaction keeps what the layer saw:
//!
//! - **Aborted**, with what failed: set when a statement outside a savepoint
//!   (a read, count, aggregate, raw query or migration) gets an error from the
//!   server, when a write's own savepoint statement fails, and when the
//!   connection is closed under the transaction (a statement past the
//!   statement timeout). A write's failure undone in its savepoint leaves the
//!   transaction whole (see `savepoint`). Once aborted, every call on the
//!   transaction's layer is refused before it reaches the server, and the
//!   commit sends `ROLLBACK` and returns [`ErrorKind::TransactionAborted`]
//!   naming the failure.
//! - **Unsure**: set when a call takes the transaction's connection, cleared
//!   once it has seen every answer to what it sent (a success, or a savepoint
//!   ended). A call whose caller stopped waiting (a `tokio::time::timeout`, a
//!   `select!`) leaves it set: what it sent still runs on the server, and may
//!   fail there unseen. A commit while unsure sends `SELECT 1; COMMIT` as one
//!   query, whose `COMMIT` the server runs only if the `SELECT` succeeds,
//!   that is if the transaction is not aborted; if it is (25P02), the layer
//!   rolls back and returns the error.
//!
//! Either way a commit is one round trip, as before; the common case sends
//! `COMMIT` alone. A statement that fails on this side only (a row that does
//! not decode) aborts nothing.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio_postgres::error::{DbError, SqlState};

use crate::error::{Error, ErrorKind, Result};

/// What failed, when the layer never saw the error that aborted the
/// transaction.
const UNSEEN: &str = "a statement whose caller stopped waiting for it, so its error reached nobody";

/// What the layer knows of one transaction on the server; shared by the
/// clones of its layer.
#[derive(Clone, Default)]
pub(super) struct Aborted(Arc<Mutex<State>>);

#[derive(Default)]
struct State {
    /// What aborted the transaction, once something did.
    failed: Option<String>,
    /// Whether something sent may still fail unseen.
    unsure: bool,
}

impl Aborted {
    fn state(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the transaction's connection for a call: refused if the
    /// transaction is aborted, and unsure until the call has seen its answers.
    pub(super) fn take(&self) -> Result<()> {
        let mut state = self.state();
        if let Some(failed) = &state.failed {
            return Err(error(failed.clone()));
        }
        state.unsure = true;
        Ok(())
    }

    /// Every statement sent so far was answered and the transaction stands.
    pub(super) fn answered(&self) {
        self.state().unsure = false;
    }

    /// What a call's statements run outside a savepoint came to: `Ok` means
    /// every one was answered; an error the server gave aborted the
    /// transaction (see [`fail`](Self::fail)).
    pub(super) fn observe<T>(&self, result: Result<T>) -> Result<T> {
        match result {
            Ok(value) => {
                self.answered();
                Ok(value)
            }
            Err(e) if server_error(&e).is_some() => Err(self.fail(e)),
            Err(e) => Err(e),
        }
    }

    /// Marks the transaction aborted by `err` (the first failure is the one
    /// kept), and returns the error for the call that met it: `err`, unless
    /// the server said the transaction was aborted already (by a statement
    /// whose error nobody saw), then the [`ErrorKind::TransactionAborted`].
    pub(super) fn fail(&self, err: Error) -> Error {
        let already =
            server_error(&err).is_some_and(|db| *db.code() == SqlState::IN_FAILED_SQL_TRANSACTION);
        let mut state = self.state();
        let failed = state
            .failed
            .get_or_insert_with(|| {
                if already {
                    UNSEEN.to_owned()
                } else {
                    err.to_string()
                }
            })
            .clone();
        tracing::debug!(failed, "postgres: the transaction is aborted");
        if already { error(failed) } else { err }
    }

    /// The error of a commit of the transaction, when it is aborted.
    pub(super) fn failure(&self) -> Option<Error> {
        self.state().failed.clone().map(error)
    }

    /// Whether something sent may have failed unseen.
    pub(super) fn unsure(&self) -> bool {
        self.state().unsure
    }

    /// The transaction turned out aborted by something nobody saw (the
    /// commit's check failed): the error to return.
    pub(super) fn unseen(&self) -> Error {
        let mut state = self.state();
        error(
            state
                .failed
                .get_or_insert_with(|| UNSEEN.to_owned())
                .clone(),
        )
    }
}

/// Whether `err` says the transaction was aborted before the statement ran
/// (SQLSTATE 25P02), as the commit's check does when it is.
pub(super) fn is_in_failed_transaction(err: &tokio_postgres::Error) -> bool {
    err.code() == Some(&SqlState::IN_FAILED_SQL_TRANSACTION)
}

/// The error of a call on, or a commit of, a transaction aborted by `failed`.
fn error(failed: String) -> Error {
    Error::new(ErrorKind::TransactionAborted { failed })
}

/// The server's error among `err`'s sources, if the server refused something.
fn server_error(err: &Error) -> Option<&DbError> {
    let mut source = std::error::Error::source(err);
    while let Some(e) = source {
        // A `tokio_postgres::Error` of the server has its `DbError` as source.
        if let Some(db) = e.downcast_ref::<DbError>() {
            return Some(db);
        }
        source = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_of_this_side_aborts_nothing_and_a_success_settles_doubt() {
        let aborted = Aborted::default();
        aborted.take().unwrap();
        assert!(aborted.unsure());
        let err = aborted
            .observe::<()>(Err(Error::data_layer("a row that does not decode")))
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::DataLayer { .. }), "{err}");
        assert!(aborted.failure().is_none());
        assert!(aborted.unsure(), "what was sent may still be running");
        aborted.observe(Ok(())).unwrap();
        assert!(!aborted.unsure());
    }

    #[test]
    fn the_first_failure_is_named_by_every_later_call_and_the_commit() {
        let aborted = Aborted::default();
        let first = aborted.fail(Error::data_layer("reading Ticket: division by zero"));
        assert!(
            matches!(first.kind(), ErrorKind::DataLayer { .. }),
            "{first}"
        );
        aborted.fail(Error::data_layer("something later"));
        let later = aborted.take().unwrap_err();
        assert!(matches!(later.kind(), ErrorKind::TransactionAborted { .. }));
        assert!(later.to_string().contains("division by zero"), "{later}");
        let commit = aborted.failure().expect("aborted");
        assert_eq!(commit.to_string(), later.to_string());
        assert_eq!(aborted.unseen().to_string(), later.to_string());
    }

    #[test]
    fn an_unseen_failure_is_said_to_be_one() {
        let aborted = Aborted::default();
        let err = aborted.unseen();
        assert!(err.to_string().contains("stopped waiting"), "{err}");
    }
}
