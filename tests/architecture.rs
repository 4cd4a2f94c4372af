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
//! Run it with `cargo test --test architecture`. The tests in `checker` run the
//! checker on small in-memory crates.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::{self, Visit};
use syn::{Attribute, ImplItem, Item, UseTree};

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

fn read_tree(dir: &Path, rel: &str, out: &mut BTreeMap<String, String>) {
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

// ---------------------------------------------------------------- the layers

/// One layer: its name and the module paths it holds.
struct Layer {
    name: String,
    modules: Vec<Vec<String>>,
}

/// The layers of one crate, bottom-up: one ```layers block.
struct Block {
    dir: String,
    line: usize,
    layers: Vec<Layer>,
}

/// Every ```layers block of `text`, and a finding for each malformed line.
fn parse_blocks(text: &str) -> (Vec<Block>, Vec<Finding>) {
    let (mut blocks, mut errors) = (Vec::<Block>::new(), Vec::new());
    let (mut open, mut seen) = (false, BTreeSet::new());
    for (n, line) in (1..).zip(text.lines()) {
        let line = line.trim();
        let mut error = |why: String| {
            let text = format!("ARCHITECTURE.md:{n}: `{line}`: {why}");
            errors.push(Finding(Kind::Format, text));
        };
        if !open {
            if let Some(dir) = line.strip_prefix("```layers") {
                let dir = dir.trim().trim_end_matches('/').to_string();
                if dir.is_empty() {
                    error("name the crate's source folder: ```layers runtime/src".into());
                }
                blocks.push(Block {
                    dir,
                    line: n,
                    layers: Vec::new(),
                });
                (open, seen) = (true, BTreeSet::new());
            }
            continue;
        }
        if line.starts_with("```") {
            open = false;
        }
        if line.starts_with("```") || line.is_empty() || line.starts_with('#') {
            continue;
        }
        let expected = "expected `layer name: module, module::path, ...`";
        let Some((name, paths)) = line.split_once(':').filter(|(_, p)| !p.starts_with(':')) else {
            error(expected.into());
            continue;
        };
        let name = name.trim();
        if !name.starts_with(char::is_alphabetic)
            || !name.chars().all(|c| is_ident_char(c) || " -".contains(c))
        {
            error(format!(
                "`{name}` is not a layer name (letters, digits, spaces, `-`, `_`); {expected}"
            ));
        }
        let block = blocks.last_mut().unwrap();
        let mut layer = Layer {
            name: name.to_string(),
            modules: Vec::new(),
        };
        for path in paths.split(',').map(str::trim) {
            let module: Vec<String> = path.split("::").map(String::from).collect();
            let ident =
                |s: &String| !s.starts_with(char::is_numeric) && s.chars().all(is_ident_char);
            if !module.iter().all(ident) {
                error(format!(
                    "`{path}` is not a module path such as `data_layer::sql`; {expected}"
                ));
            } else if !seen.insert(module.clone()) {
                error(format!("`{path}` is listed twice"));
            } else {
                layer.modules.push(module);
            }
        }
        block.layers.push(layer);
    }
    if let Some(block) = blocks.last().filter(|_| open) {
        let text = format!("ARCHITECTURE.md:{}: the block is never closed", block.line);
        errors.push(Finding(Kind::Format, text));
    }
    (blocks, errors)
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

// ---------------------------------------------------------------- findings

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Format,
    Unlisted,
    Stale,
    Upward,
    Cycle,
}

/// A finding: what kind, and the text that says where, what and the fix.
#[derive(Debug)]
struct Finding(Kind, String);

// ---------------------------------------------------------------- the crate's modules

/// What one module declares: enough to resolve a path that goes through it.
#[derive(Default)]
struct Module {
    /// Its child modules (`mod x;`, `mod x { .. }`).
    children: BTreeSet<String>,
    /// The items it defines.
    items: BTreeSet<String>,
    /// The names it imports (`use`, `pub use`), and the paths they stand for.
    aliases: BTreeMap<String, Vec<String>>,
    /// Its glob imports (`use a::*`).
    globs: Vec<Vec<String>>,
}

/// Every module of a crate, by module path (the root is `[]`).
struct Crate(BTreeMap<Vec<String>, Module>);

impl Crate {
    /// The path from the crate root of `path` as written in module `at`, or none
    /// when it names something outside the crate (or a local name).
    fn absolute(&self, at: &[String], path: &[String], depth: usize) -> Option<Vec<String>> {
        let first = path.first()?;
        let supers = path.iter().take_while(|s| *s == "super").count();
        match first.as_str() {
            "crate" => Some(path[1..].to_vec()),
            "self" => Some([at, &path[1..]].concat()),
            "super" if supers <= at.len() => {
                Some([&at[..at.len() - supers], &path[supers..]].concat())
            }
            _ if self.0.get(at)?.children.contains(first) => Some([at, path].concat()),
            _ => {
                let target = self.0.get(at)?.aliases.get(first)?;
                if depth > 8 || target[..] == [first.clone()] {
                    return None; // an import of another crate (`use uuid;`), or a loop
                }
                Some([self.absolute(at, target, depth + 1)?, path[1..].to_vec()].concat())
            }
        }
    }

    /// The module where the item at `abs` really lives, re-exports followed.
    fn home(&self, mut abs: Vec<String>) -> Option<Vec<String>> {
        for _ in 0..16 {
            let n = (0..=abs.len())
                .rev()
                .find(|&n| self.0.contains_key(&abs[..n]))?;
            let (module, rest) = abs.split_at(n);
            let m = &self.0[module];
            let Some(name) = rest.first().filter(|name| !m.items.contains(*name)) else {
                return Some(module.to_vec());
            };
            let through_glob = m.globs.iter().find_map(|glob| {
                let glob = self.absolute(module, glob, 0)?;
                let there = self.0.get(&glob)?;
                let found = there.items.contains(name) || there.aliases.contains_key(name);
                found.then(|| [glob, vec![name.clone()]].concat())
            });
            let next = match (m.aliases.get(name), through_glob) {
                (Some(target), _) => self.absolute(module, target, 0)?,
                (None, Some(next)) => next,
                (None, None) => return Some(module.to_vec()), // an item the module defines
            };
            abs = [next, rest[1..].to_vec()].concat();
        }
        None // a re-export loop
    }
}

/// The module path of a file: `a/b.rs` and `a/b/mod.rs` are `a::b`, `lib.rs` the root.
fn module_of(rel: &str) -> Vec<String> {
    let rel = rel.trim_end_matches(".rs");
    let mut segs: Vec<String> = rel.split('/').map(String::from).collect();
    if segs.last().is_some_and(|s| s == "mod") || segs == ["lib"] {
        segs.pop();
    }
    segs
}

/// Whether the attributes hold `#[cfg(test)]` (or `#[cfg(all(test, ..))]`).
fn is_test(attrs: &[Attribute]) -> bool {
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

fn item_attrs(item: &Item) -> &[Attribute] {
    attrs!(
        Item, item, Const, Enum, Fn, Impl, Macro, Mod, Static, Struct, Trait, Type, Use
    )
}

/// Records what the module `module` (and the inline modules in it) declares.
fn declare(items: &[Item], module: &[String], modules: &mut BTreeMap<Vec<String>, Module>) {
    modules.entry(module.to_vec()).or_default();
    for item in items.iter().filter(|i| !is_test(item_attrs(i))) {
        if let Item::Mod(m) = item
            && let Some((_, inner)) = &m.content
        {
            declare(inner, &[module, &[m.ident.to_string()]].concat(), modules);
        }
        let m = modules.get_mut(module).unwrap();
        let name = match item {
            Item::Mod(i) => {
                m.children.insert(i.ident.to_string());
                Some(&i.ident)
            }
            Item::Use(u) => {
                for (path, name, ..) in use_leaves(u) {
                    match name {
                        Some(name) => drop(m.aliases.insert(name, path)),
                        None => m.globs.push(path),
                    }
                }
                None
            }
            Item::Fn(i) => Some(&i.sig.ident),
            Item::Macro(i) => i.ident.as_ref(),
            Item::Const(i) => Some(&i.ident),
            Item::Enum(i) => Some(&i.ident),
            Item::Static(i) => Some(&i.ident),
            Item::Struct(i) => Some(&i.ident),
            Item::Trait(i) => Some(&i.ident),
            Item::Type(i) => Some(&i.ident),
            Item::Union(i) => Some(&i.ident),
            _ => None,
        };
        m.items.extend(name.map(|n| n.to_string()));
    }
}

/// A leaf of a `use`: the path it names, the name it imports (none for a glob),
/// its line and how it reads.
type Leaf = (Vec<String>, Option<String>, usize, String);

fn use_leaves(u: &syn::ItemUse) -> Vec<Leaf> {
    fn walk(tree: &UseTree, prefix: &mut Vec<String>, out: &mut Vec<Leaf>) {
        let leaf = |ident: &syn::Ident| match ident == "self" {
            true => prefix.to_vec(),
            false => [&prefix[..], &[ident.to_string()]].concat(),
        };
        match tree {
            UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                walk(&p.tree, prefix, out);
                prefix.pop();
            }
            UseTree::Name(n) => {
                let (path, line) = (leaf(&n.ident), n.ident.span().start().line);
                out.push((path.clone(), path.last().cloned(), line, path.join("::")));
            }
            UseTree::Rename(r) => {
                let (path, line, rename) = (leaf(&r.ident), r.ident.span().start().line, &r.rename);
                let written = format!("{} as {rename}", path.join("::"));
                out.push((path, Some(rename.to_string()), line, written));
            }
            UseTree::Glob(g) => {
                let (written, line) = (format!("{}::*", prefix.join("::")), g.star_token.spans[0]);
                out.push((prefix.clone(), None, line.start().line, written));
            }
            UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, prefix, out)),
        }
    }
    // `use ::x` names another crate: a first segment that resolves to nothing.
    let mut prefix = vec![String::new(); usize::from(u.leading_colon.is_some())];
    let mut out = Vec::new();
    walk(&u.tree, &mut prefix, &mut out);
    out
}

