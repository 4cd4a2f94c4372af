//! Rules of read policies and multitenancy: a policy with no checks, the
//! tenant attribute (given once, naming an attribute of the resource), and
//! templates (`^actor(..)`, `^tenant()`) outside a policy's `expr(..)` (in a
//! relationship's `filter`). The messages for unknown words in policies are
//! here too; `unknown_words` in `mod.rs` calls them.

use proc_macro2::Span;

use crate::errors::Errors;
use crate::model::{
    CHECKS, Effect, FrontEnd, OptionKind, OptionValue, Place, ReadWith, Resource, name_of,
};
use crate::suggest::{close_ones, first_at, hint, hint_or_list};

/// The message for an unknown word in a policy, `multitenancy` or
/// `authorize_read_with`; `None` for the other places.
pub fn unknown_message(word: &str, place: Place) -> Option<String> {
    Some(match place {
        Place::Policies => format!(
            "unknown item `{word}` in `policies`{}: each item is \
             `policy <condition> {{ <checks> }}`",
            hint(word, &["policy"])
        ),
        Place::PolicyLine => {
            let effects: Vec<&str> = Effect::ALL.iter().map(|e| e.keyword()).collect();
            format!("unknown policy keyword `{word}`{}", hint(word, &effects))
        }
        Place::Check => {
            let close = close_ones(word, &CHECKS);
            let suggestion = if close.is_empty() {
                String::new()
            } else {
                let quoted: Vec<String> = close.iter().map(|c| format!("`{c}`")).collect();
                format!("; did you mean {}?", quoted.join(" or "))
            };
            format!(
                "unknown check `{word}`{suggestion} The checks are `always()`, \
                 `actor_present()`, `actor_attribute_equals(field, value)` and `expr(..)`"
            )
        }
        Place::Multitenancy => format!(
            "unknown item `{word}` in `multitenancy`{}",
            hint(word, &["attribute", "global"])
        ),
        Place::ReadWith => {
            let values: Vec<&str> = ReadWith::ALL.iter().map(|r| r.keyword()).collect();
            format!(
                "unknown value `{word}` for `authorize_read_with`{} (`filter` leaves out \
                 related records the actor may not read, `error` fails the load)",
                hint(word, &values)
            )
        }
        _ => return None,
    })
}

/// A policy with no checks forbids every read: reported on `policy`, and the
/// policy removed (unless lines were left out after another error).
pub fn empty_policies(resource: &mut Resource, front: FrontEnd, errors: &Errors) {
    resource.policies.retain(|policy| {
        if !policy.checks.is_empty() || policy.incomplete {
            return true;
        }
        let fix = match front {
            FrontEnd::Macro => "`authorize_if actor_present();`",
            FrontEnd::Derive => "`authorize_if(actor_present())` after the condition",
        };
        errors.error_at(
            policy.keyword.span(),
            format!("a policy with no checks forbids every read; add {fix}"),
        );
        false
    });
}

/// `multitenancy` given once, with an `attribute` that the resource has.
/// What is reported is removed, so no tenancy is generated from it.
pub fn multitenancy(resource: &mut Resource, front: FrontEnd, errors: &Errors) {
    let columns = resource.columns();
    let names: Vec<String> = columns.iter().map(|c| name_of(&c.name)).collect();
    let ident = resource.ident.clone();
    let mut first: Option<Span> = None;
    resource.multitenancy.retain(|tenancy| {
        let keyword = &tenancy.keyword;
        if let Some(first) = first {
            let fix = match front {
                FrontEnd::Macro => "merge the two blocks into one",
                FrontEnd::Derive => "keep one",
            };
            errors.error_at(
                keyword.span(),
                format!("`multitenancy` is given twice{}: {fix}", first_at(first)),
            );
            return false;
        }
        first = Some(keyword.span());
        let Some(attribute) = &tenancy.attribute else {
            let fix = match front {
                FrontEnd::Macro => "`multitenancy { attribute organization_id; }`",
                FrontEnd::Derive => "`multitenancy(attribute = organization_id)`",
            };
            errors.error_at(
                keyword.span(),
                format!("`multitenancy` needs the attribute holding each record's tenant: {fix}"),
            );
            return false;
        };
        let name = name_of(attribute);
        if names.contains(&name) {
            return true;
        }
        let suffix = hint_or_list(&name, &names, |all| {
            format!(": the tenant is one of its attributes ({all})")
        });
        errors.error_at(
            attribute.span(),
            format!("`{ident}` has no attribute `{name}` to hold the tenant{suffix}"),
        );
        false
    });
}

/// `^actor(..)` and `^tenant()` in a relationship's `filter`: reported on
/// each template, and the filter removed.
pub fn filter_templates(resource: &mut Resource, front: FrontEnd, errors: &Errors) {
    let fix = match front {
        FrontEnd::Macro => {
            "a relationship's filter is the same for every read. To filter by the actor or \
             tenant, give the destination a read policy: \
             `policies { policy always() { authorize_if expr(..); } }`"
        }
        FrontEnd::Derive => {
            "a relationship's filter is the same for every read. To filter by the actor or \
             tenant, give the destination a read policy: \
             `#[resource(policy(always(), authorize_if(expr(..))))]`"
        }
    };
    for rel in &mut resource.relationships {
        rel.options.retain(|option| {
            let OptionValue::Filter(filter) = &option.value else {
                return true;
            };
            let templates = filter.templates();
            for template in &templates {
                errors.syn_error(template.outside_policy("a relationship's `filter`", fix));
            }
            debug_assert_eq!(option.value.kind(), OptionKind::Filter);
            templates.is_empty()
        });
    }
}
