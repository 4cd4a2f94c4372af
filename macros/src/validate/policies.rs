//! Rules of policies and multitenancy: a policy with no checks, the actions
//! `action_type(..)` names (known, and a line's able to hold under its
//! policy's condition), the
//! tenant attribute (given once, naming an attribute of the resource), and
//! templates (`^actor(..)`, `^tenant()`) outside a policy's `expr(..)` (in a
//! relationship's `filter`). The messages for unknown words in policies are
//! here too; `unknown_words` in `mod.rs` calls them.

use proc_macro2::Span;

use crate::errors::Errors;
use crate::model::{
    ACTIONS, CHECKS, Check, CheckKind, Effect, FrontEnd, OptionKind, OptionValue, Place, ReadWith,
    Resource, name_of,
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
            // A near miss gets the one check it misspells.
            let close = match crate::suggest::did_you_mean(word, CHECKS) {
                Some(best) if strsim::levenshtein(word, best) <= 2 => vec![best],
                _ => close_ones(word, &CHECKS),
            };
            let suggestion = if close.is_empty() {
                String::new()
            } else {
                let quoted: Vec<String> = close.iter().map(|c| format!("`{c}`")).collect();
                format!("; did you mean {}?", quoted.join(" or "))
            };
            format!(
                "unknown check `{word}`{suggestion} The checks are `always()`, \
                 `action_type(..)`, `actor_present()`, `actor_attribute_equals(field, value)` \
                 and `expr(..)`"
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

/// A policy with no checks forbids what it governs: reported on `policy`, and the
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
            format!("a policy with no checks forbids every action it governs; add {fix}"),
        );
        false
    });
}

/// Every word of `action_type(..)` names an action (reported with a
/// suggestion, and dropped), and a line's `action_type(..)` check can hold for
/// some action its policy's `action_type(..)` condition selects: under
/// `policy action_type(create)`, `authorize_if action_type(update)` never
/// holds, which is a mistake (reported on the line's check).
pub fn action_types(resource: &mut Resource, errors: &Errors) {
    for policy in &mut resource.policies {
        known_actions(&mut policy.condition, errors);
        for line in &mut policy.checks {
            known_actions(&mut line.check, errors);
        }
        let CheckKind::ActionType(governed) = &policy.condition.kind else {
            continue;
        };
        if governed.is_empty() {
            continue;
        }
        for line in &policy.checks {
            let CheckKind::ActionType(selected) = &line.check.kind else {
                continue;
            };
            if selected.is_empty() || selected.iter().any(|a| governed.contains(a)) {
                continue;
            }
            let governed: Vec<String> = governed.iter().map(|a| a.to_string()).collect();
            let governed: Vec<&str> = governed.iter().map(String::as_str).collect();
            let only = crate::suggest::one_of(&governed);
            errors.error_at(
                line.check.name.span(),
                format!(
                    "this `action_type` check never holds: its policy governs only {only}; \
                     name {only} here, or give this line a policy of its own"
                ),
            );
        }
    }
}

/// Reports and drops the words of an `action_type(..)` check that name no action.
fn known_actions(check: &mut Check, errors: &Errors) {
    let CheckKind::ActionType(actions) = &mut check.kind else {
        return;
    };
    actions.retain(|action| {
        let word = action.to_string();
        if ACTIONS.contains(&word.as_str()) {
            return true;
        }
        let suggestion = match word.as_str() {
            // Other frameworks' words for Ash's.
            "delete" | "remove" => "; did you mean `destroy`?".to_owned(),
            "write" => "; name the writes: `create, update, destroy`".to_owned(),
            _ => hint(&word, &ACTIONS),
        };
        errors.error_at(
            action.span(),
            format!("unknown action type `{word}`{suggestion}"),
        );
        false
    });
}

/// `multitenancy` given once, with an `attribute` that the resource has.
/// What is reported is removed, so no tenancy is generated from it.
pub fn multitenancy(resource: &mut Resource, front: FrontEnd, errors: &Errors) {
    let names: Vec<String> = resource
        .column_names()
        .iter()
        .map(|(c, _)| name_of(c))
        .collect();
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
