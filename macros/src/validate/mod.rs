//! Rules across the items of a resource. Every rule reports all its errors into
//! the call's one `Errors`, each on the offending token and saying how to fix
//! it, then removes what it reported
//! (a repeated option, a misplaced `manual`, a duplicate field) so code generation
//! still emits the resource and one mistake does not cascade into more errors.
//!
//! Both front ends get the same rules; a message that names the fix in the
//! user's syntax says it in the syntax of the front end (`FrontEnd`). The rules
//! only `#[derive(Resource)]` needs are in `derive.rs`.

use std::collections::HashMap;

use proc_macro2::Span;
use syn::Ident;

use crate::errors::Errors;
use crate::model::{
    FrontEnd, OptionKind, OptionValue, Order, Origin, Place, RelKind, Relationship, Resource,
    name_of,
};
use crate::suggest::{first_at, hint, hint_or_elsewhere, hint_or_list};

mod aggregates;
mod derive;
mod identities;
mod policies;

/// Names a resource cannot give an attribute or relationship: they would clash
/// with the associated functions of `Resource` on the struct.
pub const RESERVED: [&str; 6] = [
    "query",
    "changeset",
    "schema",
    "get",
    "primary_key",
    "from_row",
];

const ATTRIBUTE_KEYWORDS: [&str; 3] = ["uuid_primary_key", "integer_primary_key", "attribute"];
const BLOCKS: [&str; 8] = [
    "attributes",
    "relationships",
    "aggregates",
    "identities",
    "table",
    "not_stored",
    "policies",
    "multitenancy",
];

/// Checks a resource of `resource!`, reporting into `errors`; returns it with
/// the reported mistakes removed.
pub fn validate(resource: Resource, errors: &Errors) -> Resource {
    common(resource, FrontEnd::Macro, errors)
}

/// Checks a resource of `#[derive(Resource)]`: the derive's own rules, then the
/// rules of every resource, worded for the derive.
pub fn validate_derive(mut resource: Resource, errors: &Errors) -> Resource {
    derive::foreign_key_fields(&mut resource, errors);
    common(resource, FrontEnd::Derive, errors)
}

/// The rules of every resource.
fn common(mut resource: Resource, front: FrontEnd, errors: &Errors) -> Resource {
    unknown_words(&resource, errors);
    primary_key(&mut resource, front, errors);
    duplicate_attributes(&mut resource, errors);
    relationship_options(&mut resource, front, errors);
    relationship_names(&mut resource, errors);
    source_attributes(&resource, errors);
    reserved_names(&resource, errors);
    aggregates::aggregates(&mut resource, front, errors);
    identities::identities(&mut resource, front, errors);
    not_stored(&mut resource, front, errors);
    policies::empty_policies(&mut resource, front, errors);
    policies::action_types(&mut resource, errors);
    policies::multitenancy(&mut resource, front, errors);
    policies::filter_templates(&mut resource, front, errors);
    parent_reads(&mut resource, front, errors);
    resource
}

/// `parent(x)` in a relationship's `filter`: only a `no_attributes`
/// relationship's may read its source, and `x` must be an attribute of it (an
/// aggregate of the source is no attribute; rustc reports other names, on
/// `x`). A filter with a mistake is removed, so it reports nothing twice.
fn parent_reads(resource: &mut Resource, front: FrontEnd, errors: &Errors) {
    let aggregates: Vec<String> = resource
        .aggregates
        .iter()
        .map(|a| name_of(&a.name))
        .collect();
    let add = match front {
        FrontEnd::Macro => "`no_attributes;` to the options",
        FrontEnd::Derive => "`no_attributes` to the options",
    };
    for rel in &mut resource.relationships {
        let no_attributes = rel.no_attributes();
        let manual = rel.manual().is_some();
        let name = rel.name.clone();
        rel.options.retain(|option| {
            let (filter, reads_parent) = match &option.value {
                OptionValue::Filter(filter) => (filter, no_attributes),
                OptionValue::Condition(condition) => (condition, true),
                _ => return true,
            };
            let mut fine = true;
            for (span, field) in filter.parents() {
                let message = if !reads_parent && manual {
                    format!(
                        "`parent({field})` reads the source record: a manual relationship's \
                         `filter` is its loader's query, which has none; say how the records \
                         relate to the source in its `condition` (`condition \
                         representative_id == parent(id);`)"
                    )
                } else if !reads_parent {
                    format!(
                        "`parent({field})` reads the source record, which only the filter of a \
                         `no_attributes` relationship may (its filter alone relates the \
                         records): add {add} of `{name}`, or compare with a key of the \
                         destination instead"
                    )
                } else if aggregates.contains(&name_of(field)) {
                    format!(
                        "`parent({field})` names an aggregate; `parent(..)` reads an attribute \
                         of the source"
                    )
                } else {
                    continue;
                };
                errors.error_at(span, message);
                fine = false;
            }
            fine
        });
    }
}

