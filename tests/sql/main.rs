//! The SQL layers beyond the behaviour suites, one test binary: statements
//! that fail inside a transaction, and what the commit then says (`aborted`),
//! schema drift
//! met by `migrate` (`drift`; for dates, bytes, decimals and JSON,
//! `drift_types`), a manual
//! loader running raw SQL, constraint violations and bulk creates
//! (`manual_raw`), the plan of the guide's loader on PostgreSQL (`plan`),
//! timeouts and connections given back dirty (`pool`), loads
//! over more parents than a statement takes parameters
//! (`scale`), transactions on a SQLite file (`transactions`), and strings full
//! of SQL metacharacters (`values`). Each module
//! declares its own resources with `resource!`; what they share is `common`
//! (a PostgreSQL layer in a schema of its own), reached as `crate::common`.
#![cfg(all(feature = "sqlite", feature = "postgres"))]

mod common;
#[path = "../common/interest.rs"]
mod interest;

mod aborted;
mod drift;
mod drift_types;
mod manual_raw;
mod plan;
mod pool;
mod scale;
mod transactions;
mod values;
mod wide;
