//! Filters: compiles an [`Expr`] into SQL conditions that are true exactly when
//! the in-memory evaluator (`data_layer::eval`) says true, on either dialect
//! (the operators themselves, with memory's types, nils and overflow, are in
//! `operators`).
//!
//! - Relationship paths: every distinct path prefix of a scope is a binding
//!   ([`Expr::bindings`]), one `LEFT JOIN` each (its hop made by
//!   `relationship_hops`). The left joins give one
//!   all-NULL row when nothing is related and one row per related record
//!   otherwise, which is the evaluator's enumeration of bindings; a scope is
//!   true when some combination makes it true. Scopes are only ever tested for
//!   truth (the read's filter, `exists`' inner expression, a relationship's
//!   `filter` option, visibility), so no scope is ever nil.
//! - Nested scopes (`exists`, relationship filters, visibility at a hop):
//!   the joins chain from a one-row dummy inside one `EXISTS` around the whole
//!   scope expression.
//! - A statement's own filter (`root`, for a read's `WHERE`): a binding whose
//!   every hop reaches at most one record (a belongs_to, or a has_one, to the
//!   destination's primary key: [`RelationshipInfo::reaches_at_most_one`];
//!   or a has_one that may reach several, whose hop keeps the first alone,
//!   `hop::Hop::first_only`)
//!   binds one record or an all-NULL row per row of the statement, so its
//!   `LEFT JOIN` goes into the statement's `FROM`, and the top-level conjuncts
//!   that read only such bindings (or none) are plain `WHERE` conditions.
//!   The other bindings (to-many hops, and any hop after one) stay in one
//!   `EXISTS`, correlated to the joined aliases, around the conjuncts that
//!   read them. The guide's loader becomes `FROM tickets t0 LEFT JOIN
//!   representatives t1 ON t1.id = t0.representative_id WHERE
//!   t0.representative_id = ANY($1) AND (t0.priority > t1.priority_threshold)`:
//!   the planner narrows the tickets through the index and joins each to its
//!   representative once, as a hand-written JOIN does.
//! - A many_to_many hop left-joins the join table and the destination as one
//!   parenthesized inner join, so a join row whose destination is missing or
//!   filtered out adds no all-NULL row.
//! - A relationship's `filter` option goes into the ON condition of its hop,
//!   compiled as its own scope on the destination's alias, so a record it
//!   rejects leaves the all-NULL row of a joined hop, as in memory.
//! - Aggregates: at the top of a statement's filter, for its own rows, a
//!   grouped table left-joined to them, or a correlated subquery (`grouped`
//!   has the rule).
//! - Visibility (`ReadRequest::visibility`): the destination's condition joins
//!   the relationship filter in the ON condition of every hop, and a
//!   many_to_many's join resource's condition too, each compiled as its own
//!   scope; the read adds the root's condition to its filter, compiled as a
//!   `root` of its own (see `read`). The hops of a visibility condition
//!   itself are not scoped, as in the evaluator.

use super::super::Dialect;
use super::functions::{self, Test};
use super::hop::exists;
use super::operators::{Frag, Kind, arith, cmp, constant, is_in, seal};
use super::text::{Params, column};
use crate::data_layer::{Visibility, sort_path};
use crate::error::{Error, ErrorKind, Result};
use crate::expr::text::constant_pattern;
use crate::expr::{Expr, Name, TextOp};
use crate::resource::{RelationshipInfo, Schema};
use crate::value::{Value, ValueType};

mod grouped;
mod relationship_hops;

use grouped::Grouping;

/// A binding of a scope: the record reached through `path` from the scope's
/// root, read through `alias`.
struct Slot<'e> {
    path: &'e [Name],
    schema: &'static Schema,
    alias: String,
    /// The `LEFT JOIN` that binds it (none for the root).
    join: String,
    /// Whether it binds at most one record for each row of the root: every
    /// hop on its path [reaches at most one](RelationshipInfo::reaches_at_most_one),
    /// or is a has_one that picks the first of several (`sort_path::picks_first`).
    single: bool,
}

/// The filter of a statement, as [`Compiler::root`] compiles it.
#[derive(Default)]
pub(super) struct Root {
    /// The `LEFT JOIN`s of the bindings that reach at most one record, for the
    /// statement's `FROM` (after its own table, read as the root's alias).
    pub(super) joins: String,
    /// Conditions that must all be true, for the statement's `WHERE`.
    pub(super) conditions: Vec<String>,
}

impl Root {
    /// Adds `other`'s joins and conditions (its aliases are its own).
    pub(super) fn add(&mut self, other: Root) {
        self.joins.push_str(&other.joins);
        self.conditions.extend(other.conditions);
    }
}

