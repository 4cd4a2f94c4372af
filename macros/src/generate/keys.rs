//! The check that a relationship's two keys can match, which the macro cannot do
//! itself: the other resource's attribute types are not in its input. A call of
//! `__private::keys_match` for each pair of keys (manual relationships have
//! none) with the two attributes' accessors (`<Ticket>::representative_id`), so
//! rustc reports a key of one type against a key of another on the user's token
//! (the option naming the key, else the relationship's name), naming both types.
//! The calls end the resource's `const _` block: they run nothing.
//!
//! A `const _` item in that block reports a *default* key name the other
//! resource lacks, with the default looked for and the option that sets it (a
//! `const` panic, on the relationship's name); the calls then go in a `const _`
//! of their own inside it. A name given in an option that the resource lacks is
//! rustc's "no function or associated item" on that name, with its suggestion
//! of a similar one.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Ident, Type};

use super::Ctx;
use crate::model::{OptionKind, RelKind, Relationship, Resource};

/// One key: the attribute `name` of `ty` (`None`: `ty`'s primary key).
struct Key<'a> {
    ty: &'a Type,
    name: Option<Ident>,
}

/// A default key name that `ty` must have, and the error (on `span`) if not.
struct Required<'a> {
    ty: &'a Type,
    name: Ident,
    message: String,
    span: Span,
}

/// Two keys that must be able to match, and where a mismatch is reported.
struct Pair<'a> {
    source: Key<'a>,
    destination: Key<'a>,
    span: Span,
}

/// The key checks of every relationship of the resource (see the module comment).
pub fn key_checks(ctx: &Ctx) -> TokenStream {
    let resource = ctx.resource;
    let ident = &resource.ident;
    // Built, not parsed: parsing asks the compiler for every token.
    let own = Type::Path(syn::TypePath {
        qself: None,
        path: ident.clone().into(),
    });
    let mut pairs = Vec::new();
    let mut required = Vec::new();
    for rel in resource
        .relationships
        .iter()
        .filter(|r| r.manual().is_none() && !r.no_attributes() && !r.unreadable_options)
    {
        relationship(resource, rel, &own, &mut pairs, &mut required);
    }
    // A name of this resource that is not one of its columns is reported by
    // validation already.
    let known = |key: &Key| {
        !std::ptr::eq(key.ty, &own)
            || key
                .name
                .as_ref()
                .is_none_or(|n| ctx.columns.iter().any(|c| &c.name == n))
    };
    pairs.retain(|p| known(&p.source) && known(&p.destination));
    check(&pairs, &required)
}

/// The pairs and the required names of `rel`.
fn relationship<'a>(
    resource: &Resource,
    rel: &'a Relationship,
    own: &'a Type,
    pairs: &mut Vec<Pair<'a>>,
    required: &mut Vec<Required<'a>>,
) {
    let dest = &rel.destination;
    // On the first option given, else on `default`.
    let span_of = |kinds: &[OptionKind], default: Span| {
        kinds
            .iter()
            .find_map(|k| rel.ident_option(*k))
            .map_or(default, Ident::span)
    };
    let keys = [
        OptionKind::DestinationAttribute,
        OptionKind::SourceAttribute,
    ];
    let destination = Key {
        ty: dest,
        name: resource.destination_attribute(rel),
    };
    match rel.kind {
        RelKind::BelongsTo => {
            let key = rel.foreign_key();
            // `resource!` gives a foreign key it defines the type of the
            // destination's primary key: nothing to check.
            let defined = !resource.attributes.iter().any(|a| a.name == key);
            if !(defined && destination.name.is_none()) {
                pairs.push(Pair {
                    source: Key::on(own, key),
                    destination,
                    span: span_of(&keys, rel.name.span()),
                });
            }
        }
        RelKind::HasOne | RelKind::HasMany => {
            if let Some(name) = &destination.name
                && rel.ident_option(OptionKind::DestinationAttribute).is_none()
            {
                required.push(missing_default(
                    dest,
                    name,
                    rel,
                    OptionKind::DestinationAttribute,
                ));
            }
            pairs.push(Pair {
                source: Key::on(own, resource.source_attribute(rel)),
                destination,
                span: span_of(&keys, rel.name.span()),
            });
        }
        RelKind::ManyToMany => {
            let Some(join) = rel.through() else { return };
            let (on_source, on_destination) = resource.join_attributes(rel);
            for (name, option) in [
                (&on_source, OptionKind::SourceAttributeOnJoinResource),
                (
                    &on_destination,
                    OptionKind::DestinationAttributeOnJoinResource,
                ),
            ] {
                if rel.ident_option(option).is_none() {
                    required.push(missing_default(join, name, rel, option));
                }
            }
            pairs.push(Pair {
                source: Key::on(own, resource.source_attribute(rel)),
                destination: Key::on(join, on_source),
                span: span_of(
                    &[
                        OptionKind::SourceAttributeOnJoinResource,
                        OptionKind::SourceAttribute,
                    ],
                    rel.name.span(),
                ),
            });
            // Defaulted, on the destination rather than the name: two errors
            // with one span and alike types would show as one.
            pairs.push(Pair {
                source: Key::on(join, on_destination),
                destination,
                span: span_of(
                    &[
                        OptionKind::DestinationAttributeOnJoinResource,
                        OptionKind::DestinationAttribute,
                    ],
                    dest.span(),
                ),
            });
        }
    }
}

