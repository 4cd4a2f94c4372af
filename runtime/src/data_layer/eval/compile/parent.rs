//! Compiling the hop of a relationship linked by a condition (a
//! `no_attributes` relationship, or a manual one with a `condition`): the
//! condition compiled on the destination's records with `parent(..)` reading
//! the source row the hop is tested from (`linked`). A top-level conjunct
//! `dest_attr == parent(source_attr)` becomes the hop's key: an index on
//! `dest_attr` finds the candidates, and the conjunct, true on exactly those,
//! is left out of the conditions tested on them.

use std::cell::Cell;
use std::rc::Rc;

use super::{Compiler, Parent};
use crate::data_layer::eval::{Node, ParentColumn, ParentLink, Step};
use crate::data_layer::store::Table;
use crate::error::Result;
use crate::expr::{CmpOp, Expr};
use crate::resource::{RelationshipInfo, Schema};
use crate::value::ValueType;

impl<'a> Compiler<'a> {
    /// The hop through `rel` of `schema`, linked by a condition (a
    /// `no_attributes` relationship, or a manual one with a `condition`),
    /// from the records of `source_table`: the condition compiled with
    /// `parent(..)` reading the source row the hop is tested from.
    #[inline(never)]
    pub(super) fn parent_step(
        &mut self,
        schema: &'static Schema,
        source_table: &'a dyn Table,
        rel: &'static RelationshipInfo,
    ) -> Result<(Step<'a>, &'static Schema)> {
        let dest = (rel.destination)();
        let dest_table = self.table(dest)?;
        let row = Rc::new(Cell::new(None));
        let mut conditions = Vec::new();
        let mut key = None;
        let mut filter = rel.linking_condition(schema, self.root.name)?;
        if let Some(conjunct) = filter.as_ref().and_then(|f| key_conjunct(schema, dest, f)) {
            key = Some((conjunct.source, self.index(dest, conjunct.dest)?));
            // True on every row the index finds, false or nil on every
            // other: not tested again.
            filter = filter.and_then(|f| without_conjunct(&f, conjunct.at));
        }
        if let Some(filter) = filter {
            let outer = self.parent.replace(Parent {
                schema,
                table: source_table,
                row: row.clone(),
            });
            let scope = self.scope(dest, &filter);
            self.parent = outer;
            conditions.push(scope?);
        }
        conditions.extend(self.visible(dest)?);
        let step = Step {
            to_one: false,
            source_table,
            // Unused: the link is `parent`.
            source_attr: schema.primary_key,
            join: None,
            dest_index: 0,
            conditions,
            parent: Some(ParentLink {
                row,
                dest_table,
                key,
            }),
            // Set by `step`, which knows whether it picks the first.
            first_by: None,
        };
        Ok((step, dest))
    }

    /// `parent(name)`: the attribute `name` of the source of the
    /// `no_attributes` hop being compiled (a `condition` when it is boolean).
    /// Out of `node`, whose frame every level of a deep filter takes.
    #[inline(never)]
    pub(super) fn parent_node(&self, name: &str, condition: bool) -> Result<Node<'a>> {
        let Some(parent) = &self.parent else {
            return Err(self.invalid(format!(
                "`parent({name})` reads the source record of a relationship, so it is only \
                 allowed in the filter of a `no_attributes` relationship"
            )));
        };
        let attr = parent.schema.attribute_index(name).ok_or_else(|| {
            self.invalid(format!(
                "no attribute named `{name}` on {} (in `parent({name})`)",
                parent.schema.name
            ))
        })?;
        let ty = parent.schema.attributes[attr].value_type;
        if condition && ty != ValueType::Bool {
            return Err(self.invalid(format!("`parent({name})` is not a condition")));
        }
        Ok(Node::Parent(ParentColumn {
            row: parent.row.clone(),
            table: parent.table,
            attr,
            ty,
        }))
    }
}

/// A top-level conjunct `d == parent(s)` of a linking condition.
struct KeyConjunct {
    /// `d`'s index in the destination.
    dest: usize,
    /// `s`'s index in the source.
    source: usize,
    /// Its position among the top-level conjuncts, left to right.
    at: usize,
}

/// A top-level conjunct `d == parent(s)` (either way round) of a
/// `no_attributes` relationship's filter whose two attributes have one value
/// type, not a float one, so an index on `d` (which finds the rows whose value
/// is `==` the key: a float's `-0.0` is not `0.0` there, though they compare
/// equal) finds exactly the rows it is true on: a nil `s` finds none, and a
/// row whose `d` is nil is in no group.
fn key_conjunct(source: &Schema, dest: &Schema, filter: &Expr) -> Option<KeyConjunct> {
    let mut stack = vec![filter];
    let mut at = 0;
    while let Some(expr) = stack.pop() {
        if let Expr::And(l, r) = expr {
            stack.push(r);
            stack.push(l);
            continue;
        }
        if let Some((d, s)) = key_pair(source, dest, expr) {
            return Some(KeyConjunct {
                dest: d,
                source: s,
                at,
            });
        }
        at += 1;
    }
    None
}

/// `expr` as `d == parent(s)` (either way round) of one value type, not a
/// float: (`d`'s index in `dest`, `s`'s in `source`).
fn key_pair(source: &Schema, dest: &Schema, expr: &Expr) -> Option<(usize, usize)> {
    let Expr::Cmp(CmpOp::Eq, l, r) = expr else {
        return None;
    };
    let ((Expr::Attr { path, name }, Expr::Parent(parent))
    | (Expr::Parent(parent), Expr::Attr { path, name })) = (&**l, &**r)
    else {
        return None;
    };
    if !path.is_empty() {
        return None;
    }
    let d = dest.attribute_index(name)?;
    let s = source.attribute_index(parent)?;
    let ty = dest.attributes[d].value_type;
    (ty == source.attributes[s].value_type && ty != ValueType::F64).then_some((d, s))
}

/// `filter` without its top-level conjunct at position `at` (as
/// `key_conjunct` counts them); `None` when it was the only one. Kleene's
/// `and` is associative and commutative, and evaluating has no effects, so
/// regrouping the others changes no result.
fn without_conjunct(filter: &Expr, at: usize) -> Option<Expr> {
    // `Expr` drops deep trees without recursing, so it cannot be taken
    // apart: the conjuncts kept are cloned.
    fn conjuncts<'e>(expr: &'e Expr, into: &mut Vec<&'e Expr>) {
        match expr {
            Expr::And(l, r) => {
                conjuncts(l, into);
                conjuncts(r, into);
            }
            other => into.push(other),
        }
    }
    let mut all = Vec::new();
    conjuncts(filter, &mut all);
    all.remove(at);
    all.into_iter().cloned().reduce(Expr::and)
}
