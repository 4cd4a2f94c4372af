//! The findings, and the checks that make them: files in no layer, listed paths
//! that match no file, imports of a layer above, and cycles between modules. Each
//! finding's text says where, what, and the fix.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::references::{Edges, Ref};
use crate::spec::{Layer, listed};

/// What a finding is about: a malformed block, a file in no layer, a stale path,
/// an import of a layer above, a cycle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Format,
    Unlisted,
    Stale,
    Upward,
    Cycle,
}

/// A finding: what kind, and the text that says where, what and the fix.
#[derive(Debug)]
pub struct Finding(pub Kind, pub String);

/// One finding per file whose module is in no layer.
pub fn unlisted(
    dir: &str,
    paths: &BTreeMap<&str, Vec<String>>,
    layers: &[Layer],
    findings: &mut Vec<Finding>,
) {
    for (rel, module) in paths.iter().filter(|(_, m)| listed(layers, m).is_none()) {
        let m = module.join("::");
        let text = format!(
            "{dir}/{rel} (module `{m}`) is in no layer: add `{m}`, or a module path that \
             prefixes it, to a layer of the ```layers {dir} block of ARCHITECTURE.md"
        );
        findings.push(Finding(Kind::Unlisted, text));
    }
}

/// One finding per listed module path that matches no file.
pub fn stale(
    dir: &str,
    paths: &BTreeMap<&str, Vec<String>>,
    layers: &[Layer],
    findings: &mut Vec<Finding>,
) {
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
}

/// One finding per file and module above it that the file uses, at its first reference.
pub fn upward(dir: &str, edges: &Edges, findings: &mut Vec<Finding>) {
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
pub fn cycles(dir: &str, edges: &Edges, findings: &mut Vec<Finding>) {
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

/// ` (and N more…)`, when there are more.
fn more(n: usize, what: &str) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(" (and {n} more{what})")
    }
}
