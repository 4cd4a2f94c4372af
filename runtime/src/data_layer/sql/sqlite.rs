//! The SQLite data layer: rusqlite (bundled SQLite) behind a deadpool pool
//! ([`SqlitePool`]: the layer's own, or a deadpool-sqlite one you built).
//!
//! Every read is the one statement `build::read` makes; a plain create is one
//! `build::rows_insert` reading its rows in place from the `ashore_rows`
//! virtual table (`rows_table`), an upsert the inserts `build::upsert` makes,
//! each run in one transaction, with foreign keys checked at its
//! `COMMIT` (`PRAGMA defer_foreign_keys`) so a violation can be traced to its
//! attribute (`PRAGMA foreign_key_check`) before the transaction is rolled back
//! (a create, update or destroy sets the pragma only once a statement breaks a
//! key, and runs that statement again: setting it expires every statement the
//! connection has prepared);
//! `migrate` runs `build::migrate`'s DDL in one transaction. Database work runs
//! on a pooled connection, with statements prepared through each connection's
//! statement cache: on a multi-threaded Tokio runtime on the calling thread,
//! inside `block_in_place` (a worker hands its other tasks to another thread
//! meanwhile), so a small read does not wait for two thread wake-ups; on a
//! current-thread runtime, which cannot block in place, on the pool's blocking
//! threads (`interact`).
//!
//! Each pooled connection is set up once, before its first use: a busy timeout,
//! `PRAGMA foreign_keys = ON`, `PRAGMA journal_mode = WAL` (a no-op in memory),
//! `PRAGMA mmap_size` ([`Sqlite::set_mmap_size`]), the `rarray` table-valued
//! function, through which a key set is bound as one parameter, and
//! `ashore_rows`, through which a create's rows are. This holds for pools
//! handed to [`Sqlite::from_pool`] too.
//!
//! A connection is never used inside a transaction it was given back in (user
//! code in [`Sqlite::with_connection`] that did not commit, or a call cancelled
//! while its SQL ran): when the work ends, on its blocking thread, an open
//! transaction is rolled back, and a connection that cannot be is closed. The
//! layer's own pool also never hands out a connection whose work still runs
//! (see [`SqlitePool`]).

use std::fmt;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use deadpool::managed::{PoolError, TimeoutType};
use deadpool_sync::InteractError;
use foldhash::HashMap;
use rusqlite::Connection;
use tokio::runtime::Handle;

use super::Param;
use crate::data_layer::statements::{StatementCounter, count_statement};
use crate::error::{Error, ErrorKind, Result, Waiting};
use crate::resource::{Resource, Schema};
use crate::value::Value;

mod aggregate;
mod codec;
mod pool;
mod setup;

pub use pool::SqlitePool;
pub use setup::DEFAULT_MMAP_SIZE;
use setup::setup;

mod errors;
pub(crate) mod functions;
mod insert;
mod layer;
mod migrate;
mod rows_table;
#[cfg(test)]
mod tests;
mod transaction;
mod writes;

/// The SQLite data layer.
///
/// Clones share the pool, the statement counter and (in memory) the database.
/// Needs a Tokio runtime: database work runs in place on a multi-threaded one
/// (`block_in_place`), on Tokio's blocking threads on a current-thread one. The
/// last clone may be dropped anywhere, even after that runtime is gone: the
/// pooled connections are then closed on the dropping thread.
///
/// ```
/// use ashore_runtime::DataLayer;
/// use ashore_runtime::data_layer::sql::Sqlite;
///
/// let sqlite = Sqlite::memory()?;
/// assert_eq!(sqlite.name(), "sqlite");
/// # Ok::<(), ashore_runtime::Error>(())
/// ```
#[derive(Clone)]
pub struct Sqlite {
    inner: Arc<Inner>,
    /// In a transaction's layer: its connection, on which everything runs.
    held: Option<Arc<transaction::Held>>,
}

