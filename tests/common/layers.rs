//! The data layers every behaviour test runs on: `Layer` (memory, SQLite,
//! PostgreSQL), `Run` (one test's run on one layer), the domain factories
//! (`domain`, `counted`) and the `layers!` macro, which turns one test body
//! into the three tests `<name>::memory`, `<name>::sqlite` and
//! `<name>::postgres`.
//!
//! - Memory: a fresh `Memory` per domain.
//! - SQLite: a fresh `Sqlite::memory()` per domain, migrated.
//! - PostgreSQL: runs when `ASHORE_PG_URL` is set (an empty value counts as
//!   unset, as in `.ci/run`); otherwise the test prints `skipping PostgreSQL:
//!   ASHORE_PG_URL is not set` and passes. When it is set, each domain lives in
//!   a schema of its own (`ashore_t_<uuid>`), so tests and runs never see each
//!   other's rows, and any failure to connect or migrate fails the test. The
//!   schemas a test made are dropped when it ends, passed or failed
//!   (best-effort: `DROP SCHEMA .. CASCADE` through each layer's client).
//!
//! Every layer must give the same answers; ties in a sort keep insertion order
//! on all three (SQLite by rowid, PostgreSQL by its hidden sequence column).
//! Known differences, documented rather than tested:
//! - NaN: SQLite cannot store it (it becomes nil); PostgreSQL sorts it above
//!   every number.
//! - Float overflow is an error on PostgreSQL (infinity in memory).
//! - Integer arithmetic that overflows is nil on all three (tested in
//!   `semantics/expr.rs`).
//! - PostgreSQL's generated integer keys come from an identity sequence, which
//!   by itself would not skip keys given explicitly; the layer moves it past
//!   them (`sql/build/insert.rs`), so generated keys follow the largest key
//!   given on every layer (tested in `semantics/create_errors.rs`).

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use ashore::DomainBuilder;
use ashore::data_layer::DataLayer;
use ashore::data_layer::sql::{Postgres, Sqlite};
use ashore::prelude::*;

use super::counting::{Counting, FailSwitch, Gate, Reads};

/// The environment variable naming the PostgreSQL server of the tests.
pub const PG_URL: &str = "ASHORE_PG_URL";

/// A data layer the suite runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    Memory,
    Sqlite,
    Postgres,
}

/// `ASHORE_PG_URL`, when set to something.
pub fn pg_url() -> Option<String> {
    match std::env::var(PG_URL) {
        Ok(url) if url.trim().is_empty() => None,
        Ok(url) => Some(url),
        Err(std::env::VarError::NotPresent) => None,
        Err(e) => panic!("{PG_URL}: {e}"),
    }
}

/// `url` without its password, for messages.
fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let authority_end = url[scheme_end..]
        .find(['/', '?'])
        .map_or(url.len(), |i| scheme_end + i);
    let authority = &url[scheme_end..authority_end];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => format!(
            "{}{}:***{}",
            &url[..scheme_end],
            &authority[..colon],
            &url[scheme_end + at..]
        ),
        _ => url.to_owned(),
    }
}

/// The store under a domain, for what only the concrete layer can tell
/// (`statements()`) or do (raw SQL).
#[derive(Clone, Debug)]
pub enum Store {
    Memory,
    Sqlite(Sqlite),
    Postgres(Postgres),
}

impl Store {
    /// How many statements the SQL layer has run (`None` in memory).
    pub fn statements(&self) -> Option<u64> {
        match self {
            Store::Memory => None,
            Store::Sqlite(s) => Some(s.statements()),
            Store::Postgres(p) => Some(p.statements()),
        }
    }
}

/// A domain over a `Counting` layer, with what the tests look at.
pub struct Fx {
    pub domain: Domain,
    /// Every read request the domain made.
    pub reads: Reads,
    /// Makes reads of one resource fail.
    pub fail: FailSwitch,
    /// Holds reads of one resource until let go.
    pub gate: Gate,
    /// The layer under `Counting`.
    pub store: Store,
}

/// One test's run on one layer: hands out domains and drops the PostgreSQL
/// schemas they were made in when the test ends.
#[derive(Clone)]
pub struct Run {
    pub layer: Layer,
    url: Option<String>,
    schemas: Arc<Mutex<Vec<(Postgres, String)>>>,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Run").field(&self.layer).finish()
    }
}

impl Run {
    /// A run on `layer`, or `None` for PostgreSQL when `ASHORE_PG_URL` is not
    /// set.
    pub fn new(layer: Layer) -> Option<Run> {
        let url = match layer {
            Layer::Postgres => Some(pg_url()?),
            Layer::Memory | Layer::Sqlite => None,
        };
        Some(Run {
            layer,
            url,
            schemas: Arc::default(),
        })
    }

    /// A PostgreSQL run on the server at `url`, whatever `ASHORE_PG_URL` says.
    pub fn postgres_at(url: impl Into<String>) -> Run {
        Run {
            layer: Layer::Postgres,
            url: Some(url.into()),
            schemas: Arc::default(),
        }
    }

