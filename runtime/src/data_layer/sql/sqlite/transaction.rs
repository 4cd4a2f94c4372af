//! Transactions of the SQLite layer: one pooled connection held from `BEGIN
//! IMMEDIATE` (SQLite's one writer at a time) to `COMMIT` or `ROLLBACK`, and
//! every read and write of the transaction's layer run on it.
//!
//! A write opens its own unit of work ([`Unit`]): a transaction of its own, or
//! inside a caller's transaction a savepoint, so a failed write leaves nothing
//! behind in either. Nor does a write inside a caller's transaction whose
//! caller stopped waiting (its future dropped by a timeout or a `select!`):
//! its work runs on to its end on a blocking thread, and there its savepoint
//! is rolled back rather than released ([`Abandoned`]). Foreign keys a write defers are checked at the outer
//! `COMMIT`: a violation then fails the commit with the constraint error of
//! the resource whose table holds it (found with `PRAGMA foreign_key_check`).
//!
//! A statement that fails leaves the transaction as it was, with a few
//! exceptions: after some errors SQLite rolls the whole transaction back
//! itself (a conflict resolved `OR ROLLBACK`, `RAISE(ROLLBACK)` in a trigger,
//! a full disk); raw SQL that would end it (a `COMMIT` or `ROLLBACK` of its
//! own) is refused before it runs (`sql::control`), but is still watched for
//! here. The connection is then out of any transaction, where a later write
//! would commit on its own: so after each call the layer checks that the
//! transaction is still open (`sqlite3_get_autocommit`, no I/O), and once it
//! is not ([`Ended`]), every later call and the commit are refused: a
//! rollback by SQLite is [`ErrorKind::TransactionAborted`] naming the
//! statement that failed.
//!
//! A transaction dropped without ending gives its connection back to the pool
//! inside the transaction; the pool never hands out such a connection without
//! rolling it back first (see the module docs of `sqlite`).

use std::cell::RefCell;
use std::ops::Deref;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use deadpool_sync::InteractError;
use rusqlite::{Connection, OptionalExtension};

use super::pool::Pooled;
use super::{Inner, Sqlite, Traced, errors, setup};
use crate::data_layer::{BoxFuture, DataLayer, Transaction};
use crate::error::{Error, ErrorKind, Result};

/// The connection of a transaction, while it lasts.
pub(super) struct Held {
    slot: tokio::sync::Mutex<Option<Pooled>>,
    /// How the transaction ended before its commit, once it has; set on the
    /// thread the call ran on, so a call whose caller stopped waiting sets it
    /// too.
    ended: Arc<Mutex<Option<Ended>>>,
}

/// How a transaction ended before its commit.
#[derive(Clone, Debug)]
enum Ended {
    /// SQLite rolled it back after a statement failed: that statement's error.
    RolledBack(String),
    /// SQL run in it ended it (a `COMMIT` or `ROLLBACK` of its own).
    BySql,
}

impl Ended {
    /// Sets `slot` when the transaction on `conn` has ended during a call
    /// whose outcome was `result` (the first end is the one kept).
    fn note<T>(slot: &Mutex<Option<Ended>>, conn: &Connection, result: Option<&Result<T>>) {
        if !conn.is_autocommit() {
            return;
        }
        let how = match result {
            Some(Err(e)) => Ended::RolledBack(e.to_string()),
            _ => Ended::BySql,
        };
        tracing::debug!(?how, "sqlite: the transaction ended before its commit");
        slot.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_or_insert(how);
    }

    /// The error of a call after the transaction ended, or of its commit.
    fn error(&self) -> Error {
        match self {
            Ended::RolledBack(failed) => Error::new(ErrorKind::TransactionAborted {
                failed: failed.clone(),
            }),
            Ended::BySql => Error::data_layer(
                "sqlite: SQL run in the transaction ended it (a COMMIT or ROLLBACK of its \
                 own); its layer refuses every later call, and its commit",
            ),
        }
    }

