//! The resource struct itself: the declared attributes, the belongs_to foreign
//! keys, then one `Loaded` field per relationship; all fields `pub`.

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
    let relationships = resource.relationships.iter().map(|r| {
        let (attrs, name) = (&r.attrs, &r.name);
        let ty = loaded_type(r);
        quote!(#(#attrs)* pub #name: #ty)
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
