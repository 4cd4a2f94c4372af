//! The macros never panic: whatever tokens they are given, `resource!` and
//! `expr!` expand to `Ok` or to `Err`. A panic in a proc macro is a "proc macro
//! panicked" error with no span, and one in the IDE's macro server is worse.
//!
//! Properties on mutations of the valid Helpdesk inputs (`helpdesk.rs`: deletions,
//! duplications, swaps, replacements by keywords and idents, truncations,
//! insertions of punctuation, literals and groups, regrouping) and on random token
//! trees. Each expansion runs under `catch_unwind`, so a panic is a test failure
//! naming the input, and proptest shrinks it to a small one. `PROPTEST_CASES`
//! sets the number of cases (512 per property by default, a few seconds in debug).
//! What they found is kept below as plain regression tests.

use std::panic::{AssertUnwindSafe, catch_unwind};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use proptest::prelude::*;
use proptest::test_runner::Config;
use quote::quote;

use super::compile_errors;
use super::helpdesk::{EXPRS, RESOURCES};
use super::tokens::{Mutation, Node, apply, mutation, random_stream, stream, tree};

/// `expand` on `tokens`: the panic message as an `Err` if it panicked. When it
/// expands, `resource!`'s output must also be valid Rust items, and `expr!`'s a
/// valid expression, so the compiler reports the user's mistake and not a
/// syntax error in generated code (except in a pinned `^( .. )`, whose tokens are
/// passed through for rustc to parse as the user's own Rust).
fn no_panic(
    what: &str,
    expand: fn(TokenStream) -> TokenStream,
    tokens: &TokenStream,
) -> Result<(), TestCaseError> {
    let input = tokens.clone();
    let result = catch_unwind(AssertUnwindSafe(|| expand(input)));
    match result {
        Ok(out) => {
            let valid = match what {
                "resource!" => syn::parse2::<syn::File>(out.clone()).map(drop),
                // Errors instead of a filter: `compile_error!` items.
                _ if out.to_string().contains("compile_error") => Ok(()),
                _ => syn::parse2::<syn::Expr>(out.clone()).map(drop),
            };
            if let Err(e) = valid
                && !pins_rust_tokens(tokens)
            {
                return Err(TestCaseError::fail(format!(
                    "{what} generated invalid code ({e})\ninput: {tokens}\noutput: {out}"
                )));
            }
            Ok(())
        }
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            Err(TestCaseError::fail(format!(
                "{what} panicked: {message}\ninput: {tokens}"
            )))
        }
    }
}

/// Whether `tokens` hold a `^` followed by a parenthesized group, at any depth
/// (looking through invisible groups, as syn does).
fn pins_rust_tokens(tokens: &TokenStream) -> bool {
    let flat = visible(tokens.clone());
    flat.iter().enumerate().any(|(i, tt)| match tt {
        TokenTree::Group(g) => {
            let after_caret =
                i > 0 && matches!(&flat[i - 1], TokenTree::Punct(p) if p.as_char() == '^');
            (after_caret && g.delimiter() == Delimiter::Parenthesis)
                || pins_rust_tokens(&g.stream())
        }
        _ => false,
    })
}

/// The tokens with invisible groups replaced by their content.
fn visible(tokens: TokenStream) -> Vec<TokenTree> {
    tokens
        .into_iter()
        .flat_map(|tt| match tt {
            TokenTree::Group(g) if g.delimiter() == Delimiter::None => visible(g.stream()),
            tt => vec![tt],
        })
        .collect()
}

fn resource(tokens: &TokenStream) -> Result<(), TestCaseError> {
    no_panic("resource!", crate::expand::resource, tokens)
}

fn expr(tokens: &TokenStream) -> Result<(), TestCaseError> {
    no_panic("expr!", crate::expand::expr, tokens)
}

