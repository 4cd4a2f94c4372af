//! Aggregates: the type of the field that holds each one's value, and its
//! `Agg` constructor (`pub fn open_ticket_count() -> Agg<Self, i64>`), which
//! builds the aggregate through `__private::aggregate_*` so the compiler checks
//! on the user's tokens that the path names relationships, that the field is
//! an attribute of a kind the aggregate takes and of the declared type, and
//! that the filter is a condition on the destination. A resource without
//! aggregates gets no code from here.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::Ident;
use syn::spanned::Spanned;

use super::docs;
use crate::expr;
use crate::model::{Aggregate, AggregateKind};

/// The type of the value, inside the field's `Loaded<..>`: the derive field's
/// own, or `i64`, `bool`, `Option<f64>`, `Option<T>` for `as T`.
pub fn value_type(aggregate: &Aggregate) -> TokenStream {
    let span = aggregate.keyword.span();
    if aggregate.from_field
        && let Some(ty) = &aggregate.ty
    {
        return quote!(#ty);
    }
    match (aggregate.kind, &aggregate.ty) {
        (AggregateKind::Count, _) => quote_spanned!(span=> ::core::primitive::i64),
        (AggregateKind::Exists, _) => quote_spanned!(span=> ::core::primitive::bool),
        (AggregateKind::Avg, _) => {
            quote_spanned!(span=> ::core::option::Option<::core::primitive::f64>)
        }
        (AggregateKind::List, Some(ty)) => quote_spanned!(ty.span()=> ::std::vec::Vec<#ty>),
        (_, Some(ty)) => quote_spanned!(ty.span()=> ::core::option::Option<#ty>),
        // Reported by validation, which drops the aggregate.
        (_, None) => quote_spanned!(span=> ::core::option::Option<::core::primitive::i64>),
    }
}

/// `pub name: Loaded<T>`, for the struct `resource!` declares, with the
/// struct's serde attributes (`serde`, as its relationships get them).
pub fn struct_fields<'a>(
    aggregates: &'a [Aggregate],
    serde: &'a TokenStream,
) -> impl Iterator<Item = TokenStream> + 'a {
    aggregates.iter().map(move |a| {
        let (attrs, name) = (&a.attrs, &a.name);
        let ty = value_type(a);
        quote!(#(#attrs)* #serde pub #name: ::ashore::__private::Loaded<#ty>)
    })
}

/// The constructor of each aggregate.
pub fn constructors(aggregates: &[Aggregate]) -> impl Iterator<Item = TokenStream> + '_ {
    aggregates.iter().map(constructor)
}

fn constructor(aggregate: &Aggregate) -> TokenStream {
    let name = &aggregate.name;
    let docs = docs(&aggregate.attrs);
    let lit = super::name_lit(name);
    let ty = value_type(aggregate);
    let keyword = &aggregate.keyword;
    let at = Ident::new("__ashore_at", Span::mixed_site());
    let reads = aggregate.kind.reads_field();
    let (hops, field) = match (reads, aggregate.path.split_last()) {
        (true, Some((field, hops))) => (hops, Some(field)),
        _ => (&aggregate.path[..], None),
    };
    // Each hop on its own token: an unknown relationship is rustc's "no
    // field `x`" there (the parameter is the same hygienic binding wherever
    // it is located). The path is built here; the closure only types it.
    let here = |span: Span| Ident::new("__ashore_at", Span::mixed_site().located_at(span));
    let first = hops.first().map_or(keyword.span(), Ident::span);
    let receiver = here(first);
    let names = hops.iter().map(super::name_lit);
    let names = quote_spanned!(keyword.span()=> &[#(#names),*]);
    // A hop before the last goes through `__private::through`, which refuses
    // a manual relationship without a `condition` on its name (the last one
    // is checked by the aggregate's `Relationships` bound).
    let reached = match hops.split_last() {
        Some((last, before)) => {
            let mut reached = quote!(#receiver);
            for hop in before {
                let span = Span::mixed_site().located_at(hop.span());
                reached = quote_spanned!(span=> __ashore::through(&#reached.#hop));
            }
            quote_spanned!(Span::mixed_site().located_at(last.span())=> #reached.#last)
        }
        // Reported by validation: an aggregate names a relationship.
        None => quote!(#receiver),
    };
    let path = quote!(#names, |#at: &<Self as __ashore::Resource>::Fields| #reached);
    let filter = match &aggregate.filter {
        Some(filter) => expr::closure(filter),
        None => quote!(|_| __ashore::no_filter()),
    };
    let read = field.map(|f| {
        let receiver = here(f.span());
        let lit = super::name_lit(f);
        quote_spanned!(f.span()=> #lit, |#receiver| #receiver.#f)
    });
    let build = match aggregate.kind {
        AggregateKind::Count => {
            quote_spanned!(keyword.span()=> __ashore::aggregate_count::<Self, _, _>(#path, #filter))
        }
        AggregateKind::Exists => {
            quote_spanned!(keyword.span()=> __ashore::aggregate_exists::<Self, _, _>(#path, #filter))
        }
        AggregateKind::Sum => {
            quote_spanned!(keyword.span()=> __ashore::aggregate_sum::<Self, _, _, _>(#path, #read, #filter))
        }
        AggregateKind::Avg => {
            quote_spanned!(keyword.span()=> __ashore::aggregate_avg::<Self, _, _, _>(#path, #read, #filter))
        }
        AggregateKind::Min | AggregateKind::Max => {
            let max = aggregate.kind == AggregateKind::Max;
            quote_spanned!(keyword.span()=> __ashore::aggregate_extreme::<Self, _, _, _>(#max, #path, #read, #filter))
        }
        AggregateKind::First => {
            quote_spanned!(keyword.span()=> __ashore::aggregate_first::<Self, _, _, _>(#path, #read, #filter))
        }
        AggregateKind::List => {
            quote_spanned!(keyword.span()=> __ashore::aggregate_list::<Self, _, _, _>(#path, #read, #filter))
        }
    };
    quote! {
        #(#docs)*
        #[inline]
        pub fn #name() -> __ashore::Agg<Self, #ty> {
            __ashore::Agg::new(
                #lit,
                || #build,
                |record, value| { record.#name = __ashore::loaded(value) },
            )
        }
    }
}
