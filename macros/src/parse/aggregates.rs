//! Aggregates in both front ends' spellings, into [`model::Aggregate`](crate::model::Aggregate):
//!
//! - `resource!`, one item of `aggregates { }`:
//!   `count open_ticket_count: tickets { filter status == "open"; }`,
//!   `sum total_priority: tickets.priority as i64;` — kind, name, the path
//!   (relationships, then the field for a kind that reads one), `as T` (the
//!   field's type, for `sum`, `min`, `max`, `first`), then `;` or a `{ }` of
//!   options (`filter`).
//! - `#[derive(Resource)]`, on a `Loaded<T>` field:
//!   `#[resource(aggregate(count, tickets, filter(status == "open")))]` —
//!   kind, path, then options; the value type is the field's `T`.

use proc_macro2::{Group, Punct, Spacing, Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser, Result};
use syn::{Ident, Token, Type};

use super::syntax::{field_name, item_attributes};
use crate::expr;
use crate::model::{Aggregate, AggregateKind};

/// `resource!`'s `aggregates { .. }` item (its tokens end with `;` or `{ }`).
pub fn dsl_item(input: ParseStream) -> Result<Aggregate> {
    let attrs = item_attributes(input)?;
    let (kind, keyword) = kind(input)?;
    let name = input.call(field_name)?;
    if !input.peek(Token![:]) {
        return Err(input.error(format!(
            "expected `:` and the relationship path: `{keyword} {name}: tickets{};`",
            if kind.reads_field() { ".priority" } else { "" }
        )));
    }
    input.parse::<Token![:]>()?;
    let path = path(input)?;
    let ty = if input.peek(Token![as]) {
        input.parse::<Token![as]>()?;
        Some(input.call(Type::without_plus)?)
    } else {
        None
    };
    let end = input.span();
    let mut filter = None;
    let lookahead = input.lookahead1();
    if lookahead.peek(Token![;]) {
        input.parse::<Token![;]>()?;
    } else if lookahead.peek(syn::token::Brace) {
        let group: Group = input.parse()?;
        filter = Parser::parse2(options, group.stream())?;
        if input.peek(Token![;]) {
            input.parse::<Token![;]>()?;
        }
    } else if kind.needs_type() && ty.is_none() {
        return Err(input.error(format!(
            "expected `as` and the field's type, `;` or `{{ filter ..; }}`: \
             `{keyword} {name}: tickets.priority as i64;`"
        )));
    } else {
        return Err(lookahead.error());
    }
    Ok(Aggregate {
        attrs,
        kind,
        keyword,
        name,
        path,
        ty,
        filter,
        from_field: false,
        end,
    })
}

/// The `{ filter ..; }` of an item: its filter, if given.
fn options(input: ParseStream) -> Result<Option<expr::Expr>> {
    let mut filter = None;
    while !input.is_empty() {
        let word = input.call(Ident::parse_any)?;
        if word != "filter" {
            return Err(syn::Error::new(
                word.span(),
                format!("unknown aggregate option `{word}`: the option is `filter ..;`"),
            ));
        }
        if filter.is_some() {
            return Err(syn::Error::new(
                word.span(),
                "`filter` is given twice: join the conditions with `and`",
            ));
        }
        filter = Some(expr::parse_filter(input)?);
        input.parse::<Token![;]>()?;
    }
    Ok(filter)
}

/// The kind keyword.
fn kind(input: ParseStream) -> Result<(AggregateKind, Ident)> {
    let kinds = "`count`, `exists`, `sum`, `min`, `max`, `avg`, `first` or `list`";
    if !input.peek(Ident::peek_any) {
        return Err(input.error(format!("expected an aggregate kind: {kinds}")));
    }
    let keyword = input.call(Ident::parse_any)?;
    match AggregateKind::from_keyword(&keyword.to_string()) {
        Some(kind) => Ok((kind, keyword)),
        None => Err(syn::Error::new(
            keyword.span(),
            format!("unknown aggregate kind `{keyword}`: the kinds are {kinds}"),
        )),
    }
}

/// `tickets` or `tickets.comments.body`.
fn path(input: ParseStream) -> Result<Vec<Ident>> {
    let mut path = vec![input.call(field_name)?];
    while input.peek(Token![.]) {
        input.parse::<Token![.]>()?;
        path.push(input.call(field_name)?);
    }
    Ok(path)
}

/// The derive's `aggregate(kind, path, filter(..))` (its `tokens`, closing at
/// `end`), on the field `name` whose value type (`T` of `Loaded<T>`) is `ty`.
pub fn derive_spec(
    name: Ident,
    ty: Type,
    attrs: Vec<syn::Attribute>,
    tokens: TokenStream,
    end: Span,
) -> Result<Aggregate> {
    let parse = |input: ParseStream| {
        let (kind, keyword) = kind(input)?;
        if !input.peek(Token![,]) {
            return Err(input.error(format!(
                "expected `,` and the relationship path: `aggregate({keyword}, tickets{})`",
                if kind.reads_field() { ".priority" } else { "" }
            )));
        }
        input.parse::<Token![,]>()?;
        let path = path(input)?;
        let mut filter = None;
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
            let word = input.call(Ident::parse_any)?;
            if word != "filter" {
                return Err(syn::Error::new(
                    word.span(),
                    format!("unknown aggregate option `{word}`: the option is `filter(..)`"),
                ));
            }
            let inner;
            syn::parenthesized!(inner in input);
            let mut tokens: TokenStream = inner.parse()?;
            let mut semi = Punct::new(';', Spacing::Alone);
            semi.set_span(end);
            tokens.extend([TokenTree::Punct(semi)]);
            let parse_filter = |input: ParseStream| {
                let filter = expr::parse_filter(input)?;
                input.parse::<Token![;]>()?;
                Ok(filter)
            };
            filter = Some(parse_filter.parse2(tokens)?);
        }
        if input.peek(Token![as]) {
            return Err(input.error(
                "the derive takes an aggregate's type from its field (`Loaded<Option<i64>>`): \
                 remove the `as ..`",
            ));
        }
        if !input.is_empty() {
            return Err(input.error("expected `, filter(..)` or the end of `aggregate(..)`"));
        }
        Ok(Aggregate {
            attrs: attrs.clone(),
            kind,
            keyword,
            name: name.clone(),
            path,
            ty: Some(ty.clone()),
            filter,
            from_field: true,
            end,
        })
    };
    parse.parse2(tokens)
}
