//! Compiling a filter: resolves the names of an [`Expr`] against the schemas it
//! reaches (attribute and relationship names to indices, relationships to hops
//! over shared indexes) and splits each scope's relationship paths into bindings.
//!
//! Every hop gets the destination's visibility condition (and, for
//! many_to_many, the join resource's), except the hops of a visibility condition
//! itself, which are compiled unscoped (see `eval`).
//!
//! A has_one (or belongs_to) hop that may reach several records picks the
//! first of those it sees (`sort_path::first_by`, `first`): every path
//! through it reaches that one record.
//!
//! A visibility condition can also be compiled on records outside the stored
//! table (`Filter::visible_in`, for what a manual loader returned): its own
//! attributes and its first hops read those records; every record a hop
//! reaches is a stored one.

use foldhash::{HashMap, HashMapExt};
use std::cell::{Cell, OnceCell};
use std::rc::Rc;

use super::grouped::Restriction;
use super::{
    Batch, Binding, Column, FirstBy, InList, Index, JoinStep, Node, Scope, Step, Tables,
    Visibility, lower,
};
use crate::data_layer::store::Table;
use crate::data_layer::{aggregate_path, sort_path};
use crate::error::{Error, ErrorKind, Result};
use crate::expr::text::{Pattern, constant_pattern};
use crate::expr::{Aggregate, AggregateKind, Expr, Name, TextOp};
use crate::resource::Schema;
use crate::value::{Value, ValueType};

mod parent;

/// Resolves names and allocates indexes while compiling one filter.
pub(super) struct Compiler<'a> {
    root: &'static Schema,
    tables: &'a dyn Tables,
    /// The indexes the compiled filter uses.
    pub(super) indexes: Vec<Index<'a>>,
    /// (table name, attribute) → position in `indexes`.
    index_slots: HashMap<(&'static str, usize), usize>,
    /// The conditions on the records of the resources the read meets.
    visibility: Visibility,
    /// Whether hops get visibility conditions: false while compiling one.
    scoped: bool,
    /// While compiling the filter of a `no_attributes` hop: what its
    /// `parent(..)` read.
    parent: Option<Parent<'a>>,
    /// While compiling a read's filter: the records its conjuncts without
    /// aggregates select, which restrict the grouped aggregates of the
    /// filter's own records (`grouped::Restriction`).
    pub(super) restriction: Option<Rc<Restriction<'a>>>,
    /// How many scopes are being compiled (1 in a read's filter itself).
    depth: usize,
}

/// The source of the `no_attributes` hop whose filter is being compiled.
#[derive(Clone)]
struct Parent<'a> {
    schema: &'static Schema,
    table: &'a dyn Table,
    row: Rc<Cell<Option<usize>>>,
}

/// What a binding slot reads from while compiling.
struct SlotInfo<'e, 'a> {
    path: &'e [Name],
    schema: &'static Schema,
    /// The table its records are in when not `schema`'s stored table (records
    /// a loader returned, checked before they reach the caller).
    rows: Option<&'a dyn Table>,
}

impl<'a> Compiler<'a> {
    pub(super) fn new(
        root: &'static Schema,
        tables: &'a dyn Tables,
        visibility: Visibility,
    ) -> Self {
        Compiler {
            root,
            tables,
            indexes: Vec::new(),
            index_slots: HashMap::new(),
            visibility,
            scoped: true,
            parent: None,
            restriction: None,
            depth: 0,
        }
    }

    /// The visibility condition on the records of `schema`, compiled on them
    /// with its own paths unscoped. `None` when `schema` has none, or while
    /// compiling a visibility condition.
    pub(super) fn visible(&mut self, schema: &'static Schema) -> Result<Option<Scope<'a>>> {
        self.visible_on(schema, None)
    }

    /// [`visible`](Self::visible) for the read's own records
    /// ([`Visibility::of_root`]).
    pub(super) fn visible_root(&mut self, schema: &'static Schema) -> Result<Option<Scope<'a>>> {
        self.visible_with(schema, None, true)
    }

    /// The same, evaluated on the records of `rows` (records of `schema` not
    /// in its table) when given; its paths still read the stored tables.
    pub(super) fn visible_on(
        &mut self,
        schema: &'static Schema,
        rows: Option<&'a dyn Table>,
    ) -> Result<Option<Scope<'a>>> {
        self.visible_with(schema, rows, false)
    }

    /// [`visible_on`](Self::visible_on), the condition on the read's own
    /// records when `root`.
    fn visible_with(
        &mut self,
        schema: &'static Schema,
        rows: Option<&'a dyn Table>,
        root: bool,
    ) -> Result<Option<Scope<'a>>> {
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
        let scope = self.scope_on(schema, rows, expr);
        self.scoped = true;
        scope.map(Some)
    }