    /// How the transaction ended, if it has.
    fn of(slot: &Mutex<Option<Ended>>) -> Option<Ended> {
        slot.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

/// Set once the caller of a call on a transaction's connection stopped
/// waiting for it: its future was dropped while the work ran (or waited to
/// run) on a blocking thread, which goes on to the end regardless.
#[derive(Clone, Default)]
pub(super) struct Abandoned(Arc<AtomicBool>);

/// Sets its [`Abandoned`] when dropped: held by the caller while it waits.
struct Waiting(Abandoned);

impl Drop for Waiting {
    fn drop(&mut self) {
        // After the outcome arrived too, when nothing reads it any more.
        self.0.0.store(true, Ordering::Relaxed);
    }
}

thread_local! {
    /// The [`Abandoned`] of the call running on this thread, while it runs.
    static CALL: RefCell<Option<Abandoned>> = const { RefCell::new(None) };
}

impl Abandoned {
    /// Runs `f` as the call this flag belongs to: a [`Unit`] begun in it
    /// reads the flag.
    fn during<T>(&self, f: impl FnOnce() -> T) -> T {
        struct Reset(Option<Abandoned>);
        impl Drop for Reset {
            fn drop(&mut self) {
                CALL.with(|call| *call.borrow_mut() = self.0.take());
            }
        }
        let _reset = Reset(CALL.with(|call| call.borrow_mut().replace(self.clone())));
        f()
    }

    /// The flag of the call running on this thread, if any.
    fn current() -> Option<Abandoned> {
        CALL.with(|call| call.borrow().clone())
    }

    fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Runs the transaction-control statement `sql` on `conn`: a `DEBUG` event
/// with the `sql`, as the PostgreSQL layer logs its own (README "Tracing").
fn control(conn: &Connection, sql: &'static str) -> rusqlite::Result<()> {
    tracing::debug!(sql, "sqlite");
    conn.execute_batch(sql)
}

/// A write's unit of work: its own `BEGIN IMMEDIATE` .. `COMMIT`, or inside a
/// caller's transaction a savepoint. Dropped unfinished, it is undone; so is a
/// savepoint whose caller stopped waiting before it was released.
pub(super) struct Unit<'c> {
    conn: &'c Connection,
    nested: bool,
    done: bool,
    /// Inside a caller's transaction: whether the call was abandoned.
    abandoned: Option<Abandoned>,
}

impl<'c> Unit<'c> {
    /// Begins a unit on `conn`.
    pub(super) fn begin(conn: &'c Connection) -> rusqlite::Result<Unit<'c>> {
        let nested = !conn.is_autocommit();
        control(
            conn,
            if nested {
                "SAVEPOINT ashore_write"
            } else {
                "BEGIN IMMEDIATE"
            },
        )?;
        Ok(Unit {
            conn,
            nested,
            done: false,
            abandoned: if nested { Abandoned::current() } else { None },
        })
    }

    /// Whether the unit is a savepoint inside a caller's transaction.
    pub(super) fn nested(&self) -> bool {
        self.nested
    }

    /// Ends the unit, keeping what it wrote. A transaction of its own that
    /// fails to commit (a deferred foreign key) is still open: the caller
    /// reads what failed, then drops the unit, which rolls it back. A
    /// savepoint whose caller stopped waiting is left to the drop, which
    /// rolls it back: what the call returns reaches nobody.
    pub(super) fn commit(&mut self) -> rusqlite::Result<()> {
        if self.abandoned.as_ref().is_some_and(Abandoned::is_set) {
            tracing::debug!("sqlite: undoing a write whose caller stopped waiting");
            return Ok(());
        }
        let sql = if self.nested {
            "RELEASE ashore_write"
        } else {
            "COMMIT"
        };
        control(self.conn, sql)?;
        self.done = true;
        Ok(())
    }
}

impl Deref for Unit<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for Unit<'_> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let undo = if self.nested {
            "ROLLBACK TO ashore_write; RELEASE ashore_write"
        } else if self.conn.is_autocommit() {
            return;
        } else {
            "ROLLBACK"
        };
        if let Err(e) = control(self.conn, undo) {
            tracing::warn!(error = %e, "sqlite: undoing a failed write");
        }
    }
}

impl Sqlite {
    /// Begins a transaction on a connection of the pool.
    pub(super) async fn begin_now(&self) -> Result<Box<dyn Transaction>> {
        if self.held.is_some() {
            return Err(Error::data_layer(
                "sqlite: a transaction inside a transaction is not supported; \
                 run the inner block in the outer transaction",
            ));
        }
        let object = self.checkout().await?;
        let fresh = self.needs_setup(object.id());
        // On the connection's thread under the caller's subscriber and span,
        // so the `BEGIN` event reaches whoever traces the call.
        let traced = Traced::here();
        let begun = object
            .connection()
            .interact(move |conn| {
                traced.run(|| {
                    if let Some(mmap_size) = fresh {
                        setup(conn, mmap_size)
                            .map_err(|e| errors::database("setting up a connection", e))?;
                    }
                    control(conn, "BEGIN IMMEDIATE")
                        .map_err(|e| errors::database("beginning a transaction", e))
                })
            })
            .await;
        match begun {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(e),
            Err(e) => return Err(interact_error(e)),
        }
        if let Some(mmap_size) = fresh {
            self.ready().insert(object.id(), mmap_size);
        }
        let layer = Sqlite {
            inner: Arc::clone(&self.inner),
            held: Some(Arc::new(Held {
                slot: tokio::sync::Mutex::new(Some(object)),
                ended: Arc::default(),
            })),
        };
        Ok(Box::new(SqliteTransaction { layer }))
    }