struct Inner {
    pool: SqlitePool,
    /// Statements run (reads, inserts, DDL, raw queries).
    statements: AtomicU64,
    /// Pooled connections already set up, with the `mmap_size` each was given.
    ready: Mutex<HashMap<deadpool::managed::ObjectId, u64>>,
    /// The `mmap_size` a connection is set up with.
    mmap_size: AtomicU64,
    /// Where the database is, for `Debug`.
    location: String,
    /// In memory: a connection held open for as long as the layer lives, so the
    /// database outlives every pooled connection being closed.
    _anchor: Option<Mutex<Connection>>,
    /// The runtime the layer was made or first used in, to close the pooled
    /// connections in when the layer is dropped outside any runtime.
    runtime: OnceLock<Handle>,
    /// The registered resources by table, to name the resource of a foreign
    /// key a transaction's `COMMIT` finds violated.
    tables: Mutex<foldhash::HashMap<&'static str, &'static Schema>>,
}

impl Drop for Inner {
    /// Closes the idle pooled connections in a Tokio runtime's context: deadpool
    /// closes each with `spawn_blocking`, which panics outside one. In order: the
    /// current runtime (the pool's own drop does it); else the runtime the layer
    /// was made or used in, whose blocking threads close them, or, when that
    /// runtime is gone, which drops them (closing them) on this thread; else a
    /// runtime made for it. If none can be made, the connections are leaked.
    fn drop(&mut self) {
        if Handle::try_current().is_ok() || self.pool.status().size == 0 {
            return;
        }
        let close = SqlitePool::close_idle;
        if let Some(handle) = self.runtime.get() {
            let _entered = handle.enter();
            close(&self.pool);
            return;
        }
        match tokio::runtime::Builder::new_current_thread().build() {
            Ok(runtime) => {
                {
                    let _entered = runtime.enter();
                    close(&self.pool);
                }
                // Waits for the connections to close.
                drop(runtime);
            }
            Err(e) => {
                tracing::warn!(error = %e, "sqlite: leaking the pooled connections of a dropped layer");
                std::mem::forget(self.pool.clone());
            }
        }
    }
}

impl fmt::Debug for Sqlite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sqlite")
            .field("location", &self.inner.location)
            .field("statements", &self.statements())
            .finish_non_exhaustive()
    }
}

/// What a `sqlite:` URL names.
#[derive(Debug, PartialEq)]
enum Target {
    Memory,
    File(PathBuf),
}

fn parse_url(url: &str) -> Result<Target> {
    let bad = |why: &str| {
        Error::data_layer(format!(
            "sqlite: {why} in URL `{url}`; expected `sqlite:PATH`, `sqlite://PATH` or `sqlite::memory:`"
        ))
    };
    let rest = url
        .strip_prefix("sqlite:")
        .ok_or_else(|| bad("no `sqlite:` scheme"))?;
    if rest == ":memory:" || rest == "//:memory:" {
        return Ok(Target::Memory);
    }
    let path = rest.strip_prefix("//").unwrap_or(rest);
    if path.is_empty() {
        return Err(bad("no path"));
    }
    Ok(Target::File(PathBuf::from(path)))
}

impl Sqlite {
    /// The database in the file at `path`, created if missing (its directory must
    /// exist), in WAL mode. The file is opened here, so a path that cannot be
    /// opened fails now. `path` may also be a SQLite URI (`file:data.db?mode=ro`).
    pub fn open(path: impl AsRef<Path>) -> Result<Sqlite> {
        let path = path.as_ref();
        let location = path.display().to_string();
        let first = Connection::open(path)
            .and_then(|conn| setup(&conn, DEFAULT_MMAP_SIZE).map(|()| conn))
            .map_err(|e| errors::database(format_args!("opening {location}"), e))?;
        // Opened to create the file, switch it to WAL and fail early; the pool
        // opens its own connections.
        drop(first);
        Sqlite::build(path.to_owned(), location, None)
    }

