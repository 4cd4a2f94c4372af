//! Reading a crate's source files: from disk, parsed with `syn`, test code left
//! out (`tests.rs`, `testing.rs`, `tests/` folders, `#[cfg(test)]` items and the
//! files of `#[cfg(test)]` modules), and the module path of each file
//! (`#[path]` attributes followed).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use syn::{Attribute, ImplItem, Item};

use crate::findings::{Finding, Kind};
use crate::modules::{Module, Modules, declare};
use crate::spec::is_ident_char;

/// Puts every `.rs` file under `dir` in `out`: its path (`rel`, the path of `dir`,
/// is empty at the top) → its source text.
pub fn read_tree(dir: &Path, rel: &str, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).expect("a source folder").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        if entry.path().is_dir() {
            read_tree(&entry.path(), &rel, out);
        } else if name.ends_with(".rs") {
            out.insert(
                rel,
                std::fs::read_to_string(entry.path()).expect("a source file"),
            );
        }
    }
}

/// The files of `files` (path relative to `src/` → source text) that are not test
/// files, parsed; a finding for each that does not parse. `dir` labels the files.
pub fn parse_files(
    dir: &str,
    files: &BTreeMap<String, String>,
    findings: &mut Vec<Finding>,
) -> BTreeMap<String, syn::File> {
    let mut parsed = BTreeMap::new();
    for (rel, source) in files {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let under_tests = rel.split('/').rev().skip(1).any(|d| d == "tests");
        if name == "tests.rs" || name == "testing.rs" || under_tests {
            continue;
        }
        match syn::parse_file(source) {
            Ok(file) => drop(parsed.insert(rel.clone(), file)),
            Err(e) => findings.push(Finding(
                Kind::Format,
                format!("{dir}/{rel}: does not parse: {e}"),
            )),
        }
    }
    parsed
}

/// Each parsed file's module, test modules left out (`lib.rs`, the face, too), and
/// what each module declares.
pub fn file_modules(
    parsed: &BTreeMap<String, syn::File>,
) -> (BTreeMap<&str, Vec<String>>, Modules) {
    // `mod x;` declarations: the test-only ones, and the ones moved by `#[path]`.
    let (mut test_mods, mut test_files, mut moved) = (Vec::new(), BTreeSet::new(), BTreeMap::new());
    for (rel, file) in parsed {
        let folder = rel
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| format!("{d}/"));
        for item in &file.items {
            let Item::Mod(m) = item else { continue };
            let module = [module_of(rel), vec![m.ident.to_string()]].concat();
            let target = path_attr(&m.attrs).map(|p| format!("{folder}{p}"));
            if is_test(&m.attrs) {
                test_files.extend(target);
                test_mods.push(module);
            } else if let Some(target) = target.filter(|_| m.content.is_none()) {
                moved.insert(target, module);
            }
        }
    }
    // Each file's module, and what each module declares.
    let mut paths: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut modules = BTreeMap::from([(Vec::new(), Module::default())]);
    for (rel, file) in parsed {
        let module = moved.get(rel).cloned().unwrap_or_else(|| module_of(rel));
        if !test_files.contains(rel) && !test_mods.iter().any(|t| module.starts_with(t)) {
            declare(&file.items, &module, &mut modules);
            paths.insert(rel.as_str(), module);
        }
    }
    paths.remove("lib.rs"); // the face: it imports and re-exports, in no layer
    (paths, modules)
}

/// The module path of a file: `a/b.rs` and `a/b/mod.rs` are `a::b`, `lib.rs` the root.
pub fn module_of(rel: &str) -> Vec<String> {
    let rel = rel.trim_end_matches(".rs");
    let mut segs: Vec<String> = rel.split('/').map(String::from).collect();
    if segs.last().is_some_and(|s| s == "mod") || segs == ["lib"] {
        segs.pop();
    }
    segs
}

/// Whether the attributes hold `#[cfg(test)]` (or `#[cfg(all(test, ..))]`).
pub fn is_test(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        let Ok(list) = a.meta.require_list() else {
            return false;
        };
        let tokens = list.tokens.to_string();
        let mut words = tokens.split(|c| !is_ident_char(c));
        let all_test = tokens.starts_with("all") && words.any(|w| w == "test");
        a.path().is_ident("cfg") && (tokens == "test" || all_test)
    })
}

/// The file a `#[path = "…"]` attribute names.
fn path_attr(attrs: &[Attribute]) -> Option<String> {
    let attr = attrs.iter().find(|a| a.path().is_ident("path"))?;
    let syn::Expr::Lit(lit) = &attr.meta.require_name_value().ok()?.value else {
        return None;
    };
    let syn::Lit::Str(path) = &lit.lit else {
        return None;
    };
    Some(path.value())
}

/// The attributes of an item of any of the `variants` of `$enum`.
macro_rules! attrs {
    ($enum:ident, $item:expr, $($variant:ident),*) => {
        match $item {
            $($enum::$variant(i) => &i.attrs[..],)*
            _ => &[],
        }
    };
}

pub fn item_attrs(item: &Item) -> &[Attribute] {
    attrs!(
        Item, item, Const, Enum, Fn, Impl, Macro, Mod, Static, Struct, Trait, Type, Use
    )
}

/// The attributes of an item of an `impl` block.
pub fn impl_item_attrs(item: &ImplItem) -> &[Attribute] {
    attrs!(ImplItem, item, Const, Fn, Type, Macro)
}
