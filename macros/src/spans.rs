//! Generated tokens around a user's type, spanned so that rustc's span of the
//! whole is exactly the type's: tokens before it on its first token, tokens
//! after it on its last. rustc reports a type that is not a resource on the
//! span of the path or type that names it; stable Rust cannot join two spans
//! into one, and one span (the first token's) would mark only `offices` of
//! `offices::Office`: another error beside the one on the whole name, where the
//! code names the type alone.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::Type;
use syn::spanned::Spanned;

/// The spans of the first and the last token of `ty`.
pub fn ends(ty: &Type) -> (Span, Span) {
    let first = ty.span();
    let last = ty
        .to_token_stream()
        .into_iter()
        .last()
        .map_or(first, |t| t.span());
    (first, last)
}

/// `before ty after`, every token of `before` on `ty`'s first token and of
/// `after` on its last.
pub fn around(ty: &Type, before: TokenStream, after: TokenStream) -> TokenStream {
    let (first, last) = ends(ty);
    let mut out = respan(before, first);
    ty.to_tokens(&mut out);
    out.extend(respan(after, last));
    out
}

/// `<ty as ::ashore::__private::Resource>::item`, spanned as [`around`] does.
pub fn resource_item(ty: &Type, item: &str) -> TokenStream {
    let item = syn::Ident::new(item, Span::call_site());
    around(
        ty,
        quote::quote!(<),
        quote::quote!(as ::ashore::__private::Resource>::#item),
    )
}

/// `tokens`, each (groups and what they hold too) on `span`.
pub fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|token| match token {
            TokenTree::Group(g) => {
                let mut group = Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                TokenTree::Group(group)
            }
            mut other => {
                other.set_span(span);
                other
            }
        })
        .collect()
}