    /// A fresh, empty store of this run's layer. Panics (failing the test) when
    /// it cannot be made.
    pub async fn store(&self) -> (Arc<dyn DataLayer>, Store) {
        match self.layer {
            Layer::Memory => (Arc::new(Memory::new()), Store::Memory),
            Layer::Sqlite => {
                let sqlite = Sqlite::memory().expect("an in-memory SQLite database");
                (Arc::new(sqlite.clone()), Store::Sqlite(sqlite))
            }
            Layer::Postgres => {
                let url = self.url.as_deref().expect("a PostgreSQL run has a URL");
                let schema = format!("ashore_t_{}", Uuid::new_v4().simple());
                let postgres = Postgres::connect_in_schema(url, &schema)
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL at {PG_URL}={}: {e}", redact(url)));
                self.schemas
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push((postgres.clone(), schema));
                (Arc::new(postgres.clone()), Store::Postgres(postgres))
            }
        }
    }

    /// Drops the schemas this run made (best-effort: a failure is printed).
    async fn finish(&self) {
        let schemas = std::mem::take(&mut *self.schemas.lock().unwrap_or_else(|p| p.into_inner()));
        for (postgres, schema) in schemas {
            let sql = format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
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

/// A domain of the resources `resources` registers, over a `Counting` layer
/// around a fresh store of `run`'s layer, migrated. Panics (failing the test)
/// when the store cannot be made or migrated.
pub async fn counted(run: &Run, resources: impl FnOnce(DomainBuilder) -> DomainBuilder) -> Fx {
    let (inner, store) = run.store().await;
    let reads = Reads::default();
    let fail = FailSwitch::default();
    let gate = Gate::default();
    let layer = Counting::new(inner, reads.clone(), fail.clone(), gate.clone());
    let domain = resources(Domain::builder().data_layer(layer))
        .build()
        .expect("the domain builds");
    domain
        .migrate()
        .await
        .unwrap_or_else(|e| panic!("migrating on {:?}: {e}", run.layer));
    Fx {
        domain,
        reads,
        fail,
        gate,
        store,
    }
}

/// Like `counted`, for tests that need only the domain.
pub async fn domain(run: &Run, resources: impl FnOnce(DomainBuilder) -> DomainBuilder) -> Domain {
    counted(run, resources).await.domain
}

/// Runs `test` on `layer`, then drops what it made; an error `test` returns
/// fails the test, and so does a panic, raised again once the cleanup is done.
/// For PostgreSQL without `ASHORE_PG_URL`, prints why and passes.
pub async fn run_on<F, Fut, E>(layer: Layer, test: F)
where
    F: FnOnce(Run) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: std::fmt::Display + std::fmt::Debug,
{
    let Some(run) = Run::new(layer) else {
        // Straight to stderr, once per test binary: the test harness captures
        // `println!`, and the skip must be visible in a plain `cargo test`.
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "skipping PostgreSQL: {PG_URL} is not set"
            );
        });
        return;
    };
    let outcome = CatchUnwind(Box::pin(test(run.clone()))).await;
    run.finish().await;
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("on {layer:?}: {e}\n{e:?}"),
        Err(panic) => resume_unwind(panic),
    }
}

/// A future that catches a panic of the future it wraps.
struct CatchUnwind<F>(Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = std::thread::Result<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.0.as_mut();
        match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}

/// `layers!(name)`: the three tests `name::memory`, `name::sqlite` and
/// `name::postgres`, each running `async fn name(run: Run) -> Result<(), E>`
/// (defined next to it) on its layer. `layers!(name, multi_thread)` runs them
/// on a multi-threaded runtime. SQLite always runs on one, as most
/// applications do (`#[tokio::main]`): its statements then run in place
/// (`block_in_place`); the suites of `tests/sql` run them on a current-thread
/// runtime, where they go to the pool's blocking threads.
#[macro_export]
macro_rules! layers {
    ($name:ident) => {
        $crate::layers!(@tests $name, [], [flavor = "multi_thread", worker_threads = 1]);
    };
    ($name:ident, multi_thread) => {
        $crate::layers!(
            @tests $name,
            [flavor = "multi_thread", worker_threads = 2],
            [flavor = "multi_thread", worker_threads = 2]
        );
    };
    (@tests $name:ident, [$($flavor:tt)*], [$($sqlite:tt)*]) => {
        mod $name {
            use $crate::common::{Layer, run_on};

            #[tokio::test($($flavor)*)]
            async fn memory() {
                run_on(Layer::Memory, super::$name).await
            }

            #[tokio::test($($sqlite)*)]
            async fn sqlite() {
                run_on(Layer::Sqlite, super::$name).await
            }

            #[tokio::test($($flavor)*)]
            async fn postgres() {
                run_on(Layer::Postgres, super::$name).await
            }
        }
    };
}
