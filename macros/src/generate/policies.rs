//! Read policies and multitenancy: the schema's `policies` and
//! `multitenancy`. Checks become
//! `Check` values; an `expr(..)` check becomes a `fn(&Templates) -> Result<Expr>`
//! built by the filter generator, so rustc checks its fields and kinds on the
//! user's tokens; an `actor_attribute_equals` value becomes a
//! `fn() -> Value` checked to be an attribute type on the user's value.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Ident;
use syn::spanned::Spanned;

use super::{Ctx, name_lit};
use crate::expr;
use crate::model::{Check, CheckKind, Effect};

/// `[Policy; N]`, the schema's `policies`.
pub fn policies(ctx: &Ctx) -> TokenStream {
    let resource = &ctx.resource.ident;
    let policies = ctx.resource.policies.iter().map(|policy| {
        let condition = check(&policy.condition, resource);
        let lines = policy.checks.iter().map(|line| {
            let span = line.keyword.span();
            let effect = match line.effect {
                Effect::AuthorizeIf => quote_spanned!(span=> AuthorizeIf),
                Effect::ForbidIf => quote_spanned!(span=> ForbidIf),
                Effect::AuthorizeUnless => quote_spanned!(span=> AuthorizeUnless),
                Effect::ForbidUnless => quote_spanned!(span=> ForbidUnless),
            };
            let check = check(&line.check, resource);
            quote! {
                __ashore::PolicyCheck {
                    effect: __ashore::Effect::#effect,
                    check: #check,
                }
            }
        });
        quote! {
            __ashore::Policy {
                condition: #condition,
                checks: &[#(#lines),*],
            }
        }
    });
    quote!([#(#policies),*])
}

/// One check as a `Check` value.
fn check(check: &Check, resource: &Ident) -> TokenStream {
    let span = check.name.span();
    match &check.kind {
        CheckKind::Always => quote_spanned!(span=> __ashore::Check::Always),
        CheckKind::ActionType(actions) => {
            // Validation reported any word that names no action.
            let actions = actions.iter().filter_map(|a| {
                let variant = match a.to_string().as_str() {
                    "read" => "Read",
                    "create" => "Create",
                    "update" => "Update",
                    "destroy" => "Destroy",
                    _ => return None,
                };
                let variant = Ident::new(variant, a.span());
                Some(quote!(__ashore::Action::#variant))
            });
            quote_spanned!(span=> __ashore::Check::ActionType(&[#(#actions),*]))
        }
        CheckKind::ActorPresent => quote_spanned!(span=> __ashore::Check::ActorPresent),
        CheckKind::ActorAttributeEquals { attribute, value } => {
            let attribute = name_lit(attribute);
            let value = match value {
                // A string literal is a `&str`, which is not an attribute type.
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => quote_spanned!(s.span()=> ::std::string::String::from(#s)),
                other => quote!(#other),
            };
            let value = quote_spanned! {value.span()=>
                __ashore::Scalar::into_value(#value)
            };
            quote_spanned! {span=>
                __ashore::Check::ActorAttributeEquals {
                    attribute: #attribute,
                    value: || #value,
                }
            }
        }
        CheckKind::Expr(filter) => {
            let closure = expr::policy_closure(filter, resource);
            quote_spanned!(span=> __ashore::Check::Expr(#closure))
        }
    }
}

/// The schema's `multitenancy`.
pub fn multitenancy(ctx: &Ctx) -> TokenStream {
    let tenancy = ctx.resource.multitenancy.first();
    match tenancy.and_then(|t| t.attribute.as_ref().map(|a| (a, t.global))) {
        Some((attribute, global)) => {
            let attribute = name_lit(attribute);
            quote! {
                __ashore::Some(__ashore::Multitenancy {
                    attribute: #attribute,
                    global: #global,
                })
            }
        }
        None => quote!(__ashore::None),
    }
}
