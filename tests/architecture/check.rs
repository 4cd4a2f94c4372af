//! The checker: one crate's source files and layers in, every finding out.

use std::collections::BTreeMap;

use syn::visit::Visit;

use crate::findings::{Finding, cycles, stale, unlisted, upward};
use crate::modules::Crate;
use crate::references::{Refs, edges};
use crate::sources::{file_modules, parse_files};
use crate::spec::Layer;

/// The checker: every finding for the crate whose `src/` files (path relative to
/// `src/` → source text) are `files`, against its `layers`. `dir` labels the files.
pub fn check(dir: &str, files: &BTreeMap<String, String>, layers: &[Layer]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let parsed = parse_files(dir, files, &mut findings);
    let (paths, modules) = file_modules(&parsed);
    unlisted(dir, &paths, layers, &mut findings);
    stale(dir, &paths, layers, &mut findings);
    let mut refs = Vec::new();
    for (rel, module) in &paths {
        Refs {
            file: rel,
            module: module.clone(),
            out: &mut refs,
        }
        .visit_file(&parsed[*rel]);
    }
    let edges = edges(&Crate(modules), refs, layers);
    upward(dir, &edges, &mut findings);
    cycles(dir, &edges, &mut findings);
    findings
}