impl<'a> Key<'a> {
    /// The attribute `name` of `ty`.
    fn on(ty: &'a Type, name: Ident) -> Self {
        Key {
            ty,
            name: Some(name),
        }
    }
}

/// The error for a default key name `name` that `ty` lacks.
fn missing_default<'a>(
    ty: &'a Type,
    name: &Ident,
    rel: &Relationship,
    option: OptionKind,
) -> Required<'a> {
    let what = match option {
        OptionKind::DestinationAttribute => "destination attribute".to_owned(),
        other => other.keyword().to_owned(),
    };
    let ty_name = crate::model::type_name(ty)
        .map_or_else(|| quote!(#ty).to_string(), |i| i.unraw().to_string());
    Required {
        ty,
        name: name.clone(),
        span: rel.name.span(),
        message: format!(
            "`{ty_name}` has no attribute `{}`, the default {what} of {} `{}`; name it with `{}`",
            name.unraw(),
            rel.kind.keyword(),
            rel.name.unraw(),
            option.keyword(),
        ),
    }
}

/// The key checks: statements that end the resource's `const _` block, or,
/// with a default key name, one `const _` item (its own scope for the fallback
/// names).
fn check(pairs: &[Pair], required: &[Required]) -> TokenStream {
    if pairs.is_empty() && required.is_empty() {
        return TokenStream::new();
    }
    // A default name falls back to `Absent` when the type lacks it, so that it is
    // reported once, by `required`; an attribute's accessor shadows it. A name
    // given in an option has no fallback: rustc reports it on the user's name.
    let only_pairs = required.is_empty();
    let mut names: Vec<&Ident> = required.iter().map(|r| &r.name).collect();
    names.sort_by_key(|n| n.to_string());
    names.dedup_by_key(|n| n.to_string());
    let fallback = (!names.is_empty()).then(|| {
        let fallbacks = names
            .iter()
            .map(|name| quote!(fn #name() -> __ashore::Absent { __ashore::Absent }));
        quote! {
            #[allow(dead_code, non_snake_case)]
            trait __AshoreKeys {
                #(#fallbacks)*
            }
            impl<T: ?::core::marker::Sized> __AshoreKeys for T {}
        }
    });
    let required = required.iter().map(|r| {
        let (ty, name, message) = (r.ty, &r.name, &r.message);
        // Naming `ty` as a resource makes a type that is not one an error of
        // this item too (the same as where the code names it, so shown once),
        // and rustc then does not evaluate it.
        let resource = quote_spanned!(ty.span()=> <#ty as __ashore::Resource>::Fields);
        // One item each, so that every missing default is reported.
        let test = quote_spanned! {r.span=>
            if !__ashore::found::<#resource, _>(<#ty>::#name) {
                ::core::panic!(#message)
            }
        };
        quote!(const _: () = #test;)
    });
    let matches = pairs.iter().map(|p| {
        let (source, destination) = (accessor(&p.source), accessor(&p.destination));
        // Through locals spanned on the user's token, so rustc blames exactly it.
        quote_spanned! {p.span=> {
            let source = #source;
            let destination = #destination;
            __ashore::keys_match(source, destination);
        }}
    });
    // Statements of the block they end when there is nothing but pairs (the
    // usual case), not an item of their own: one body fewer per resource for
    // rustc to check and to mark green on every incremental build
    // (`benches/compile_time/`). With required names they stay an item after
    // those: rustc then reports a missing default before a key the options name
    // that the other resource lacks (`tests/ui`).
    if only_pairs {
        return quote!(#(#matches)*);
    }
    quote! {
        const _: () = {
            #fallback
            #(#required)*
            const _: () = { #(#matches)* };
        };
    }
}

/// The accessor of a key: `<Ty>::name`, or the primary key's.
fn accessor(key: &Key) -> TokenStream {
    let ty = key.ty;
    match &key.name {
        // `<`, `>` and `::` on the name too: rustc's "not found" then marks only it.
        Some(name) => quote_spanned!(name.span()=> <#ty>::#name),
        None => {
            let pk = quote_spanned!(ty.span()=> <#ty as __ashore::Resource>::PrimaryKey);
            quote!(__ashore::primary_key::<#ty, #pk>)
        }
    }
}
