//! The PostgreSQL data layer: tokio-postgres through a deadpool-postgres pool.
//!
//! Every read is the one statement `build::read` makes, every create the inserts
//! `build::insert` makes (in one transaction; writes are in `write`, transactions
//! in `transaction`, with what the layer knows of one the server aborted in
//! `aborted`), every migration the DDL
//! `build::migrate` makes (in one transaction). Statements are prepared once per
//! connection and cached; values are always parameters, bound through a
//! `ToSql` wrapper over [`Value`] (see `bind`), and rows come back in the binary
//! format and are decoded by column type (see `decode`). Constraint violations
//! become [`ErrorKind::Constraint`](crate::ErrorKind::Constraint) (see `errors`).
//!
//! Connections are made without TLS (`NoTls`). How long the layer waits to
//! connect, for a free connection and for a statement is set by
//! [`PostgresSettings`] (see `settings`); the pool's timeouts, the rollback of
//! connections that come back dirty and the fate of a timed-out statement are
//! in `pool`.

mod aborted;
mod aggregate;
mod bind;
mod connect;
mod decode;

mod errors;
mod migrate;
mod pool;
mod savepoint;
mod settings;
#[cfg(test)]
mod tests;
mod transaction;
mod write;

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use deadpool_postgres::{GenericClient, Object, Pool};
use tracing::Instrument;

use self::bind::Arg;
use self::errors::data_layer;
use self::pool::{Lease, Marks, abandon, get_error};
pub use self::settings::PostgresSettings;
use super::{Dialect, Param, Statement, build};
use crate::data_layer::statements::count_statement;
use crate::data_layer::{
    BoxFuture, Changes, DataLayer, Partition, ReadRequest, ReadResult, Records, Upsert,
};
use crate::error::Result;
use crate::resource::{Resource, Rows, Schema};
use crate::value::Value;

/// The PostgreSQL data layer.
///
/// Clones share the pool and the statement counter. Tables are made by
/// [`DataLayer::migrate`] (through `Domain::migrate`); each has, besides the
/// resource's attributes, a hidden `_ashore_seq` column that keeps insertion
/// order for ties.
///
/// Nothing waits forever: connecting (and logging in), waiting for a free
/// connection and, when set, each statement have limits ([`PostgresSettings`]),
/// past which the call returns an [`ErrorKind::Timeout`](crate::ErrorKind::Timeout).
/// A connection lent by [`client`](Self::client) and given back inside a
/// transaction is rolled back before anyone else uses it.
///
/// ```no_run
/// # async fn demo() -> ashore_runtime::Result<()> {
/// use ashore_runtime::data_layer::sql::Postgres;
/// let postgres = Postgres::connect("postgres://postgres@127.0.0.1:5432/app").await?;
/// # let _ = postgres;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Postgres {
    pool: Pool,
    statements: Arc<AtomicU64>,
    /// The connections the layer gave back clean; `None` for a pool made
    /// elsewhere, which has no hook to read them.
    marks: Option<Arc<Marks>>,
    statement_timeout: Option<Duration>,
    connect_timeout: Duration,
    /// In a transaction's layer: its connection, on which everything runs.
    held: Option<transaction::Held>,
    /// The registered resources by table.
    tables: Arc<std::sync::Mutex<foldhash::HashMap<&'static str, &'static Schema>>>,
}

impl fmt::Debug for Postgres {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.pool.status();
        f.debug_struct("Postgres")
            .field("connections", &status.size)
            .field("available", &status.available)
            .field("max_connections", &status.max_size)
            .field("statement_timeout", &self.statement_timeout)
            .field("statements", &self.statements())
            .finish()
    }
}

