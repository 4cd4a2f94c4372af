//! Making a [`Postgres`] layer: connecting with a URL and [`PostgresSettings`]
//! (the schema the connections live in, checked by one statement before the
//! layer is returned), or wrapping a pool made elsewhere.

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use deadpool_postgres::Pool;

use super::errors::data_layer;
use super::pool::{self, timeout};
use super::{Postgres, PostgresSettings};
use crate::error::{Error, Result, Waiting};

impl Postgres {
    /// Connects to the database at `url` (`postgres://user:password@host:port/db`
    /// or the `key=value` form) with the default [`PostgresSettings`], making a
    /// pool of connections, and checks the server answers (`SELECT 1`), so an
    /// unreachable server or a refused login is an error here rather than at
    /// the first read. A server that does not answer within 10 seconds
    /// (reaching it, logging in and answering) is an
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout).
    pub async fn connect(url: &str) -> Result<Postgres> {
        Postgres::connect_with(url, PostgresSettings::default()).await
    }

    /// Like [`connect`](Self::connect), but everything lives in the schema
    /// `schema` (the PostgreSQL namespace): it is created when missing, and every
    /// connection of the pool has it as its whole `search_path`, so tables are
    /// made, read and written there. Separate schemas keep separate apps, or test
    /// runs, apart in one database.
    pub async fn connect_in_schema(url: &str, schema: &str) -> Result<Postgres> {
        let settings = PostgresSettings {
            schema: Some(schema.to_owned()),
            ..PostgresSettings::default()
        };
        Postgres::connect_with(url, settings).await
    }

    /// Like [`connect`](Self::connect) (or
    /// [`connect_in_schema`](Self::connect_in_schema), when `settings` name a
    /// schema), with `settings`' timeouts and pool size.
    pub async fn connect_with(url: &str, settings: PostgresSettings) -> Result<Postgres> {
        let mut config = tokio_postgres::Config::from_str(url)
            .map_err(|e| data_layer("reading the PostgreSQL connection URL", e))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(settings.connect_timeout);
        }
        let mut setup = "SELECT 1".to_owned();
        if let Some(schema) = &settings.schema {
            if schema.is_empty() || schema.contains('\0') {
                return Err(Error::data_layer(format!(
                    "{schema:?} cannot be the name of a schema"
                )));
            }
            let search_path = format!("-c search_path={}", escape_option(&quote_ident(schema)));
            let options = match config.get_options() {
                Some(o) if !o.trim().is_empty() => format!("{o} {search_path}"),
                _ => search_path,
            };
            config.options(options);
            setup = format!("CREATE SCHEMA IF NOT EXISTS {}", quote_ident(schema));
        }
        let (pool, marks) = pool::build(config, &settings)?;
        let postgres = Postgres {
            pool,
            statements: Arc::new(AtomicU64::new(0)),
            marks: Some(marks),
            statement_timeout: settings.statement_timeout,
            connect_timeout: settings.connect_timeout,
            held: None,
            tables: Arc::default(),
        };
        tracing::debug!(sql = %setup, "postgres");
        let check = async {
            postgres
                .lease()
                .await?
                .batch_execute(&setup)
                .await
                .map_err(|e| data_layer("checking the PostgreSQL connection", e))
        };
        tokio::time::timeout(settings.connect_timeout, check)
            .await
            .map_err(|_| timeout(Waiting::Connect, settings.connect_timeout))??;
        Ok(postgres)
    }

    /// A layer over a pool made elsewhere (for TLS, or any setting `connect` does
    /// not take). Nothing is checked until the first statement. The pool's own
    /// timeouts apply (deadpool's default is none: set them), statements have
    /// no time limit, and connections lent by [`client`](Self::client) are not
    /// rolled back when they come back (the hook that does it is installed by
    /// `connect`; deadpool's `RecyclingMethod::Custom("ROLLBACK".into())` does
    /// it on every recycle).
    pub fn from_pool(pool: Pool) -> Postgres {
        Postgres {
            pool,
            statements: Arc::new(AtomicU64::new(0)),
            marks: None,
            statement_timeout: None,
            connect_timeout: PostgresSettings::default().connect_timeout,
            held: None,
            tables: Arc::default(),
        }
    }
}

/// `name` as an SQL identifier: double-quoted, inner quotes doubled.
pub(super) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A value for the `options` connection parameter, which splits on white
/// space: white space and backslashes are escaped with a backslash.
pub(super) fn escape_option(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_whitespace() || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
