//! Where the Helpdesk examples keep their data: in memory, or on the database
//! `--database URL` names (a SQLite file started afresh, or a new PostgreSQL
//! schema dropped at the end); shared by `examples/helpdesk.rs` and
//! `examples/helpdesk_api.rs`.

use std::sync::Arc;

use ashore::DataLayer;
use ashore::prelude::*;

#[cfg(feature = "postgres")]
use ashore::data_layer::sql::Postgres;
#[cfg(feature = "sqlite")]
use ashore::data_layer::sql::Sqlite;

/// The data layer the example runs on, and what to clean up afterwards.
pub struct Store {
    /// The data layer to build the domain on.
    pub layer: Arc<dyn DataLayer>,
    /// The PostgreSQL schema made for this run, dropped by `close`.
    #[cfg(feature = "postgres")]
    schema: Option<(Postgres, String)>,
}

impl Store {
    /// The in-memory layer without a URL; else the database the URL names, empty.
    pub async fn open(database: Option<&str>) -> ashore::Result<Store> {
        let layer: Arc<dyn DataLayer> = match database {
            None | Some("memory") => {
                println!("Data layer: memory\n");
                Arc::new(Memory::new())
            }
            #[cfg(feature = "sqlite")]
            Some(url) if url.starts_with("sqlite:") => Arc::new(open_sqlite(url)?),
            #[cfg(feature = "postgres")]
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                let schema = format!(
                    "helpdesk_{}",
                    Uuid::new_v4().simple().to_string().split_at(12).0
                );
                let postgres = Postgres::connect_in_schema(url, &schema).await?;
                println!(
                    "Data layer: postgres at {}, in the new schema {schema} (dropped at the end)\n",
                    without_password(url)
                );
                return Ok(Store {
                    layer: Arc::new(postgres.clone()),
                    schema: Some((postgres, schema)),
                });
            }
            Some(url) => {
                return Err(ashore::Error::new(ErrorKind::DataLayer {
                    message: format!(
                        "`--database {url}`: expected `sqlite:PATH` or `postgres://..` (with this build's features)"
                    ),
                    source: None,
                }));
            }
        };
        Ok(Store {
            layer,
            #[cfg(feature = "postgres")]
            schema: None,
        })
    }

    /// Drops the PostgreSQL schema made for the run (best-effort: says so when it
    /// cannot).
    pub async fn close(self) {
        #[cfg(feature = "postgres")]
        if let Some((postgres, schema)) = self.schema {
            let sql = format!("DROP SCHEMA \"{schema}\" CASCADE");
            let dropped = match postgres.client().await {
                Ok(client) => client.batch_execute(&sql).await.map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            if let Err(e) = dropped {
                eprintln!("could not drop schema {schema}: {e}");
            }
        }
    }
}

/// A SQLite database file with nothing in it: an existing file is deleted first
/// (with its `-wal` and `-shm` companions), since the checks need exactly the seed.
#[cfg(feature = "sqlite")]
fn open_sqlite(url: &str) -> ashore::Result<Sqlite> {
    let rest = &url["sqlite:".len()..];
    if rest == ":memory:" || rest == "//:memory:" {
        println!("Data layer: sqlite in memory\n");
        return Sqlite::memory();
    }
    let path = std::path::Path::new(rest.strip_prefix("//").unwrap_or(rest));
    let existed = path.exists();
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", path.display());
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(ashore::Error::new(ErrorKind::DataLayer {
                    message: format!("cannot delete {file} to start from the seed"),
                    source: Some(Box::new(e)),
                }));
            }
        }
    }
    println!(
        "Data layer: sqlite at {}{}\n",
        path.display(),
        if existed {
            " (the existing file was deleted: the checks need exactly the seed)"
        } else {
            ""
        }
    );
    Sqlite::open(path)
}

/// The URL with its password, if any, replaced by `***`, for printing.
#[cfg(feature = "postgres")]
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((user_info, host)) if user_info.contains(':') => {
            let user = user_info.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}{tail}")
        }
        _ => url.to_owned(),
    }
}
