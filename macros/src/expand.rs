//! The pipelines of the three macros, one function each: parse the input,
//! validate the model, generate the code, and emit every error reported on the
//! way next to it (one [`Errors`] per call). Only a wrong structure (a
//! `resource!` block that cannot be read, a derive on an enum) aborts with its
//! one error; otherwise the resource is generated even with errors, from what
//! validation left, so code elsewhere that names it does not fail as well.

use proc_macro2::TokenStream;

use crate::errors::Errors;
use crate::{generate, parse, validate};

/// What to write instead of a template in `expr!`.
const EXPR_FIX: &str = "pin a Rust value instead (`^user.id`), or move the condition into a read \
     policy of the resource: `policy always() { authorize_if expr(..); }`";

/// `resource! { .. }`.
pub fn resource(input: TokenStream) -> TokenStream {
    let errors = Errors::new();
    let out = match parse::dsl::resource(input, &errors) {
        Ok(resource) => generate::generate(&validate::validate(resource, &errors), None),
        Err(abort) => {
            errors.syn_error(abort);
            TokenStream::new()
        }
    };
    with_errors(out, errors)
}

/// `#[derive(Resource)]`: as `resource!`, on the user's struct, which is not
/// emitted again.
pub fn derive_resource(input: TokenStream) -> TokenStream {
    let errors = Errors::new();
    let out = match parse::derive::resource(input, &errors) {
        Ok(derived) => {
            let resource = validate::validate_derive(derived.resource, &errors);
            generate::generate(&resource, Some(&derived.structure))
        }
        Err(abort) => {
            errors.syn_error(abort);
            TokenStream::new()
        }
    };
    with_errors(out, errors)
}

/// `expr!(..)`: the whole input is one filter, with no templates (`^actor(..)`,
/// `^tenant()`), which only a policy can fill.
pub fn expr(input: TokenStream) -> TokenStream {
    let errors = Errors::new();
    let out = match syn::parse::Parser::parse2(crate::expr::parse_whole, input) {
        Ok(filter) => {
            for template in filter.templates() {
                errors.syn_error(template.outside_policy("`expr!`", EXPR_FIX));
            }
            crate::expr::closure(&filter)
        }
        Err(abort) => {
            errors.syn_error(abort);
            TokenStream::new()
        }
    };
    match errors.check() {
        Ok(()) => out,
        // A filter in error is not emitted: it would only add type errors.
        Err(e) => e.into_compile_error(),
    }
}

/// `out`, then the errors, if any.
fn with_errors(mut out: TokenStream, errors: Errors) -> TokenStream {
    if let Err(e) = errors.check() {
        out.extend(e.into_compile_error());
    }
    out
}

#[cfg(test)]
mod tests;