fn unknown_words(resource: &Resource, errors: &Errors) {
    let kinds: Vec<&str> = RelKind::ALL.iter().map(|k| k.keyword()).collect();
    let options: Vec<&str> = OptionKind::ALL.iter().map(|k| k.keyword()).collect();
    let orders: Vec<&str> = Order::ALL.iter().map(|o| o.keyword()).collect();
    for unknown in &resource.unknown {
        let word = unknown.word.to_string();
        let message = match unknown.place {
            Place::Block => format!("unknown block `{word}`{}", hint(&word, &BLOCKS)),
            Place::Attribute if kinds.contains(&word.as_str()) => {
                format!("`{word}` declares a relationship: move it into `relationships {{ }}`")
            }
            Place::Attribute => format!(
                "unknown keyword `{word}` in `attributes`{}",
                hint_or_elsewhere(&word, &ATTRIBUTE_KEYWORDS, &kinds, "relationships")
            ),
            Place::Relationship if ATTRIBUTE_KEYWORDS.contains(&word.as_str()) => {
                format!("`{word}` declares an attribute: move it into `attributes {{ }}`")
            }
            Place::Relationship => {
                format!(
                    "unknown relationship kind `{word}`{}",
                    hint_or_elsewhere(&word, &kinds, &ATTRIBUTE_KEYWORDS, "attributes")
                )
            }
            Place::Option => format!(
                "unknown relationship option `{word}`{}",
                hint(&word, &options)
            ),
            Place::SortOrder => format!("unknown sort order `{word}`{}", hint(&word, &orders)),
            Place::Identities => format!(
                "unknown item `{word}` in `identities`{}",
                hint(&word, &["identity"])
            ),
            place => match policies::unknown_message(&word, place) {
                Some(message) => message,
                None => unreachable!("every place has a message"),
            },
        };
        errors.error_at(unknown.word.span(), message);
    }
}

fn primary_key(resource: &mut Resource, front: FrontEnd, errors: &Errors) {
    let mut first: Option<String> = None;
    for attribute in &mut resource.attributes {
        let Some(pk) = attribute.primary_key else {
            continue;
        };
        match &first {
            None => first = Some(name_of(&attribute.name)),
            Some(name) => {
                let fix = match front {
                    FrontEnd::Macro => format!("make this one `attribute {}: ..;`", attribute.name),
                    FrontEnd::Derive => format!("remove this `{}`", pk.kind.keyword()),
                };
                errors.error_at(
                    pk.keyword,
                    format!(
                        "`{}` already has the primary key `{name}`: a resource has exactly one; {fix}",
                        resource.ident
                    ),
                );
                attribute.primary_key = None;
            }
        }
    }
    if first.is_none() {
        let fix = match front {
            FrontEnd::Macro => {
                "add `uuid_primary_key id;` or `integer_primary_key id;` to its \
                                `attributes { }` block"
            }
            FrontEnd::Derive => {
                "mark its key field `#[resource(uuid_primary_key)]` (an `id: Uuid`) \
                                 or `#[resource(integer_primary_key)]` (an `id: i64`)"
            }
        };
        errors.error_at(
            resource.ident.span(),
            format!("`{}` has no primary key: {fix}", resource.ident),
        );
    }
}

fn duplicate_attributes(resource: &mut Resource, errors: &Errors) {
    let mut seen: HashMap<String, Span> = HashMap::new();
    resource.attributes.retain(|a| {
        let name = name_of(&a.name);
        if let Some(&first) = seen.get(&name) {
            errors.error_at(
                a.name.span(),
                format!(
                    "the attribute `{name}` is declared twice{}: rename or remove one of them",
                    first_at(first)
                ),
            );
            return false;
        }
        seen.insert(name, a.name.span());
        true
    });
    // Two belongs_to defining the same foreign key.
    let mut defined: HashMap<String, Ident> = HashMap::new();
    for rel in &resource.relationships {
        if rel.kind != RelKind::BelongsTo {
            continue;
        }
        let fk = rel.foreign_key();
        let name = name_of(&fk);
        if seen.contains_key(&name) {
            continue;
        }
        if let Some(other) = defined.get(&name) {
            errors.error_at(
                fk.span(),
                format!(
                    "belongs_to `{other}` already defines the attribute `{name}`: give this \
                     relationship another `source_attribute`"
                ),
            );
        } else {
            defined.insert(name, rel.name.clone());
        }
    }
}