// ---------------------------------------------------------------- references

/// One reference: where it is written, in which module, the path and how it reads.
struct Ref {
    file: String,
    line: usize,
    from: Vec<String>,
    path: Vec<String>,
    written: String,
    is_use: bool,
}

impl Ref {
    /// Where it is and how it reads: `dir/file:line: `path``.
    fn at(&self, dir: &str) -> String {
        format!("{dir}/{}:{}: `{}`", self.file, self.line, self.written)
    }
}

/// ` (and N more…)`, when there are more.
fn more(n: usize, what: &str) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(" (and {n} more{what})")
    }
}

/// Collects the references of one file.
struct Refs<'a> {
    file: &'a str,
    module: Vec<String>,
    out: &'a mut Vec<Ref>,
}

impl Refs<'_> {
    fn push(&mut self, path: Vec<String>, line: usize, use_written: Option<String>) {
        let (file, from, is_use) = (
            self.file.to_string(),
            self.module.clone(),
            use_written.is_some(),
        );
        let written = use_written.map_or_else(|| path.join("::"), |w| format!("use {w}"));
        self.out.push(Ref {
            file,
            line,
            from,
            path,
            written,
            is_use,
        });
    }

    /// The `crate::…` and `super::…` paths (`$crate::…` too) in a macro's tokens.
    fn scan(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let ident = |i: usize| match tokens.get(i) {
            Some(TokenTree::Ident(id)) => Some(id.clone()),
            _ => None,
        };
        let colons = |i: usize| {
            let colon =
                |i| matches!(tokens.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ':');
            colon(i) && colon(i + 1)
        };
        let mut i = 0;
        while i < tokens.len() {
            if let TokenTree::Group(g) = &tokens[i] {
                self.scan(g.stream());
            }
            let Some(start) = ident(i).filter(|id| id == "crate" || id == "super") else {
                i += 1;
                continue;
            };
            let mut path = vec![start.to_string()];
            while let Some(next) = ident(i + 3).filter(|_| colons(i + 1)) {
                path.push(next.to_string());
                i += 3;
            }
            if path.len() > 1 {
                self.push(path, start.span().start().line, None);
            }
            i += 1;
        }
    }
}