    /// Runs `f` on the held connection of this transaction's layer.
    pub(super) async fn run_held<T, F>(&self, held: &Held, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection, &Inner) -> Result<T> + Send + 'static,
    {
        let guard = held.slot.lock().await;
        let Some(object) = guard.as_ref() else {
            return Err(ended());
        };
        let inner = Arc::clone(&self.inner);
        let traced = super::Traced::here();
        let abandoned = Abandoned::default();
        let _waiting = Waiting(abandoned.clone());
        let slot = Arc::clone(&held.ended);
        let outcome = object
            .connection()
            .interact(move |conn| {
                // Checked on this thread, after any call before it ended.
                if let Some(how) = Ended::of(&slot) {
                    return Ok(Err(how.error()));
                }
                let outcome = traced.run(|| {
                    abandoned
                        .during(|| std::panic::catch_unwind(AssertUnwindSafe(|| f(conn, &inner))))
                });
                Ended::note(&slot, conn, outcome.as_ref().ok());
                outcome
            })
            .await;
        match outcome {
            Ok(Ok(result)) => result,
            Ok(Err(payload)) | Err(InteractError::Panic(payload)) => {
                std::panic::resume_unwind(payload)
            }
            Err(InteractError::Cancelled) => Err(interact_error(InteractError::Cancelled)),
        }
    }
}

fn ended() -> Error {
    Error::data_layer(
        "sqlite: the transaction has ended; use the domain, not the transaction's, after it",
    )
}

fn interact_error(e: InteractError) -> Error {
    match e {
        InteractError::Panic(payload) => std::panic::resume_unwind(payload),
        InteractError::Cancelled => {
            Error::data_layer("sqlite: the connection was closed while in use")
        }
    }
}

/// A transaction of a [`Sqlite`] layer.
struct SqliteTransaction {
    layer: Sqlite,
}

impl SqliteTransaction {
    /// Ends the transaction with `sql` (`COMMIT` or `ROLLBACK`); the connection
    /// goes back to the pool, or is closed if it is still inside it.
    async fn end(&self, commit: bool) -> Result<()> {
        let held = self.layer.held.as_ref().ok_or_else(ended)?;
        let Some(object) = held.slot.lock().await.take() else {
            return Err(ended());
        };
        let inner = Arc::clone(&self.layer.inner);
        let slot = Arc::clone(&held.ended);
        let traced = Traced::here();
        let outcome = object
            .connection()
            .interact(move |conn| {
                traced.run(|| {
                    // Ended already (by the last call): nothing to commit, nor to
                    // roll back.
                    Ended::note::<()>(&slot, conn, None);
                    let result = if let Some(how) = Ended::of(&slot) {
                        if commit { Err(how.error()) } else { Ok(()) }
                    } else if commit {
                        control(conn, "COMMIT").map_err(|e| commit_error(conn, &inner, e))
                    } else {
                        control(conn, "ROLLBACK")
                            .map_err(|e| errors::database("rolling back a transaction", e))
                    };
                    if !conn.is_autocommit() {
                        // A failed COMMIT leaves the transaction open.
                        let _ = control(conn, "ROLLBACK");
                    }
                    (result, conn.is_autocommit())
                })
            })
            .await;
        match outcome {
            Ok((result, clean)) => {
                if !clean {
                    object.discard();
                }
                result
            }
            Err(e) => Err(interact_error(e)),
        }
    }
}

/// The error of a failed `COMMIT`: a deferred foreign key is the constraint
/// error of the resource whose table holds the violating row.
fn commit_error(conn: &Connection, inner: &Inner, e: rusqlite::Error) -> Error {
    if errors::is_foreign_key(&e) {
        let table: Option<String> = conn
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()
            .unwrap_or(None);
        if let Some(schema) = table.and_then(|t| inner.schema_of(&t)) {
            return errors::foreign_key(conn, schema, "committing a transaction", e);
        }
    }
    errors::database("committing a transaction", e)
}

impl Drop for SqliteTransaction {
    /// Dropped without ending (its future cancelled): the connection is taken
    /// from the layer, so nothing more runs in the transaction, and rolled back
    /// on a blocking thread when a runtime is at hand (else the pool rolls it
    /// back before reusing it); either way the write lock is let go.
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
            runtime.spawn(async move {
                let _ = object
                    .connection()
                    .interact(|conn| {
                        if !conn.is_autocommit() {
                            let _ = control(conn, "ROLLBACK");
                        }
                    })
                    .await;
            });
        }
    }
}

impl Transaction for SqliteTransaction {
    fn layer(&self) -> Arc<dyn DataLayer> {
        Arc::new(self.layer.clone())
    }

    fn commit(self: Box<Self>) -> BoxFuture<'static, Result<()>> {
        Box::pin(async move { self.end(true).await })
    }

    fn rollback(self: Box<Self>) -> BoxFuture<'static, Result<()>> {
        Box::pin(async move { self.end(false).await })
    }
}
