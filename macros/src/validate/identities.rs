//! The rules of identities, for both front ends: each key an attribute of the
//! resource (a relationship's name is pointed at its foreign key, a typo gets a
//! did-you-mean), at least one key, no key twice, no two identities of one
//! name, and a name free for the generated `Ticket::unique_email()` (not an
//! attribute's, a relationship's or a reserved function's). An identity whose
//! name is in error is removed, so generation emits nothing that clashes; one
//! whose keys are loses those keys only, so `Ticket::<name>()` still exists
//! and code using it gets no error of its own.

use std::collections::HashMap;

use proc_macro2::Span;

use super::RESERVED;
use crate::errors::Errors;
use crate::model::{FrontEnd, Identity, RelKind, Resource, name_of};
use crate::suggest::{first_at, hint_or_list};

/// Checks every identity of `resource` (see the module comment).
pub fn identities(resource: &mut Resource, front: FrontEnd, errors: &Errors) {
    let columns: Vec<String> = resource
        .column_names()
        .iter()
        .map(|(c, _)| name_of(c))
        .collect();
    let identities = std::mem::take(&mut resource.identities);
    let mut names: HashMap<String, Span> = HashMap::new();
    for mut identity in identities {
        let name_ok = name(resource, &identity, &columns, &mut names, errors);
        keys(resource, &mut identity, &columns, front, errors);
        if name_ok {
            resource.identities.push(identity);
        }
    }
}

/// The identity's name: unique among identities, free for its function.
fn name(
    resource: &Resource,
    identity: &Identity,
    columns: &[String],
    names: &mut HashMap<String, Span>,
    errors: &Errors,
) -> bool {
    let ident = &resource.ident;
    let name = name_of(&identity.name);
    let clash = if let Some(&first) = names.get(&name) {
        Some(format!(
            "the identity `{name}` is declared twice{}: rename or remove one of them",
            first_at(first)
        ))
    } else if columns.contains(&name) {
        Some(format!(
            "`{name}` is already an attribute: `{ident}::{name}()` cannot name both; \
             rename the identity (e.g. `unique_{name}`)"
        ))
    } else if resource
        .relationships
        .iter()
        .any(|r| name_of(&r.name) == name)
    {
        Some(format!(
            "`{name}` is already a relationship: `{ident}::{name}()` cannot name both; \
             rename the identity (e.g. `unique_{name}`)"
        ))
    } else if resource.aggregates.iter().any(|a| name_of(&a.name) == name) {
        Some(format!(
            "`{name}` is already an aggregate: `{ident}::{name}()` cannot name both; \
             rename the identity (e.g. `unique_{name}`)"
        ))
    } else if RESERVED.contains(&name.as_str()) {
        Some(format!(
            "`{name}` is reserved: `{ident}::{name}()` is a function every resource has; \
             rename the identity (e.g. `unique_{name}`)"
        ))
    } else {
        None
    };
    match clash {
        Some(message) => {
            errors.error_at(identity.name.span(), message);
            false
        }
        None => {
            names.insert(name, identity.name.span());
            true
        }
    }
}

/// The identity's keys: some, each an attribute, none twice. The keys in
/// error are removed.
fn keys(
    resource: &Resource,
    identity: &mut Identity,
    columns: &[String],
    front: FrontEnd,
    errors: &Errors,
) {
    let name = name_of(&identity.name);
    if identity.keys.is_empty() {
        let Some(span) = identity.keys_span else {
            return; // reported by the front end
        };
        let example = match front {
            FrontEnd::Macro => format!("`identity {name} [email];`"),
            FrontEnd::Derive => format!("`identity({name}, keys(email))`"),
        };
        errors.error_at(
            span,
            format!("the identity `{name}` has no attributes: name at least one, as in {example}"),
        );
        return;
    }
    let mut seen: HashMap<String, Span> = HashMap::new();
    identity.keys.retain(|key| {
        let key_name = name_of(key);
        let message = if let Some(&first) = seen.get(&key_name) {
            format!(
                "`{key_name}` is given twice in the identity `{name}`{}: give it once",
                first_at(first)
            )
        } else if columns.contains(&key_name) {
            seen.insert(key_name, key.span());
            return true;
        } else if let Some(rel) = resource
            .relationships
            .iter()
            .find(|r| name_of(&r.name) == key_name)
        {
            let fix = match rel.kind {
                RelKind::BelongsTo => {
                    format!(": use its foreign key `{}`", name_of(&rel.foreign_key()))
                }
                _ => String::new(),
            };
            format!(
                "`{key_name}` is a relationship, and an identity's keys are attributes of `{}`{fix}",
                resource.ident
            )
        } else {
            let suffix = hint_or_list(&key_name, columns, |all| {
                format!(": the attributes are {all}")
            });
            format!("`{}` has no attribute `{key_name}`{suffix}", resource.ident)
        };
        errors.error_at(key.span(), message);
        false
    });
}
