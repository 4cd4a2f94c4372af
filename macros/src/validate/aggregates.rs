//! Rules about aggregates: a name of its own (not an attribute's, a
//! relationship's, another aggregate's, nor a reserved one); a path that ends
//! in a field for a kind that reads one; in `resource!`, the field's type
//! (`as T`) exactly where the value is an `Option` of it. What the path and the
//! field name, and whether the types agree, the compiler checks on the user's
//! tokens (see `generate::aggregates`).

use std::collections::HashMap;

use proc_macro2::Span;

use super::RESERVED;
use crate::errors::Errors;
use crate::model::{Aggregate, AggregateKind, FrontEnd, Resource, name_of};
use crate::suggest::first_at;

/// Reports the aggregates that break a rule, and drops them.
pub fn aggregates(resource: &mut Resource, front: FrontEnd, errors: &Errors) {
    let columns: Vec<String> = resource
        .column_names()
        .iter()
        .map(|(c, _)| name_of(c))
        .collect();
    let relationships: Vec<String> = resource
        .relationships
        .iter()
        .map(|r| name_of(&r.name))
        .collect();
    // Manual relationships of this resource without a `condition`: an
    // aggregate cannot start through one (one error here, on its name, where
    // the generated path would add a second on the aggregate's keyword).
    let manual_without_condition: Vec<String> = resource
        .relationships
        .iter()
        .filter(|r| r.manual().is_some() && r.condition().is_none())
        .map(|r| name_of(&r.name))
        .collect();
    let mut seen: HashMap<String, Span> = HashMap::new();
    resource.aggregates.retain(|aggregate| {
        let name = name_of(&aggregate.name);
        let message = if let Some(&first) = seen.get(&name) {
            format!(
                "the aggregate `{name}` is declared twice{}: rename or remove one of them",
                first_at(first)
            )
        } else if columns.contains(&name) {
            format!("`{name}` is already an attribute: an aggregate needs its own name")
        } else if relationships.contains(&name) {
            format!("`{name}` is already a relationship: an aggregate needs its own name")
        } else if RESERVED.contains(&name.as_str()) {
            format!(
                "`{name}` is reserved: every resource has a function of that name; rename the \
                 aggregate (e.g. `{name}_value`)"
            )
        } else if let Some(hop) = aggregate
            .path
            .first()
            .filter(|hop| manual_without_condition.contains(&name_of(hop)))
        {
            seen.insert(name, aggregate.name.span());
            errors.error_at(
                hop.span(),
                format!(
                    "an aggregate cannot go through the manual relationship `{}` without a \
                     `condition`: say how its records relate to the source record in its \
                     declaration, as a filter on them that reads the source with `parent(..)` \
                     ({}); loads still call its loader",
                    name_of(hop),
                    match front {
                        FrontEnd::Macro => "`condition representative_id == parent(id);`",
                        FrontEnd::Derive => "`condition(representative_id == parent(id))`",
                    }
                ),
            );
            return false;
        } else if let Some(hop) = aggregate
            .path
            .first()
            .filter(|hop| columns.contains(&name_of(hop)))
        {
            // One error on the attribute, where the generated path would
            // give rustc's on the aggregate's keyword.
            seen.insert(name, aggregate.name.span());
            errors.error_at(
                hop.span(),
                format!(
                    "`{}` is an attribute: an aggregate's path starts with a relationship \
                     (`tickets`, or `tickets.priority` for a kind that reads a field)",
                    name_of(hop)
                ),
            );
            return false;
        } else {
            seen.insert(name, aggregate.name.span());
            return shape(aggregate, front, errors);
        };
        errors.error_at(aggregate.name.span(), message);
        false
    });
}

/// The rules about one aggregate's own declaration; `false` when it broke one.
fn shape(aggregate: &Aggregate, front: FrontEnd, errors: &Errors) -> bool {
    let Aggregate {
        kind,
        keyword,
        path,
        ..
    } = aggregate;
    if kind.reads_field() && path.len() < 2 {
        let spelled = match front {
            FrontEnd::Macro => format!("`{keyword} {}: {}.priority", aggregate.name, path[0]),
            FrontEnd::Derive => format!("`aggregate({keyword}, {}.priority", path[0]),
        };
        errors.error_at(
            path[path.len() - 1].span(),
            format!(
                "`{keyword}` reads a field of the records reached: name it after the \
                 relationship path, {spelled}{}`",
                match front {
                    FrontEnd::Macro if kind.needs_type() => " as i64;",
                    FrontEnd::Macro => ";",
                    FrontEnd::Derive => ")",
                }
            ),
        );
        return false;
    }
    if front == FrontEnd::Macro && !aggregate.from_field {
        match (&aggregate.ty, kind.needs_type()) {
            (None, true) => {
                let holds = if *kind == AggregateKind::List {
                    "a `Vec`"
                } else {
                    "an `Option`"
                };
                errors.error_at(
                    aggregate.end,
                    format!(
                        "`{keyword}` holds {holds} of the field's type: declare it, \
                         `{keyword} {}: {} as T;` with `T` the field's type (`i64`, `String`, ..)",
                        aggregate.name,
                        path.iter().map(name_of).collect::<Vec<_>>().join(".")
                    ),
                );
                return false;
            }
            (Some(ty), false) => {
                let value = match kind {
                    AggregateKind::Count => "an `i64`",
                    AggregateKind::Exists => "a `bool`",
                    _ => "an `Option<f64>`",
                };
                errors
                    .error_spanned_by(ty, format!("`{keyword}` is always {value}: remove `as ..`"));
                return false;
            }
            _ => {}
        }
    }
    true
}
