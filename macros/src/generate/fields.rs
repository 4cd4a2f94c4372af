//! `<Name>Fields`: the field references `expr!` works on. One method per attribute
//! returning a `Term` of the attribute's kind (written by the runtime's template,
//! see `impls`), one per relationship returning the destination's `Fields` one
//! step further along the path. A name that does not exist is then rustc's "no
//! method named `x`" on the user's token.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::{Ctx, docs, name_lit};

/// The struct (its `Fields` impl is the template's, inside the `const _`
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

/// Its inherent methods the template does not write: one per relationship
/// with a manual loader and one per aggregate (the template,
/// `__private::resource_items!`, writes the `Fields` impl, one method per
/// attribute and one per other relationship: `relationships::listed`).
pub fn more_methods(ctx: &Ctx) -> TokenStream {
    let relationships = ctx
        .resource
        .relationships
        .iter()
        .filter(|r| r.manual().is_some());
    let relationships = relationships.map(|r| {
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
    let relationships: TokenStream = relationships.collect();
    let aggregates = super::aggregates::terms(ctx);
    quote! {
        #relationships
        #(#aggregates)*
    }
}