impl<'ast> Visit<'ast> for Refs<'_> {
    fn visit_item(&mut self, item: &'ast Item) {
        match item {
            _ if is_test(item_attrs(item)) => {}
            Item::Mod(m) => {
                self.module.push(m.ident.to_string());
                visit::visit_item_mod(self, m);
                self.module.pop();
            }
            // A `pub use` only signposts the item: whoever names it gets the edge.
            Item::Use(u) if matches!(u.vis, syn::Visibility::Inherited) => {
                for (path, _, line, written) in use_leaves(u) {
                    self.push(path, line, Some(written));
                }
            }
            Item::Use(_) => {}
            _ => visit::visit_item(self, item),
        }
    }

    fn visit_impl_item(&mut self, item: &'ast ImplItem) {
        if !is_test(attrs!(ImplItem, item, Const, Fn, Type, Macro)) {
            visit::visit_impl_item(self, item);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none() {
            let segs = path.segments.iter().map(|s| s.ident.to_string()).collect();
            self.push(segs, path.segments[0].ident.span().start().line, None);
        }
        visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        visit::visit_macro(self, mac);
        // `quote!` and friends hold the code they generate, not references.
        if !mac
            .path
            .segments
            .iter()
            .any(|s| s.ident.to_string().contains("quote"))
        {
            self.scan(mac.tokens.clone());
        }
    }
}

