//! Filters: compiles an [`Expr`] into a SQL condition that is true exactly when
//! the in-memory evaluator (`data_layer::eval`) says true, on either dialect.
//!
//! - Types are known statically (attributes from the schema, constants from their
//!   variant), so what memory leaves nil because the operands do not compare
//!   (`p == "3"`, `status + 1`) is written as `NULL`, and an integer compared with
//!   a float is cast to a float first (`(a as f64)` in memory).
//! - Integer arithmetic is nil on overflow, as in memory. SQLite turns an
//!   overflowing integer result into a REAL and the REAL propagates, so each
//!   integer arithmetic tree is checked once where it is used
//!   (`CASE WHEN typeof(x) = 'integer' THEN x END`). PostgreSQL computes in
//!   `numeric` (exact; `div` truncates like Rust) and turns each result outside
//!   the `bigint` range into `NULL` without repeating the expression.
//! - Relationship paths: every distinct path prefix of a scope is a binding, one
//!   `LEFT JOIN` each, chained from a one-row dummy, inside one `EXISTS` around
//!   the whole scope expression. The left joins give one all-NULL row when
//!   nothing is related and one row per related record otherwise, which is the
//!   evaluator's enumeration of bindings; `EXISTS` is true when some combination
//!   makes the expression true. Scopes are only ever tested for truth (the read's
//!   filter, `exists`' inner expression, a relationship's `filter` option), so
//!   the EXISTS never needs to be nil. In a statement's `WHERE` (`root`), the
//!   top-level conjuncts that reach no relationship stay outside the EXISTS,
//!   so that an index on their column narrows the rows before any subplan runs
//!   (the guide's loader: `representative_id = ANY($1) AND EXISTS (..)`).
//!   A many_to_many hop left-joins the join
//!   table and the destination as one parenthesized inner join, so a join row
//!   whose destination is missing or filtered out adds no all-NULL row.
//! - A relationship's `filter` option goes into the ON condition of its hop,
//!   compiled as its own scope on the destination's alias.
//! - Visibility (`ReadRequest::visibility`): the destination's condition joins
//!   the relationship filter in the ON condition of every hop, and a
//!   many_to_many's join resource's condition too, each compiled as its own
//!   scope; the read adds the root's condition to its WHERE clause (see
//!   `read`). The hops of a visibility condition itself are not scoped, as in
//!   the evaluator.

use super::super::Dialect;
use super::hop::{Hop, exists};
use super::text::{Params, boolean, column};
use crate::data_layer::Visibility;
use crate::error::{Error, ErrorKind, Result};
use crate::expr::{ArithOp, CmpOp, Expr, Name};
use crate::resource::Schema;
use crate::value::{Value, ValueType};

/// The static type of a SQL expression, as the evaluator would see its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Always nil.
    Null,
    Bool,
    Int,
    Float,
    Text,
    Uuid,
    DateTime,
}

impl Kind {
    fn of_value(v: &Value) -> Kind {
        match v {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Bool,
            Value::Int(_) => Kind::Int,
            Value::Float(_) => Kind::Float,
            Value::String(_) => Kind::Text,
            Value::Uuid(_) => Kind::Uuid,
            Value::DateTime(_) => Kind::DateTime,
        }
    }

    fn of_type(t: ValueType) -> Kind {
        match t {
            ValueType::Bool => Kind::Bool,
            ValueType::I16 | ValueType::I32 | ValueType::I64 => Kind::Int,
            ValueType::F64 => Kind::Float,
            ValueType::String => Kind::Text,
            ValueType::Uuid => Kind::Uuid,
            ValueType::DateTime => Kind::DateTime,
        }
    }

    fn is_number(self) -> bool {
        matches!(self, Kind::Int | Kind::Float)
    }

    /// Whether `Value::compare` orders values of these kinds.
    fn compares_with(self, other: Kind) -> bool {
        self != Kind::Null && (self == other || (self.is_number() && other.is_number()))
    }
}

/// A compiled expression.
struct Frag {
    sql: String,
    kind: Kind,
    /// The result of integer arithmetic: on SQLite it may be a REAL that stands
    /// for an overflow (see [`Compiler::seal`]); on PostgreSQL it is `numeric`.
    int_arith: bool,
}

impl Frag {
    fn new(sql: String, kind: Kind) -> Frag {
        Frag {
            sql,
            kind,
            int_arith: false,
        }
    }

