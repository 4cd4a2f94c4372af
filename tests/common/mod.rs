//! Shared resources, manual loaders and fixtures of the behaviour suites
//! (`tests/semantics/`), which reach them as `crate::common`. The suites'
//! binary loads this module; `derive_parity` loads its files but
//! `resources.rs`, `content_resources.rs`, `identity_resources.rs`,
//! `write_policy_resources.rs`, `hidden_in_hand_resources.rs` and
//! `self_reference_resources.rs`
//! (`derive_parity/helpdesk.rs`),
//! with the derive's declarations in their place.
//!
//! - `resources`: the Helpdesk resources (`Representative`, `Ticket`,
//!   `Comment`, `Tag`, `TicketTag`), with one relationship per behaviour under
//!   test.
//! - `content_resources`: the resources of the `manual_content` suite (a desk,
//!   cases, tasks and forecasts, a resource `not_stored`), which that suite
//!   names by path (`crate::common::content_resources`).
//! - `identity_resources`: the resources of the `identities` suite (`Member`,
//!   `Label`), which that suite names by path.
//! - `write_policy_resources`: the resources of the `write_policies` suite
//!   (`Member`, `Note`, `Memo`, `Board`) and of `upsert_policies` (`Pin`,
//!   `Stamp`), which those suites name by path.
//! - `hidden_in_hand_resources`, `self_reference_resources`: the resources of
//!   the suites of those names (`Bin` and `Part`; `Node`).
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
//!   resource (`FailSwitch`) or to hold them until let go (`Gate`).
//! - `interest`: a global `tracing` subscriber that keeps every callsite's
//!   interest at "sometimes", for the suites that record spans on their
//!   thread (`interest_in_every_callsite`).
//! - `fixtures`: the Helpdesk domain (`helpdesk(&run)`), record creators and
//!   result helpers.
//!
//! `layers!` is exported at the crate root (`#[macro_export]`) and re-exported
//! here, so that `use crate::common::*;` brings it with the rest.
//!
//! Not every binary uses every item, hence the `allow`s.
#![allow(dead_code, unused_imports)]

mod calls;
mod counting;
mod fixtures;
mod interest;
mod layers;
mod loaders;
mod resources;

pub mod content_resources;
pub mod hidden_in_hand_resources;
pub mod identity_resources;
pub mod self_reference_resources;
pub mod write_policy_resources;

pub use calls::*;
pub use counting::*;
pub use fixtures::*;
pub use interest::*;
pub use layers::*;
pub use loaders::*;
pub use resources::*;

pub use crate::layers;