// ---------------------------------------------------------------- the check

/// The references from one node (a listed module, or an unlisted module) to
/// another, and the layers of both.
struct Edge<'a> {
    from: Option<(usize, &'a str)>,
    to: Option<(usize, &'a str)>,
    refs: Vec<Ref>,
}

type Edges<'a> = BTreeMap<(String, String), Edge<'a>>;

/// The checker: every finding for the crate whose `src/` files (path relative to
/// `src/` → source text) are `files`, against its `layers`. `dir` labels the files.
fn check(dir: &str, files: &BTreeMap<String, String>, layers: &[Layer]) -> Vec<Finding> {
    let (mut findings, mut parsed) = (Vec::new(), BTreeMap::new());
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
    // `mod x;` declarations: the test-only ones, and the ones moved by `#[path]`.
    let (mut test_mods, mut test_files, mut moved) = (Vec::new(), BTreeSet::new(), BTreeMap::new());
    for (rel, file) in &parsed {
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
    for (rel, file) in &parsed {
        let module = moved.get(rel).cloned().unwrap_or_else(|| module_of(rel));
        if !test_files.contains(rel) && !test_mods.iter().any(|t| module.starts_with(t)) {
            declare(&file.items, &module, &mut modules);
            paths.insert(rel.as_str(), module);
        }
    }
    paths.remove("lib.rs"); // the face: it imports and re-exports, in no layer
    for (rel, module) in paths.iter().filter(|(_, m)| listed(layers, m).is_none()) {
        let m = module.join("::");
        let text = format!(
            "{dir}/{rel} (module `{m}`) is in no layer: add `{m}`, or a module path that \
             prefixes it, to a layer of the ```layers {dir} block of ARCHITECTURE.md"
        );
        findings.push(Finding(Kind::Unlisted, text));
    }
    for layer in layers {
        for m in layer
            .modules
            .iter()
            .filter(|&m| !paths.values().any(|p| p == m))
        {
            let (name, m, file) = (&layer.name, m.join("::"), m.join("/"));
            let text = format!(
                "layer \"{name}\" lists `{m}`, which matches no file ({dir}/{file}.rs or \
                 {dir}/{file}/mod.rs): remove it from ARCHITECTURE.md, or create the module"
            );
            findings.push(Finding(Kind::Stale, text));
        }
    }
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

/// The layer of `module`: that of the longest listed path that prefixes it (its
/// index from the bottom, the path, the layer's name).
fn listed<'a>(layers: &'a [Layer], module: &[String]) -> Option<(usize, &'a [String], &'a str)> {
    let mut best: Option<(usize, &[String], &str)> = None;
    for (i, layer) in layers.iter().enumerate() {
        for m in layer.modules.iter().filter(|m| module.starts_with(m)) {
            if best.is_none_or(|(_, b, _)| m.len() > b.len()) {
                best = Some((i, m, &layer.name));
            }
        }
    }
    best
}

/// The references resolved to where their items live, as edges between nodes.
fn edges<'a>(krate: &Crate, refs: Vec<Ref>, layers: &'a [Layer]) -> Edges<'a> {
    let node = |module: &[String]| match listed(layers, module) {
        Some((layer, m, name)) => (m.join("::"), Some((layer, name))),
        None => (module.join("::"), None),
    };
    let mut edges: Edges = BTreeMap::new();
    for r in refs {
        // A one-word path in code is a local name, unless the module imports it.
        let imported = krate.0[&r.from].aliases.contains_key(&r.path[0]);
        if !r.is_use && r.path.len() == 1 && !imported {
            continue;
        }
        // The root is the face: what it re-exports was followed; the rest is its own.
        let abs = krate.absolute(&r.from, &r.path, 0);
        let Some(home) = abs
            .and_then(|abs| krate.home(abs))
            .filter(|h| !h.is_empty())
        else {
            continue;
        };
        let ((from_node, from), (to_node, to)) = (node(&r.from), node(&home));
        if from_node != to_node {
            let edge = edges.entry((from_node, to_node)).or_insert(Edge {
                from,
                to,
                refs: vec![],
            });
            edge.refs.push(r);
        }
    }
    for edge in edges.values_mut() {
        edge.refs
            .sort_by_key(|r| (!r.is_use, r.file.clone(), r.line));
    }
    edges
}

