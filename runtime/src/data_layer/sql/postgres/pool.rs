//! The pool under the PostgreSQL layer: its timeouts, what a connection is put
//! through when it comes back, and what becomes of one whose statement timed
//! out.
//!
//! A connection may come back dirty: one lent by [`Postgres::client`](super::Postgres::client)
//! (or taken from [`Postgres::pool`](super::Postgres::pool)) can be left inside a transaction, even an
//! aborted one, after which every statement on it fails. The layer's own work
//! never leaves one so (an unfinished transaction is rolled back when dropped),
//! so each connection the layer itself used is marked clean when it comes back
//! ([`Lease`]); any other is rolled back (`ROLLBACK`, harmless outside a
//! transaction) by the pool's `pre_recycle` hook before it is handed out again,
//! and closed if that fails or takes longer than the connect timeout. So is a
//! connection a statement failed on ([`Lease::distrust`]): the failure may be
//! its backend's end (terminated, the server restarting), which the client
//! learns only after the error, so without the check the next caller would
//! get a dead connection. The mark
//! is the address of the connection's statement cache, which lives as long as
//! the connection; a new connection clears its address's mark, so a stale mark
//! never vouches for it. (A `ROLLBACK` on every checkout, deadpool's
//! `RecyclingMethod::Custom`, would be simpler, but it is a round trip as long
//! as a whole small read: 55-80 µs each against 55-72 µs per read of one row on
//! a pool of one, release build, local server.)
//!
//! A statement that outlives the statement timeout is cancelled on the server
//! (its cancel token, on a connection of its own) and its connection is taken
//! out of the pool and closed ([`abandon`]), so it is never handed out busy.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use deadpool_postgres::{
    ClientWrapper, Hook, HookError, Manager, ManagerConfig, Object, Pool, PoolError, Runtime,
    TimeoutType, Timeouts,
};
use foldhash::HashSet;
use tokio_postgres::NoTls;

use super::errors::data_layer;
use super::settings::PostgresSettings;
use crate::error::{Error, ErrorKind, Result, Waiting};

/// The connections the layer itself used and gave back clean, by the address
/// of their statement cache.
#[derive(Default)]
pub(super) struct Marks(Mutex<HashSet<usize>>);

impl Marks {
    fn set(&self) -> std::sync::MutexGuard<'_, HashSet<usize>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A connection's identity while it lives.
fn key(client: &ClientWrapper) -> usize {
    Arc::as_ptr(&client.statement_cache) as usize
}

/// The pool for `config`, with `settings`' size and timeouts and the hooks that
/// roll back connections not marked in the returned [`Marks`].
pub(super) fn build(
    config: tokio_postgres::Config,
    settings: &PostgresSettings,
) -> Result<(Pool, Arc<Marks>)> {
    let marks = Arc::new(Marks::default());
    let manager = Manager::from_config(config, NoTls, ManagerConfig::default());
    let created = Arc::clone(&marks);
    let returned = Arc::clone(&marks);
    let limit = settings.connect_timeout;
    let pool = Pool::builder(manager)
        .runtime(Runtime::Tokio1)
        .max_size(settings.max_connections)
        .timeouts(Timeouts {
            wait: Some(settings.pool_wait_timeout),
            create: Some(settings.connect_timeout),
            recycle: Some(settings.connect_timeout),
        })
        .post_create(Hook::sync_fn(move |client, _| {
            created.set().remove(&key(client));
            Ok(())
        }))
        .pre_recycle(Hook::async_fn(move |client, _| {
            let clean = returned.set().remove(&key(client));
            Box::pin(async move {
                if clean {
                    return Ok(());
                }
                match tokio::time::timeout(limit, client.batch_execute("ROLLBACK")).await {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, "postgres: closing a connection that could not be rolled back");
                        Err(HookError::Backend(e))
                    }
                    Err(_) => {
                        tracing::warn!("postgres: closing a connection whose rollback timed out");
                        Err(HookError::message("rolling back timed out"))
                    }
                }
            })
        }))
        .build()
        .map_err(|e| data_layer("making the PostgreSQL pool", e))?;
    Ok((pool, marks))
}