/// `base` with the mutations applied.
fn mutated(base: &str, mutations: &[Mutation]) -> TokenStream {
    let mut nodes = tree(base.parse().expect("the Helpdesk inputs are tokens"));
    for m in mutations {
        apply(&mut nodes, m);
    }
    stream(&nodes)
}

/// The default case count; `PROPTEST_CASES` overrides it. Failures are not
/// written to a regressions file (a found panic becomes a test below instead).
fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(512);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn resource_survives_mutations(
        base in 0..RESOURCES.len(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let tokens = mutated(RESOURCES[base].1, &mutations);
        resource(&tokens)?;
    }

    #[test]
    fn expr_survives_mutations(
        base in 0..EXPRS.len(),
        mutations in prop::collection::vec(mutation(), 1..5),
    ) {
        let tokens = mutated(EXPRS[base], &mutations);
        expr(&tokens)?;
    }

    #[test]
    fn random_tokens(nodes in random_stream()) {
        let tokens = stream(&nodes);
        resource(&tokens)?;
        expr(&tokens)?;
        // The same tokens as a filter option and as a relationship's body.
        let filter = quote! {
            struct T {
                attributes { uuid_primary_key id; }
                relationships { has_many a: T { filter #tokens; } has_one b: #tokens; }
            }
        };
        resource(&filter)?;
    }
}

/// Every unmutated input expands (so the mutations start from valid inputs).
#[test]
fn the_inputs_are_valid() {
    for (name, src) in RESOURCES {
        let out = crate::expand::resource(src.parse().unwrap());
        assert!(
            !out.to_string().contains("compile_error"),
            "{name} has errors: {out}"
        );
    }
    for src in EXPRS {
        let out = crate::expand::expr(src.parse().unwrap());
        assert!(!out.to_string().contains("compile_error"), "{src}: {out}");
    }
    let nodes: Vec<Node> = tree(RESOURCES[0].1.parse().unwrap());
    assert_eq!(
        stream(&nodes).to_string(),
        RESOURCES[0].1.parse::<TokenStream>().unwrap().to_string()
    );
}

/// The errors of `resource!` on `src` (the `compile_error!` items), checking
/// that what it generates next to them is valid Rust.
fn resource_errors(src: &str) -> Vec<String> {
    compile_errors(&crate::expand::resource(src.parse().unwrap()))
}

/// Inputs the properties found that expanded to invalid Rust: a keyword pinned
/// as a value (`&(struct)`), and a type ending in `+` (`<String + as Scalar>`).
#[test]
fn found_by_the_properties() {
    let error = |src: &str| {
        let out = crate::expand::expr(src.parse().unwrap());
        match compile_errors(&out).into_iter().next() {
            Some(message) => message,
            None => panic!("expected an error, got {out}"),
        }
    };
    assert!(error("a > ^struct").starts_with("expected a Rust value after `^`"));
    assert!(error("a > ^struct.0").starts_with("expected a Rust value after `^`"));
    assert!(error("a > ^x.struct").starts_with("expected an operator"));
    assert!(error("a > ^x::struct").starts_with("expected an operator"));
    // Paths and members that are values still pin.
    for ok in [
        "^self.min.0",
        "^Self::MAX",
        "^crate::limits::MAX",
        "^super::X",
        "^r#type",
    ] {
        let out = crate::expand::expr(format!("a > {ok}").parse().unwrap());
        assert!(!out.to_string().contains("compile_error"), "{ok}: {out}");
    }
    let body = "uuid_primary_key id; attribute s: String +;";
    assert_eq!(
        resource_errors(&format!("struct T {{ attributes {{ {body} }} }}")),
        ["expected `;`"]
    );
    let body = "has_one b: T +; many_to_many c: T { through J +; }";
    let errors = resource_errors(&format!(
        "struct T {{ attributes {{ uuid_primary_key id; }} relationships {{ {body} }} }}"
    ));
    assert_eq!(errors[0], "expected `;` or curly braces");
    assert_eq!(errors.last().unwrap(), "expected `;`");
}
