//! Relationships: the schema's `RelationshipInfo`s (defaults resolved, `filter` and
//! `sort` options as functions) and the `Rel` constructor of each relationship,
//! with its manual loader type-checked against the resource.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::Ident;
use syn::spanned::Spanned;

use super::{Ctx, docs, name_lit, schema_static};
use crate::expr;
use crate::model::{Order, ReadWith, RelKind, Relationship};

/// The schema's `relationships`, for the template (see [`info`]).
pub fn infos(ctx: &Ctx) -> TokenStream {
    // One `quote!` over the pieces: no stream of its own per relationship,
    // each one more step across to the compiler (`benches/compile_time/`).
    // The template names `<destination as Resource>::schema`: if the
    // destination is not a resource, rustc reports it on the destination.
    let infos: Vec<_> = ctx
        .resource
        .relationships
        .iter()
        .map(|r| info(ctx, r))
        .collect();
    let name = infos.iter().map(|i| &i.name);
    let kind = infos.iter().map(|i| &i.kind);
    let dest = infos.iter().map(|i| i.dest);
    let source = infos.iter().map(|i| &i.source);
    let destination = infos.iter().map(|i| &i.destination);
    let options = infos.iter().map(|i| &i.options);
    quote!(#(#name #kind [#dest] #source [#destination] [#options])*)
}

/// The pieces of one `RelationshipInfo::new(..)` for the template
/// (`__private::resource_items!`): `"name" Kind [destination] "source"
/// [Some("destination") or None] [options]`, the options it declares each by
/// its `with_` function (an option left at its default adds no tokens).
fn info<'a>(ctx: &Ctx, rel: &'a Relationship) -> Info<'a> {
    let resource = ctx.resource;
    let dest = &rel.destination;
    let name = name_lit(&rel.name);
    let kind = Ident::new(
        match rel.kind {
            RelKind::BelongsTo => "BelongsTo",
            RelKind::HasOne => "HasOne",
            RelKind::HasMany => "HasMany",
            RelKind::ManyToMany => "ManyToMany",
        },
        Span::call_site(),
    );
    let source = name_lit(&resource.source_attribute(rel));
    let destination = match resource.destination_attribute(rel) {
        Some(a) => {
            let a = name_lit(&a);
            quote!(__ashore::Some(#a))
        }
        None => quote!(__ashore::None),
    };
    let mut options = TokenStream::new();
    if rel.manual().is_some() {
        options.extend(quote!(.with_manual()));
    }
    let no_attributes = rel.no_attributes();
    if no_attributes {
        options.extend(quote!(.with_no_attributes()));
    }
    if let Some(join) = rel.through().filter(|_| rel.kind == RelKind::ManyToMany) {
        let (on_source, on_destination) = resource.join_attributes(rel);
        let (on_source, on_destination) = (name_lit(&on_source), name_lit(&on_destination));
        let schema = quote_spanned!(join.span()=> <#join as __ashore::Resource>::schema);
        options.extend(quote! {
            .with_through(__ashore::Through {
                resource: #schema,
                source_attribute_on_join_resource: #on_source,
                destination_attribute_on_join_resource: #on_destination,
            })
        });
    }
    if let Some(filter) = rel.filter() {
        let closure = if no_attributes {
            expr::relationship_closure(filter, &resource.ident)
        } else {
            expr::closure(filter)
        };
        options.extend(quote! {
            .with_filter(|| __ashore::filter_for::<#dest>(#closure))
        });
    }
    if let Some(condition) = rel.condition() {
        let closure = expr::relationship_closure(condition, &resource.ident);
        options.extend(quote! {
            .with_condition(|| __ashore::filter_for::<#dest>(#closure))
        });
    }
    if !rel.sort().is_empty() {
        let keys = rel.sort().iter().map(|k| {
            let field = name_lit(&k.field);
            let order = match k.order {
                Order::Asc => quote!(Asc),
                Order::Desc => quote!(Desc),
                Order::AscNilsFirst => quote!(AscNilsFirst),
                Order::DescNilsLast => quote!(DescNilsLast),
            };
            quote!(__ashore::Sort::new(#field, __ashore::Order::#order))
        });
        options.extend(quote!(.with_sort(|| ::std::vec![#(#keys),*])));
    }
    if rel.authorize_read_with() == ReadWith::Error {
        options.extend(quote! {
            .with_authorize_read_with(__ashore::AuthorizeReadWith::Error)
        });
    }
    Info {
        name,
        kind,
        dest,
        source,
        destination,
        options,
    }
}

/// The pieces of one relationship's `RelationshipInfo` (see [`info`]).
struct Info<'a> {
    name: syn::LitStr,
    kind: Ident,
    dest: &'a syn::Type,
    source: syn::LitStr,
    destination: TokenStream,
    options: TokenStream,
}

/// The relationships without a manual loader, for the template
/// (`__private::resource_items!`), which writes their `Fields` field and
/// their `Rel` constructor: `index name "name" [destination] rel_one|rel_many
/// ToOne|ToMany [docs]` each.
pub fn listed(ctx: &Ctx) -> TokenStream {
    let listed: Vec<_> = ctx
        .resource
        .relationships
        .iter()
        .enumerate()
        .filter(|(_, rel)| rel.manual().is_none())
        .collect();
    let index = listed.iter().map(|(i, _)| Literal::usize_unsuffixed(*i));
    let name = listed.iter().map(|(_, r)| &r.name);
    let lit = listed.iter().map(|(_, r)| name_lit(&r.name));
    let dest = listed.iter().map(|(_, r)| &r.destination);
    let (new, cardinality): (Vec<_>, Vec<_>) = listed
        .iter()
        .map(|(_, r)| {
            let (new, cardinality) = if r.kind.is_many() {
                ("rel_many", "ToMany")
            } else {
                ("rel_one", "ToOne")
            };
            let ident = |s| Ident::new(s, Span::call_site());
            (ident(new), ident(cardinality))
        })
        .unzip();
    let docs: Vec<Vec<_>> = listed
        .iter()
        .map(|(_, r)| docs(&r.attrs).collect())
        .collect();
    // One `quote!` over the pieces (see `infos`).
    quote!(#(#index #name #lit [#dest] #new #cardinality [#(#docs)*])*)
}

/// `pub fn tickets() -> Rel<Self, Ticket, ToMany>` for each relationship with
/// a manual loader (`ToOne` for a belongs_to or has_one; the others' are the
/// template's, see [`listed`]).
pub fn constructors<'a>(ctx: &'a Ctx<'a>) -> impl Iterator<Item = TokenStream> + 'a {
    let schema = schema_static();
    ctx.resource
        .relationships
        .iter()
        .enumerate()
        .filter(|(_, rel)| rel.manual().is_some())
        .map(move |(index, rel)| {
            let (name, dest) = (&rel.name, &rel.destination);
            let docs = docs(&rel.attrs);
            let index = Literal::usize_unsuffixed(index);
            let (one_or_many, cardinality) = if rel.kind.is_many() {
                (
                    quote_spanned!(dest.span()=> many),
                    quote_spanned!(dest.span()=> ToMany),
                )
            } else {
                (
                    quote_spanned!(dest.span()=> one),
                    quote_spanned!(dest.span()=> ToOne),
                )
            };
            let manual = rel.manual().map(|loader| {
                quote_spanned! {loader.span()=>
                    .with_manual(__ashore::manual::<Self, #dest, _>(#loader))
                }
            });
            // The return type sets the `Rel`'s parameters, which the closure's
            // types follow; a method called on it (`with_manual`) needs them
            // named.
            let rel = match manual {
                Some(_) => quote_spanned!(dest.span()=> __ashore::Rel::<Self, #dest, __ashore::#cardinality>),
                None => quote_spanned!(dest.span()=> __ashore::Rel),
            };
            // On the destination: if it is not a resource, that is where it shows.
            quote_spanned! {dest.span()=>
                #(#docs)*
                #[must_use]
                pub fn #name() -> __ashore::Rel<Self, #dest, __ashore::#cardinality> {
                    #rel::#one_or_many(
                        &#schema.relationships[#index],
                        |record, value| record.#name = __ashore::loaded(value),
                    )
                    #manual
                }
            }
        })
}
