//! The struct options `policy(..)` and `multitenancy(..)` of
//! `#[derive(Resource)]`:
//!
//! ```text
//! #[resource(policy(always(), authorize_if(actor_attribute_equals(admin, true)),
//!                   forbid_if(expr(status == "closed"))))]
//! #[resource(multitenancy(attribute = organization_id, global))]
//! ```
//!
//! A policy's first item is its condition, each other item a line
//! `effect(check)`; checks are parsed as `resource!` parses them
//! (`parse::syntax`), so both front ends build the same model.

use darling::ast::NestedMeta;
use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::parse::{ParseStream, Parser};
use syn::{Ident, Meta};

use super::{error, list_items};
use crate::model::{Check, Effect, Multitenancy, Place, Policy, PolicyLine, Unknown};
use crate::parse::syntax::CheckSyntax;

const EXAMPLE: &str = "policy(always(), authorize_if(actor_present()))";

/// What `policy(..)` declared, with its unknown words; `None` for a policy
/// that cannot be kept (its condition is unknown).
pub fn policy(
    meta: &Meta,
    keyword: &Ident,
    unknown: &mut Vec<Unknown>,
    errors: &mut Vec<darling::Error>,
) -> Option<Policy> {
    let not_a_list =
        || format!("write the policy's condition and checks in parentheses: `{EXAMPLE}`");
    let items = list_items(meta, not_a_list, errors)?;
    let Some((first, lines)) = items.split_first() else {
        errors.push(error(
            meta,
            format!("a policy needs a condition and checks: `{EXAMPLE}`"),
        ));
        return None;
    };
    let condition = check(first.to_token_stream(), unknown, errors);
    let mut policy = Policy {
        keyword: keyword.clone(),
        condition: condition?,
        checks: Vec::new(),
        incomplete: false,
    };
    for item in lines {
        match line(item, unknown, errors) {
            Some(line) => policy.checks.push(line),
            None => policy.incomplete = true,
        }
    }
    Some(policy)
}

/// One `effect(check)`.
fn line(
    item: &NestedMeta,
    unknown: &mut Vec<Unknown>,
    errors: &mut Vec<darling::Error>,
) -> Option<PolicyLine> {
    let example = "authorize_if(actor_present())";
    let (meta, word) = match item {
        NestedMeta::Meta(meta) => match meta.path().get_ident() {
            Some(word) => (meta, word),
            None => {
                errors.push(error(meta, format!("expected a policy line: `{example}`")));
                return None;
            }
        },
        NestedMeta::Lit(lit) => {
            errors.push(error(lit, format!("expected a policy line: `{example}`")));
            return None;
        }
    };
    let Some(effect) = Effect::from_keyword(&word.to_string()) else {
        unknown.push(Unknown {
            place: Place::PolicyLine,
            word: word.clone(),
        });
        return None;
    };
    let Meta::List(list) = meta else {
        errors.push(error(
            meta,
            format!("write the check in parentheses: `{word}(actor_present())`"),
        ));
        return None;
    };
    let check = check(list.tokens.clone(), unknown, errors)?;
    Some(PolicyLine {
        keyword: word.clone(),
        effect,
        check,
    })
}

/// A check from its tokens: parsed as `resource!` parses it.
fn check(
    tokens: TokenStream,
    unknown: &mut Vec<Unknown>,
    errors: &mut Vec<darling::Error>,
) -> Option<Check> {
    let parse = |input: ParseStream| {
        let check: CheckSyntax = input.parse()?;
        if !input.is_empty() {
            return Err(input.error("expected one check, then `,` or `)`"));
        }
        Ok(check)
    };
    match parse.parse2(tokens) {
        Ok(CheckSyntax::Known(check)) => Some(*check),
        Ok(CheckSyntax::Unknown(word)) => {
            unknown.push(Unknown {
                place: Place::Check,
                word,
            });
            None
        }
        Err(e) => {
            errors.push(e.into());
            None
        }
    }
}

/// `multitenancy(attribute = organization_id, global)`.
pub fn multitenancy(
    meta: &Meta,
    keyword: &Ident,
    unknown: &mut Vec<Unknown>,
    errors: &mut Vec<darling::Error>,
) -> Multitenancy {
    let mut tenancy = Multitenancy {
        keyword: keyword.clone(),
        attribute: None,
        global: false,
    };
    let example = "multitenancy(attribute = organization_id)";
    let Some(items) = list_items(meta, || format!("expected `{example}`"), errors) else {
        return tenancy;
    };
    for item in &items {
        let NestedMeta::Meta(meta) = item else {
            errors.push(error(item, format!("expected `{example}`")));
            continue;
        };
        let Some(word) = meta.path().get_ident() else {
            errors.push(error(meta, format!("expected `{example}`")));
            continue;
        };
        match (word.to_string().as_str(), meta) {
            ("attribute", Meta::NameValue(nv)) => match darling::FromMeta::from_expr(&nv.value) {
                Ok(attribute) if tenancy.attribute.is_none() => {
                    tenancy.attribute = Some(attribute);
                }
                Ok(_) => errors.push(error(
                    word,
                    "`attribute` is given twice: a resource has one tenant attribute; keep one",
                )),
                Err(_) => errors.push(error(
                    &nv.value,
                    "expected an attribute name: `attribute = organization_id`",
                )),
            },
            ("attribute", _) => errors.push(error(meta, "expected `attribute = organization_id`")),
            ("global", Meta::Path(_)) => tenancy.global = true,
            ("global", _) => errors.push(error(meta, "`global` takes no value: write `global`")),
            _ => unknown.push(Unknown {
                place: Place::Multitenancy,
                word: word.clone(),
            }),
        }
    }
    tenancy
}