/// One finding per file and module above it that the file uses, at its first reference.
fn upward(dir: &str, edges: &Edges, findings: &mut Vec<Finding>) {
    for ((from, to), edge) in edges {
        let (Some((low, low_name)), Some((high, high_name))) = (edge.from, edge.to) else {
            continue;
        };
        if low >= high {
            continue;
        }
        let mut by_file: BTreeMap<&str, Vec<&Ref>> = BTreeMap::new();
        for r in &edge.refs {
            by_file.entry(&r.file).or_default().push(r);
        }
        for refs in by_file.values() {
            let at = refs[0].at(dir);
            let more = more(
                refs.len() - 1,
                &format!(" references to `{to}` in this file"),
            );
            let text = format!(
                "{at}: layer \"{low_name}\" (`{from}`) imports layer \
                 \"{high_name}\" (`{to}`) above it{more}.\n  fix: move what `{from}` needs from `{to}` \
                 down to layer \"{low_name}\" or below, or invert the dependency (a trait in the \
                 lower layer that the upper one implements)"
            );
            findings.push(Finding(Kind::Upward, text));
        }
    }
}

/// One finding per cycle: per strongly connected component of more than one node.
fn cycles(dir: &str, edges: &Edges, findings: &mut Vec<Finding>) {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in edges.keys() {
        next.entry(from).or_default().push(to);
    }
    // For each node, the nodes it reaches, each with the node before it on a shortest way.
    let reach = |start| {
        let (mut before, mut queue) = (BTreeMap::new(), VecDeque::from([start]));
        while let Some(n) = queue.pop_front() {
            for &m in next.get(n).into_iter().flatten() {
                if !before.contains_key(m) {
                    before.insert(m, n);
                    queue.push_back(m);
                }
            }
        }
        before
    };
    let reached: BTreeMap<&str, BTreeMap<&str, &str>> =
        next.keys().map(|&n| (n, reach(n))).collect();
    let mut done = BTreeSet::new();
    for (&n, from_n) in &reached {
        let back_to_n = |m: &&str| reached.get(m).is_some_and(|r| r.contains_key(n));
        let scc: BTreeSet<&str> = from_n.keys().copied().filter(back_to_n).collect();
        if scc.len() < 2 || !done.insert(n) {
            continue;
        }
        done.extend(scc.iter().copied());
        // An example: the shortest cycle through a node of the component.
        let cycle_through = |start| {
            let (mut cycle, mut at) = (vec![start], start);
            while let Some(&before) = reached[start].get(at) {
                cycle.push(before);
                at = before;
                if before == start {
                    break;
                }
            }
            cycle.reverse();
            quoted(&cycle, " -> ")
        };
        let examples: Vec<String> = scc.iter().map(|&m| cycle_through(m)).collect();
        let example = examples
            .iter()
            .min_by_key(|c| c.matches(" -> ").count())
            .unwrap();
        let names = quoted(&Vec::from_iter(scc.iter().copied()), ", ");
        let mut text = format!("cycle between {names} (such as {example}), through these edges:");
        let mut down = 0;
        for ((from, to), edge) in edges {
            if !scc.contains(&from[..]) || !scc.contains(&to[..]) {
                continue;
            } else if matches!((edge.from, edge.to), (Some((a, _)), Some((b, _))) if a > b) {
                down += 1;
                continue;
            }
            let (at, more) = (edge.refs[0].at(dir), more(edge.refs.len() - 1, ""));
            text += &format!("\n  `{from}` -> `{to}`: {at}{more}");
        }
        if down > 0 {
            text += &format!("\n  (and {down} edges down the layers, not shown: those are fine)");
        }
        text += "\n  fix: break one edge above: move the shared item down into a module of its own, or \
                 invert the dependency (a trait in the module that is used, implemented by the user)";
        findings.push(Finding(Kind::Cycle, text));
    }
}