    fn null() -> Frag {
        Frag::new("NULL".to_owned(), Kind::Null)
    }
}

/// A binding of a scope: the record reached through `path` from the scope's
/// root, read through `alias`.
struct Slot<'e> {
    path: &'e [Name],
    schema: &'static Schema,
    alias: String,
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
        if !self.scoped {
            return Ok(None);
        }
        let visibility = self.visibility.clone();
        let Some(expr) = visibility.of(schema) else {
            return Ok(None);
        };
        self.scoped = false;
        let condition = self.scope(schema, alias, expr);
        self.scoped = true;
        condition.map(Some)
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

    /// The hop through relationship `name` of `schema`, read from `source_alias`.
    fn hop(
        &mut self,
        schema: &'static Schema,
        name: &str,
        source_alias: &str,
    ) -> Result<(Hop, &'static Schema)> {
        let Some(rel) = schema.relationship(name) else {
            return Err(self.invalid(format!("no relationship named `{name}` on {}", schema.name)));
        };
        if rel.manual {
            return Err(self.invalid(format!(
                "relationship `{name}` of {} is manual; a filter cannot go through it",
                schema.name
            )));
        }
        self.attribute(schema, rel.source_attribute, &[])?;
        let dest = (rel.destination)();
        self.attribute(dest, rel.destination_attribute(), &[])?;
        let join = match &rel.through {
            None => None,
            Some(t) => {
                let join = (t.resource)();
                self.attribute(join, t.source_attribute_on_join_resource, &[])?;
                self.attribute(join, t.destination_attribute_on_join_resource, &[])?;
                Some((
                    join,
                    self.alias("j"),
                    t.source_attribute_on_join_resource,
                    t.destination_attribute_on_join_resource,
                ))
            }
        };
        let alias = self.alias("t");
        let mut conditions = Vec::new();
        if let Some(filter) = rel.filter {
            conditions.push(self.scope(dest, &alias, &filter())?);
        }
        conditions.extend(self.visible(dest, &alias)?);
        let filter = (!conditions.is_empty()).then(|| conditions.join(" AND "));
        let join_filter = match &join {
            Some((join, join_alias, _, _)) => self.visible(join, join_alias)?,
            None => None,
        };
        let hop = Hop {
            source: column(source_alias, rel.source_attribute),
            dest_table: dest.table,
            alias,
            dest_attr: rel.destination_attribute(),
            join: join.map(|(join, alias, source, dest)| (join.table, alias, source, dest)),
            filter,
            join_filter,
        };
        Ok((hop, dest))
    }

    /// `expr` as conditions that must all be true of the rows of `schema` read
    /// as `alias`: each top-level conjunct that reaches no relationship is a
    /// condition of its own, outside any `EXISTS`, so that an index on its
    /// column serves it; the conjuncts that do reach one share one [`scope`],
    /// so the binding rule holds across them.
    ///
    /// Only for a statement's `WHERE`, where a condition counts when it is
    /// true: there `a AND EXISTS (.. b ..)` is true exactly when
    /// `EXISTS (.. a AND b ..)` is, but where nil and false differ (under a
    /// `NOT`) they do not agree.
    ///
    /// [`scope`]: Self::scope
    pub(super) fn root(
        &mut self,
        schema: &'static Schema,
        alias: &str,
        expr: &Expr,
    ) -> Result<Vec<String>> {
        let (slots, joins) = self.bind(schema, alias, expr)?;
        let mut conditions = Vec::new();
        let mut bound = Vec::new();
        // In the order of the expression, so that the first error is the one
        // `scope` (and the memory layer) would report.
        for conjunct in expr.conjuncts() {
            let node = self.node(conjunct, &slots, true)?;
            let condition = self.seal(node);
            if conjunct.paths().is_empty() {
                conditions.push(condition);
            } else {
                bound.push(condition);
            }
        }
        if !bound.is_empty() {
            let exists = self.some_binding(&joins, &bound.join(" AND "));
            conditions.push(exists);
        }
        Ok(conditions)
    }

    /// `expr` evaluated on the rows of `schema` read as `alias`, with its own
    /// bindings: a condition true exactly when the evaluator's scope is true.
    pub(super) fn scope(
        &mut self,
        schema: &'static Schema,
        alias: &str,
        expr: &Expr,
    ) -> Result<String> {
        let (slots, joins) = self.bind(schema, alias, expr)?;
        let node = self.node(expr, &slots, true)?;
        let condition = self.seal(node);
        if slots.len() == 1 {
            return Ok(condition);
        }
        Ok(self.some_binding(&joins, &condition))
    }

    /// The slots of `expr`'s scope on `schema` read as `alias` (see
    /// [`Expr::bindings`]) and the `LEFT JOIN`s that bind them.
    fn bind<'e>(
        &mut self,
        schema: &'static Schema,
        alias: &str,
        expr: &'e Expr,
    ) -> Result<(Vec<Slot<'e>>, String)> {
        let mut slots = vec![Slot {
            path: &[],
            schema,
            alias: alias.to_owned(),
        }];
        let mut joins = String::new();
        for binding in expr.bindings().into_iter().skip(1) {
            let parent = &slots[binding.parent];
            let relationship = &binding.path[binding.path.len() - 1];
            let (hop, dest) = self.hop(parent.schema, relationship, &parent.alias)?;
            joins.push_str(&hop.left_join());
            slots.push(Slot {
                path: binding.path,
                schema: dest,
                alias: hop.alias,
            });
        }
        Ok((slots, joins))
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
                self.constant(v)
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
                let mark = self.params.mark();
                let l = self.node(l, slots, false)?;
                let r = self.node(r, slots, false)?;
                self.cmp(*op, l, r, mark)
            }
            Expr::In(x, list) => {
                let mark = self.params.mark();
                let x = self.node(x, slots, false)?;
                self.is_in(x, list, mark)
            }
            Expr::Arith(op, l, r) => {
                if condition {
                    return Err(not_condition(self));
                }
                let mark = self.params.mark();
                let l = self.node(l, slots, false)?;
                let r = self.node(r, slots, false)?;
                self.arith(*op, l, r, mark)
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
                Frag::new(format!("({} IS NULL)", self.seal(e)), Kind::Bool)
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
        })
    }

    fn constant(&mut self, v: &Value) -> Frag {
        match v {
            Value::Null => Frag::null(),
            Value::Bool(b) => Frag::new(boolean(self.dialect, *b).to_owned(), Kind::Bool),
            v => Frag::new(self.params.value(v.clone()), Kind::of_value(v)),
        }
    }

    /// A value ready to be used by anything but integer arithmetic: on SQLite, an
    /// integer arithmetic result that overflowed (and so became a REAL) is nil.
    fn seal(&self, frag: Frag) -> String {
        if frag.int_arith && self.dialect == Dialect::Sqlite {
            let x = frag.sql;
            format!("(CASE WHEN typeof({x}) = 'integer' THEN {x} END)")
        } else {
            frag.sql
        }
    }

    /// A number as a float (`a as f64`).
    fn float(&self, frag: Frag) -> String {
        if frag.kind != Kind::Int {
            return self.seal(frag);
        }
        let x = self.seal(frag);
        match self.dialect {
            Dialect::Sqlite => format!("CAST({x} AS REAL)"),
            Dialect::Postgres => format!("({x})::float8"),
        }
    }

    fn cmp(&mut self, op: CmpOp, l: Frag, r: Frag, mark: usize) -> Frag {
        if !l.kind.compares_with(r.kind) {
            self.params.truncate(mark);
            return Frag::null();
        }
        let text = l.kind == Kind::Text;
        let (l, r) = if l.kind != r.kind {
            (self.float(l), self.float(r))
        } else {
            (self.seal(l), self.seal(r))
        };
        let op = match op {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        };
        let collate = if text && self.dialect == Dialect::Postgres {
            " COLLATE \"C\""
        } else {
            ""
        };
        Frag::new(format!("({l}{collate} {op} {r})"), Kind::Bool)
    }

    /// `x in list`: nil when `x` is nil; true when an element equals `x`; else nil
    /// when the list holds a nil; else false. Elements that cannot equal `x` (of
    /// another type) are left out; the others are bound as one array per type.
    fn is_in(&mut self, x: Frag, list: &[Value], mark: usize) -> Frag {
        let has_nil = list.iter().any(Value::is_null);
        let of = |kind: Kind| -> Vec<Value> {
            list.iter()
                .filter(|v| Kind::of_value(v) == kind)
                .cloned()
                .collect()
        };
        // (value type of the array, its elements, whether x is cast to a float)
        let arrays: Vec<(ValueType, Vec<Value>, bool)> = match x.kind {
            Kind::Null => {
                self.params.truncate(mark);
                return Frag::null();
            }
            Kind::Int => vec![
                (ValueType::I64, of(Kind::Int), false),
                (ValueType::F64, of(Kind::Float), true),
            ],
            Kind::Float => {
                let floats = list
                    .iter()
                    .filter_map(|v| match v {
                        Value::Int(i) => Some(Value::Float(*i as f64)),
                        Value::Float(f) => Some(Value::Float(*f)),
                        _ => None,
                    })
                    .collect();
                vec![(ValueType::F64, floats, false)]
            }
            Kind::Bool => vec![(ValueType::Bool, of(Kind::Bool), false)],
            Kind::Text => vec![(ValueType::String, of(Kind::Text), false)],
            Kind::Uuid => vec![(ValueType::Uuid, of(Kind::Uuid), false)],
            Kind::DateTime => vec![(ValueType::DateTime, of(Kind::DateTime), false)],
        };
        let arrays: Vec<_> = arrays.into_iter().filter(|a| !a.1.is_empty()).collect();
        if arrays.is_empty() {
            if has_nil {
                self.params.truncate(mark);
                return Frag::null();
            }
            let x = self.seal(x);
            let no = boolean(self.dialect, false);
            return Frag::new(
                format!("(CASE WHEN {x} IS NULL THEN NULL ELSE {no} END)"),
                Kind::Bool,
            );
        }
        let is_float = x.kind == Kind::Float;
        let plain = self.seal(x);
        let as_float = if is_float {
            plain.clone()
        } else {
            self.float(Frag::new(plain.clone(), Kind::Int))
        };
        let tests: Vec<String> = arrays
            .into_iter()
            .map(|(value_type, values, cast)| {
                let x = if cast { &as_float } else { &plain };
                let array = self.params.list(value_type, values);
                match self.dialect {
                    Dialect::Sqlite => format!("{x} IN rarray({array})"),
                    Dialect::Postgres => format!("{x} = ANY({array})"),
                }
            })
            .collect();
        let found = format!("({})", tests.join(" OR "));
        if has_nil {
            let no = boolean(self.dialect, false);
            Frag::new(format!("NULLIF({found}, {no})"), Kind::Bool)
        } else {
            Frag::new(found, Kind::Bool)
        }
    }

    fn arith(&mut self, op: ArithOp, l: Frag, r: Frag, mark: usize) -> Frag {
        if !(l.kind.is_number() && r.kind.is_number()) {
            self.params.truncate(mark);
            return Frag::null();
        }
        let sign = match op {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        };
        if l.kind == Kind::Float || r.kind == Kind::Float {
            let (l, r) = (self.float(l), self.float(r));
            let sql = match op {
                ArithOp::Div => format!("({l} / NULLIF({r}, 0))"),
                _ => format!("({l} {sign} {r})"),
            };
            return Frag::new(sql, Kind::Float);
        }
        let sql = match self.dialect {
            // Overflow becomes a REAL, caught by `seal` where the tree is used.
            Dialect::Sqlite => match op {
                ArithOp::Div => format!("({} / NULLIF({}, 0))", l.sql, r.sql),
                _ => format!("({} {sign} {})", l.sql, r.sql),
            },
            Dialect::Postgres => {
                let numeric = |f: Frag| {
                    if f.int_arith {
                        f.sql
                    } else {
                        format!("({})::numeric", f.sql)
                    }
                };
                let (l, r) = (numeric(l), numeric(r));
                let exact = match op {
                    ArithOp::Div => format!("div({l}, NULLIF({r}, 0))"),
                    _ => format!("({l} {sign} {r})"),
                };
                // NULL outside the bigint range; a NULL stays NULL (GREATEST and
                // LEAST skip it, giving the upper bound, which NULLIF removes).
                format!(
                    "NULLIF(NULLIF(GREATEST(LEAST({exact}, {above}), {below}), {above}), {below})",
                    above = "9223372036854775808",
                    below = "-9223372036854775809"
                )
            }
        };
        Frag {
            sql,
            kind: Kind::Int,
            int_arith: true,
        }
    }
}