impl Postgres {
    /// How many statements this layer (and its clones) has run for reads,
    /// creates, migrations and [`query`](Self::query), counting each insert and
    /// DDL statement separately. Not counted: the check made on connecting,
    /// `BEGIN`/`COMMIT`, and whatever is run through [`client`](Self::client).
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// The pool the layer runs on. A connection taken from it directly is
    /// treated as [`client`](Self::client)'s are.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// A connection from the pool, returned to it when dropped: the escape hatch
    /// for anything the layer does not do. Its `prepare_cached` shares the
    /// layer's statement cache. Waits at most
    /// [`PostgresSettings::pool_wait_timeout`] for a free connection; the
    /// statement timeout does not apply to it.
    ///
    /// A connection given back inside a transaction (even an aborted one) is
    /// rolled back when the pool next hands it out, before anyone uses it, or
    /// closed if that fails; until then it keeps the locks it holds, so commit
    /// or roll back what you begin. Other session state (`SET`, temporary
    /// tables) stays with the connection.
    pub async fn client(&self) -> Result<Object> {
        self.pool.get().await.map_err(|e| get_error(&self.pool, e))
    }

    /// A connection for the layer's own work, marked clean when it comes back.
    /// In a transaction's layer, the transaction's connection, unless the
    /// transaction is aborted (see `aborted`), once a write cancelled on it is
    /// undone (if that fails, the connection is closed, which ends the
    /// transaction).
    async fn lease(&self) -> Result<Lease> {
        if let Some(held) = &self.held {
            let slot = Arc::clone(&held.slot).lock_owned().await;
            held.aborted.take()?;
            let lease = Lease::held(slot).ok_or_else(transaction::ended)?;
            if let Err(e) = savepoint::settle(&lease, &held.savepoint).await {
                lease.close();
                return Err(held
                    .aborted
                    .fail(data_layer("undoing a cancelled write", e)));
            }
            return Ok(lease);
        }
        Ok(Lease::new(self.client().await?, self.marks.clone()))
    }

    /// `work` (on a [`Lease`]), within the statement timeout; `None` when it
    /// ran past it. The lease then goes to [`settle`](Self::settle).
    async fn limited<T>(&self, work: impl Future<Output = Result<T>>) -> Option<Result<T>> {
        match self.statement_timeout {
            Some(limit) => tokio::time::timeout(limit, work).await.ok(),
            None => Some(work.await),
        }
    }

    /// What [`limited`](Self::limited) gave: its result, or, when the statement
    /// ran past the timeout, the statement cancelled, `lease` closed and a
    /// timeout error (which, in a transaction's layer, aborted the
    /// transaction).
    fn settle<T>(&self, mut lease: Lease, outcome: Option<Result<T>>) -> Result<T> {
        if let Some(Err(_)) = &outcome {
            lease.distrust();
        }
        outcome.unwrap_or_else(|| {
            let limit = self.statement_timeout.unwrap_or_default();
            let err = abandon(lease, limit, self.connect_timeout);
            Err(match &self.held {
                Some(held) => held.aborted.fail(err),
                None => err,
            })
        })
    }

    /// `work`, statements run outside a savepoint (a read, a count, an
    /// aggregate, raw SQL, a migration); in a transaction's layer, what its
    /// outcome says of the transaction is noted before its connection is given
    /// back (see `aborted`).
    async fn outside_savepoint<T>(&self, work: impl Future<Output = Result<T>>) -> Result<T> {
        let result = work.await;
        match &self.held {
            Some(held) => held.aborted.observe(result),
            None => result,
        }
    }

    /// Runs raw SQL (a manual relationship's query) and reads its rows as `R`s.
    ///
    /// `$1`, `$2`, .. are bound to `params` in order; each value is written as
    /// the type PostgreSQL expects for its placeholder where that makes sense (an
    /// integer into `smallint`, `integer` or `bigint`, range-checked; a float
    /// into `real` or `double precision`; a string into `text` or `varchar`; a
    /// timestamp into `timestamptz` or `timestamp`). Each attribute of `R` is
    /// read from the column of the same name (other columns are ignored; a
    /// missing one is an error naming it), so `SELECT t.*, ..` works as it is.
    ///
    /// Inside a transaction (the layer of `Domain::transaction`'s block), SQL
    /// that would end or nest it (`COMMIT`, `END`, `ROLLBACK`, `ABORT`, `BEGIN`,
    /// `START`, `SAVEPOINT`, `RELEASE`, `PREPARE TRANSACTION`) is refused before
    /// it runs, as on SQLite: the block ends the transaction by returning.
    ///
    /// ```no_run
    /// # use ashore_runtime::{Resource, Result, Value, data_layer::sql::Postgres};
    /// # async fn demo<Ticket: Resource>(postgres: &Postgres) -> Result<Vec<Ticket>> {
    /// postgres
    ///     .query::<Ticket>(
    ///         "SELECT * FROM ticket WHERE priority > $1 ORDER BY id",
    ///         vec![Value::Int(3)],
    ///     )
    ///     .await
    /// # }
    /// ```
    pub async fn query<R: Resource>(&self, sql: &str, params: Vec<Value>) -> Result<Vec<R>> {
        self.query_params(sql, params.into_iter().map(Param::Value).collect())
            .await
    }

