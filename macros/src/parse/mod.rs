//! `resource!` syntax -> [`model::Resource`](crate::model::Resource);
//! `#[derive(Resource)]` is the other front end, in `derive.rs`.
//!
//! The struct header and the blocks are parsed strictly (an error there aborts).
//! Inside a block, each item (`attribute name: String;`, a relationship, a
//! relationship option) is cut out of the token stream at its `;` (or its `{ }`)
//! and parsed on its own, so a mistake in one item is reported and the others
//! still make it into the model: one mistake gives one error, not a cascade.
//! Words where a keyword belongs are kept as `model::Unknown` for validation to
//! report with a suggestion.

pub mod derive;
mod derive_options;
mod derive_policies;
mod dsl;
mod policies;
mod relationships;

use proc_macro2::{Delimiter, Punct, Spacing, Span, TokenStream, TokenTree};

use crate::model::Resource;

/// Keywords of the DSL.
pub(crate) mod kw {
    syn::custom_keyword!(attributes);
    syn::custom_keyword!(relationships);
    syn::custom_keyword!(table);
    syn::custom_keyword!(policies);
    syn::custom_keyword!(multitenancy);
    syn::custom_keyword!(authorize_read_with);
    syn::custom_keyword!(uuid_primary_key);
    syn::custom_keyword!(integer_primary_key);
    syn::custom_keyword!(attribute);
    syn::custom_keyword!(belongs_to);
    syn::custom_keyword!(has_one);
    syn::custom_keyword!(has_many);
    syn::custom_keyword!(many_to_many);
    syn::custom_keyword!(source_attribute);
    syn::custom_keyword!(destination_attribute);
    syn::custom_keyword!(filter);
    syn::custom_keyword!(sort);
    syn::custom_keyword!(manual);
    syn::custom_keyword!(through);
    syn::custom_keyword!(source_attribute_on_join_resource);
    syn::custom_keyword!(destination_attribute_on_join_resource);
}

/// A parsed resource and the errors of the items that could not be parsed.
pub struct Parsed {
    pub resource: Resource,
    pub errors: Vec<syn::Error>,
}

/// Parses the input of `resource!`.
pub fn resource(tokens: TokenStream) -> syn::Result<Parsed> {
    let def: dsl::ResourceDef = syn::parse2(tokens)?;
    Ok(Parsed {
        resource: def.resource,
        errors: def.errors,
    })
}

/// One item of a block, cut out of the block's tokens.
struct Item {
    /// The item's tokens, always ending with its `;` (or `{ }`).
    tokens: TokenStream,
    /// Set when the block ended before the item's `;`: a `;` was added so the
    /// item still parses, and this is where it was missing.
    missing_semicolon: Option<Span>,
}

/// Cuts a block's tokens into items ending at `;`, or, with `brace_ends`, after a
/// `{ }` group (and its optional `;`).
fn split_items(stream: TokenStream, brace_ends: bool) -> Vec<Item> {
    let mut items = Vec::new();
    let mut current = TokenStream::new();
    let mut last = None;
    let mut tokens = stream.into_iter().peekable();
    while let Some(tt) = tokens.next() {
        last = Some(tt.span());
        let end = match &tt {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => brace_ends && g.delimiter() == Delimiter::Brace,
            _ => false,
        };
        let was_group = matches!(tt, TokenTree::Group(_));
        current.extend([tt]);
        if end {
            if was_group
                && let Some(TokenTree::Punct(p)) = tokens.peek()
                && p.as_char() == ';'
            {
                current.extend(tokens.next());
            }
            items.push(Item {
                tokens: std::mem::take(&mut current),
                missing_semicolon: None,
            });
        }
    }
    if !current.is_empty() {
        let span = last.unwrap_or_else(Span::call_site);
        let mut semi = Punct::new(';', Spacing::Alone);
        semi.set_span(span);
        current.extend([TokenTree::Punct(semi)]);
        items.push(Item {
            tokens: current,
            missing_semicolon: Some(span),
        });
    }
    items
}

#[cfg(test)]
mod tests;