/// The names, each in backquotes, joined by `sep`.
fn quoted(names: &[&str], sep: &str) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    names.join(sep)
}

// ---------------------------------------------------------------- the checker's own tests

mod checker {
    use super::*;

    /// The findings for an in-memory crate: `layers` is the body of a layers block,
    /// `krate` its files, each after a `//- path` line.
    fn run(layers: &str, krate: &str) -> Vec<Finding> {
        let (blocks, errors) = parse_blocks(&format!("```layers src\n{layers}\n```"));
        assert!(errors.is_empty(), "{errors:?}");
        let mut files = BTreeMap::new();
        for file in krate.split("//- ").skip(1) {
            let (path, source) = file.split_once('\n').unwrap();
            files.insert(path.trim().to_string(), source.to_string());
        }
        check("src", &files, &blocks[0].layers)
    }

    /// Asserts the findings' kinds, and that each text holds its expected part.
    fn assert_findings(findings: &[Finding], expected: &[(Kind, &str)]) {
        let ok = findings.len() == expected.len()
            && findings
                .iter()
                .zip(expected)
                .all(|(f, (k, part))| f.0 == *k && f.1.contains(part));
        assert!(ok, "expected {expected:#?}\nfound {findings:#?}");
    }

    const LOW_HIGH: &str = "low: low\nhigh: high";

    #[test]
    fn a_clean_crate_has_no_findings() {
        let findings = run(
            LOW_HIGH,
            "
//- lib.rs
mod low; mod high; pub use high::H;
//- low.rs
pub struct L; pub fn f() { vec![1]; }
//- high.rs
use crate::low::{self, L as Low};
use super::*;
fn g() -> Low { low::f(); crate::low::L }
",
        );
        assert_findings(&findings, &[]);
    }

    #[test]
    fn catches_an_upward_import() {
        let findings = run(
            LOW_HIGH,
            "
//- lib.rs
mod low; mod high;
//- low.rs

use crate::high::{Thing as T};
//- high.rs
pub struct Thing;
",
        );
        let text = "src/low.rs:2: `use crate::high::Thing as T`: layer \"low\" (`low`) imports \
                    layer \"high\" (`high`) above it.\n  fix: move what `low` needs from `high` down \
                    to layer \"low\" or below, or invert the dependency";
        assert_findings(&findings, &[(Kind::Upward, text)]);
    }

