//! What `mod common;` in each shared test file of `derive_parity` finds: the one
//! shared module of the crate, whose resources are declared with
//! `#[derive(Resource)]` (`helpdesk.rs`).
#![allow(unused_imports)]

pub use crate::common::*;
pub use crate::layers;
