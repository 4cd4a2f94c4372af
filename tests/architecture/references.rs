//! Finding the references of a file: each private `use` leaf (groups, renames,
//! globs), each path in code, and each `crate::`/`super::` path in a macro's
//! tokens (not `quote!`'s: that is generated code); then resolving them to the
//! modules where their items live, as edges between listed modules.

use std::collections::BTreeMap;

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::{self, Visit};
use syn::{ImplItem, Item, UseTree};

use crate::modules::Crate;
use crate::sources::{impl_item_attrs, is_test, item_attrs};
use crate::spec::{Layer, listed};

/// A leaf of a `use`: the path it names, the name it imports (none for a glob),
/// its line and how it reads.
type Leaf = (Vec<String>, Option<String>, usize, String);

pub fn use_leaves(u: &syn::ItemUse) -> Vec<Leaf> {
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

/// One reference: where it is written, in which module, the path and how it reads.
pub struct Ref {
    pub file: String,
    pub line: usize,
    pub from: Vec<String>,
    pub path: Vec<String>,
    pub written: String,
    pub is_use: bool,
}

impl Ref {
    /// Where it is and how it reads: `dir/file:line: `path``.
    pub fn at(&self, dir: &str) -> String {
        format!("{dir}/{}:{}: `{}`", self.file, self.line, self.written)
    }
}

/// Collects the references of one file.
pub struct Refs<'a> {
    pub file: &'a str,
    pub module: Vec<String>,
    pub out: &'a mut Vec<Ref>,
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
        if !is_test(impl_item_attrs(item)) {
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

/// The references from one node (a listed module, or an unlisted module) to
/// another, and the layers of both.
pub struct Edge<'a> {
    pub from: Option<(usize, &'a str)>,
    pub to: Option<(usize, &'a str)>,
    pub refs: Vec<Ref>,
}

pub type Edges<'a> = BTreeMap<(String, String), Edge<'a>>;

/// The references resolved to where their items live, as edges between nodes.
pub fn edges<'a>(krate: &Crate, refs: Vec<Ref>, layers: &'a [Layer]) -> Edges<'a> {
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