    #[test]
    fn catches_an_upward_import_in_code_and_in_a_macro() {
        let findings = run(
            "low: low, other\nhigh: high",
            "
//- lib.rs
mod low; mod other; mod high;
//- low.rs
fn f() { crate::high::g(); }
//- other.rs
fn f() { println!(\"{}\", crate::high::g()); }
//- high.rs
pub fn g() {}
",
        );
        let up = |part| (Kind::Upward, part);
        assert_findings(
            &findings,
            &[up("src/low.rs:1: `crate::high::g`"), up("src/other.rs:1")],
        );
    }

    #[test]
    fn catches_an_upward_import_behind_re_exports() {
        let krate = "
//- lib.rs
mod low; mod hub; pub use hub::Thing;
//- hub/mod.rs
mod inner; pub use inner::Thing; pub use self::inner::*;
//- hub/inner.rs
pub struct Thing; pub struct Other;
//- low.rs
";
        for low in [
            "use crate::hub::Thing;",
            "use crate::Thing;",
            "use crate::hub::Other;",
        ] {
            let findings = run("low: low, hub\nhigh: hub::inner", &format!("{krate}{low}"));
            let text = format!(
                "`{}`: layer \"low\" (`low`) imports layer \"high\" (`hub::inner`)",
                &low[..low.len() - 1]
            );
            assert_findings(&findings, &[(Kind::Upward, &text)]);
        }
    }

    #[test]
    fn resolves_super_super() {
        let findings = run(
            "low: a, a::b::c\nhigh: a::d",
            "
//- lib.rs
mod a;
//- a/mod.rs
mod b; mod d;
//- a/b/mod.rs
mod c;
//- a/b/c.rs
use super::super::d::Thing;
//- a/d.rs
pub struct Thing;
",
        );
        let text = "src/a/b/c.rs:1: `use super::super::d::Thing`: layer \"low\" (`a::b::c`) imports \
                    layer \"high\" (`a::d`)";
        assert_findings(&findings, &[(Kind::Upward, text)]);
    }

    #[test]
    fn catches_a_cycle_inside_one_layer() {
        let findings = run(
            "one: low, high",
            "
//- lib.rs
mod low; mod high;
//- low.rs
use crate::high::H;
pub struct L;
//- high.rs
pub struct H;
fn f() -> super::low::L { super::low::L }
",
        );
        let text = "cycle between `high`, `low` (such as `high` -> `low` -> `high`), through these edges:\n  \
                    `high` -> `low`: src/high.rs:2: `super::low::L` (and 1 more)\n  \
                    `low` -> `high`: src/low.rs:1: `use crate::high::H`\n  fix: break one edge";
        assert_findings(&findings, &[(Kind::Cycle, text)]);
    }

    #[test]
    fn catches_a_file_in_no_layer_and_a_stale_path() {
        let findings = run(
            "low: low, gone\nhigh: high",
            "
//- lib.rs
mod low; mod high; mod extra;
//- low.rs
//- high.rs
//- extra.rs
",
        );
        let unlisted = "src/extra.rs (module `extra`) is in no layer: add `extra`";
        let stale =
            "layer \"low\" lists `gone`, which matches no file (src/gone.rs or src/gone/mod.rs)";
        assert_findings(
            &findings,
            &[(Kind::Unlisted, unlisted), (Kind::Stale, stale)],
        );
    }

    #[test]
    fn ignores_test_code() {
        let up = "use crate::high::H; fn f() { crate::high::g(); }";
        let findings = run(
            LOW_HIGH,
            &format!(
                "
//- lib.rs
mod low; mod high;
//- high.rs
pub struct H; pub fn g() {{}}
//- low.rs
#[cfg(test)] use crate::high::H;
#[cfg(test)] mod testing;
#[cfg(test)] mod tests {{ use crate::high::H; }}
#[cfg(all(test, feature = \"x\"))] #[path = \"low_checks.rs\"] mod checks;
struct S;
impl S {{ #[cfg(test)] fn t() {{ crate::high::g(); }} }}
//- low/testing.rs
{up}
//- low/tests.rs
{up}
//- low/tests/deep.rs
{up}
//- low_checks.rs
{up}
"
            ),
        );
        assert_findings(&findings, &[]);
    }

    #[test]
    fn says_which_line_of_a_block_is_malformed() {
        let (_, errors) =
            parse_blocks("```layers src\nground: value\nexpr::sort\nmodel: a b, value\n```");
        let expected = [
            (
                Kind::Format,
                "ARCHITECTURE.md:3: `expr::sort`: expected `layer name: module, module::path, ...`",
            ),
            (
                Kind::Format,
                "ARCHITECTURE.md:4: `model: a b, value`: `a b` is not a module path",
            ),
            (
                Kind::Format,
                "ARCHITECTURE.md:4: `model: a b, value`: `value` is listed twice",
            ),
        ];
        assert_findings(&errors, &expected);
    }
}