    /// A new, empty database in memory, private to this layer and its clones and
    /// shared by all pooled connections. It lives as long as the layer does.
    ///
    /// It is SQLite's `memdb` VFS under a unique name (`file:/ashore-<uuid>?vfs=memdb`)
    /// rather than a shared-cache `:memory:` database: memdb connections lock like
    /// file connections, so one waiting on another's write honours the busy
    /// timeout, where shared-cache fails at once with "database table is locked".
    pub fn memory() -> Result<Sqlite> {
        let uri = format!("file:/ashore-{}?vfs=memdb", uuid::Uuid::new_v4());
        let anchor = Connection::open(&uri)
            .and_then(|conn| setup(&conn, DEFAULT_MMAP_SIZE).map(|()| conn))
            .map_err(|e| errors::database("opening an in-memory database", e))?;
        Sqlite::build(PathBuf::from(&uri), uri, Some(Mutex::new(anchor)))
    }

    /// The database a URL names: `sqlite::memory:` (see [`Sqlite::memory`]),
    /// `sqlite:PATH` or `sqlite://PATH` (see [`Sqlite::open`]; `sqlite:///abs/x.db`
    /// is the absolute path `/abs/x.db`).
    pub fn from_url(url: &str) -> Result<Sqlite> {
        match parse_url(url)? {
            Target::Memory => Sqlite::memory(),
            Target::File(path) => Sqlite::open(path),
        }
    }

    /// A layer over a pool you built, e.g. to choose its size or timeouts. Each of
    /// its connections gets the set-up described in the module docs before its
    /// first use by this layer.
    ///
    /// A connection taken from it again is checked as deadpool-sqlite does (a
    /// `SELECT` on a blocking thread); the layer's own pool checks without
    /// leaving the calling thread (see [`SqlitePool`]).
    pub fn from_pool(pool: deadpool_sqlite::Pool) -> Sqlite {
        Sqlite::with_pool(SqlitePool::yours(pool), "a pool".to_owned(), None)
    }

    fn build(path: PathBuf, location: String, anchor: Option<Mutex<Connection>>) -> Result<Sqlite> {
        let pool = SqlitePool::new(path).map_err(|e| {
            Error::data_layer_caused(format!("sqlite: building the pool for {location}: {e}"), e)
        })?;
        Ok(Sqlite::with_pool(pool, location, anchor))
    }

    fn with_pool(pool: SqlitePool, location: String, anchor: Option<Mutex<Connection>>) -> Sqlite {
        Sqlite {
            inner: Arc::new(Inner {
                pool,
                statements: AtomicU64::new(0),
                ready: Mutex::new(HashMap::default()),
                mmap_size: AtomicU64::new(DEFAULT_MMAP_SIZE),
                location,
                _anchor: anchor,
                runtime: Handle::try_current().map_or_else(|_| OnceLock::new(), OnceLock::from),
                tables: Mutex::default(),
            }),
            held: None,
        }
    }

    /// The number of statements this layer (and its clones) has run: each read,
    /// each insert statement, each DDL statement and each [`Sqlite::query`]. The
    /// connection set-up, `BEGIN`/`COMMIT` and [`Sqlite::with_connection`] are not
    /// counted. For tests that check a load is one statement per relationship.
    pub fn statements(&self) -> u64 {
        self.inner.statements.load(Ordering::Relaxed)
    }

    /// The pool the layer runs on.
    pub fn pool(&self) -> &SqlitePool {
        &self.inner.pool
    }

    /// How many bytes of the database file each connection reads through
    /// memory-mapped I/O (SQLite's `PRAGMA mmap_size`), from each connection's
    /// next use on, for this layer and its clones. The default is
    /// [`DEFAULT_MMAP_SIZE`] (128 MiB): a page SQLite's own page cache does not
    /// hold is then read from the operating system's page cache in place, not
    /// copied by a `read` call, which makes reads of many rows up to twice as
    /// fast. Writes still go through `write` calls, and pages still in the WAL
    /// are read from it as before.
    ///
    /// `0` turns it off (SQLite's own default). Choose `0` when the file is on a
    /// network file system, or when a failing disk must surface as an `Err`:
    /// with memory mapping, an I/O error while reading a mapped page is a
    /// `SIGBUS` signal that ends the process (SQLite's documentation, "Memory-Mapped
    /// I/O"). SQLite caps the value at its compile-time maximum (2 GiB in the
    /// bundled build); an in-memory database ignores it.
    pub fn set_mmap_size(&self, bytes: u64) {
        self.inner.mmap_size.store(bytes, Ordering::Relaxed);
    }

