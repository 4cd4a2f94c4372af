//! Compile-time checks of what the macro cannot see: that destinations and join
//! resources are resources, and that the attributes named on them (destination
//! attribute, join attributes, sort keys) exist and are attributes. Each check is
//! spanned on the user's token (a default on the relationship's name), so rustc's
//! error lands there.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, Type};

use super::Ctx;
use crate::model::RelKind;

/// The compile-time checks of the resource (see the module comment).
pub fn checks(ctx: &Ctx) -> TokenStream {
    let mut out = TokenStream::new();
    for (index, rel) in ctx.resource.relationships.iter().enumerate() {
        let dest = &rel.destination;
        out.extend(assert_resource(dest));
        let mut on_destination: Vec<Ident> = ctx
            .resource
            .destination_attribute(rel)
            .into_iter()
            .collect();
        on_destination.extend(rel.sort().iter().map(|k| k.field.clone()));
        out.extend(attributes_exist(
            format_ident!("__ashore_check_{}", index),
            dest,
            &on_destination,
        ));
        if let (RelKind::ManyToMany, Some(join)) = (rel.kind, rel.through()) {
            out.extend(assert_resource(join));
            let (on_source, on_destination) = ctx.resource.join_attributes(rel);
            out.extend(attributes_exist(
                format_ident!("__ashore_check_join_{}", index),
                join,
                &[on_source, on_destination],
            ));
        }
    }
    out
}

/// `assert_resource::<T>();` on the user's type.
fn assert_resource(ty: &Type) -> TokenStream {
    quote_spanned! {ty.span()=> ::ashore::__private::assert_resource::<#ty>(); }
}

/// A function calling `f.<name>()` on `ty`'s fields for each name, each call on
/// the name's span.
fn attributes_exist(function: Ident, ty: &Type, names: &[Ident]) -> TokenStream {
    if names.is_empty() {
        return TokenStream::new();
    }
    let f = Ident::new("__ashore_f", Span::mixed_site().located_at(ty.span()));
    let fields = quote_spanned!(ty.span()=> &<#ty as ::ashore::__private::Resource>::Fields);
    let calls = names.iter().map(|name| {
        // One syntax context (the parameter's) for every generated token, located
        // on the name, so rustc blames exactly the user's name.
        let span = f.span().located_at(name.span());
        let mut receiver = f.clone();
        receiver.set_span(span);
        quote_spanned! {span=> ::ashore::__private::attribute_key(#receiver.#name()); }
    });
    quote! {
        #[allow(dead_code, non_snake_case)]
        fn #function(#f: #fields) {
            #(#calls)*
        }
    }
}