/// Compiles the filters of one statement: shares its parameters and hands out
/// the aliases `t1`, `j2`, `d3`, … (`t0` is the statement's own table; `t` for
/// tables, `j` for join tables, `d` for the dummy row of a scope).
pub(super) struct Compiler<'p> {
    dialect: Dialect,
    root: &'static Schema,
    params: &'p mut Params,
    next_alias: usize,
    /// The conditions on the records of the resources the read meets.
    visibility: Visibility,
    /// Whether hops get visibility conditions: false while compiling one.
    scoped: bool,
    /// While compiling the filter of a `no_attributes` hop: its source and
    /// the alias it is read as, which `parent(..)` reads.
    parent: Option<(&'static Schema, String)>,
    /// The statement whose aggregates are grouped (`grouped`), if any.
    grouping: Option<Grouping<'p>>,
    /// Whether an aggregate met now is at the top of that statement's filter
    /// (not within a nested scope), so that it may be grouped.
    at_top: bool,
}

impl<'p> Compiler<'p> {
    pub(super) fn new(
        root: &'static Schema,
        params: &'p mut Params,
        visibility: Visibility,
    ) -> Self {
        Compiler {
            dialect: params.dialect,
            root,
            params,
            next_alias: 1,
            visibility,
            scoped: true,
            parent: None,
            grouping: None,
            at_top: false,
        }
    }

    /// The statement's parameters, for the parts of it built beside filters.
    pub(super) fn params(&mut self) -> &mut Params {
        self.params
    }

    /// The visibility condition on the records of `schema` read as `alias`,
    /// with its own paths unscoped. `None` when `schema` has none, or while
    /// compiling a visibility condition.
    pub(super) fn visible(
        &mut self,
        schema: &'static Schema,
        alias: &str,
    ) -> Result<Option<String>> {
        self.visibility_of(schema, false, |c, expr| c.scope(schema, alias, expr))
    }

    /// The visibility condition on the rows of a statement's own table, as
    /// `root` compiles a filter (its own bindings); see [`visible`].
    ///
    /// [`visible`]: Self::visible
    pub(super) fn visible_root(
        &mut self,
        schema: &'static Schema,
        alias: &str,
    ) -> Result<Option<Root>> {
        self.visibility_of(schema, true, |c, expr| c.root(schema, alias, expr))
    }

    /// The visibility condition on `schema` (on the read's own records, at
    /// the `root`: [`Visibility::of_root`]) compiled by `compile` with hops
    /// unscoped.
    fn visibility_of<T>(
        &mut self,
        schema: &'static Schema,
        root: bool,
        compile: impl FnOnce(&mut Self, &Expr) -> Result<T>,
    ) -> Result<Option<T>> {
        if !self.scoped {
            return Ok(None);
        }
        let visibility = self.visibility.clone();
        let condition = if root {
            visibility.of_root(schema)
        } else {
            visibility.of(schema)
        };
        let Some(expr) = condition else {
            return Ok(None);
        };
        expr.check_depth(
            self.root.name,
            &format_args!("the tenant and policy condition on {}", schema.name),
        )?;
        self.scoped = false;
        let compiled = compile(self, expr);
        self.scoped = true;
        compiled.map(Some)
    }

    fn alias(&mut self, prefix: &str) -> String {
        let n = self.next_alias;
        self.next_alias += 1;
        format!("{prefix}{n}")
    }

    fn invalid(&self, message: String) -> Error {
        Error::new(ErrorKind::InvalidQuery {
            resource: self.root.name,
            message,
        })
    }

    /// Checks that `schema` has the attribute `name` (reached through `path`),
    /// with the evaluator's message when not.
    fn attribute(&self, schema: &'static Schema, name: &str, path: &[Name]) -> Result<ValueType> {
        match schema.attribute(name) {
            Some(a) => Ok(a.value_type),
            None => Err(
                self.invalid(if path.is_empty() && std::ptr::eq(schema, self.root) {
                    format!("no attribute named `{name}`")
                } else {
                    format!(
                        "no attribute named `{name}` on {} (in `{}`)",
                        schema.name,
                        path.iter()
                            .map(|p| &**p)
                            .chain([name])
                            .collect::<Vec<_>>()
                            .join(".")
                    )
                }),
            ),
        }
    }