    /// The `mmap_size` connections are set up with ([`Sqlite::set_mmap_size`]).
    pub fn mmap_size(&self) -> u64 {
        self.inner.mmap_size.load(Ordering::Relaxed)
    }

    /// Runs your SQL and maps each row to an `R`: the column named after each of
    /// `R`'s attributes (compared exactly, then ignoring ASCII case; the first such
    /// column) is decoded by the attribute's type, as the layer stores it. Other
    /// columns are ignored; a missing one is an error naming it. `?1`, `?2`, ..
    /// are bound to `params` in order (nil binds `NULL`). For a manual
    /// relationship's loader (Ash's raw Ecto query), reached through
    /// `Domain::data_layer_as::<Sqlite>()`.
    ///
    /// Inside a transaction (the layer of `Domain::transaction`'s block), SQL
    /// that would end or nest it (`COMMIT`, `END`, `ROLLBACK`, `BEGIN`,
    /// `SAVEPOINT`, `RELEASE`, ..) is refused before it runs, as on PostgreSQL:
    /// the block ends the transaction by returning.
    ///
    /// Every parameter here is one value; to bind a list (`x IN rarray(?1)`), use
    /// [`Sqlite::query_params`]. SQL that gives `rarray` a value is refused with an
    /// error before it runs (`rarray` would otherwise fail an assertion in a
    /// callback from C, aborting the process in debug builds).
    ///
    /// ```no_run
    /// # use ashore_runtime::{Domain, Resource, Result, Value};
    /// # use ashore_runtime::data_layer::sql::Sqlite;
    /// # async fn doc<Ticket: Resource>(domain: &Domain) -> Result<()> {
    /// let sqlite = domain.data_layer_as::<Sqlite>().expect("a SQLite domain");
    /// let tickets: Vec<Ticket> = sqlite
    ///     .query(
    ///         "SELECT t.* FROM ticket t JOIN representative r ON r.id = t.representative_id \
    ///          WHERE t.priority > r.priority_threshold AND r.id = ?1",
    ///         vec![Value::Int(7)],
    ///     )
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn query<R: Resource>(&self, sql: &str, params: Vec<Value>) -> Result<Vec<R>> {
        self.query_params(sql, params.into_iter().map(Param::Value).collect())
            .await
    }

    /// [`Sqlite::query`] with parameters that may be lists: a [`Param::Value`] is
    /// bound as one value, a [`Param::List`] as one `rarray` table, so a key set of
    /// any size is one parameter (`x IN rarray(?1)`, or `SELECT value FROM
    /// rarray(?1)`). `Postgres::query_params` (feature `postgres`) takes the
    /// same parameters, binding a list as an array (`x = ANY($1)`).
    ///
    /// Before the SQL runs, its `rarray` calls are checked: each must be given one
    /// parameter bound to a list (or nil, an empty list), and a list may be bound
    /// nowhere else (SQLite would read it as `NULL`) and must hold values of its
    /// type. What fails is an error, not a crash. (Calls the check cannot see,
    /// like `"rarray"(?1)`, are not checked.)
    pub async fn query_params<R: Resource>(&self, sql: &str, params: Vec<Param>) -> Result<Vec<R>> {
        let schema = R::schema();
        if self.held.is_some() {
            super::control::refuse_in_transaction("sqlite", schema.name, sql)?;
        }
        let sql = sql.to_owned();
        let rows = self
            .run(move |conn, inner| layer::query_rows(conn, inner, schema, &sql, &params))
            .await?;
        rows.into_iter().map(R::from_row).collect()
    }

