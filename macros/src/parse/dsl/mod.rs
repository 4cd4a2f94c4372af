//! `resource!` block syntax -> [`crate::model::Resource`].
//! This file holds the struct header, its blocks and the items of
//! `attributes { }`; relationship items are in `relationships.rs`, policies and
//! multitenancy in `policies.rs`, identities in `identities.rs`.
//!
//! The struct header and the blocks are parsed strictly (an error there aborts).
//! Inside a block, each item (`attribute name: String;`, a relationship, a
//! relationship option) is cut out of the token stream at its `;` (or its `{ }`)
//! and parsed on its own, so a mistake in one item is reported and the others
//! still make it into the model: one mistake gives one error, not a cascade.
//! Words where a keyword belongs are kept as `model::Unknown` for validation to
//! report with a suggestion.

mod identities;
mod policies;
mod relationships;

use proc_macro2::{Delimiter, Group, Punct, Spacing, Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser, Result};
use syn::{Ident, Token, Type, Visibility};

use crate::errors::Errors;
use crate::model::{self, Origin, Place, PrimaryKey, PrimaryKeyKind, Resource, Unknown};
use crate::parse::syntax::{field_name, item_attributes};
use relationships::{RelationshipItem, relationship_item};

/// Keywords of the DSL.
pub(crate) mod kw {
    syn::custom_keyword!(attributes);
    syn::custom_keyword!(relationships);
    syn::custom_keyword!(aggregates);
    syn::custom_keyword!(table);
    syn::custom_keyword!(policies);
    syn::custom_keyword!(multitenancy);
    syn::custom_keyword!(identities);
    syn::custom_keyword!(authorize_read_with);
    syn::custom_keyword!(no_attributes);
    syn::custom_keyword!(condition);
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

/// Parses the input of `resource!`: the struct and its blocks strictly (an
/// error there aborts, before any item is read), then the items of each block,
/// reporting into `errors` the ones that cannot be parsed.
pub fn resource(tokens: TokenStream, errors: &Errors) -> Result<Resource> {
    let outline: Outline = syn::parse2(tokens)?;
    let mut resource = Resource {
        attrs: outline.attrs,
        vis: outline.vis,
        ident: outline.ident,
        attributes: Vec::new(),
        relationships: Vec::new(),
        aggregates: Vec::new(),
        table: None,
        not_stored: None,
        policies: Vec::new(),
        multitenancy: Vec::new(),
        identities: Vec::new(),
        unknown: Vec::new(),
    };
    let mut seen_attributes: Option<Ident> = None;
    let mut seen_relationships: Option<Ident> = None;
    let mut seen_aggregates: Option<Ident> = None;
    let mut seen_policies: Option<Ident> = None;
    let mut seen_identities: Option<Ident> = None;
    for block in outline.blocks {
        match block {
            Block::Attributes(keyword, tokens) => {
                once(&mut seen_attributes, keyword, errors);
                attributes(tokens, &mut resource, errors);
            }
            Block::Relationships(keyword, tokens) => {
                once(&mut seen_relationships, keyword, errors);
                relationships(tokens, &mut resource, errors);
            }
            Block::Aggregates(keyword, tokens) => {
                once(&mut seen_aggregates, keyword, errors);
                aggregates(tokens, &mut resource, errors);
            }
            Block::Policies(keyword, tokens) => {
                once(&mut seen_policies, keyword, errors);
                policies::policies(tokens, &mut resource, errors);
            }
            Block::Identities(keyword, tokens) => {
                once(&mut seen_identities, keyword, errors);
                identities::identities(tokens, &mut resource, errors);
            }
            // A second one is kept, for validation to report.
            Block::Multitenancy(keyword, tokens) => {
                policies::multitenancy(keyword, tokens, &mut resource, errors);
            }
            Block::Table(keyword, name) => {
                if name.value().is_empty() {
                    errors.error_at(name.span(), "the table name cannot be empty");
                }
                if resource.table.is_some() {
                    errors.error_at(keyword.span(), "`table` is given twice: keep one");
                }
                resource.table = Some(name);
            }
            Block::NotStored(keyword) => {
                if resource.not_stored.is_some() {
                    errors.error_at(keyword.span(), "`not_stored` is given twice: keep one");
                }
                resource.not_stored = Some(keyword);
            }
            Block::Unknown(word) => resource.unknown.push(Unknown {
                place: Place::Block,
                word,
            }),
        }
    }
    Ok(resource)
}

/// `#[attrs] vis struct Name { <blocks> }`, its blocks not read yet.
struct Outline {
    attrs: Vec<syn::Attribute>,
    vis: Visibility,
    ident: Ident,
    blocks: Vec<Block>,
}

/// One block of the struct body, with its keyword.
enum Block {
    Attributes(Ident, TokenStream),
    Relationships(Ident, TokenStream),
    Aggregates(Ident, TokenStream),
    Policies(Ident, TokenStream),
    Multitenancy(Ident, TokenStream),
    Identities(Ident, TokenStream),
    Table(Ident, syn::LitStr),
    /// `not_stored;`.
    NotStored(Ident),
    /// An unknown block or option (`tabel "t";`), skipped to the end of its
    /// `{ }` or `;`, for validation to suggest a name.
    Unknown(Ident),
}

impl Parse for Outline {
    fn parse(input: ParseStream) -> Result<Self> {
        let attrs = item_attributes(input)?;
        let vis: Visibility = input.parse()?;
        let lookahead = input.lookahead1();
        if !lookahead.peek(Token![struct]) {
            if input.peek(Token![enum]) || input.peek(Token![union]) {
                return Err(input.error("a resource is declared as a `struct`"));
            }
            return Err(lookahead.error());
        }
        input.parse::<Token![struct]>()?;
        let ident: Ident = input.parse()?;
        if input.peek(Token![<]) {
            return Err(input.error("a resource cannot have generic parameters"));
        }
        if !input.peek(syn::token::Brace) {
            return Err(input.error(
                "expected `{` and the resource's blocks: `{ attributes { .. } relationships { .. } }`",
            ));
        }
        let body;
        syn::braced!(body in input);
        let mut blocks = Vec::new();
        while !body.is_empty() {
            let lookahead = body.lookahead1();
            let block: fn(Ident, TokenStream) -> Block = if lookahead.peek(kw::attributes) {
                Block::Attributes
            } else if lookahead.peek(kw::relationships) {
                Block::Relationships
            } else if lookahead.peek(kw::aggregates) {
                Block::Aggregates
            } else if lookahead.peek(kw::policies) {
                Block::Policies
            } else if lookahead.peek(kw::multitenancy) {
                Block::Multitenancy
            } else if lookahead.peek(kw::identities) {
                Block::Identities
            } else if lookahead.peek(kw::table) {
                let keyword = body.call(Ident::parse_any)?;
                let name: syn::LitStr = body.parse().map_err(|e| {
                    syn::Error::new(
                        e.span(),
                        "expected the table's name as a string: `table \"tickets\";`",
                    )
                })?;
                body.parse::<Token![;]>()?;
                blocks.push(Block::Table(keyword, name));
                continue;
            } else if body.peek(Ident::peek_any) {
                let word = body.call(Ident::parse_any)?;
                if word == "not_stored" {
                    body.parse::<Token![;]>().map_err(|e| {
                        syn::Error::new(e.span(), "expected `;`: `not_stored;` takes no value")
                    })?;
                    blocks.push(Block::NotStored(word));
                    continue;
                }
                while !body.is_empty() {
                    if body.peek(syn::token::Brace) {
                        body.parse::<Group>()?;
                        break;
                    }
                    if body.parse::<TokenTree>()?.to_string() == ";" {
                        break;
                    }
                }
                blocks.push(Block::Unknown(word));
                continue;
            } else {
                return Err(lookahead.error());
            };
            let keyword = body.call(Ident::parse_any)?;
            blocks.push(block(keyword, block_tokens(&body)?));
        }
        if !input.is_empty() {
            return Err(input.error(
                "expected the end of `resource!`: declare one resource per `resource! { .. }`",
            ));
        }
        Ok(Outline {
            attrs,
            vis,
            ident,
            blocks,
        })
    }
}

/// The `{ .. }` of a block.
fn block_tokens(input: ParseStream) -> Result<TokenStream> {
    if !input.peek(syn::token::Brace) {
        return Err(input.error("expected `{` to open the block"));
    }
    let group: Group = input.parse()?;
    debug_assert_eq!(group.delimiter(), Delimiter::Brace);
    Ok(group.stream())
}

/// Records a block's keyword; a second block of the same kind is an error.
fn once(seen: &mut Option<Ident>, keyword: Ident, errors: &Errors) {
    if seen.is_some() {
        errors.error_at(
            keyword.span(),
            format!("`{keyword}` is given twice: merge the two blocks into one"),
        );
    } else {
        *seen = Some(keyword);
    }
}

/// Parses each item of `attributes { }` into `resource`.
fn attributes(block: TokenStream, resource: &mut Resource, errors: &Errors) {
    for tokens in items(block, false, errors, "expected `;` after this attribute") {
        match Parser::parse2(|input: ParseStream| attribute_item(input, errors), tokens) {
            Ok(AttributeItem::Known(a)) => resource.attributes.push(*a),
            Ok(AttributeItem::Unknown(word)) => resource.unknown.push(Unknown {
                place: Place::Attribute,
                word,
            }),
            Err(e) => errors.syn_error(e),
        }
    }
}

/// Parses each item of `relationships { }` into `resource`.
fn relationships(block: TokenStream, resource: &mut Resource, errors: &Errors) {
    let missing = "expected `;` (or `{ options }`) after this relationship";
    for tokens in items(block, true, errors, missing) {
        let parsed = Parser::parse2(
            |input: ParseStream| relationship_item(input, errors),
            tokens,
        );
        match parsed {
            Ok(RelationshipItem::Known {
                relationship,
                unknown,
            }) => {
                resource.relationships.push(*relationship);
                resource.unknown.extend(unknown);
            }
            Ok(RelationshipItem::Unknown(word)) => resource.unknown.push(Unknown {
                place: Place::Relationship,
                word,
            }),
            Err(e) => errors.syn_error(e),
        }
    }
}

/// Parses each item of `aggregates { }` into `resource`.
fn aggregates(block: TokenStream, resource: &mut Resource, errors: &Errors) {
    let missing = "expected `;` (or `{ filter ..; }`) after this aggregate";
    for tokens in items(block, true, errors, missing) {
        match Parser::parse2(crate::parse::aggregates::dsl_item, tokens) {
            Ok(aggregate) => resource.aggregates.push(aggregate),
            Err(e) => errors.syn_error(e),
        }
    }
}

/// One item of `attributes { }`:
/// `uuid_primary_key id;`, `integer_primary_key id;`, `attribute name: Type;`.
pub enum AttributeItem {
    Known(Box<model::Attribute>),
    /// A word where a keyword belongs; the rest of the item is skipped.
    Unknown(Ident),
}

/// One attribute; a primary key given a type is reported into `errors` and
/// kept (so the resource is not also reported as having none).
fn attribute_item(input: ParseStream, errors: &Errors) -> Result<AttributeItem> {
    let attrs = item_attributes(input)?;
    let lookahead = input.lookahead1();
    let primary_key = if lookahead.peek(kw::uuid_primary_key) {
        Some(PrimaryKeyKind::Uuid)
    } else if lookahead.peek(kw::integer_primary_key) {
        Some(PrimaryKeyKind::Integer)
    } else if lookahead.peek(kw::attribute) {
        None
    } else if input.peek(Ident::peek_any) {
        let word = input.call(Ident::parse_any)?;
        input.parse::<TokenStream>()?;
        return Ok(AttributeItem::Unknown(word));
    } else {
        return Err(lookahead.error());
    };
    let keyword = input.call(Ident::parse_any)?;
    let name = input.call(field_name)?;
    let ty: Type = match primary_key {
        Some(kind) => {
            if input.peek(Token![:]) {
                errors.syn_error(input.error(format!(
                    "`{keyword}` implies the type ({}): remove the `: ..`",
                    match kind {
                        PrimaryKeyKind::Uuid => "Uuid",
                        PrimaryKeyKind::Integer => "i64",
                    }
                )));
                input.parse::<Token![:]>()?;
                input.parse::<Type>()?;
            }
            // Built, not parsed: parsing asks the compiler for every token.
            let segments: &[&str] = match kind {
                PrimaryKeyKind::Uuid => &["ashore", "__private", "Uuid"],
                PrimaryKeyKind::Integer => &["core", "primitive", "i64"],
            };
            let span = keyword.span();
            let mut path = syn::Path {
                leading_colon: Some(Token![::](span)),
                segments: syn::punctuated::Punctuated::new(),
            };
            for segment in segments {
                path.segments.push(Ident::new(segment, span).into());
            }
            Type::Path(syn::TypePath { qself: None, path })
        }
        None => {
            if !input.peek(Token![:]) {
                return Err(input.error(format!(
                    "expected `:` and the attribute's type: `attribute {name}: String;`"
                )));
            }
            input.parse::<Token![:]>()?;
            // Without `+`: the type goes into `<T as Scalar>`, where
            // `String +` would be a syntax error in the generated code.
            input.call(Type::without_plus)?
        }
    };
    input.parse::<Token![;]>()?;
    Ok(AttributeItem::Known(Box::new(model::Attribute {
        attrs,
        name,
        ty,
        primary_key: primary_key.map(|kind| PrimaryKey {
            kind,
            keyword: keyword.span(),
        }),
        origin: Origin::Declared,
    })))
}

/// The items of a block, as `split_items` cuts them, reporting a missing `;`
/// with the message `missing`.
fn items(
    stream: TokenStream,
    brace_ends: bool,
    errors: &Errors,
    missing: &str,
) -> Vec<TokenStream> {
    split_items(stream, brace_ends)
        .into_iter()
        .map(|item| {
            if let Some(span) = item.missing_semicolon {
                errors.error_at(span, missing);
            }
            item.tokens
        })
        .collect()
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
