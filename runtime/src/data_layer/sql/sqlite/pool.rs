//! The pool a SQLite layer runs on: its own (for [`Sqlite::open`](super::Sqlite::open),
//! [`Sqlite::memory`](super::Sqlite::memory) and [`Sqlite::from_url`](super::Sqlite::from_url)),
//! or one built with deadpool-sqlite and handed to
//! [`Sqlite::from_pool`](super::Sqlite::from_pool).
//!
//! The layer's own pool differs from deadpool-sqlite's in what it does when a
//! connection is taken from it again. deadpool-sqlite checks each such
//! connection by running `SELECT $1` on a blocking thread, a second trip
//! between threads for every read (about as long as a small read itself). Here
//! the check runs on the calling thread and blocks on nothing: a connection that
//! panicked, or that is still busy (its task was cancelled while its SQL ran),
//! is closed instead of used again. (A transaction left open is rolled back
//! when the work ends, on its thread, whichever pool it came from.)

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use deadpool::managed::{self, Metrics, RecycleError, RecycleResult};
use deadpool::{Runtime, Status};
use deadpool_sync::SyncWrapper;
use rusqlite::Connection;

/// The connections of a [`Sqlite`](super::Sqlite) layer, shared by its clones.
///
/// Reached through [`Sqlite::pool`](super::Sqlite::pool), to see or change its
/// size.
#[derive(Clone)]
pub struct SqlitePool(Connections);

#[derive(Clone)]
enum Connections {
    /// The layer's own pool.
    Own(managed::Pool<Manager>),
    /// A pool handed to `Sqlite::from_pool`.
    Yours(deadpool_sqlite::Pool),
}

/// A pooled connection, back to its pool on drop.
pub(super) enum Pooled {
    Own(managed::Object<Manager>),
    Yours(deadpool_sqlite::Object),
}

impl Pooled {
    /// The connection, used on a blocking thread through `interact`.
    pub(super) fn connection(&self) -> &SyncWrapper<Connection> {
        match self {
            Pooled::Own(object) => object,
            Pooled::Yours(object) => object,
        }
    }

    /// Takes the connection out of its pool and closes it.
    pub(super) fn discard(self) {
        match self {
            Pooled::Own(object) => drop(managed::Object::take(object)),
            Pooled::Yours(object) => drop(managed::Object::take(object)),
        }
    }

    /// Unique within its pool, for as long as the connection lives.
    pub(super) fn id(&self) -> managed::ObjectId {
        match self {
            Pooled::Own(object) => managed::Object::id(object),
            Pooled::Yours(object) => managed::Object::id(object),
        }
    }
}

impl SqlitePool {
    /// A pool of connections to `path` (a file path or a SQLite URI), with
    /// deadpool's default size (four connections per CPU). Waiting for a free
    /// connection has no limit: a limit needs the Tokio runtime's timers, and a
    /// runtime built without them must still read (a pool of your own, with a
    /// wait timeout, goes to `Sqlite::from_pool`).
    pub(super) fn new(path: PathBuf) -> Result<SqlitePool, managed::BuildError> {
        let manager = Manager { path };
        managed::Pool::builder(manager)
            .runtime(Runtime::Tokio1)
            .build()
            .map(|pool| SqlitePool(Connections::Own(pool)))
    }

    /// Your pool, as it is.
    pub(super) fn yours(pool: deadpool_sqlite::Pool) -> SqlitePool {
        SqlitePool(Connections::Yours(pool))
    }

    /// A connection: an idle one, else a new one while the pool is below its
    /// size, else the first one given back.
    pub(super) async fn get(&self) -> Result<Pooled, managed::PoolError<rusqlite::Error>> {
        match &self.0 {
            Connections::Own(pool) => pool.get().await.map(Pooled::Own),
            Connections::Yours(pool) => pool.get().await.map(Pooled::Yours),
        }
    }

    /// How many connections the pool holds, how many are idle, how many tasks
    /// wait for one, and its largest size.
    pub fn status(&self) -> Status {
        match &self.0 {
            Connections::Own(pool) => pool.status(),
            Connections::Yours(pool) => pool.status(),
        }
    }

    /// How long taking a connection waits for one to be given back when all
    /// are in use, before it fails with [`ErrorKind::Timeout`]
    /// ([`Waiting::Pool`]): `None` (as long as it takes) for the layer's own
    /// pool, yours as you built it for a pool given to
    /// [`Sqlite::from_pool`](super::Sqlite::from_pool).
    ///
    /// [`ErrorKind::Timeout`]: crate::ErrorKind::Timeout
    /// [`Waiting::Pool`]: crate::Waiting::Pool
    pub fn wait_timeout(&self) -> Option<Duration> {
        match &self.0 {
            Connections::Own(pool) => pool.timeouts().wait,
            Connections::Yours(pool) => pool.timeouts().wait,
        }
    }

    /// Sets the largest number of connections; idle ones above it are closed.
    pub fn resize(&self, max_size: usize) {
        match &self.0 {
            Connections::Own(pool) => pool.resize(max_size),
            Connections::Yours(pool) => pool.resize(max_size),
        }
    }

    /// Closes every idle connection (new ones are opened when needed). Must run
    /// within a Tokio runtime: connections are closed on its blocking threads.
    pub fn close_idle(&self) {
        match &self.0 {
            Connections::Own(pool) => drop(pool.retain(|_, _| false)),
            Connections::Yours(pool) => drop(pool.retain(|_, _| false)),
        }
    }
}

impl fmt::Debug for SqlitePool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, status) = match &self.0 {
            Connections::Own(pool) => ("own", pool.status()),
            Connections::Yours(pool) => ("yours", pool.status()),
        };
        f.debug_struct("SqlitePool")
            .field("pool", &kind)
            .field("status", &status)
            .finish()
    }
}

/// Opens connections to one database, and checks them when they are taken again.
pub(super) struct Manager {
    path: PathBuf,
}

impl fmt::Debug for Manager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Manager").field("path", &self.path).finish()
    }
}

impl managed::Manager for Manager {
    type Type = SyncWrapper<Connection>;
    type Error = rusqlite::Error;

    async fn create(&self) -> Result<SyncWrapper<Connection>, rusqlite::Error> {
        let path = self.path.clone();
        SyncWrapper::new(Runtime::Tokio1, move || Connection::open(path)).await
    }

    /// Never blocks: the connection's lock is only tried.
    async fn recycle(
        &self,
        conn: &mut SyncWrapper<Connection>,
        _: &Metrics,
    ) -> RecycleResult<rusqlite::Error> {
        if conn.is_mutex_poisoned() {
            return Err(RecycleError::message(
                "a panic happened while it was in use",
            ));
        }
        // A transaction left open was rolled back when the work ended (or the
        // connection closed, see `Sqlite::run`); only work still running remains.
        match conn.try_lock() {
            Ok(_) => Ok(()),
            Err(_) => Err(RecycleError::message(
                "it is still running SQL for a cancelled task",
            )),
        }
    }
}
