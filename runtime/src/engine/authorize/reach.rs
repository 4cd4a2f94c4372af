//! The resources a read meets, so that only their policies are evaluated: its
//! own resource, every resource its filter reaches through relationship paths
//! (`exists` included) and its sort keys' paths reach, the paths of those
//! relationships' own `filter` options,
//! the join resources of many_to_many hops, and the join resource of a load
//! through one. The conditions of the resources found are not walked: the data
//! layers evaluate a visibility condition's own paths unscoped.
//!
//! The walk keeps its own stack, so a deep filter cannot overflow the thread's.

use crate::expr::{Expr, Name};
use crate::resource::{RelationshipInfo, Schema};
use crate::sort::Sort;

/// `root`, the resources `filter` and the paths of `sort` reach from it, and
/// `join`, each once.
pub(super) fn resources_met(
    root: &'static Schema,
    filter: Option<&Expr>,
    sort: &[Sort],
    join: Option<&'static Schema>,
) -> Vec<&'static Schema> {
    let mut walk = Walk {
        met: vec![root],
        followed: Vec::new(),
        relationship_filters: Vec::new(),
    };
    walk.meet(join);
    if let Some(filter) = filter {
        walk.expr(root, filter);
    }
    for key in sort {
        walk.path(root, &key.path);
        if let Some(aggregate) = &key.aggregate {
            walk.expr(
                root,
                &Expr::Aggregate {
                    at: Vec::new(),
                    aggregate: aggregate.clone(),
                },
            );
        }
    }
    while let Some((schema, filter)) = walk.relationship_filters.pop() {
        walk.expr(schema, &filter);
    }
    walk.met
}

struct Walk {
    met: Vec<&'static Schema>,
    /// Relationships whose `filter` option was taken to be walked.
    followed: Vec<*const RelationshipInfo>,
    /// Relationship filters still to walk, each from its destination.
    relationship_filters: Vec<(&'static Schema, Expr)>,
}

impl Walk {
    fn meet(&mut self, schema: Option<&'static Schema>) {
        if let Some(schema) = schema
            && !self.met.iter().any(|s| std::ptr::eq(*s, schema))
        {
            self.met.push(schema);
        }
    }

    /// Walks `expr`, on records of `schema`.
    fn expr(&mut self, schema: &'static Schema, expr: &Expr) {
        let mut stack = vec![(schema, expr)];
        while let Some((schema, expr)) = stack.pop() {
            match expr {
                // A parent's attribute is read from a record the read
                // already holds: it meets no resource.
                Expr::Value(_) | Expr::Parent(_) => {}
                Expr::Attr { path, .. } => {
                    self.path(schema, path);
                }
                Expr::Cmp(_, a, b)
                | Expr::Arith(_, a, b)
                | Expr::TextOp(_, a, b)
                | Expr::And(a, b)
                | Expr::Or(a, b) => {
                    stack.push((schema, a));
                    stack.push((schema, b));
                }
                Expr::In(a, _) | Expr::Not(a) | Expr::IsNil(a) | Expr::Func(_, a) => {
                    stack.push((schema, a))
                }
                Expr::Exists { path, expr } => {
                    if let Some(end) = self.path(schema, path) {
                        stack.push((end, expr));
                    }
                }
                Expr::Aggregate { at, aggregate } => {
                    let path: Vec<Name> = at.iter().chain(&aggregate.path).cloned().collect();
                    if let Some(end) = self.path(schema, &path)
                        && let Some(filter) = &aggregate.filter
                    {
                        stack.push((end, filter));
                    }
                }
            }
        }
    }

    /// Follows `path` from `schema`, meeting each hop's destination and join
    /// resource; the resource at its end, unless a name is not a relationship
    /// (the read reports that).
    fn path(&mut self, mut schema: &'static Schema, path: &[Name]) -> Option<&'static Schema> {
        for name in path {
            let rel = schema
                .relationships
                .iter()
                .find(|r| r.name == name.as_ref())?;
            let destination = (rel.destination)();
            self.meet(Some(destination));
            self.meet(rel.through.as_ref().map(|t| (t.resource)()));
            if !self.followed.contains(&std::ptr::from_ref(rel)) {
                self.followed.push(rel);
                // A manual relationship's condition is walked like its filter
                // (the paths of either lead further).
                let condition = rel.condition.filter(|_| rel.manual);
                for filter in rel.filter.into_iter().chain(condition) {
                    self.relationship_filters.push((destination, filter()));
                }
            }
            schema = destination;
        }
        Some(schema)
    }
}
