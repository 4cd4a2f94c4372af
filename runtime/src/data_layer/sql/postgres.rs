//! The PostgreSQL data layer: tokio-postgres through a deadpool-postgres pool.
//!
//! Every read is the one statement `build::read` makes, every create the inserts
//! `build::insert` makes (in one transaction), every migration the DDL
//! `build::migrate` makes (in one transaction). Statements are prepared once per
//! connection and cached; values are always parameters, bound through a
//! `ToSql` wrapper over [`Value`] (see `bind`), and rows come back in the binary
//! format and are decoded by column type (see `decode`). Constraint violations
//! become [`ErrorKind::Constraint`](crate::ErrorKind::Constraint) (see `errors`).
//!
//! Connections are made without TLS (`NoTls`).

mod bind;
mod decode;

mod errors;
#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, Runtime};
use tokio_postgres::NoTls;

use self::bind::Arg;
use self::errors::{data_layer, write_error};
use super::{Columns, Dialect, Param, Statement, build};
use crate::data_layer::store::collector;
use crate::data_layer::{BoxFuture, DataLayer, Partition, ReadRequest, ReadResult, Records};
use crate::error::{Error, Result};
use crate::resource::{Resource, Row, Schema};
use crate::value::Value;

/// How long making a connection may take when the URL does not say
/// (`connect_timeout`).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The PostgreSQL data layer.
///
/// Clones share the pool and the statement counter. Tables are made by
/// [`DataLayer::migrate`] (through `Domain::migrate`); each has, besides the
/// resource's attributes, a hidden `_ashore_seq` column that keeps insertion
/// order for ties.
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
}

impl fmt::Debug for Postgres {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.pool.status();
        f.debug_struct("Postgres")
            .field("connections", &status.size)
            .field("available", &status.available)
            .field("max_connections", &status.max_size)
            .field("statements", &self.statements())
            .finish()
    }
}

impl Postgres {
    /// Connects to the database at `url` (`postgres://user:password@host:port/db`
    /// or the `key=value` form), making a pool of connections, and checks the
    /// server answers (`SELECT 1`), so an unreachable server or a refused login is
    /// an error here rather than at the first read. A URL without
    /// `connect_timeout` gets 10 seconds.
    pub async fn connect(url: &str) -> Result<Postgres> {
        let config = parse(url)?;
        let postgres = Postgres::from_pool(pool(config)?);
        postgres.check().await?;
        Ok(postgres)
    }

    /// Like [`connect`](Self::connect), but everything lives in the schema
    /// `schema` (the PostgreSQL namespace): it is created when missing, and every
    /// connection of the pool has it as its whole `search_path`, so tables are
    /// made, read and written there. Separate schemas keep separate apps, or test
    /// runs, apart in one database.
    pub async fn connect_in_schema(url: &str, schema: &str) -> Result<Postgres> {
        if schema.is_empty() || schema.contains('\0') {
            return Err(Error::data_layer(format!(
                "{schema:?} cannot be the name of a schema"
            )));
        }
        let mut config = parse(url)?;
        let search_path = format!("-c search_path={}", escape_option(&quote_ident(schema)));
        let options = match config.get_options() {
            Some(o) if !o.trim().is_empty() => format!("{o} {search_path}"),
            _ => search_path,
        };
        config.options(options);
        let postgres = Postgres::from_pool(pool(config)?);
        postgres.check().await?;
        let sql = format!("CREATE SCHEMA IF NOT EXISTS {}", quote_ident(schema));
        tracing::debug!(sql = %sql, "postgres");
        postgres
            .client()
            .await?
            .batch_execute(&sql)
            .await
            .map_err(|e| data_layer(format!("creating schema {schema:?}"), e))?;
        Ok(postgres)
    }

    /// A layer over a pool made elsewhere (for TLS, or any setting `connect` does
    /// not take). Nothing is checked until the first statement.
    pub fn from_pool(pool: Pool) -> Postgres {
        Postgres {
            pool,
            statements: Arc::new(AtomicU64::new(0)),
        }
    }

