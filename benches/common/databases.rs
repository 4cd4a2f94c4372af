//! The databases of one benchmark run, shared by `benches/sql/` and
//! `benches/writes/`: a SQLite file in the temporary directory (removed, with
//! its WAL files, before use and when dropped) and a PostgreSQL schema of
//! `ASHORE_PG_URL` (ashore's layer in it and a hand-written client whose
//! `search_path` it is; dropped at the end).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use ashore::Domain;
use ashore::data_layer::sql::Postgres;
use tokio::runtime::Runtime;

/// A SQLite file named after the benchmark, the process and the key type.
pub struct SqliteFile(PathBuf);

impl SqliteFile {
    /// `ashore-bench-<bench>-<process>-<keys>.db`, removed if it was there.
    pub fn new(bench: &str, keys: &str) -> SqliteFile {
        let file = SqliteFile(std::env::temp_dir().join(format!(
            "ashore-bench-{bench}-{}-{}.db",
            std::process::id(),
            keys.replace(' ', "-")
        )));
        file.remove();
        file
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.0
    }

    fn remove(&self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

impl Drop for SqliteFile {
    fn drop(&mut self) {
        self.remove();
    }
}

/// A PostgreSQL schema of one run, ashore's layer in it and a hand-written
/// client on it.
pub struct PgSchema {
    name: String,
    /// Ashore's layer, in the schema.
    pub layer: Postgres,
    /// A tokio-postgres client whose `search_path` is the schema.
    pub client: tokio_postgres::Client,
}

impl PgSchema {
    /// `ashore_bench_<bench>_<process>_<keys>` in `ASHORE_PG_URL`'s database;
    /// `None` (and says so) when it is not set.
    pub fn connect(rt: &Runtime, bench: &str, keys: &str) -> Option<PgSchema> {
        let Ok(url) = std::env::var("ASHORE_PG_URL") else {
            println!("PostgreSQL not benchmarked: ASHORE_PG_URL is not set");
            return None;
        };
        let name = format!(
            "ashore_bench_{bench}_{}_{}",
            std::process::id(),
            keys.replace(' ', "_")
        );
        let layer = rt
            .block_on(Postgres::connect_in_schema(&url, &name))
            .unwrap_or_else(|e| panic!("ASHORE_PG_URL is set, but {url} cannot be used: {e}"));
        let mut config = tokio_postgres::Config::from_str(&url).expect("URL");
        config.options(format!("-c search_path={name}"));
        let client = rt.block_on(async {
            let (client, connection) = config
                .connect(tokio_postgres::NoTls)
                .await
                .expect("connect by hand");
            tokio::spawn(connection);
            client
        });
        Some(PgSchema {
            name,
            layer,
            client,
        })
    }

    /// Drops the schema, then `domain` and the connections (the pool closes
    /// its connections on Tokio's threads).
    pub fn finish(self, rt: &Runtime, domain: Domain) {
        rt.block_on(async {
            let _ = self
                .client
                .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name))
                .await;
        });
        let _runtime = rt.enter();
        drop((domain, self));
    }
}
