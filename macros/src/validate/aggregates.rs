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
        .columns()
        .iter()
        .map(|c| name_of(&c.name))
        .collect();
    let relationships: Vec<String> = resource
        .relationships
        .iter()
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
                         `{keyword} {}: {} as i64;`",
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
