//! Compile-time checks of what the macro cannot see: that the sort keys of a
//! relationship are attributes of its destination. Each check is spanned on the
//! user's name, so rustc's error (with its suggestion of a similar name) lands
//! there. Key names and types are checked by `keys`; that a destination is a
//! resource shows where the code names `<D as Resource>`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, Type};

use super::Ctx;

/// The compile-time checks of the resource (see the module comment).
pub fn checks(ctx: &Ctx) -> TokenStream {
    let mut out = TokenStream::new();
    for (index, rel) in ctx.resource.relationships.iter().enumerate() {
        let sort: Vec<Ident> = rel.sort().iter().map(|k| k.field.clone()).collect();
        out.extend(attributes_exist(
            format_ident!("__ashore_check_{}", index),
            &rel.destination,
            &sort,
        ));
    }
    out
}

/// A function passing `&f.<name>` of `ty`'s fields to `attribute_key` for each
/// name, each on the name's span (an unknown name is rustc's "no field").
fn attributes_exist(function: Ident, ty: &Type, names: &[Ident]) -> TokenStream {
    if names.is_empty() {
        return TokenStream::new();
    }
    let f = Ident::new("__ashore_f", Span::mixed_site().located_at(ty.span()));
    let fields = quote_spanned!(ty.span()=> &<#ty as __ashore::Resource>::Fields);
    let calls = names.iter().map(|name| {
        // One syntax context (the parameter's) for every generated token, located
        // on the name, so rustc blames exactly the user's name.
        let span = f.span().located_at(name.span());
        let mut receiver = f.clone();
        receiver.set_span(span);
        quote_spanned! {span=> __ashore::attribute_key(&#receiver.#name); }
    });
    quote! {
        #[allow(dead_code, non_snake_case)]
        fn #function(#f: #fields) {
            #(#calls)*
        }
    }
}