    /// `expr` as the filter of a statement reading the rows of `schema` as
    /// `alias`: a [`Root`] whose `LEFT JOIN`s bind the paths that reach at
    /// most one record per row, and whose conditions must all be true.
    ///
    /// Each top-level conjunct that reads only such bindings (or none) is a
    /// condition of its own, outside any `EXISTS`, so that the planner can use
    /// an index on its column or join the tables as it sees fit; the conjuncts
    /// that read a binding that may reach several records share one `EXISTS`
    /// over those bindings (correlated to the joined ones), so the binding rule
    /// holds across them. The joined bindings are each one record (or all-nil)
    /// per row, the same one the `EXISTS` would enumerate, so the answer is
    /// the same.
    ///
    /// Only for a statement's `WHERE`, where a condition counts when it is
    /// true: there `a AND EXISTS (.. b ..)` is true exactly when
    /// `EXISTS (.. a AND b ..)` is, but where nil and false differ (under a
    /// `NOT`) they do not agree.
    pub(super) fn root(
        &mut self,
        schema: &'static Schema,
        alias: &str,
        expr: &Expr,
    ) -> Result<Root> {
        let top = self.groups_at(schema, alias);
        let outer = std::mem::replace(&mut self.at_top, top);
        let root = self.root_conjuncts(schema, alias, expr);
        self.at_top = outer;
        let mut root = root?;
        if top {
            root.joins.push_str(&self.grouped_joins());
        }
        Ok(root)
    }

    fn root_conjuncts(
        &mut self,
        schema: &'static Schema,
        alias: &str,
        expr: &Expr,
    ) -> Result<Root> {
        expr.check_depth(self.root.name, &"the filter")?;
        let slots = self.bind(schema, alias, expr)?;
        let mut root = Root::default();
        let mut bound = Vec::new();
        // In the order of the expression, so that the first error is the one
        // `scope` (and the memory layer) would report.
        for conjunct in expr.conjuncts() {
            let node = self.node(conjunct, &slots, true)?;
            let condition = seal(self.dialect, node);
            let single = conjunct
                .paths()
                .iter()
                .all(|path| slots.iter().any(|s| s.path == *path && s.single));
            if single {
                root.conditions.push(condition);
            } else {
                bound.push(condition);
            }
        }
        let (single, several): (Vec<&Slot<'_>>, Vec<&Slot<'_>>) =
            slots.iter().partition(|s| s.single);
        root.joins = single.iter().map(|s| &*s.join).collect();
        if !bound.is_empty() {
            let joins: String = several.iter().map(|s| &*s.join).collect();
            let exists = self.some_binding(&joins, &bound.join(" AND "));
            root.conditions.push(exists);
        }
        Ok(root)
    }

    /// `expr` evaluated on the rows of `schema` read as `alias`, with its own
    /// bindings: a condition true exactly when the evaluator's scope is true.
    /// Recursive: the caller has checked that `expr` (or the expression it is
    /// part of) is within `MAX_FILTER_DEPTH`.
    pub(super) fn scope(
        &mut self,
        schema: &'static Schema,
        alias: &str,
        expr: &Expr,
    ) -> Result<String> {
        let outer = std::mem::replace(&mut self.at_top, false);
        let scope = self.scope_of(schema, alias, expr);
        self.at_top = outer;
        scope
    }

    fn scope_of(&mut self, schema: &'static Schema, alias: &str, expr: &Expr) -> Result<String> {
        let slots = self.bind(schema, alias, expr)?;
        let node = self.node(expr, &slots, true)?;
        let condition = seal(self.dialect, node);
        if slots.len() == 1 {
            return Ok(condition);
        }
        let joins: String = slots.iter().map(|s| &*s.join).collect();
        Ok(self.some_binding(&joins, &condition))
    }

