//! `<Name>Fields`: the field references `expr!` works on, a zero-sized struct
//! with one `pub` field per attribute (`Attr<type>`, `ForeignKey<destination>`),
//! relationship (`Relationship<destination>`) and aggregate (`AggregateField`),
//! each a marker typed by what it names (`__private::fields`). The runtime's
//! template writes the struct, its `Fields` impl and the fields of the
//! attributes and of the relationships without a manual loader (see `impls`);
//! this file gives it the others. `expr!` builds every path and name itself and
//! reads a field only for its type, so a name that does not exist is rustc's
//! "no field `x` on type `&XFields`" (with the fields there are) on the user's
//! token.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::{Ctx, docs, name_lit};
use crate::model::{AggregateKind, Origin};

/// The fields the template does not write, `name [type] [docs]` each: one per
/// foreign key `resource!` adds, one per relationship with a manual loader and
/// one per aggregate but `list`s (the template, `__private::resource_items!`,
/// writes one per other attribute, the `accessors`, and one per other
/// relationship: `relationships::listed`). No type names a projection (see
/// the template's comment).
pub fn more_fields(ctx: &Ctx) -> TokenStream {
    let relationships = ctx
        .resource
        .relationships
        .iter()
        .filter(|r| r.manual().is_some());
    let relationships = relationships.map(|r| {
        let (name, dest) = (&r.name, &r.destination);
        let docs = docs(&r.attrs);
        // All on the destination: if it is not a resource, that is where it shows.
        let ty = if r.condition().is_none() {
            // Nothing a filter can go through: `__private::through` says so
            // where a path, `exists` or an aggregate names it.
            quote_spanned!(dest.span()=> __ashore::ManualWithoutCondition<#dest>)
        } else {
            quote_spanned!(dest.span()=> __ashore::Relationship<#dest>)
        };
        quote!(#name [#ty] [#(#docs)*])
    });
    // A belongs_to's foreign key `resource!` adds: typed by the destination,
    // whose primary key it is (the template writes the other attributes').
    let keys = ctx.columns.iter().filter_map(|a| {
        let Origin::BelongsTo(rel) = &a.origin else {
            return None;
        };
        let rel = ctx.resource.relationships.iter().find(|r| &r.name == rel)?;
        let (name, dest) = (&a.name, &rel.destination);
        let ty = quote_spanned!(dest.span()=> __ashore::ForeignKey<#dest>);
        Some(quote!(#name [#ty] []))
    });
    let resource = &ctx.resource.ident;
    let aggregates = readable(ctx).map(|aggregate| {
        let name = &aggregate.name;
        let docs = docs(&aggregate.attrs);
        let value = super::aggregates::value_type(aggregate);
        let ty = quote_spanned!(name.span()=> __ashore::AggregateField<#resource, #value>);
        quote!(#name [#ty] [#(#docs)*])
    });
    keys.chain(relationships).chain(aggregates).collect()
}

/// `impl Aggregates for X`: each aggregate a filter can name, by name, for
/// the `AggregateField`s (nothing for a resource without one).
pub fn aggregates_impl(ctx: &Ctx) -> TokenStream {
    let resource = &ctx.resource.ident;
    let arms: Vec<TokenStream> = readable(ctx)
        .map(|a| {
            let (name, lit) = (&a.name, name_lit(&a.name));
            quote!(#lit => #resource::#name().aggregate(),)
        })
        .collect();
    if arms.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl __ashore::Aggregates for #resource {
            fn aggregate(name: &str) -> __ashore::Aggregate {
                match name {
                    #(#arms)*
                    _ => ::core::unreachable!(),
                }
            }
        }
    }
}

/// The aggregates a filter can read: all but `list`s.
fn readable<'a>(ctx: &'a Ctx<'a>) -> impl Iterator<Item = &'a crate::model::Aggregate> + 'a {
    ctx.resource
        .aggregates
        .iter()
        .filter(|a| a.kind != AggregateKind::List)
}