    fn invalid(&self, message: String) -> Error {
        Error::new(ErrorKind::InvalidQuery {
            resource: self.root.name,
            message,
        })
    }

    pub(super) fn table(&self, schema: &'static Schema) -> Result<&'a dyn Table> {
        self.tables.table(schema).ok_or_else(|| {
            Error::new(ErrorKind::NotRegistered {
                resource: schema.name,
            })
        })
    }

    fn attribute(&self, schema: &'static Schema, name: &str, path: &[Name]) -> Result<usize> {
        schema.attribute_index(name).ok_or_else(|| {
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
            })
        })
    }

    /// Whether it is compiling the filter of a `no_attributes` hop (whose
    /// `parent(..)` reads the source row the hop is tested from).
    pub(super) fn in_parent_filter(&self) -> bool {
        self.parent.is_some()
    }

    /// The index of `attr` of `schema`'s table, shared by every step that needs it.
    pub(super) fn index(&mut self, schema: &'static Schema, attr: usize) -> Result<usize> {
        if let Some(&slot) = self.index_slots.get(&(schema.name, attr)) {
            return Ok(slot);
        }
        let table = self.table(schema)?;
        let index = match self.tables.primary_index(schema) {
            Some(pk) if attr == schema.primary_key => Index::Primary(pk),
            _ => Index::Built {
                table,
                attr,
                ty: schema.attributes[attr].value_type,
                map: OnceCell::new(),
            },
        };
        self.indexes.push(index);
        let slot = self.indexes.len() - 1;
        self.index_slots.insert((schema.name, attr), slot);
        Ok(slot)
    }

    /// The table a slot's records are in.
    fn rows(&self, slot: &SlotInfo<'_, 'a>) -> Result<&'a dyn Table> {
        slot.rows.map_or_else(|| self.table(slot.schema), Ok)
    }

    /// The hop through relationship `name` of `schema`, from the records of
    /// `rows` (`schema`'s table when `None`), and its destination.
    pub(super) fn step(
        &mut self,
        schema: &'static Schema,
        rows: Option<&'a dyn Table>,
        name: &str,
    ) -> Result<(Step<'a>, &'static Schema)> {
        let Some(rel) = schema.relationship(name) else {
            return Err(self.invalid(format!("no relationship named `{name}` on {}", schema.name)));
        };
        if rel.manual && !rel.linked_by_condition() {
            return Err(self.invalid(format!(
                "relationship `{name}` of {} is manual; a filter cannot go through it",
                schema.name
            )));
        }
        let source_table = match rows {
            Some(rows) => rows,
            None => self.table(schema)?,
        };
        let first_by = match sort_path::path_first_by(rel, schema, self.root.name)? {
            Some(sort) => Some(FirstBy {
                table: self.table((rel.destination)())?,
                sort,
            }),
            None => None,
        };
        if rel.linked_by_condition() {
            let (mut step, dest) = self.parent_step(schema, source_table, rel)?;
            step.first_by = first_by;
            return Ok((step, dest));
        }
        let source_attr = self.attribute(schema, rel.source_attribute, &[])?;
        let dest = (rel.destination)();
        let dest_attr = self.attribute(dest, rel.destination_attribute(), &[])?;
        let join = match &rel.through {
            None => None,
            Some(t) => {
                let join = (t.resource)();
                let join_table = self.table(join)?;
                let js = self.attribute(join, t.source_attribute_on_join_resource, &[])?;
                let jd = self.attribute(join, t.destination_attribute_on_join_resource, &[])?;
                Some((join, join_table, self.index(join, js)?, jd))
            }
        };
        let dest_index = self.index(dest, dest_attr)?;
        let mut conditions = Vec::new();
        if let Some(filter) = rel.checked_filter(schema, self.root.name)? {
            conditions.push(self.scope(dest, &filter)?);
        }
        conditions.extend(self.visible(dest)?);
        let join = match join {
            None => None,
            Some((join, table, source_index, dest_attr)) => Some(JoinStep {
                table,
                source_index,
                dest_attr,
                visible: self.visible(join)?,
            }),
        };
        let step = Step {
            to_one: rel.reaches_at_most_one(),
            source_table,
            source_attr,
            join,
            dest_index,
            conditions,
            parent: None,
            first_by,
        };
        Ok((step, dest))
    }

    /// Compiles `expr`, evaluated on rows of `schema`, with its own bindings.
    /// Recursive: the caller has checked that `expr` (or the expression it is
    /// part of) is within `MAX_FILTER_DEPTH`.
    pub(super) fn scope(&mut self, schema: &'static Schema, expr: &Expr) -> Result<Scope<'a>> {
        self.scope_on(schema, None, expr)
    }

    /// [`Compiler::scope`] on the records of `rows` when given (else
    /// `schema`'s table); the records its paths reach are stored ones.
    fn scope_on(
        &mut self,
        schema: &'static Schema,
        rows: Option<&'a dyn Table>,
        expr: &Expr,
    ) -> Result<Scope<'a>> {
        self.depth += 1;
        let scope = self.scope_here(schema, rows, expr);
        self.depth -= 1;
        scope
    }

    fn scope_here(
        &mut self,
        schema: &'static Schema,
        rows: Option<&'a dyn Table>,
        expr: &Expr,
    ) -> Result<Scope<'a>> {
        let mut slots = vec![SlotInfo {
            path: &[],
            schema,
            rows,
        }];
        let mut bindings = Vec::new();
        for binding in expr.bindings().into_iter().skip(1) {
            let parent = binding.parent;
            let relationship = &binding.path[binding.path.len() - 1];
            let (step, dest) = self.step(slots[parent].schema, slots[parent].rows, relationship)?;
            bindings.push(Binding { parent, step });
            slots.push(SlotInfo {
                path: binding.path,
                schema: dest,
                rows: None,
            });
        }
        let node = self.node(expr, &slots, true)?;
        if bindings.is_empty() {
            return Ok(Scope {
                batch: Batch::new(&bindings, None, &node, &self.indexes),
                bindings,
                to_one: true,
                guard: None,
                node: lower::cond(node),
            });
        }
        // The conjuncts that read no binding are the guard, tried once per row
        // before any related record is looked up.
        let mut conjuncts = Vec::new();
        split_and(node, &mut conjuncts);
        let (free, bound): (Vec<_>, Vec<_>) = conjuncts.into_iter().partition(binding_free);
        let guard = join_and(free);
        let node = join_and(bound).unwrap_or(Node::Const(Value::Bool(true)));
        let to_one = bindings.iter().all(|b| b.step.to_one);
        let batch = if to_one {
            Batch::new(&bindings, guard.as_ref(), &node, &self.indexes)
        } else {
            None
        };
        Ok(Scope {
            to_one,
            bindings,
            guard: guard.map(lower::cond),
            node: lower::cond(node),
            batch,
        })
    }

    fn node(
        &mut self,
        expr: &Expr,
        slots: &[SlotInfo<'_, 'a>],
        condition: bool,
    ) -> Result<Node<'a>> {
        let not_condition = |c: &Self| c.invalid(format!("`{expr}` is not a condition"));
        Ok(match expr {
            Expr::Value(v) => {
                if condition && !matches!(v, Value::Bool(_) | Value::Null) {
                    return Err(not_condition(self));
                }
                Node::Const(v.clone())
            }
            Expr::Attr { path, name } => {
                let slot = slots
                    .iter()
                    .position(|s| s.path == &path[..])
                    .ok_or_else(|| self.invalid(format!("unresolved path in `{expr}`")))?;
                let schema = slots[slot].schema;
                let attr = self.attribute(schema, name, path)?;
                if condition && schema.attributes[attr].value_type != ValueType::Bool {
                    return Err(not_condition(self));
                }
                Node::Attr(Column {
                    slot,
                    table: self.rows(&slots[slot])?,
                    attr,
                    ty: schema.attributes[attr].value_type,
                })
            }
            Expr::Cmp(op, l, r) => Node::Cmp(
                *op,
                Box::new(self.node(l, slots, false)?),
                Box::new(self.node(r, slots, false)?),
            ),
            Expr::In(x, list) => Node::In(
                Box::new(self.node(x, slots, false)?),
                Rc::new(InList::new(list.clone())),
            ),
            Expr::Arith(op, l, r) => {
                if condition {
                    return Err(not_condition(self));
                }
                Node::Arith(
                    *op,
                    Box::new(self.node(l, slots, false)?),
                    Box::new(self.node(r, slots, false)?),
                )
            }
            Expr::And(l, r) => Node::And(
                Box::new(self.node(l, slots, true)?),
                Box::new(self.node(r, slots, true)?),
            ),
            Expr::Or(l, r) => Node::Or(
                Box::new(self.node(l, slots, true)?),
                Box::new(self.node(r, slots, true)?),
            ),
            Expr::Not(e) => Node::Not(Box::new(self.node(e, slots, true)?)),
            Expr::IsNil(e) => Node::IsNil(Box::new(self.node(e, slots, false)?)),
            Expr::Func(func, e) => {
                if condition {
                    return Err(not_condition(self));
                }
                Node::Func(*func, Box::new(self.node(e, slots, false)?))
            }
            Expr::TextOp(op @ (TextOp::Like | TextOp::Ilike), text, pattern) => {
                let text = Box::new(self.node(text, slots, false)?);
                let fold = *op == TextOp::Ilike;
                let pattern = constant_pattern(*op, pattern).map_err(|m| self.invalid(m))?;
                Node::Like {
                    text,
                    pattern: pattern.map(|p| Rc::new(Pattern::new(p, fold))),
                    fold,
                }
            }
            Expr::TextOp(op, l, r) => {
                if condition && *op == TextOp::Concat {
                    return Err(not_condition(self));
                }
                Node::TextOp(
                    *op,
                    Box::new(self.node(l, slots, false)?),
                    Box::new(self.node(r, slots, false)?),
                )
            }
            Expr::Exists { path, expr: inner } => self.exists(path, inner, slots)?,
            Expr::Aggregate { at, aggregate } => {
                self.aggregate(expr, at, aggregate, slots, condition)?
            }
            Expr::Parent(name) => self.parent_node(name, condition)?,
        })
    }
}

