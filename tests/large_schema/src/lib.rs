//! A large schema: a 100-resource chain and a cycle of four resources, generated
//! by `build.rs` with both front ends (see there), with the default recursion
//! limit. That it compiles at all is half the test; `tests/load.rs` loads through
//! it, spawns the load on another task and sends the records across threads.

use ashore::DomainBuilder;
use ashore::prelude::*;

include!(concat!(env!("OUT_DIR"), "/schema.rs"));
