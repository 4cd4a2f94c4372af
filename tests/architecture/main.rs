//! Architecture test: the layers written in `ARCHITECTURE.md` hold in the code.
//!
//! `ARCHITECTURE.md` lists each crate's modules in layers, bottom-up, one
//! ```` ```layers <crate>/src ```` block per crate, one `layer name: module paths`
//! line per layer. A module may use its own layer and those below, never one above,
//! and no modules may use each other in a cycle. A file (`a/b.rs` or `a/b/mod.rs`
//! is `a::b`) is in the layer of the longest listed path that prefixes its module
//! path. `lib.rs` is the face: it may import anything. Test code is left out:
//! `tests.rs`, `testing.rs`, `tests/` folders and items under `#[cfg(test)]`.
//!
//! A reference is a private `use` (groups, renames, globs), any path in code, or a
//! `crate::`/`super::` path in a macro's tokens (not `quote!`'s: that is generated
//! code). `crate::`, `super::`, `self::`, child modules and imported names are
//! resolved, and re-exports are followed to where the item lives. A `pub use` only
//! signposts an item: it adds no edge of its own, whoever names the item does.
//!
//! The test collects every finding, then fails once, listing them. Each says where,
//! what, and the fix:
//! - `file:line: `use path`: layer "X" (`m`) imports layer "Y" (`n`) above it`:
//!   move what `m` needs down, or invert the dependency (a trait in the lower layer);
//! - `cycle between `a`, `b`, …`: the edges that are not down the layers, each at
//!   its first file:line; break one of them;
//! - `file (module `m`) is in no layer`, `layer "X" lists `m`, which matches no
//!   file`: the list in `ARCHITECTURE.md` is incomplete or stale;
//! - `ARCHITECTURE.md:N: …`: a line of a layers block has the wrong format.
//!
//! Run it with `cargo test --test architecture`. The modules, bottom-up:
//! - `spec`: the ```` ```layers ```` blocks of `ARCHITECTURE.md`, and the layer of a module;
//! - `sources`: a crate's files, read and parsed, test code left out, and their modules;
//! - `modules`: what each module declares, and resolving a path to where its item lives;
//! - `references`: the references of each file, resolved to edges between modules;
//! - `findings`: the findings and their texts (unlisted, stale, upward, cycles);
//! - `check`: the checker, from a crate's files and layers to its findings;
//! - `checker_tests`: the checker's own tests, on small in-memory crates.

mod check;
mod findings;
mod modules;
mod references;
mod sources;
mod spec;

#[cfg(test)]
mod checker_tests;

use std::collections::BTreeMap;
use std::path::Path;

use check::check;
use findings::{Finding, Kind};
use sources::read_tree;
use spec::parse_blocks;

const ARCHITECTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/ARCHITECTURE.md");

#[test]
fn layers_hold() {
    let text = std::fs::read_to_string(ARCHITECTURE).expect("ARCHITECTURE.md is readable");
    let (blocks, mut findings) = parse_blocks(&text);
    if blocks.is_empty() {
        let text = "ARCHITECTURE.md has no ```layers block".to_string();
        findings.push(Finding(Kind::Format, text));
    }
    for block in &blocks {
        let mut files = BTreeMap::new();
        read_tree(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join(&block.dir),
            "",
            &mut files,
        );
        findings.extend(check(&block.dir, &files, &block.layers));
    }
    if !findings.is_empty() {
        let n = findings.len();
        let texts: Vec<&str> = findings.iter().map(|f| f.1.as_str()).collect();
        panic!(
            "the layers of ARCHITECTURE.md do not hold: {n} findings (layers are bottom-up; a \
             module may use its own layer and those below).\n\n{}\n",
            texts.join("\n\n")
        );
    }
}