    /// [`query`](Self::query) with parameters that may be lists: a
    /// [`Param::Value`] is bound as one value (as `query` binds it), a
    /// [`Param::List`] as one array, so a key set of any size is one parameter
    /// (`x = ANY($1)`). The array's element type is the one PostgreSQL infers for
    /// the placeholder (cast it, `$1::bigint[]`, where it cannot), and the list's
    /// values must be of the list's type. A list where PostgreSQL expects no array
    /// is an error. [`Sqlite::query_params`](super::Sqlite::query_params) takes
    /// the same parameters.
    pub async fn query_params<R: Resource>(&self, sql: &str, params: Vec<Param>) -> Result<Vec<R>> {
        if self.held.is_some() {
            super::control::refuse_in_transaction("postgres", R::schema().name, sql)?;
        }
        let lease = self.lease().await?;
        let query = self.query_on(&lease, sql, &params);
        let outcome = self
            .limited(self.outside_savepoint(query.instrument(statement(sql))))
            .await;
        self.settle(lease, outcome)
    }

    /// [`query_params`](Self::query_params) on `client`.
    async fn query_on<R: Resource>(
        &self,
        client: &Object,
        sql: &str,
        params: &[Param],
    ) -> Result<Vec<R>> {
        let schema = R::schema();
        let what = || format!("running a query for {}", schema.name);
        let prepared = self
            .prepare(client, sql)
            .await
            .map_err(|e| data_layer(what(), e))?;
        let args: Vec<Arg<'_>> = params.iter().map(Arg::from_param).collect();
        let pg_rows = client
            .query(&prepared, &bind::refs(&args))
            .await
            .map_err(|e| data_layer(what(), e))?;
        decode::rows_by_name(schema, prepared.columns(), &pg_rows)?
            .into_iter()
            .map(R::from_row)
            .collect()
    }

    /// Runs one builder statement (prepared and cached) and returns its rows.
    async fn run<C: GenericClient + Sync>(
        &self,
        client: &C,
        stmt: &Statement,
    ) -> std::result::Result<Vec<tokio_postgres::Row>, tokio_postgres::Error> {
        let run = async {
            let prepared = self.prepare(client, &stmt.sql).await?;
            let args: Vec<Arg<'_>> = stmt.params.iter().map(Arg::from_param).collect();
            client.query(&prepared, &bind::refs(&args)).await
        };
        let result = run.instrument(statement(&stmt.sql)).await;
        // A column's type changed under a prepared write (see `rows`): the
        // write fails (it may be inside a transaction), and every connection
        // prepares its statements again from the next call on.
        if let Err(e) = &result
            && errors::plan_changed(e)
        {
            self.pool.manager().statement_caches.clear();
        }
        result
    }

    /// Prepares `sql` on `client` (cached per connection) and counts it as
    /// run: every statement but DDL goes through here, inside its
    /// [`statement`] span.
    async fn prepare<C: GenericClient + Sync>(
        &self,
        client: &C,
        sql: &str,
    ) -> std::result::Result<tokio_postgres::Statement, tokio_postgres::Error> {
        let prepared = client.prepare_cached(sql).await?;
        self.statements.fetch_add(1, Ordering::Relaxed);
        count_statement();
        Ok(prepared)
    }

    /// Runs one builder read statement (prepared and cached) for `schema`, and
    /// decodes its rows into records as they arrive, within the statement
    /// timeout.
    async fn read_records(
        &self,
        schema: &'static Schema,
        stmt: &Statement,
        partition: Option<&Partition>,
    ) -> Result<Records> {
        let lease = self.lease().await?;
        let read = self.read_on(&lease, schema, stmt, partition);
        let outcome = self.limited(self.outside_savepoint(read)).await;
        self.settle(lease, outcome)
    }