fn relationship_options(resource: &mut Resource, front: FrontEnd, errors: &Errors) {
    for rel in &mut resource.relationships {
        let mut seen: HashMap<&'static str, Span> = HashMap::new();
        let manual = rel.manual().is_some();
        let no_attributes = rel.no_attributes();
        let kind = rel.kind;
        rel.options.retain(|option| {
            let k = option.value.kind();
            let span = option.keyword.span();
            let message = if let Some(&first) = seen.get(k.keyword()) {
                format!(
                    "`{}` is given twice{}: give it once",
                    k.keyword(),
                    first_at(first)
                )
            } else if k == OptionKind::Manual
                && matches!(kind, RelKind::BelongsTo | RelKind::ManyToMany)
            {
                "`manual` is only allowed on has_one and has_many".to_owned()
            } else if manual
                && matches!(
                    k,
                    OptionKind::SourceAttribute | OptionKind::DestinationAttribute
                )
                && matches!(kind, RelKind::HasOne | RelKind::HasMany)
            {
                format!(
                    "a manual relationship decides its own keys: remove `{}` \
                     (the loader returns records keyed by the source's primary key)",
                    k.keyword()
                )
            } else if k == OptionKind::Condition && !manual {
                "`condition` says how a manual relationship's records relate to the source \
                 record; without `manual`, write it as the `filter` of a `no_attributes` \
                 relationship"
                    .to_owned()
            } else if k == OptionKind::NoAttributes
                && matches!(kind, RelKind::BelongsTo | RelKind::ManyToMany)
            {
                "`no_attributes` is only allowed on has_one and has_many".to_owned()
            } else if no_attributes
                && matches!(
                    k,
                    OptionKind::SourceAttribute
                        | OptionKind::DestinationAttribute
                        | OptionKind::Manual
                )
                && matches!(kind, RelKind::HasOne | RelKind::HasMany)
            {
                format!(
                    "a `no_attributes` relationship has no keys: its `filter` relates the \
                     records, reading the source with `parent(..)`; remove `{}`",
                    k.keyword()
                )
            } else if k.is_join_option() && kind != RelKind::ManyToMany {
                format!("`{}` is only allowed on many_to_many", k.keyword())
            } else {
                seen.insert(k.keyword(), span);
                return true;
            };
            errors.error_at(span, message);
            false
        });
        if rel.kind == RelKind::ManyToMany && rel.through().is_none() {
            let fix = match front {
                FrontEnd::Macro => "`{ through JoinResource; }`",
                FrontEnd::Derive => "`through = JoinResource` to its `many_to_many(..)`",
            };
            errors.error_at(
                rel.name.span(),
                format!(
                    "many_to_many `{}` needs a join resource: add {fix}",
                    rel.name
                ),
            );
        }
    }
}

fn relationship_names(resource: &mut Resource, errors: &Errors) {
    let columns = resource.column_names();
    let mut seen: HashMap<String, Span> = HashMap::new();
    resource.relationships.retain(|rel| {
        let name = name_of(&rel.name);
        let message = if let Some(&first) = seen.get(&name) {
            format!(
                "the relationship `{name}` is declared twice{}: rename or remove one of them",
                first_at(first)
            )
        } else if let Some((column, origin)) = columns.iter().find(|(c, _)| name_of(c) == name) {
            match origin {
                Origin::Declared => format!(
                    "`{name}` is already an attribute{}: a relationship needs its own name",
                    first_at(column.span())
                ),
                Origin::BelongsTo(by) => format!(
                    "`{name}` is already an attribute, defined by belongs_to `{by}`: \
                     a relationship needs its own name"
                ),
            }
        } else {
            seen.insert(name, rel.name.span());
            return true;
        };
        errors.error_at(rel.name.span(), message);
        false
    });
}

fn source_attributes(resource: &Resource, errors: &Errors) {
    let names: Vec<String> = resource
        .column_names()
        .iter()
        .map(|(c, _)| name_of(c))
        .collect();
    for rel in &resource.relationships {
        if rel.kind == RelKind::BelongsTo {
            continue; // its source attribute is the foreign key it defines
        }
        if rel.option(OptionKind::SourceAttribute).is_none() {
            continue;
        }
        let attribute = resource.source_attribute(rel);
        let name = name_of(&attribute);
        if names.contains(&name) {
            continue;
        }
        let suffix = hint_or_list(&name, &names, |all| format!(": the attributes are {all}"));
        errors.error_at(
            attribute.span(),
            format!("`{}` has no attribute `{name}`{suffix}", resource.ident),
        );
    }
}

fn reserved_names(resource: &Resource, errors: &Errors) {
    let ident = &resource.ident;
    let columns = resource.column_names();
    let names = columns.iter().map(|(c, _)| (c, "attribute")).chain(
        resource
            .relationships
            .iter()
            .map(|r: &Relationship| (&r.name, "relationship")),
    );
    for (name, what) in names {
        let n = name_of(name);
        if RESERVED.contains(&n.as_str()) {
            errors.error_at(
                name.span(),
                format!(
                    "`{n}` is reserved: `{ident}::{n}()` is a function every resource has; \
                     rename the {what} (e.g. `{n}_value`)"
                ),
            );
        }
    }
}

/// A resource that is not stored has no table: `table` with `not_stored` is
/// an error on `table` (which is dropped).
fn not_stored(resource: &mut Resource, front: FrontEnd, errors: &Errors) {
    if resource.not_stored.is_none() {
        return;
    }
    if let Some(table) = resource.table.take() {
        let (table_option, not_stored) = match front {
            FrontEnd::Macro => ("`table \"..\";`", "`not_stored;`"),
            FrontEnd::Derive => ("`table = \"..\"`", "`not_stored`"),
        };
        errors.error_at(
            table.span(),
            format!(
                "{} is not stored, so it has no table: remove {table_option}, or {not_stored}",
                resource.ident
            ),
        );
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_identities;
