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

use proc_macro2::{Punct, Spacing, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt, format_ident, quote, quote_spanned};
use syn::Ident;
use syn::ext::IdentExt;

use super::Ctx;
use crate::model::{Attribute, Origin, Relationship, Resource};
use crate::spans;

/// The struct `resource!` declares: its columns, then its relationships.
///
/// Written in one `quote!` over names, attributes and types: a stream
/// interpolated among tokens is sent across to the compiler with the tokens
/// before it, where tokens alone stay on the macro's side until their group
/// is made (`benches/compile_time/`, sixteenth session). Only a foreign key's
/// type, built on the destination's spans, is a stream of its own.
pub fn definition(resource: &Resource, columns: &[Attribute]) -> TokenStream {
    let Resource {
        attrs, vis, ident, ..
    } = resource;
    let (mut c_attrs, mut c_doc, mut c_name, mut c_ty) = (vec![], vec![], vec![], vec![]);
    for (index, a) in columns.iter().enumerate() {
        let rel = belongs_to(resource, a);
        // Said in words: the type reads as a `PrimaryKeyOf` with `{ _ }` in docs.
        c_doc.push(Vec::from_iter(rel.map(key_doc)));
        c_ty.push(match rel.map(|rel| &rel.destination) {
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
                FieldType::Built(ty)
            }
            None => FieldType::Declared(&a.ty),
        });
        c_attrs.push(&a.attrs);
        c_name.push(&a.name);
    }
    let serde = super::serde::field_attributes(attrs);
    let rels = &resource.relationships;
    let r_attrs = rels.iter().map(|r| &r.attrs);
    let r_name = rels.iter().map(|r| &r.name);
    let r_ty = rels.iter().map(FieldType::Loaded);
    let aggregates = super::aggregates::struct_fields(&resource.aggregates, &serde);
    quote! {
        #(#attrs)*
        #vis struct #ident {
            #(#(#c_attrs)* #(#[doc = #c_doc])* pub #c_name: #c_ty,)*
            #(#(#r_attrs)* #serde pub #r_name: #r_ty,)*
            #(#aggregates,)*
        }
    }
}

/// The type of a field of the struct, written as tokens where it can be.
enum FieldType<'a> {
    /// An attribute's type as declared.
    Declared(&'a syn::Type),
    /// A foreign key's, built on its destination's spans.
    Built(TokenStream),
    /// A relationship's ([`push_loaded_type`]).
    Loaded(&'a Relationship),
}

impl ToTokens for FieldType<'_> {
    fn to_tokens(&self, out: &mut TokenStream) {
        match self {
            FieldType::Declared(ty) => ty.to_tokens(out),
            FieldType::Built(ty) => ty.to_tokens(out),
            FieldType::Loaded(rel) => push_loaded_type(rel, out),
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

/// The doc of the foreign key a belongs_to adds (its field and accessor).
pub(super) fn key_doc(rel: &Relationship) -> String {
    let dest = &rel.destination;
    let dest = crate::model::type_name(dest)
        .map_or_else(|| quote!(#dest).to_string(), |i| i.unraw().to_string());
    format!(
        " The key of the belongs_to `{}`: the primary key of a `{dest}`.",
        rel.name.unraw()
    )
}

/// The belongs_to that adds `column`, if one does.
pub(super) fn belongs_to<'a>(
    resource: &'a Resource,
    column: &Attribute,
) -> Option<&'a Relationship> {
    let Origin::BelongsTo(by) = &column.origin else {
        return None;
    };
    resource.relationships.iter().find(|r| &r.name == by)
}

/// `__ASHORE_KEY_<index>`, the constant of the foreign key at `index`.
fn key_const(index: usize, span: Span) -> Ident {
    format_ident!("__ASHORE_KEY_{}", index, span = span)
}

/// `Loaded<Vec<D>>` (has_many, many_to_many) or `Loaded<Option<D>>`, the
/// paths in full, pushed token by token (see `definition`).
fn push_loaded_type(rel: &Relationship, out: &mut TokenStream) {
    let path = |out: &mut TokenStream, segments: &[&str]| {
        for segment in segments {
            out.append(Punct::new(':', Spacing::Joint));
            out.append(Punct::new(':', Spacing::Alone));
            out.append(Ident::new(segment, Span::call_site()));
        }
    };
    path(out, &["ashore", "__private", "Loaded"]);
    out.append(Punct::new('<', Spacing::Alone));
    if rel.kind.is_many() {
        path(out, &["std", "vec", "Vec"]);
    } else {
        path(out, &["core", "option", "Option"]);
    }
    out.append(Punct::new('<', Spacing::Alone));
    rel.destination.to_tokens(out);
    out.append(Punct::new('>', Spacing::Joint));
    out.append(Punct::new('>', Spacing::Alone));
}
