//! Relationship `filter` options that go through each other: a filter of
//! relationship `a` whose path goes through relationship `b`, whose own filter
//! goes back through `a` (or through `a` itself). Following such a relationship
//! would compile its filter, then the filters of the relationships that filter
//! goes through, without end, so [`DomainBuilder::build`] refuses a domain with
//! one (naming the relationships in turn), before anything is read.
//!
//! [`DomainBuilder::build`]: crate::DomainBuilder::build

use super::{RelationshipInfo, Schema};
use crate::expr::{Expr, Name};

/// A relationship named by its resource and its name.
pub(crate) type Named = (&'static str, &'static str);

/// The first cycle of relationship filters among the relationships of
/// `schemas`, as the relationships in turn (the first one again at the end),
/// or `None`.
pub(crate) fn relationship_filter_cycle(schemas: &[&'static Schema]) -> Option<Vec<Named>> {
    // Depth-first over relationships with a filter, with an explicit stack:
    // `on_path` holds the relationships being followed, `done` those whose
    // every continuation was followed without meeting a cycle.
    let mut done: Vec<*const RelationshipInfo> = Vec::new();
    for schema in schemas {
        for rel in schema.relationships.iter().filter(|r| r.filter.is_some()) {
            if done.contains(&std::ptr::from_ref(rel)) {
                continue;
            }
            let mut on_path: Vec<(Named, *const RelationshipInfo)> = Vec::new();
            let mut stack = vec![Visit::Enter(schema, rel)];
            while let Some(visit) = stack.pop() {
                let (schema, rel) = match visit {
                    Visit::Leave => {
                        if let Some((_, left)) = on_path.pop() {
                            done.push(left);
                        }
                        continue;
                    }
                    Visit::Enter(schema, rel) => (schema, rel),
                };
                let id = std::ptr::from_ref(rel);
                if let Some(at) = on_path.iter().position(|(_, r)| *r == id) {
                    let mut cycle: Vec<Named> = on_path[at..].iter().map(|(n, _)| *n).collect();
                    cycle.push((schema.name, rel.name));
                    return Some(cycle);
                }
                if done.contains(&id) {
                    continue;
                }
                on_path.push(((schema.name, rel.name), id));
                stack.push(Visit::Leave);
                let filter = rel.filter.map(|f| f());
                let destination = (rel.destination)();
                for next in filter.iter().flat_map(|f| hops(destination, f)) {
                    stack.push(Visit::Enter(next.0, next.1));
                }
            }
        }
    }
    None
}

enum Visit {
    /// Follow this relationship (of this resource).
    Enter(&'static Schema, &'static RelationshipInfo),
    /// Done with the relationship entered last.
    Leave,
}

/// The relationships with a filter of their own that `expr`, on records of
/// `schema`, goes through (attribute paths and `exists`, at any hop), each
/// with the resource it belongs to. Names that are not relationships are
/// skipped: reading reports them.
fn hops(schema: &'static Schema, expr: &Expr) -> Vec<(&'static Schema, &'static RelationshipInfo)> {
    let mut out = Vec::new();
    let mut stack = vec![(schema, expr)];
    while let Some((schema, expr)) = stack.pop() {
        let end = match expr {
            Expr::Attr { path, .. } => {
                follow(schema, path, &mut out);
                continue;
            }
            Expr::Exists { path, expr } => match follow(schema, path, &mut out) {
                Some(end) => (end, &**expr),
                None => continue,
            },
            Expr::Aggregate { at, aggregate } => {
                let path: Vec<_> = at.iter().chain(&aggregate.path).cloned().collect();
                match (follow(schema, &path, &mut out), &aggregate.filter) {
                    (Some(end), Some(filter)) => (end, filter),
                    _ => continue,
                }
            }
            other => {
                stack.extend(other.operands().into_iter().flatten().map(|e| (schema, e)));
                continue;
            }
        };
        stack.push(end);
    }
    out
}

/// Follows `path` from `schema`, adding each hop that has a filter to `out`;
/// the resource at its end, unless a name is not a relationship.
fn follow(
    mut schema: &'static Schema,
    path: &[Name],
    out: &mut Vec<(&'static Schema, &'static RelationshipInfo)>,
) -> Option<&'static Schema> {
    for name in path {
        let rel = schema.relationship(name.as_ref())?;
        if rel.filter.is_some() {
            out.push((schema, rel));
        }
        schema = (rel.destination)();
    }
    Some(schema)
}
