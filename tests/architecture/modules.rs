//! What each module of a crate declares (child modules, items, imports), and
//! resolving a path through them: `crate::`, `super::`, `self::`, child modules,
//! imported names, and re-exports followed to where the item lives.

use std::collections::{BTreeMap, BTreeSet};

use syn::Item;

use crate::references::use_leaves;
use crate::sources::{is_test, item_attrs};

/// What one module declares: enough to resolve a path that goes through it.
#[derive(Default)]
pub struct Module {
    /// Its child modules (`mod x;`, `mod x { .. }`).
    pub children: BTreeSet<String>,
    /// The items it defines.
    pub items: BTreeSet<String>,
    /// The names it imports (`use`, `pub use`), and the paths they stand for.
    pub aliases: BTreeMap<String, Vec<String>>,
    /// Its glob imports (`use a::*`).
    pub globs: Vec<Vec<String>>,
}

/// What each module of a crate declares, by module path (the root is `[]`).
pub type Modules = BTreeMap<Vec<String>, Module>;

/// Every module of a crate, by module path (the root is `[]`).
pub struct Crate(pub BTreeMap<Vec<String>, Module>);

impl Crate {
    /// The path from the crate root of `path` as written in module `at`, or none
    /// when it names something outside the crate (or a local name).
    pub fn absolute(&self, at: &[String], path: &[String], depth: usize) -> Option<Vec<String>> {
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
    pub fn home(&self, mut abs: Vec<String>) -> Option<Vec<String>> {
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

/// Records what the module `module` (and the inline modules in it) declares.
pub fn declare(items: &[Item], module: &[String], modules: &mut BTreeMap<Vec<String>, Module>) {
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
