//! Generates the large schema into `OUT_DIR/schema.rs` (included by `src/lib.rs`):
//!
//! - a chain of `CHAIN` resources, `Chain000` .. `Chain099`, each with a
//!   belongs_to the previous and a has_many the next, so proving one record
//!   `Send`/`Sync` would walk all of them if the relationship fields let it;
//! - a cycle of `CYCLE` resources, `Cycle0` .. `Cycle3`, each with a belongs_to
//!   the previous and a has_many the next, the last pointing back at the first.
//!
//! Even-numbered resources are declared with `resource!`, odd-numbered ones with
//! `#[derive(Resource)]`, so both front ends sit in the chain and the cycle and
//! refer to each other. `register` adds every resource to a domain builder.

use std::fmt::Write;

const CHAIN: usize = 100;
const CYCLE: usize = 4;

fn main() {
    let mut out = String::new();
    let chain: Vec<String> = (0..CHAIN).map(|i| format!("Chain{i:03}")).collect();
    for (i, name) in chain.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chain[p].as_str());
        let next = chain.get(i + 1).map(String::as_str);
        resource(&mut out, i, name, prev, next);
    }
    let cycle: Vec<String> = (0..CYCLE).map(|i| format!("Cycle{i}")).collect();
    for (i, name) in cycle.iter().enumerate() {
        let prev = &cycle[(i + CYCLE - 1) % CYCLE];
        let next = &cycle[(i + 1) % CYCLE];
        resource(&mut out, i, name, Some(prev), Some(next));
    }
    out.push_str(
        "/// Adds every resource of the large schema to `builder`.\n\
         pub fn register(builder: DomainBuilder) -> DomainBuilder {\n    builder\n",
    );
    for name in chain.iter().chain(&cycle) {
        writeln!(out, "        .resource::<{name}>()").unwrap();
    }
    out.push_str("}\n");
    let path = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("schema.rs");
    std::fs::write(path, out).unwrap();
}

/// One resource: `resource!` when `i` is even, `#[derive(Resource)]` when odd.
fn resource(out: &mut String, i: usize, name: &str, prev: Option<&str>, next: Option<&str>) {
    if i.is_multiple_of(2) {
        let belongs_to = prev.map_or(String::new(), |p| format!("belongs_to prev: {p};"));
        let has_many = next.map_or(String::new(), |n| {
            format!("has_many next: {n} {{ destination_attribute prev_id; }}")
        });
        writeln!(
            out,
            "resource! {{\n    /// Resource {i}.\n    #[derive(Debug, Clone, PartialEq)]\n    \
             pub struct {name} {{\n        attributes {{ integer_primary_key id; attribute name: String; }}\n        \
             relationships {{ {belongs_to} {has_many} }}\n    }}\n}}\n"
        )
        .unwrap();
    } else {
        let belongs_to = prev.map_or(String::new(), |p| {
            format!(
                "    pub prev_id: Option<i64>,\n    #[resource(belongs_to)]\n    \
                 pub prev: Loaded<Option<{p}>>,\n"
            )
        });
        let has_many = next.map_or(String::new(), |n| {
            format!(
                "    #[resource(has_many(destination_attribute = prev_id))]\n    \
                 pub next: Loaded<Vec<{n}>>,\n"
            )
        });
        writeln!(
            out,
            "/// Resource {i}.\n#[derive(Debug, Clone, PartialEq, Resource)]\npub struct {name} {{\n    \
             #[resource(integer_primary_key)]\n    pub id: i64,\n    pub name: String,\n\
             {belongs_to}{has_many}}}\n"
        )
        .unwrap();
    }
}
