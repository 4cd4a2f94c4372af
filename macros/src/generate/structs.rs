//! The resource struct itself: the declared attributes, the belongs_to foreign
//! keys, then one `Loaded` field per relationship; all fields `pub`. A struct
//! that derives serde's `Serialize` gets each relationship left out while not
//! loaded; one that derives `Deserialize`, each relationship not loaded.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Attribute, Relationship, Resource};

/// The struct `resource!` declares: its columns, then its relationships.
pub fn definition(resource: &Resource, columns: &[Attribute]) -> TokenStream {
    let Resource {
        attrs, vis, ident, ..
    } = resource;
    let attributes = columns.iter().map(|a| {
        let (attrs, name, ty) = (&a.attrs, &a.name, &a.ty);
        quote!(#(#attrs)* pub #name: #ty)
    });
    let serde = serde_attributes(attrs);
    let relationships = resource.relationships.iter().map(|r| {
        let (attrs, name) = (&r.attrs, &r.name);
        let ty = loaded_type(r);
        quote!(#(#attrs)* #serde pub #name: #ty)
    });
    let aggregates = super::aggregates::struct_fields(&resource.aggregates);
    quote! {
        #(#attrs)*
        #vis struct #ident {
            #(#attributes,)*
            #(#relationships,)*
            #(#aggregates,)*
        }
    }
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

/// The serde attributes of a relationship field, from the struct's derives:
/// `Serialize` leaves a relationship out while it is not loaded (`Loaded`
/// serializes as its value, feature `serde` of ashore); `Deserialize` reads
/// none (each is not loaded). Nothing for a struct deriving neither.
fn serde_attributes(attrs: &[syn::Attribute]) -> TokenStream {
    let mut derives = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(last) = meta.path.segments.last() {
                derives.push(last.ident.to_string());
            }
            Ok(())
        });
    }
    let mut serde = Vec::new();
    if derives.iter().any(|d| d == "Serialize") {
        serde.push(quote!(
            skip_serializing_if = "::ashore::__private::Loaded::is_not_loaded"
        ));
    }
    if derives.iter().any(|d| d == "Deserialize") {
        serde.push(quote!(skip_deserializing));
    }
    if serde.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[serde(#(#serde),*)])
    }
}