    /// The slots of `expr`'s scope on `schema` read as `alias` (see
    /// [`Expr::bindings`]), each with the `LEFT JOIN` that binds it.
    fn bind<'e>(
        &mut self,
        schema: &'static Schema,
        alias: &str,
        expr: &'e Expr,
    ) -> Result<Vec<Slot<'e>>> {
        let mut slots = vec![Slot {
            path: &[],
            schema,
            alias: alias.to_owned(),
            join: String::new(),
            single: true,
        }];
        for binding in expr.bindings().into_iter().skip(1) {
            let parent = &slots[binding.parent];
            let relationship = &binding.path[binding.path.len() - 1];
            let single = parent.single
                && parent.schema.relationship(relationship).is_some_and(|r| {
                    RelationshipInfo::reaches_at_most_one(r) || sort_path::picks_first(r)
                });
            let (hop, dest) = self.hop(parent.schema, relationship, &parent.alias)?;
            slots.push(Slot {
                path: binding.path,
                schema: dest,
                join: hop.left_join(self.dialect),
                alias: hop.alias,
                single,
            });
        }
        Ok(slots)
    }

    /// True when some combination of the bindings `joins` makes
    /// `condition` true; with no related record, one all-nil combination.
    fn some_binding(&mut self, joins: &str, condition: &str) -> String {
        let dummy = self.alias("d");
        format!("EXISTS (SELECT 1 FROM (SELECT 1) AS {dummy}{joins} WHERE {condition})")
    }

    fn node(&mut self, expr: &Expr, slots: &[Slot<'_>], condition: bool) -> Result<Frag> {
        let not_condition = |c: &Self| c.invalid(format!("`{expr}` is not a condition"));
        Ok(match expr {
            Expr::Value(v) => {
                if condition && !matches!(v, Value::Bool(_) | Value::Null) {
                    return Err(not_condition(self));
                }
                constant(self.params, v)
            }
            Expr::Attr { path, name } => {
                let slot = slots
                    .iter()
                    .find(|s| s.path == &path[..])
                    .ok_or_else(|| self.invalid(format!("unresolved path in `{expr}`")))?;
                let value_type = self.attribute(slot.schema, name, path)?;
                if condition && value_type != ValueType::Bool {
                    return Err(not_condition(self));
                }
                Frag::new(column(&slot.alias, name), Kind::of_type(value_type))
            }
            Expr::Cmp(op, l, r) => {
                let mark = self.params.point();
                let l = self.node(l, slots, false)?;
                let r = self.node(r, slots, false)?;
                cmp(self.params, *op, l, r, mark)
            }
            Expr::In(x, list) => {
                let mark = self.params.point();
                let x = self.node(x, slots, false)?;
                is_in(self.params, x, list, mark)
            }
            Expr::Arith(op, l, r) => {
                if condition {
                    return Err(not_condition(self));
                }
                let mark = self.params.point();
                let l = self.node(l, slots, false)?;
                let r = self.node(r, slots, false)?;
                arith(self.params, *op, l, r, mark)
            }
            Expr::And(l, r) => {
                let l = self.node(l, slots, true)?;
                let r = self.node(r, slots, true)?;
                Frag::new(format!("({} AND {})", l.sql, r.sql), Kind::Bool)
            }
            Expr::Or(l, r) => {
                let l = self.node(l, slots, true)?;
                let r = self.node(r, slots, true)?;
                Frag::new(format!("({} OR {})", l.sql, r.sql), Kind::Bool)
            }
            Expr::Not(e) => {
                let e = self.node(e, slots, true)?;
                Frag::new(format!("(NOT {})", e.sql), Kind::Bool)
            }
            Expr::IsNil(e) => {
                let e = self.node(e, slots, false)?;
                Frag::new(format!("({} IS NULL)", seal(self.dialect, e)), Kind::Bool)
            }
            Expr::Func(func, e) => {
                if condition {
                    return Err(not_condition(self));
                }
                let mark = self.params.point();
                let e = self.node(e, slots, false)?;
                functions::func(self.params, *func, e, mark)
            }
            Expr::TextOp(op @ (TextOp::Like | TextOp::Ilike), x, pattern) => {
                let mark = self.params.point();
                let x = self.node(x, slots, false)?;
                let pattern = constant_pattern(*op, pattern).map_err(|m| self.invalid(m))?;
                functions::like(self.params, *op == TextOp::Ilike, x, pattern, mark)
            }
            Expr::TextOp(op, l, r) => {
                if condition && *op == TextOp::Concat {
                    return Err(not_condition(self));
                }
                let mark = self.params.point();
                let l = self.node(l, slots, false)?;
                let r = self.node(r, slots, false)?;
                match op {
                    TextOp::Contains => functions::test(self.params, Test::Contains, l, r, mark),
                    TextOp::StartsWith => {
                        functions::test(self.params, Test::StartsWith, l, r, mark)
                    }
                    TextOp::EndsWith => functions::test(self.params, Test::EndsWith, l, r, mark),
                    // `like` and `ilike` are matched above.
                    _ => functions::concat(self.params, l, r, mark),
                }
            }
            Expr::Exists { path, expr: inner } => {
                let mut schema = slots[0].schema;
                let mut alias = slots[0].alias.clone();
                let mut hops = Vec::with_capacity(path.len());
                for name in path {
                    let (hop, dest) = self.hop(schema, name, &alias)?;
                    alias = hop.alias.clone();
                    schema = dest;
                    hops.push(hop);
                }
                let inner = self.scope(schema, &alias, inner)?;
                Frag::new(exists(self.dialect, &hops, inner), Kind::Bool)
            }
            Expr::Aggregate { at, aggregate } => {
                self.aggregate(expr, at, aggregate, slots, condition)?
            }
            Expr::Parent(name) => self.parent_column(name, condition)?,
        })
    }
}