    /// [`read_records`](Self::read_records) on `client`.
    async fn read_on(
        &self,
        client: &Object,
        schema: &'static Schema,
        stmt: &Statement,
        partition: Option<&Partition>,
    ) -> Result<Records> {
        let read = async {
            let (rows, width) = self.rows(client, stmt, "reading", schema).await?;
            decode::records(schema, &stmt.columns, width, rows, partition).await
        };
        read.instrument(statement(&stmt.sql)).await
    }

    /// The one row of a count statement (`Columns::Count`) on `client`.
    async fn count_on(
        &self,
        client: &Object,
        schema: &'static Schema,
        stmt: &Statement,
    ) -> Result<usize> {
        let count = async {
            let (rows, _) = self.rows(client, stmt, "counting", schema).await?;
            futures_util::pin_mut!(rows);
            let failed = |e| data_layer(format!("counting {}", schema.name), e);
            let mut count: i64 = 0;
            // To the end of the stream: an `Ok` has seen the statement's
            // whole answer (see `aborted`).
            while let Some(row) = futures_util::TryStreamExt::try_next(&mut rows)
                .await
                .map_err(failed)?
            {
                count = row.try_get(0).map_err(failed)?;
            }
            Ok(usize::try_from(count).unwrap_or(0))
        };
        count.instrument(statement(&stmt.sql)).await
    }

    /// The rows of `stmt` on `client` and how many columns each has; an error
    /// says what was being done (`doing`, e.g. "reading") to `schema`.
    async fn rows(
        &self,
        client: &Object,
        stmt: &Statement,
        doing: &str,
        schema: &'static Schema,
    ) -> Result<(tokio_postgres::RowStream, usize)> {
        let failed = |e| data_layer(format!("{doing} {}", schema.name), e);
        let mut prepared = self.prepare(client, &stmt.sql).await.map_err(failed)?;
        let args: Vec<Arg<'_>> = stmt.params.iter().map(Arg::from_param).collect();
        let rows = match client.query_raw(&prepared, args.iter()).await {
            // A column's type changed under the statement this connection
            // prepared (altered outside `migrate`, which forgets every
            // statement): prepared again, once. Outside a transaction the
            // refused statement did nothing; inside one it aborted it.
            Err(e) if self.held.is_none() && errors::plan_changed(&e) => {
                client.statement_cache.remove(&stmt.sql, &[]);
                prepared = self.prepare(client, &stmt.sql).await.map_err(failed)?;
                client
                    .query_raw(&prepared, args.iter())
                    .await
                    .map_err(failed)?
            }
            rows => rows.map_err(failed)?,
        };
        Ok((rows, prepared.columns().len()))
    }

    /// The registered resource stored in `table`.
    fn schema_of(&self, table: &str) -> Option<&'static Schema> {
        let tables = self
            .tables
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        tables.get(table).copied()
    }
}

impl DataLayer for Postgres {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn register(&self, schema: &'static Schema) -> Result<()> {
        // Tables are made by `migrate`; the resource is kept by table, to name
        // the resource of a constraint a transaction's `COMMIT` finds broken.
        let mut tables = self
            .tables
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        tables.insert(schema.table, schema);
        Ok(())
    }

