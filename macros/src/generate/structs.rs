//! The resource struct itself: the declared attributes, the belongs_to foreign
//! keys, then one `Loaded` field per relationship; all fields `pub`. A struct
//! that derives serde's `Serialize` gets each relationship left out while not
//! loaded; one that derives `Deserialize`, each relationship not loaded (see
//! `serde`, also for derives under `cfg_attr`).
//!
//! A foreign key `resource!` adds is typed as its destination's primary key
//! through a constant argument and one associated constant (see
//! `__private::foreign_key`), so that a destination that is not a resource is
//! one error, on the destination, where naming `<D as Resource>::PrimaryKey` in
//! the field made every use of the field another (the struct's `Send` and
//! `Sync`, each derive). The rest of the generated code names the plain
//! projection, which is the same type.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;
use syn::ext::IdentExt;

use super::Ctx;
use crate::model::{Attribute, Origin, Relationship, Resource};
use crate::spans;

/// The struct `resource!` declares: its columns (`types` their types'
/// tokens, `Ctx::types`), then its relationships.
pub fn definition(
    resource: &Resource,
    columns: &[Attribute],
    types: &[TokenStream],
) -> TokenStream {
    let Resource {
        attrs, vis, ident, ..
    } = resource;
    let attributes = columns.iter().enumerate().map(|(index, a)| {
        let (attrs, name) = (&a.attrs, &a.name);
        let rel = belongs_to(resource, a);
        // Said in words: the type reads as a `PrimaryKeyOf` with `{ _ }` in docs.
        let doc = rel.map(|rel| {
            let dest = &rel.destination;
            let dest = crate::model::type_name(dest)
                .map_or_else(|| quote!(#dest).to_string(), |i| i.unraw().to_string());
            let doc = format!(
                " The key of the belongs_to `{}`: the primary key of a `{dest}`.",
                rel.name.unraw()
            );
            quote!(#[doc = #doc])
        });
        let ty = match rel.map(|rel| &rel.destination) {
            Some(dest) => {
                // Spanned as `spans::around` does, and the path to the constant
                // over `dest` too: rustc reports the path's span.
                let (first, last) = spans::ends(dest);
                let mut source = ident.clone();
                source.set_span(first);
                let key = key_const(index, last);
                let constant = quote_spanned!(last=> #source::#key);
                let mut ty = quote_spanned!(first=> ::core::option::Option< <);
                ty.extend(quote_spanned! {last=>
                    #dest as ::ashore::__private::PrimaryKeyOf<{
                        ::ashore::__private::is_key(#constant)
                    }>>::Key>
                });
                ty
            }
            None => types[index].clone(),
        };
        quote!(#(#attrs)* #doc pub #name: #ty)
    });
    let serde = super::serde::field_attributes(attrs);
    let relationships = resource.relationships.iter().map(|r| {
        let (attrs, name) = (&r.attrs, &r.name);
        let ty = loaded_type(r);
        quote!(#(#attrs)* #serde pub #name: #ty)
    });
    let aggregates = super::aggregates::struct_fields(&resource.aggregates, &serde);
    quote! {
        #(#attrs)*
        #vis struct #ident {
            #(#attributes,)*
            #(#relationships,)*
            #(#aggregates,)*
        }
    }
}

/// The associated constants the foreign keys' types read (see the module
/// comment), for the struct's inherent impl.
pub fn key_consts(ctx: &Ctx) -> TokenStream {
    let consts = ctx.columns.iter().enumerate().filter_map(|(index, a)| {
        let dest = &belongs_to(ctx.resource, a)?.destination;
        let (first, last) = spans::ends(dest);
        let key = key_const(index, last);
        let ty = spans::around(
            dest,
            (first, last),
            |s| quote_spanned!(s=> ::core::marker::PhantomData< <),
            |s| quote_spanned!(s=> as __ashore::Resource>::PrimaryKey>),
        );
        // The value over `dest` too: its type is checked on its span.
        let mut value = quote_spanned!(first=> ::core::marker::);
        value.extend(quote_spanned!(last=> PhantomData));
        Some(quote! {
            #[doc(hidden)]
            const #key: #ty = #value;
        })
    });
    quote!(#(#consts)*)
}

/// The belongs_to that adds `column`, if one does.
fn belongs_to<'a>(resource: &'a Resource, column: &Attribute) -> Option<&'a Relationship> {
    let Origin::BelongsTo(by) = &column.origin else {
        return None;
    };
    resource.relationships.iter().find(|r| &r.name == by)
}

/// `__ASHORE_KEY_<index>`, the constant of the foreign key at `index`.
fn key_const(index: usize, span: Span) -> Ident {
    format_ident!("__ASHORE_KEY_{}", index, span = span)
}

/// `Loaded<Vec<D>>` (has_many, many_to_many) or `Loaded<Option<D>>`.
pub fn loaded_type(rel: &Relationship) -> TokenStream {
    let dest = &rel.destination;
    if rel.kind.is_many() {
        quote!(::ashore::__private::Loaded<::std::vec::Vec<#dest>>)
    } else {
        quote!(::ashore::__private::Loaded<::core::option::Option<#dest>>)
    }
}
