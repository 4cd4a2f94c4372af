//! Tests of the whole crate that need its private functions (a proc-macro crate
//! exports only its macros, so they cannot live in `macros/tests/`): the macros
//! never panic (`no_panic.rs`, property tests on the token streams of
//! `tokens.rs`), and what they expand to (`snapshots.rs`). `helpdesk.rs` holds
//! the inputs both use.

mod helpdesk;
mod no_panic;
mod snapshots;
mod tokens;

use proc_macro2::TokenStream;

use crate::errors::Errors;

/// Every error of `resource!` on `src` (parse and validation), in source order,
/// as `(line, column, message)`.
pub(crate) fn dsl_errors(src: &str) -> Vec<(usize, usize, String)> {
    let errors = Errors::new();
    let resource = crate::parse::dsl::resource(src.parse().unwrap(), &errors).unwrap();
    crate::validate::validate(resource, &errors);
    errors.into_messages()
}

/// Every error of `#[derive(Resource)]` on `src` (parse and validation), in
/// source order, as `(line, column, message)`.
pub(crate) fn derive_errors(src: &str) -> Vec<(usize, usize, String)> {
    let errors = Errors::new();
    let derived = crate::parse::derive::resource(src.parse().unwrap(), &errors).unwrap();
    crate::validate::validate_derive(derived.resource, &errors);
    errors.into_messages()
}

/// The messages of the `compile_error!`s in a macro's output, which must be
/// valid Rust items (as the output of `resource!` is, and the errors of any
/// macro).
pub(crate) fn compile_errors(out: &TokenStream) -> Vec<String> {
    let file: syn::File = syn::parse2(out.clone()).unwrap_or_else(|e| panic!("{e}: {out}"));
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Macro(m) if m.mac.path.segments.last()?.ident == "compile_error" => {
                Some(m.mac.parse_body::<syn::LitStr>().ok()?.value())
            }
            _ => None,
        })
        .collect()
}
