//! Values both front ends write the same way, parsed once: a policy check
//! (`always()`, `action_type(read)`, `actor_present()`, `actor_attribute_equals(field, value)`,
//! `expr(<filter>)`), sort keys (`priority desc, subject`) and the value of
//! `authorize_read_with`. `dsl` parses them from the block's tokens, `derive`
//! from the tokens inside `#[resource(..)]`, so both build the same model.

use proc_macro2::TokenStream;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Result};
use syn::{Ident, Token, token};

use crate::expr;
use crate::model::{CHECKS, Check, CheckKind, Order, Place, ReadWith, SortKey, Unknown};

/// A check as written: known, or a word where a check's name belongs.
pub enum CheckSyntax {
    Known(Box<Check>),
    Unknown(Ident),
}

impl Parse for CheckSyntax {
    fn parse(input: ParseStream) -> Result<Self> {
        if !input.peek(Ident::peek_any) {
            return Err(input.error(
                "expected a check: `always()`, `action_type(..)`, `actor_present()`, \
                 `actor_attribute_equals(field, value)` or `expr(..)`",
            ));
        }
        let name = input.call(Ident::parse_any)?;
        let known = CHECKS.contains(&name.to_string().as_str());
        if !input.peek(token::Paren) {
            if !known {
                return Ok(CheckSyntax::Unknown(name));
            }
            return Err(syn::Error::new(
                name.span(),
                format!("expected `(` after `{name}`: a check is called, as in `{name}()`"),
            ));
        }
        let content;
        syn::parenthesized!(content in input);
        if !known {
            content.parse::<TokenStream>()?;
            return Ok(CheckSyntax::Unknown(name));
        }
        let kind = match name.to_string().as_str() {
            "always" | "actor_present" => {
                if !content.is_empty() {
                    return Err(content.error(format!("`{name}()` takes no arguments")));
                }
                if name == "always" {
                    CheckKind::Always
                } else {
                    CheckKind::ActorPresent
                }
            }
            "action_type" => {
                const EXAMPLE: &str = "`action_type(read)` or `action_type(create, update)`";
                let actions = content.parse_terminated(Ident::parse_any, Token![,])?;
                if actions.is_empty() {
                    return Err(syn::Error::new(
                        name.span(),
                        format!("`action_type` needs the actions it selects: {EXAMPLE}"),
                    ));
                }
                CheckKind::ActionType(actions.into_iter().collect())
            }
            "actor_attribute_equals" => {
                const EXAMPLE: &str = "`actor_attribute_equals(admin, true)`";
                if !content.peek(Ident) {
                    return Err(content.error(format!(
                        "expected the name of one of the actor's fields: {EXAMPLE}"
                    )));
                }
                let attribute: Ident = content.parse()?;
                if !content.peek(Token![,]) {
                    return Err(content.error(format!(
                        "expected `,` and the value the field must equal: {EXAMPLE}"
                    )));
                }
                content.parse::<Token![,]>()?;
                if content.is_empty() {
                    return Err(content.error(format!(
                        "expected the value the field must equal: {EXAMPLE}"
                    )));
                }
                let value: syn::Expr = content.parse()?;
                if content.peek(Token![,]) {
                    content.parse::<Token![,]>()?;
                }
                if !content.is_empty() {
                    return Err(content.error(format!(
                        "expected `)`: the check takes a field and a value, {EXAMPLE}"
                    )));
                }
                CheckKind::ActorAttributeEquals { attribute, value }
            }
            _ => CheckKind::Expr(expr::parse_whole(&content)?),
        };
        Ok(CheckSyntax::Known(Box::new(Check { name, kind })))
    }
}

/// `field` or `field order`, as written (the order is checked when lowered).
pub struct SortKeySyntax {
    pub field: Ident,
    pub order: Option<Ident>,
}

impl Parse for SortKeySyntax {
    fn parse(input: ParseStream) -> Result<Self> {
        if !input.peek(Ident) {
            return Err(input.error("expected the name of an attribute to sort by"));
        }
        let field = input.parse()?;
        let order = if input.peek(Ident::peek_any) {
            Some(input.call(Ident::parse_any)?)
        } else {
            None
        };
        Ok(SortKeySyntax { field, order })
    }
}

/// Sort keys as the model holds them; an unknown order is kept in `unknown`
/// and the key read as ascending.
pub fn sort_keys(
    keys: impl IntoIterator<Item = SortKeySyntax>,
    unknown: &mut Vec<Unknown>,
) -> Vec<SortKey> {
    keys.into_iter()
        .map(|key| {
            let order = match &key.order {
                None => Order::Asc,
                Some(word) => Order::ALL
                    .into_iter()
                    .find(|o| word == o.keyword())
                    .unwrap_or_else(|| {
                        unknown.push(Unknown {
                            place: Place::SortOrder,
                            word: word.clone(),
                        });
                        Order::Asc
                    }),
            };
            SortKey {
                field: key.field,
                order,
            }
        })
        .collect()
}

/// The value of `authorize_read_with`; an unknown word is kept in `unknown`
/// and read as the default, `filter`.
pub fn read_with(word: Ident, unknown: &mut Vec<Unknown>) -> ReadWith {
    ReadWith::ALL
        .into_iter()
        .find(|r| word == r.keyword())
        .unwrap_or_else(|| {
            unknown.push(Unknown {
                place: Place::ReadWith,
                word,
            });
            ReadWith::Filter
        })
}

pub use crate::names::field_name;

/// The outer attributes of the struct or of a declaration inside `resource!`
/// (an attribute, relationship or aggregate): docs and attributes, but no
/// `#[cfg]`, which would remove the item while the code generated for it
/// still names it (rustc then reports that inside the expansion).
pub fn item_attributes(input: ParseStream) -> Result<Vec<syn::Attribute>> {
    let attrs = input.call(syn::Attribute::parse_outer)?;
    if let Some(cfg) = attrs.iter().find(|a| a.path().is_ident("cfg")) {
        return Err(syn::Error::new_spanned(
            cfg,
            "`#[cfg]` cannot remove part of a `resource!`: the code generated for the resource \
             names every part; put it on the whole call, `#[cfg(..)] resource! { .. }` (one \
             per configuration), or use `#[derive(Resource)]`, whose fields take `#[cfg]`",
        ));
    }
    Ok(attrs)
}
