//! The Tokio runtime the SQL benchmarks run on: a multi-threaded one, as
//! `#[tokio::main]` builds, where the SQLite layer runs its statements in
//! place; `ASHORE_BENCH_RUNTIME=current_thread` measures the other flavor,
//! where they go to the pool's blocking threads.

use tokio::runtime::{Builder, Runtime};

/// The runtime `ASHORE_BENCH_RUNTIME` names (multi-threaded by default).
pub fn runtime() -> Runtime {
    match std::env::var("ASHORE_BENCH_RUNTIME").as_deref() {
        Ok("current_thread") => Builder::new_current_thread(),
        _ => Builder::new_multi_thread(),
    }
    .enable_all()
    .build()
    .expect("runtime")
}