    fn begin<'a>(&'a self) -> BoxFuture<'a, Result<Box<dyn crate::data_layer::Transaction>>> {
        Box::pin(self.begin_now())
    }

    fn read<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<ReadResult>> {
        Box::pin(async move {
            let schema = request.schema;
            let stmt = build::read(Dialect::Postgres, &request)?;
            let partition = request.partition.as_ref();
            let records = self.read_records(schema, &stmt, partition).await?;
            Ok(ReadResult::new(records))
        })
    }

    fn aggregate<'a>(
        &'a self,
        request: ReadRequest,
        aggregates: Vec<crate::expr::Aggregate>,
    ) -> BoxFuture<'a, Result<Vec<Vec<Value>>>> {
        Box::pin(self.aggregate_now(request, aggregates))
    }

    fn aggregate_list<'a>(
        &'a self,
        request: ReadRequest,
        aggregate: crate::expr::Aggregate,
    ) -> BoxFuture<'a, Result<Vec<(Value, Value)>>> {
        Box::pin(self.aggregate_list_now(request, aggregate))
    }

    fn count<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<usize>> {
        Box::pin(async move {
            let schema = request.schema;
            let stmt = build::count(Dialect::Postgres, &request)?;
            let lease = self.lease().await?;
            let count = self.count_on(&lease, schema, &stmt);
            let outcome = self.limited(self.outside_savepoint(count)).await;
            self.settle(lease, outcome)
        })
    }

    fn create<'a>(&'a self, schema: &'static Schema, rows: Rows) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move {
            if rows.is_empty() {
                return Ok(Records::Rows(Vec::new()));
            }
            let statements = build::insert(Dialect::Postgres, schema, &rows)?;
            self.write(schema, &statements).await
        })
    }

    fn update<'a>(
        &'a self,
        request: ReadRequest,
        changes: Changes,
    ) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move {
            let stmt = build::update(Dialect::Postgres, &request, &changes)?;
            self.write_returning(request.schema, &stmt, false).await
        })
    }

    fn destroy<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move {
            let stmt = build::delete(Dialect::Postgres, &request)?;
            self.write_returning(request.schema, &stmt, true).await
        })
    }

    fn upsert<'a>(
        &'a self,
        schema: &'static Schema,
        rows: Rows,
        upsert: Upsert,
    ) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move {
            if rows.is_empty() {
                return Ok(Records::Rows(Vec::new()));
            }
            let statements = build::upsert(Dialect::Postgres, schema, &rows, &upsert)?;
            self.write_expecting(schema, &statements, Some(rows.len()))
                .await
        })
    }

    fn migrate<'a>(&'a self, schemas: Vec<&'static Schema>) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            if schemas.is_empty() {
                return Ok(());
            }
            let mut client = self.lease().await?;
            if self.held.is_some() {
                // Inside the caller's transaction, which commits it.
                let migrated = async {
                    let ddl = migrate::plan(&*client, &schemas).await?;
                    for sql in &ddl {
                        tracing::debug!(sql = %sql, "postgres");
                        self.statements.fetch_add(1, Ordering::Relaxed);
                        client
                            .batch_execute(sql)
                            .await
                            .map_err(|e| data_layer("migrating", e))?;
                    }
                    Ok(())
                };
                self.outside_savepoint(migrated).await?;
                self.pool.manager().statement_caches.clear();
                return Ok(());
            }
            let migrated = async {
                let tx = client
                    .transaction()
                    .await
                    .map_err(|e| data_layer("starting a transaction", e))?;
                // Read and changed in one transaction. (A concurrent `migrate`
                // may still add the same column first: an error, never a loss.)
                let ddl = migrate::plan(&tx, &schemas).await?;
                for sql in &ddl {
                    tracing::debug!(sql = %sql, "postgres");
                    self.statements.fetch_add(1, Ordering::Relaxed);
                    tx.batch_execute(sql)
                        .await
                        .map_err(|e| data_layer("migrating", e))?;
                }
                tx.commit().await.map_err(|e| data_layer("migrating", e))
            };
            let migrated = migrated.await;
            if migrated.is_err() {
                client.distrust();
            }
            // Tables may have changed under statements prepared before.
            self.pool.manager().statement_caches.clear();
            migrated
        })
    }

    fn migration_plan<'a>(
        &'a self,
        schemas: Vec<&'static Schema>,
    ) -> BoxFuture<'a, Result<Vec<String>>> {
        Box::pin(async move {
            let mut client = self.lease().await?;
            let plan = self
                .outside_savepoint(migrate::plan(&*client, &schemas))
                .await;
            if plan.is_err() {
                client.distrust();
            }
            plan
        })
    }
}

/// The `statement` span of `sql` on PostgreSQL: its text, never its values.
fn statement(sql: &str) -> tracing::Span {
    tracing::debug_span!(target: "ashore_runtime", "statement", layer = "postgres", sql = %sql)
}