impl<'a> Compiler<'a> {
    /// `exists(path, inner)` from the record of slot 0. Out of `node`, whose
    /// frame every level of a deep filter takes.
    #[inline(never)]
    fn exists(
        &mut self,
        path: &[Name],
        inner: &Expr,
        slots: &[SlotInfo<'_, 'a>],
    ) -> Result<Node<'a>> {
        let mut schema = slots[0].schema;
        let mut rows = slots[0].rows;
        let mut steps = Vec::with_capacity(path.len());
        for name in path {
            let (step, dest) = self.step(schema, rows.take(), name)?;
            steps.push(step);
            schema = dest;
        }
        let remember = !inner.reads_parent();
        Ok(Node::Exists(
            steps,
            Box::new(self.scope(schema, inner)?),
            remember,
        ))
    }

    /// An aggregate's node, read for the record of the slot `at` binds. Out
    /// of `node`, whose frame every level of a deep filter takes.
    #[inline(never)]
    fn aggregate(
        &mut self,
        expr: &Expr,
        at: &[Name],
        aggregate: &Aggregate,
        slots: &[SlotInfo<'_, 'a>],
        condition: bool,
    ) -> Result<Node<'a>> {
        let slot = slots
            .iter()
            .position(|s| s.path == at)
            .ok_or_else(|| self.invalid(format!("unresolved path in `{expr}`")))?;
        let schema = slots[slot].schema;
        if aggregate.kind == AggregateKind::List {
            aggregate_path::resolve(schema, aggregate)?;
            return Err(self.invalid(format!(
                "a `list` aggregate is no value a filter can use (in `{expr}`)"
            )));
        }
        if condition && aggregate.kind != AggregateKind::Exists {
            aggregate_path::resolve(schema, aggregate)?;
            return Err(self.invalid(format!("`{expr}` is not a condition")));
        }
        let rows = if slot == 0 { slots[0].rows } else { None };
        // The read's own records, in its filter itself (not in a scope
        // nested in it): those the restriction selects are the ones whose
        // value can make the filter true.
        let restriction = match (slot, rows, self.depth) {
            (0, None, 1) => self.restriction.clone(),
            _ => None,
        };
        let mut compiled = super::aggregate::compile(self, schema, rows, aggregate)?;
        compiled.restrict(restriction);
        Ok(Node::Aggregate(slot, Box::new(compiled)))
    }
}

