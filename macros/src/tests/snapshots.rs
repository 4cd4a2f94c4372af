//! Expansion snapshots: what `resource!` and `expr!` generate for the Helpdesk,
//! formatted with prettyplease, under `snapshots/` beside this file. A change to
//! code generation shows up as a diff of these files, to read like a user would.
//!
//! Reviewing a change (cargo-insta is not needed):
//!
//! - `cargo test -p ashore-macros snapshots` fails on a changed expansion and, when
//!   `CI` is unset, writes the new one next to the old as `<name>.snap.new`: diff
//!   the two, then rename the `.snap.new` over the `.snap` to accept it.
//! - `INSTA_UPDATE=always cargo test -p ashore-macros snapshots` overwrites the
//!   `.snap` files directly (and writes new ones); review with `git diff`.
//! - `INSTA_UPDATE=no` only compares; with `CI` set (as in `.ci/run`) that is the
//!   default, so CI never writes a snapshot and fails on any difference.
//!
//! A front end adds its snapshots with one call: [`snapshot_expansion`] for any
//! expansion (the derive's included), [`snapshot_resource`] for `resource!`.

use proc_macro2::TokenStream;
use quote::quote;

use super::helpdesk::{EXPRS, POLICED_TICKET, REPRESENTATIVE, TAG, TICKET, TICKET_TAG};

/// Snapshots `output`, the expansion of `input`, as formatted Rust under
/// `snapshots/ashore_macros__tests__snapshots__<name>.snap`, after the input as
/// comments, so the file shows both. `output` must be valid items.
pub(crate) fn snapshot_expansion(name: &str, input: &str, output: TokenStream) {
    let file: syn::File = match syn::parse2(output.clone()) {
        Ok(file) => file,
        Err(e) => panic!("the expansion of {name} is not valid Rust ({e}):\n{output}"),
    };
    let mut snapshot = String::new();
    for line in dedent(input) {
        snapshot.push_str(format!("// {line}").trim_end());
        snapshot.push('\n');
    }
    snapshot.push('\n');
    snapshot.push_str(&prettyplease::unparse(&file));
    let mut settings = insta::Settings::clone_current();
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, snapshot));
}

/// The lines of `text` without the blank lines around it and the indentation
/// they all share.
fn dedent(text: &str) -> Vec<&str> {
    let lines: Vec<&str> = text.trim_matches('\n').lines().collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or("").trim_end())
        .collect()
}

/// Snapshots the expansion of `resource! { <src> }`.
pub(crate) fn snapshot_resource(name: &str, src: &str) {
    let output = crate::expand::resource(src.parse().expect("the input is tokens"));
    snapshot_expansion(name, &format!("resource! {{{src}}}"), output);
}

/// Snapshots the expansion of `expr!(<src>)`, as the initializer of a `let` (a
/// closure is not an item).
fn snapshot_expr(name: &str, src: &str) {
    let closure = crate::expand::expr(src.parse().expect("the input is tokens"));
    let output = quote! {
        fn filter() {
            let filter = #closure;
        }
    };
    snapshot_expansion(name, &format!("expr!({src})"), output);
}

#[test]
fn representative() {
    snapshot_resource("representative", REPRESENTATIVE);
}

#[test]
fn ticket() {
    snapshot_resource("ticket", TICKET);
}

#[test]
fn tag() {
    snapshot_resource("tag", TAG);
}

#[test]
fn ticket_tag() {
    snapshot_resource("ticket_tag", TICKET_TAG);
}

/// A resource with mistakes: the errors, and next to them the resource generated
/// from what was left (the misplaced `manual` and the misspelled option dropped),
/// so code naming `Ticket` elsewhere still compiles.
#[test]
fn resource_with_errors() {
    snapshot_resource(
        "ticket_with_errors",
        r#"
        pub struct Ticket {
            attributes {
                uuid_primary_key id;
                attribute subject: String;
            }
            relationships {
                belongs_to representative: Representative { manual Loader; }
                has_many comments: Comment { srot created_at; }
            }
        }
        "#,
    );
}

/// Read policies (every check and effect, templates in `expr(..)`),
/// multitenancy and `authorize_read_with`.
#[test]
fn ticket_with_policies() {
    snapshot_resource("ticket_with_policies", POLICED_TICKET);
}

#[test]
fn filters() {
    let names = [
        "expr_pinned_list",
        "expr_path",
        "expr_logic",
        "expr_exists",
        "expr_arithmetic",
        "expr_exists_nested_path",
    ];
    for (name, src) in names.into_iter().zip(EXPRS) {
        snapshot_expr(name, src);
    }
}

/// Aggregates: each kind's field (`Loaded<..>` of its value type), its `Agg`
/// constructor through `__private::aggregate_*`, and its field reference for
/// `expr!` (none for a `list`).
#[test]
fn aggregates() {
    snapshot_resource(
        "representative_with_aggregates",
        r#"
        pub struct Representative {
            attributes {
                uuid_primary_key id;
            }
            relationships {
                has_many tickets: Ticket;
            }
            aggregates {
                count open_ticket_count: tickets { filter status == "open"; }
                sum total_priority: tickets.priority as i64;
                avg mean_priority: tickets.priority;
                list subjects: tickets.subject as String;
                exists has_comments: tickets.comments;
            }
        }
        "#,
    );
}
