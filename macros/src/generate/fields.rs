//! `<Name>Fields`: the field references `expr!` works on. One method per attribute
//! returning a `Term` of the attribute's kind, one per relationship returning the
//! destination's `Fields` one step further along the path. A name that does not
//! exist is then rustc's "no method named `x`" on the user's token.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::{Ctx, docs, name_lit};

/// The struct (its `Fields` impl is in [`fields_impl`], inside the `const _`
/// block, where the runtime is one alias away).
pub fn fields_struct(ctx: &Ctx) -> TokenStream {
    let vis = &ctx.resource.vis;
    let fields = ctx.fields_ident();
    let ident = &ctx.resource.ident;
    let doc = format!(" Field references of `{ident}` for `expr!`.");
    // On the struct's name: "method not found in `XFields`" points there.
    quote_spanned! {ident.span()=>
        #[doc = #doc]
        #[doc(hidden)]
        #vis struct #fields {
            path: ::ashore::__private::Path,
        }
    }
}

/// Its `Fields` impl and the inherent methods.
pub fn fields_impl(ctx: &Ctx) -> TokenStream {
    let fields = ctx.fields_ident();
    // On the struct's name, as the struct.
    let fields_trait = quote_spanned! {ctx.resource.ident.span()=>
        impl __ashore::Fields for #fields {
            #[inline]
            fn at(path: __ashore::Path) -> Self {
                #fields { path }
            }
            #[inline]
            fn path(&self) -> &__ashore::Path {
                &self.path
            }
        }
    };
    let attributes = ctx.columns.iter().enumerate().map(|(index, a)| {
        let (name, ty, ends) = (&a.name, &ctx.types[index], ctx.ends[index]);
        let docs = docs(&a.attrs);
        let lit = name_lit(name);
        // All on the type: if it is not an attribute type, that is where it shows.
        // The return type spans the whole type (`spans::around`): on its first
        // token only, a belongs_to to a path that is not a resource
        // (`offices::Office`) was reported a second time, on `offices`.
        let term = crate::spans::around(
            ty,
            ends,
            |s| quote_spanned!(s=> __ashore::Term<<),
            |s| quote_spanned!(s=> as __ashore::Scalar>::Kind>),
        );
        quote_spanned! {ends.0=>
            #(#docs)*
            #[inline]
            pub fn #name(&self) -> #term {
                __ashore::attr(&self.path, #lit)
            }
        }
    });
    let relationships = ctx.resource.relationships.iter().map(|r| {
        let (name, dest) = (&r.name, &r.destination);
        let docs = docs(&r.attrs);
        let lit = name_lit(name);
        let fields = crate::spans::resource_item(dest, "Fields");
        if r.manual().is_some() && r.condition().is_none() {
            // Nothing a filter can go through: `__private::through` says so
            // where a path, `exists` or an aggregate names it.
            return quote_spanned! {dest.span()=>
                #(#docs)*
                #[inline]
                pub fn #name(&self) -> __ashore::ManualWithoutCondition<#dest> {
                    __ashore::ManualWithoutCondition::new(
                        __ashore::fields_at(__ashore::child(&self.path, #lit)),
                    )
                }
            };
        }
        // All on the destination: if it is not a resource, that is where it shows.
        quote_spanned! {dest.span()=>
            #(#docs)*
            #[inline]
            pub fn #name(&self) -> #fields {
                __ashore::fields_at(__ashore::child(&self.path, #lit))
            }
        }
    });
    // One stream each before they go into the impl (see `impls::resource_impl`).
    let (attributes, relationships): (TokenStream, TokenStream) =
        (attributes.collect(), relationships.collect());
    let aggregates = super::aggregates::terms(ctx);
    quote! {
        #fields_trait
        // The accessors mirror the fields: a pub resource may relate to a private one.
        #[allow(dead_code, private_interfaces)]
        impl #fields {
            #attributes
            #relationships
            #(#aggregates)*
        }
    }
}