    /// How many statements this layer (and its clones) has run for reads,
    /// creates, migrations and [`query`](Self::query), counting each insert and
    /// DDL statement separately. Not counted: the check made on connecting,
    /// `BEGIN`/`COMMIT`, and whatever is run through [`client`](Self::client).
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// The pool the layer runs on.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// A connection from the pool, returned to it when dropped: the escape hatch
    /// for anything the layer does not do. Its `prepare_cached` shares the
    /// layer's statement cache.
    pub async fn client(&self) -> Result<deadpool_postgres::Object> {
        self.pool
            .get()
            .await
            .map_err(|e| data_layer("getting a PostgreSQL connection", e))
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
        let schema = R::schema();
        let what = || format!("running a query for {}", schema.name);
        let client = self.client().await?;
        let prepared = self
            .prepare(&client, sql)
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

    /// `SELECT 1`, so a server that cannot be reached is an error right away.
    async fn check(&self) -> Result<()> {
        self.client()
            .await?
            .simple_query("SELECT 1")
            .await
            .map_err(|e| data_layer("checking the PostgreSQL connection", e))?;
        Ok(())
    }

    /// Runs one builder statement (prepared and cached) and returns its rows.
    async fn run<C: GenericClient + Sync>(
        &self,
        client: &C,
        stmt: &Statement,
    ) -> std::result::Result<Vec<tokio_postgres::Row>, tokio_postgres::Error> {
        let prepared = self.prepare(client, &stmt.sql).await?;
        let args: Vec<Arg<'_>> = stmt.params.iter().map(Arg::from_param).collect();
        client.query(&prepared, &bind::refs(&args)).await
    }

    /// Prepares `sql` on `client` (cached per connection), logs it and counts
    /// it as run: every statement but DDL goes through here.
    async fn prepare<C: GenericClient + Sync>(
        &self,
        client: &C,
        sql: &str,
    ) -> std::result::Result<tokio_postgres::Statement, tokio_postgres::Error> {
        tracing::debug!(sql = %sql, "postgres");
        let prepared = client.prepare_cached(sql).await?;
        self.statements.fetch_add(1, Ordering::Relaxed);
        Ok(prepared)
    }

    /// Runs one builder read statement (prepared and cached) for `schema`, and
    /// decodes its rows into records as they arrive.
    async fn read_records(
        &self,
        schema: &'static Schema,
        stmt: &Statement,
        partition: Option<&Partition>,
    ) -> Result<Records> {
        let failed = |e| data_layer(format!("reading {}", schema.name), e);
        let client = self.client().await?;
        let prepared = self.prepare(&client, &stmt.sql).await.map_err(failed)?;
        let args: Vec<Arg<'_>> = stmt.params.iter().map(Arg::from_param).collect();
        let rows = client
            .query_raw(&prepared, args.iter())
            .await
            .map_err(failed)?;
        let width = prepared.columns().len();
        decode::records(schema, &stmt.columns, width, rows, partition).await
    }

    /// Runs write statements for `schema` in one transaction and returns the
    /// records they return.
    async fn write(&self, schema: &'static Schema, statements: &[Statement]) -> Result<Records> {
        let mut client = self.client().await?;
        let tx = client
            .transaction()
            .await
            .map_err(|e| data_layer("starting a transaction", e))?;
        let mut created = collector(schema, None)?;
        for stmt in statements {
            let pg_rows = self
                .run(&tx, stmt)
                .await
                .map_err(|e| write_error(schema, e))?;
            if stmt.columns != Columns::None {
                decode::records_into(schema, &stmt.columns, &pg_rows, &mut created)?;
            }
        }
        tx.commit().await.map_err(|e| write_error(schema, e))?;
        Ok(created.finish())
    }
}

impl DataLayer for Postgres {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn register(&self, _schema: &'static Schema) -> Result<()> {
        // Tables are made by `migrate`; nothing to do per resource.
        Ok(())
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

    fn create<'a>(
        &'a self,
        schema: &'static Schema,
        rows: Vec<Row>,
    ) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move {
            if rows.is_empty() {
                return Ok(Records::Rows(Vec::new()));
            }
            let statements = build::insert(Dialect::Postgres, schema, &rows)?;
            self.write(schema, &statements).await
        })
    }

    fn migrate<'a>(&'a self, schemas: Vec<&'static Schema>) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let ddl = build::migrate(Dialect::Postgres, &schemas);
            if ddl.is_empty() {
                return Ok(());
            }
            let mut client = self.client().await?;
            let tx = client
                .transaction()
                .await
                .map_err(|e| data_layer("starting a transaction", e))?;
            for sql in &ddl {
                tracing::debug!(sql = %sql, "postgres");
                self.statements.fetch_add(1, Ordering::Relaxed);
                tx.batch_execute(sql)
                    .await
                    .map_err(|e| data_layer("migrating", e))?;
            }
            tx.commit().await.map_err(|e| data_layer("migrating", e))?;
            // Tables may have changed under statements prepared before.
            self.pool.manager().statement_caches.clear();
            Ok(())
        })
    }
}

fn parse(url: &str) -> Result<tokio_postgres::Config> {
    let mut config = tokio_postgres::Config::from_str(url)
        .map_err(|e| data_layer("reading the PostgreSQL connection URL", e))?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    Ok(config)
}

fn pool(config: tokio_postgres::Config) -> Result<Pool> {
    let manager = Manager::from_config(config, NoTls, ManagerConfig::default());
    Pool::builder(manager)
        .runtime(Runtime::Tokio1)
        .build()
        .map_err(|e| data_layer("making the PostgreSQL pool", e))
}

/// `name` as an SQL identifier: double-quoted, inner quotes doubled.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A value for the `options` connection parameter, which splits on white
/// space: white space and backslashes are escaped with a backslash.
fn escape_option(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_whitespace() || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