    /// Runs `f` on a pooled connection (set up as every other), on a blocking
    /// thread, so its caller can stop waiting (the layer's own statements run
    /// in place on a multi-threaded runtime): the escape hatch for whatever [`Sqlite::query`] cannot do. Its
    /// statements are not counted by [`Sqlite::statements`]. A panic in `f` is
    /// resumed in the caller.
    ///
    /// A transaction `f` leaves open (a `BEGIN` without `COMMIT`, when `f`
    /// returns, fails, panics, or runs on after its caller stopped waiting) is
    /// rolled back when `f` ends, before the connection goes back to the pool;
    /// if that fails, the connection is closed instead.
    pub async fn with_connection<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T> {
        let f = move |conn: &mut Connection, _: &Inner| {
            f(conn).map_err(|e| errors::database("with_connection", e))
        };
        self.run_on(Place::BlockingThread, f).await
    }

    /// Runs `f` on a pooled connection, in place on a multi-threaded runtime
    /// ([`in_place`]) or on a blocking thread, setting the connection up first
    /// if it is new.
    async fn run<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection, &Inner) -> Result<T> + Send + 'static,
    {
        self.run_on(Place::InPlaceIfMultiThreaded, f).await
    }

    /// [`Sqlite::run`], in `place`.
    async fn run_on<T, F>(&self, place: Place, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection, &Inner) -> Result<T> + Send + 'static,
    {
        if let Some(held) = &self.held {
            return self.run_held(held, f).await;
        }
        let object = self.checkout().await?;
        if self.inner.runtime.get().is_none()
            && let Ok(handle) = Handle::try_current()
        {
            let _ = self.inner.runtime.set(handle);
        }
        let id = object.id();
        let fresh = self.needs_setup(id);
        let inner = Arc::clone(&self.inner);
        let work = move |conn: &mut Connection| {
            if let Some(mmap_size) = fresh {
                setup(conn, mmap_size)
                    .map_err(|e| errors::database("setting up a connection", e))?;
            }
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| f(conn, &inner)));
            let clean = end_transaction(conn);
            match result {
                Ok(result) => Ok((result, clean)),
                Err(payload) => std::panic::resume_unwind(payload),
            }
        };
        let outcome = if place == Place::InPlaceIfMultiThreaded && in_place() {
            let outcome = match object.connection().lock() {
                Ok(mut conn) => Some(tokio::task::block_in_place(|| work(&mut conn))),
                Err(_) => None,
            };
            let Some(outcome) = outcome else {
                // A panic left it mid-work: closed rather than reused.
                object.discard();
                return Err(Error::data_layer(
                    "sqlite: a connection was left broken by a panic; it is closed",
                ));
            };
            Ok(outcome)
        } else {
            let traced = Traced::here();
            object
                .connection()
                .interact(move |conn| traced.run(|| work(conn)))
                .await
        };
        match outcome {
            Ok(Ok((result, clean))) => {
                if !clean {
                    // Still inside a transaction: closed rather than reused.
                    object.discard();
                } else if let Some(mmap_size) = fresh {
                    self.ready().insert(id, mmap_size);
                }
                result
            }
            Ok(Err(setup_failed)) => Err(setup_failed),
            Err(InteractError::Panic(payload)) => std::panic::resume_unwind(payload),
            Err(InteractError::Cancelled) => Err(Error::data_layer(
                "sqlite: the connection was closed while in use",
            )),
        }
    }

    /// A connection of the pool.
    async fn checkout(&self) -> Result<pool::Pooled> {
        self.inner.pool.get().await.map_err(|e| self.get_error(e))
    }

    /// An error of taking a connection: waiting past the pool's wait timeout
    /// is [`ErrorKind::Timeout`].
    fn get_error(&self, e: PoolError<rusqlite::Error>) -> Error {
        if let PoolError::Timeout(TimeoutType::Wait) = e {
            return Error::new(ErrorKind::Timeout {
                waiting_for: Waiting::Pool,
                after: self.inner.pool.wait_timeout().unwrap_or_default(),
                setting: "the wait timeout of the pool given to Sqlite::from_pool",
            });
        }
        Error::data_layer_caused(
            format!(
                "sqlite: getting a connection to {}: {e}",
                self.inner.location
            ),
            e,
        )
    }

    /// `Some(mmap_size)` when the pooled connection `id` must be set up before
    /// its use: never set up, or set up with another `mmap_size`.
    fn needs_setup(&self, id: deadpool::managed::ObjectId) -> Option<u64> {
        let mmap_size = self.mmap_size();
        (self.ready().get(&id) != Some(&mmap_size)).then_some(mmap_size)
    }

    fn ready(&self) -> std::sync::MutexGuard<'_, HashMap<deadpool::managed::ObjectId, u64>> {
        self.inner
            .ready
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Where a call's work may run.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The layer's own statements: in place where [`in_place`] says so. The
    /// call then runs to its end once started (a timeout around it fires
    /// after), as a statement handed to a blocking thread does too, unseen.
    InPlaceIfMultiThreaded,
    /// `with_connection`'s closure, user code of any length: always on a
    /// blocking thread, so its caller can stop waiting.
    BlockingThread,
}

