//! `policies { }` and `multitenancy { }` of `resource!`. Checks are parsed by
//! `parse::syntax`, shared with the derive.
//!
//! As elsewhere, each policy and each line is cut out at its `{ }` or `;` and
//! parsed on its own: a mistake costs that line, the rest is kept. Unknown
//! words (a check, an effect keyword) are kept as `model::Unknown` for
//! validation to report with a suggestion.

use proc_macro2::{Group, TokenStream};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser, Result};
use syn::{Ident, Token, token};

use super::{Item, items, split_items};
use crate::errors::Errors;
use crate::model::{self, Effect, Multitenancy, Place, PolicyLine, Unknown};
use crate::parse::syntax::CheckSyntax;

/// Parses the items of `policies { }` into `resource`.
pub fn policies(block: TokenStream, resource: &mut model::Resource, errors: &Errors) {
    // A policy without its `{ }` runs to the block's end: parsing it says so.
    for Item { tokens, .. } in split_items(block, true) {
        match Parser::parse2(|input: ParseStream| policy_item(input, errors), tokens) {
            Ok(item) => {
                resource.unknown.extend(item.unknown);
                resource.policies.extend(item.policy);
            }
            Err(e) => errors.syn_error(e),
        }
    }
}

/// `policy <condition> { <lines> }`, with the unknown words in it.
struct PolicyItem {
    /// `None` when the item is not a policy or its condition is unknown.
    policy: Option<model::Policy>,
    unknown: Vec<Unknown>,
}

/// One policy; its lines that cannot be parsed are reported into `errors`.
fn policy_item(input: ParseStream, errors: &Errors) -> Result<PolicyItem> {
    let mut item = PolicyItem {
        policy: None,
        unknown: Vec::new(),
    };
    let keyword = input.call(Ident::parse_any)?;
    if keyword != "policy" {
        input.parse::<TokenStream>()?;
        item.unknown.push(Unknown {
            place: Place::Policies,
            word: keyword,
        });
        return Ok(item);
    }
    let condition = input.parse::<CheckSyntax>()?;
    if !input.peek(token::Brace) {
        return Err(input.error(
            "expected `{` and the policy's checks: `policy always() { authorize_if actor_present(); }`",
        ));
    }
    let group: Group = input.parse()?;
    if input.peek(Token![;]) {
        input.parse::<Token![;]>()?;
    }
    let mut checks = Vec::new();
    let mut incomplete = false;
    for tokens in items(
        group.stream(),
        false,
        errors,
        "expected `;` after this check",
    ) {
        match syn::parse2::<LineItem>(tokens) {
            Ok(LineItem::Known(line)) => checks.push(*line),
            Ok(LineItem::Unknown(unknown)) => {
                incomplete = true;
                item.unknown.push(unknown);
            }
            Err(e) => {
                incomplete = true;
                errors.syn_error(e);
            }
        }
    }
    match condition {
        CheckSyntax::Known(condition) => {
            item.policy = Some(model::Policy {
                keyword,
                condition: *condition,
                checks,
                incomplete,
            });
        }
        CheckSyntax::Unknown(word) => item.unknown.push(Unknown {
            place: Place::Check,
            word,
        }),
    }
    Ok(item)
}

/// One line of a policy: `authorize_if <check>;`.
enum LineItem {
    Known(Box<PolicyLine>),
    /// An unknown effect keyword or check; the line is skipped.
    Unknown(Unknown),
}

impl Parse for LineItem {
    fn parse(input: ParseStream) -> Result<Self> {
        if !input.peek(Ident::peek_any) {
            return Err(input.error(
                "expected `authorize_if`, `forbid_if`, `authorize_unless` or `forbid_unless`",
            ));
        }
        let keyword = input.call(Ident::parse_any)?;
        let Some(effect) = Effect::from_keyword(&keyword.to_string()) else {
            input.parse::<TokenStream>()?;
            return Ok(LineItem::Unknown(Unknown {
                place: Place::PolicyLine,
                word: keyword,
            }));
        };
        let check = match input.parse::<CheckSyntax>()? {
            CheckSyntax::Known(check) => *check,
            CheckSyntax::Unknown(word) => {
                input.parse::<TokenStream>()?;
                return Ok(LineItem::Unknown(Unknown {
                    place: Place::Check,
                    word,
                }));
            }
        };
        if !input.peek(Token![;]) {
            return Err(input.error("expected `;` after the check"));
        }
        input.parse::<Token![;]>()?;
        Ok(LineItem::Known(Box::new(PolicyLine {
            keyword,
            effect,
            check,
        })))
    }
}

/// Parses the items of `multitenancy { }`: `attribute x;` and `global;`.
pub fn multitenancy(
    keyword: Ident,
    block: TokenStream,
    resource: &mut model::Resource,
    errors: &Errors,
) {
    let mut tenancy = Multitenancy {
        keyword,
        attribute: None,
        global: false,
    };
    for tokens in items(block, false, errors, "expected `;` after this item") {
        let parsed = Parser::parse2(
            |input: ParseStream| tenancy_item(input, &mut tenancy, &mut resource.unknown),
            tokens,
        );
        if let Err(e) = parsed {
            errors.syn_error(e);
        }
    }
    resource.multitenancy.push(tenancy);
}

fn tenancy_item(
    input: ParseStream,
    tenancy: &mut Multitenancy,
    unknown: &mut Vec<Unknown>,
) -> Result<()> {
    let word = input.call(Ident::parse_any)?;
    match word.to_string().as_str() {
        "attribute" => {
            if !input.peek(Ident) {
                return Err(input.error(
                    "expected the attribute holding the tenant: `attribute organization_id;`",
                ));
            }
            let attribute: Ident = input.parse()?;
            if tenancy.attribute.is_some() {
                return Err(syn::Error::new(
                    word.span(),
                    "`attribute` is given twice: a resource has one tenant attribute; keep one",
                ));
            }
            tenancy.attribute = Some(attribute);
        }
        "global" => {
            if !input.peek(Token![;]) {
                return Err(input.error("`global` takes no value: write `global;`"));
            }
            tenancy.global = true;
        }
        _ => {
            input.parse::<TokenStream>()?;
            unknown.push(Unknown {
                place: Place::Multitenancy,
                word,
            });
            return Ok(());
        }
    }
    input.parse::<Token![;]>()?;
    Ok(())
}