/// The conjuncts of `node`'s top-level `and`s, in order.
fn split_and<'a>(node: Node<'a>, into: &mut Vec<Node<'a>>) {
    match node {
        Node::And(l, r) => {
            split_and(*l, into);
            split_and(*r, into);
        }
        other => into.push(other),
    }
}

/// The `and` of `nodes` (`None` for none). Kleene's `and` is commutative and
/// evaluating has no effects, so regrouping conjuncts changes no result.
fn join_and(nodes: Vec<Node<'_>>) -> Option<Node<'_>> {
    nodes
        .into_iter()
        .reduce(|l, r| Node::And(Box::new(l), Box::new(r)))
}

/// Whether `node` reads only the record the scope is evaluated on (slot 0):
/// `exists` reaches its records from that record, with bindings of its own.
fn binding_free(node: &Node<'_>) -> bool {
    match node {
        Node::Const(_) | Node::Exists(..) | Node::Parent(_) => true,
        Node::Aggregate(slot, _) => *slot == 0,
        Node::Attr(column) => column.slot == 0,
        Node::Cmp(_, l, r)
        | Node::Arith(_, l, r)
        | Node::TextOp(_, l, r)
        | Node::And(l, r)
        | Node::Or(l, r) => binding_free(l) && binding_free(r),
        Node::In(x, _)
        | Node::Not(x)
        | Node::IsNil(x)
        | Node::Func(_, x)
        | Node::Like { text: x, .. } => binding_free(x),
    }
}