/// A connection the layer uses for its own work: marked clean when dropped
/// (see the module docs), unless [`abandon`]ed.
pub(super) struct Lease {
    object: Option<Object>,
    marks: Option<Arc<Marks>>,
    /// A transaction's connection: put back in its slot when dropped.
    slot: Option<tokio::sync::OwnedMutexGuard<Option<Object>>>,
}

impl Lease {
    pub(super) fn new(object: Object, marks: Option<Arc<Marks>>) -> Lease {
        Lease {
            object: Some(object),
            marks,
            slot: None,
        }
    }

    /// The connection of a transaction, taken from its slot (locked for as
    /// long as the lease lives) and put back when the lease is dropped,
    /// unless [`abandon`]ed (which ends the transaction).
    pub(super) fn held(mut slot: tokio::sync::OwnedMutexGuard<Option<Object>>) -> Option<Lease> {
        let object = slot.take()?;
        Some(Lease {
            object: Some(object),
            marks: None,
            slot: Some(slot),
        })
    }

    /// Closes the connection (a transaction's ends with it: the server rolls
    /// it back, and its slot stays empty).
    pub(super) fn close(mut self) {
        if let Some(object) = self.object.take() {
            drop(Object::take(object));
        }
    }

    /// Gives the connection back unmarked: a statement on it failed, and the
    /// failure may have ended the connection (its backend terminated) before
    /// the client noticed, so the pool's `ROLLBACK` checks it before anyone
    /// else gets it, and closes it if it is dead.
    pub(super) fn distrust(&mut self) {
        self.marks = None;
    }

    /// The connection, kept out of the pool by the caller (a transaction).
    pub(super) fn keep(mut self) -> Object {
        self.object
            .take()
            .expect("a lease holds its connection until dropped")
    }
}

impl Deref for Lease {
    type Target = Object;

    fn deref(&self) -> &Object {
        self.object
            .as_ref()
            .expect("a lease holds its connection until dropped")
    }
}

impl DerefMut for Lease {
    fn deref_mut(&mut self) -> &mut Object {
        self.object
            .as_mut()
            .expect("a lease holds its connection until dropped")
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(slot) = &mut self.slot {
            **slot = self.object.take();
            return;
        }
        if let (Some(object), Some(marks)) = (&self.object, &self.marks) {
            marks.set().insert(key(object));
        }
    }
}

/// Gives up on a connection whose statement ran past `after`: cancels the
/// statement on the server (in the background, for at most `cancel_within`),
/// closes the connection without returning it to the pool, and says so.
pub(super) fn abandon(mut lease: Lease, after: Duration, cancel_within: Duration) -> Error {
    if let Some(object) = lease.object.take() {
        let token = object.cancel_token();
        // Out of the pool for good; dropping it closes the connection.
        drop(Object::take(object));
        tokio::spawn(async move {
            match tokio::time::timeout(cancel_within, token.cancel_query(NoTls)).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "postgres: cancelling a timed-out statement failed")
                }
                Err(_) => tracing::warn!("postgres: cancelling a timed-out statement timed out"),
            }
        });
    }
    timeout(Waiting::Statement, after)
}

/// An [`ErrorKind::Timeout`] for `waiting_for`, naming its setting.
pub(super) fn timeout(waiting_for: Waiting, after: Duration) -> Error {
    let setting = match waiting_for {
        Waiting::Pool => "PostgresSettings::pool_wait_timeout",
        Waiting::Statement => "PostgresSettings::statement_timeout",
        _ => "PostgresSettings::connect_timeout",
    };
    Error::new(ErrorKind::Timeout {
        waiting_for,
        after,
        setting,
    })
}

/// An error of `pool.get()`: a timeout says which, with the pool's limit.
pub(super) fn get_error(pool: &Pool, err: PoolError) -> Error {
    let limits = pool.timeouts();
    let (waiting_for, limit) = match err {
        PoolError::Timeout(TimeoutType::Wait) => (Waiting::Pool, limits.wait),
        PoolError::Timeout(TimeoutType::Create) => (Waiting::Connect, limits.create),
        PoolError::Timeout(TimeoutType::Recycle) => (Waiting::Connect, limits.recycle),
        other => return data_layer("getting a PostgreSQL connection", other),
    };
    timeout(waiting_for, limit.unwrap_or_default())
}
