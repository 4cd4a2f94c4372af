//! The set-up every pooled SQLite connection gets before its first use (and
//! again when [`Sqlite::set_mmap_size`](super::Sqlite::set_mmap_size) changes
//! what it was given): busy timeout, foreign keys, WAL, memory-mapped reads,
//! the `rarray` and `ashore_rows` tables, the layer's functions and the
//! statement cache.

use std::time::Duration;

use rusqlite::Connection;

use super::{functions, rows_table};

/// How long a connection waits for another connection's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 256;

/// How much of the database file each connection reads through memory-mapped
/// I/O unless [`Sqlite::set_mmap_size`](super::Sqlite::set_mmap_size) says
/// otherwise: 128 MiB, as Rails 8's SQLite defaults. Without it every page
/// SQLite's 2 MB page cache misses is a `read` system call copying 4 KiB
/// (about 60,000 a call for a has_many of 100,000 tickets: a third or more of
/// its time).
pub const DEFAULT_MMAP_SIZE: u64 = 128 * 1024 * 1024;

/// Sets a connection up (idempotent), reading up to `mmap_size` bytes of the
/// file through memory mapping.
pub(super) fn setup(conn: &Connection, mmap_size: u64) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.execute_batch("PRAGMA foreign_keys = ON")?;
    // In memory the mode stays "memory"; a file switches once and stays in WAL.
    // Asked first: setting it takes a lock, which another connection's open
    // transaction holds.
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if !matches!(mode.as_str(), "wal" | "memory") && !conn.is_readonly(rusqlite::MAIN_DB)? {
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        tracing::trace!(journal_mode = %mode, "sqlite connection");
    }
    // An integer, never user text: formatted into the pragma, which binds
    // nothing. (It answers with the size in effect, which SQLite may cap; in
    // memory it answers nothing.)
    conn.execute_batch(&format!("PRAGMA mmap_size = {mmap_size}"))?;
    rusqlite::vtab::array::load_module(conn)?;
    rows_table::load_module(conn)?;
    functions::register(conn)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(())
}
