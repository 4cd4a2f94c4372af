//! [`PostgresSettings`]: how long the PostgreSQL layer waits before it gives up,
//! how many connections it keeps, and the schema it works in.

use std::time::Duration;

use deadpool_postgres::PoolConfig;

/// How a [`Postgres`](super::Postgres) layer made by
/// [`Postgres::connect_with`](super::Postgres::connect_with) connects, and how
/// long it waits before it gives up with an
/// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) naming what it waited for
/// and the field here that holds the limit.
///
/// | field | default |
/// |---|---|
/// | [`connect_timeout`](Self::connect_timeout) | 10 seconds |
/// | [`pool_wait_timeout`](Self::pool_wait_timeout) | 30 seconds |
/// | [`statement_timeout`](Self::statement_timeout) | none |
/// | [`max_connections`](Self::max_connections) | twice the number of CPUs |
/// | [`schema`](Self::schema) | none (the server's `search_path`) |
///
/// ```no_run
/// # async fn demo() -> ashore_runtime::Result<()> {
/// use std::time::Duration;
/// use ashore_runtime::data_layer::sql::{Postgres, PostgresSettings};
///
/// let mut settings = PostgresSettings::default();
/// settings.statement_timeout = Some(Duration::from_secs(5));
/// settings.max_connections = 16;
/// let postgres = Postgres::connect_with("postgres://app@127.0.0.1/app", settings).await?;
/// # let _ = postgres;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PostgresSettings {
    /// How long making one connection may take: reaching the server and
    /// logging in (the URL's own `connect_timeout`, when it has one, still
    /// bounds each attempt to reach a host within it). Also bounds the check
    /// made on connecting, and rolling back a connection that
    /// [`Postgres::client`](super::Postgres::client) lent, when it comes back
    /// (past it, that connection is closed rather than reused).
    pub connect_timeout: Duration,
    /// How long a read or a write waits for a free connection when every
    /// connection of the pool is in use (by other reads, or held through
    /// [`Postgres::client`](super::Postgres::client)).
    pub pool_wait_timeout: Duration,
    /// How long a read, a create (its whole transaction) or a
    /// [`Postgres::query`](super::Postgres::query) may run, from when it has a
    /// connection. `None`, the default, waits as long as the server takes. A
    /// statement past it is cancelled on the server and its connection closed,
    /// never returned to the pool; a create that timed out is rolled back,
    /// unless its `COMMIT` had already reached the server.
    /// Migrations and connections lent by `client` are not bounded by it.
    pub statement_timeout: Option<Duration>,
    /// How many connections the pool keeps at most.
    pub max_connections: usize,
    /// The schema (PostgreSQL namespace) everything lives in, created when
    /// missing and the whole `search_path` of every connection; see
    /// [`Postgres::connect_in_schema`](super::Postgres::connect_in_schema).
    pub schema: Option<String>,
}

impl Default for PostgresSettings {
    fn default() -> Self {
        PostgresSettings {
            connect_timeout: Duration::from_secs(10),
            pool_wait_timeout: Duration::from_secs(30),
            statement_timeout: None,
            max_connections: PoolConfig::default().max_size,
            schema: None,
        }
    }
}
