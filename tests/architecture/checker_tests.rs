//! The checker's own tests: it runs on small in-memory crates, each file after a
//! `//- path` line, and each test asserts the findings' kinds and texts.

use std::collections::BTreeMap;

use crate::check::check;
use crate::findings::{Finding, Kind};
use crate::spec::parse_blocks;

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
