//! Shared resources, manual loaders and fixtures of the `semantics_*` tests.
//!
//! - `resources`: the Helpdesk resources (`Representative`, `Ticket`,
//!   `Comment`, `Tag`, `TicketTag`), with one relationship per behaviour under
//!   test.
//! - `loaders`: the manual loaders, among them `Scripted`, which answers in the
//!   way its `Mode` says.
//! - `calls`: what the loaders were given, filed by tenant (`calls(tenant)`);
//!   each test reads with its own tenant so that tests running in parallel
//!   never see each other's calls.
//! - `layers`: the layers every behaviour test runs on (`Layer`: memory,
//!   SQLite, PostgreSQL), one test's run on one of them (`Run`), the domain
//!   factories (`counted`, `domain`) and `layers!(name)`, which makes the three
//!   tests `name::memory`, `name::sqlite` and `name::postgres` of one body.
//! - `counting`: `Counting`, a data layer that delegates to another, records
//!   every read request (`Reads`) and can be told to fail reads of one
//!   resource.
//! - `fixtures`: the Helpdesk domain (`helpdesk(&run)`), record creators and
//!   result helpers.
//!
//! Each test binary uses part of this module, hence the `allow`s.
#![allow(dead_code, unused_imports)]

mod calls;
mod counting;
mod fixtures;
mod layers;
mod loaders;
mod resources;

pub use calls::*;
pub use counting::*;
pub use fixtures::*;
pub use layers::*;
pub use loaders::*;
pub use resources::*;
