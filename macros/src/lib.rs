//! Procedural macros of ashore. Being written.
use proc_macro::TokenStream;

/// Declares a resource.
#[proc_macro]
pub fn resource(input: TokenStream) -> TokenStream {
    input
}

/// A filter expression.
#[proc_macro]
pub fn expr(input: TokenStream) -> TokenStream {
    input
}