/// Whether the work of a call runs on the calling thread, inside
/// `block_in_place`: on a multi-threaded Tokio runtime (from a worker, whose
/// other tasks move to another thread meanwhile, or from `block_on`). Not
/// waiting for a blocking thread to wake and another to wake the caller is
/// most of the difference to hand-written rusqlite on small reads. On a
/// current-thread runtime, which cannot block in place, the work goes to the
/// pool's blocking threads (`interact`).
fn in_place() -> bool {
    Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread)
}

/// The caller's `tracing` subscriber and span, carried to the blocking
/// thread a connection runs on: its `statement` spans are the caller's
/// children, also under a subscriber set for the calling thread only
/// (`tracing::subscriber::set_default`, as tests do).
/// With them, the span's statement counter (`data_layer::statements`).
struct Traced {
    dispatch: tracing::Dispatch,
    span: tracing::Span,
    statements: Option<StatementCounter>,
}

impl Traced {
    fn here() -> Traced {
        Traced {
            dispatch: tracing::dispatcher::get_default(Clone::clone),
            span: tracing::Span::current(),
            statements: StatementCounter::current(),
        }
    }

    fn run<T>(self, f: impl FnOnce() -> T) -> T {
        let (span, statements) = (self.span, self.statements);
        tracing::dispatcher::with_default(&self.dispatch, || {
            span.in_scope(|| StatementCounter::in_scope(statements, f))
        })
    }
}

impl Inner {
    /// The registered resource stored in `table`.
    fn schema_of(&self, table: &str) -> Option<&'static Schema> {
        let tables = self.tables.lock().unwrap_or_else(PoisonError::into_inner);
        tables.get(table).copied()
    }

    /// Counts a statement about to run and opens its `statement` span (its
    /// SQL text, never its values), which lasts while the guard lives.
    #[must_use = "the statement's span ends when the guard is dropped"]
    fn ran(&self, sql: &str) -> tracing::span::EnteredSpan {
        self.statements.fetch_add(1, Ordering::Relaxed);
        count_statement();
        tracing::debug_span!(target: "ashore_runtime", "statement", layer = "sqlite", sql = %sql)
            .entered()
    }
}

/// Rolls back a transaction `conn` was left in (by `with_connection`'s closure,
/// whether it returned, panicked or its caller stopped waiting), so no
/// connection goes back to the pool inside one, holding its locks. False when
/// that failed and the connection is still inside it.
fn end_transaction(conn: &Connection) -> bool {
    if conn.is_autocommit() {
        return true;
    }
    tracing::debug!("sqlite: rolling back a transaction left open");
    match conn.execute_batch("ROLLBACK") {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "sqlite: closing a connection that could not be rolled back");
            conn.is_autocommit()
        }
    }
}
