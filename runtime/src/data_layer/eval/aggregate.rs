//! Aggregates in memory: each one compiled once per read (its path as hops
//! with the relationships' filters and the destinations' visibility, its
//! filter as a scope on the destination, its field as a column), then
//! computed per record from the rows its path reaches (see
//! `crate::expr::Aggregate` for the semantics every layer shares).

use std::cell::OnceCell;
use std::rc::Rc;

use super::compile::Compiler;
use super::grouped::{GroupPlan, Grouped, Restriction, SourceIndex};
use super::{Index, Scope, Step, Tables, Visibility};
use crate::data_layer::aggregate_path;
use crate::data_layer::store::Table;
use crate::error::{Error, Result};
use crate::expr::{Aggregate, AggregateKind};
use crate::resource::Schema;
use crate::value::Value;

/// The aggregates of one read, compiled.
pub(crate) struct Aggregates<'a> {
    compiled: Vec<Compiled<'a>>,
    indexes: Vec<Index<'a>>,
}

/// One aggregate compiled: the hops of its path, its filter on the records
/// reached, the field it reads.
pub(super) struct Compiled<'a> {
    kind: AggregateKind,
    steps: Vec<Step<'a>>,
    filter: Option<Scope<'a>>,
    /// The destination's table and the attribute read.
    field: Option<(&'a dyn Table, usize)>,
    /// What an overflowing sum names.
    what: String,
    /// How it is computed for every record in one pass, when it can be
    /// (`grouped`), and that pass's result once run.
    group: Option<GroupPlan<'a>>,
    grouped: OnceCell<Grouped>,
    /// The records of the read whose filter it is in that the rest of the
    /// filter selects (`grouped::Restriction`), computed first.
    restriction: Option<Rc<Restriction<'a>>>,
    /// The pass for every record, when one outside those computed first is
    /// asked for.
    everyone: OnceCell<Grouped>,
}

impl<'a> Aggregates<'a> {
    /// Compiles `aggregates`, computed for records of `schema`, with
    /// `visibility` at every hop. Unknown names are `InvalidQuery` naming
    /// `schema` (`aggregate_path`), unregistered resources `NotRegistered`.
    pub(crate) fn compile(
        schema: &'static Schema,
        aggregates: &[Aggregate],
        visibility: &Visibility,
        tables: &'a dyn Tables,
    ) -> Result<Self> {
        let mut compiler = Compiler::new(schema, tables, visibility.clone());
        let mut compiled = Vec::with_capacity(aggregates.len());
        for aggregate in aggregates {
            if aggregate.kind == AggregateKind::List && aggregates.len() != 1 {
                aggregate_path::resolve(schema, aggregate)?;
                return Err(aggregate_path::list_alone(schema, aggregate));
            }
            compiled.push(compile(&mut compiler, schema, None, aggregate)?);
        }
        Ok(Aggregates {
            compiled,
            indexes: compiler.indexes,
        })
    }

    /// The values of the one `list` aggregate compiled, for row `row` of the
    /// root table: those of the records reached that are not nil, in the
    /// order the records were created (their rows).
    pub(crate) fn list(&self, row: usize) -> Vec<Value> {
        let Some(c) = self.compiled.first() else {
            return Vec::new();
        };
        let Some((table, attr)) = c.field else {
            return Vec::new();
        };
        let mut reached = Vec::new();
        reach(row, &c.steps, &self.indexes, &mut reached);
        if let Some(filter) = &c.filter {
            reached.retain(|&r| filter.eval(r, &self.indexes) == Some(true));
        }
        // Stable: a record reached along several paths keeps its copies.
        reached.sort();
        reached
            .into_iter()
            .map(|r| table.get(r, attr))
            .filter(|v| !v.is_null())
            .collect()
    }

    /// Readies the values of `rows` (rows of the root table, the records
    /// [`Aggregates::values`] is asked for next): each aggregate computed in
    /// one pass (`grouped`) is computed for them alone.
    pub(crate) fn prepare(&self, rows: &[usize]) {
        for c in &self.compiled {
            c.prepare(rows, &self.indexes);
        }
    }

    /// The value of each aggregate for row `row` of the root table, in order.
    /// An integer sum that overflows `i64` is an error naming the aggregate.
    pub(crate) fn values(&self, row: usize) -> Result<Vec<Value>> {
        self.compiled
            .iter()
            .map(|c| c.value(row, &self.indexes))
            .collect()
    }

    /// [`Aggregates::values`] from the rows each record reaches alone, never
    /// the grouped pass.
    #[cfg(test)]
    pub(crate) fn values_per_record(&self, row: usize) -> Result<Vec<Value>> {
        self.compiled
            .iter()
            .map(|c| c.value_per_record(row, &self.indexes))
            .collect()
    }

    /// Whether each aggregate has a grouped pass.
    #[cfg(test)]
    pub(crate) fn grouped(&self) -> Vec<bool> {
        self.compiled.iter().map(|c| c.group.is_some()).collect()
    }
}

/// Compiles `aggregate`, computed for records of `schema` (those of `rows`
/// when given, else its table), with `compiler`'s visibility at every hop.
pub(super) fn compile<'a>(
    compiler: &mut Compiler<'a>,
    schema: &'static Schema,
    rows: Option<&'a dyn Table>,
    aggregate: &Aggregate,
) -> Result<Compiled<'a>> {
    let target = aggregate_path::resolve(schema, aggregate)?;
    let mut at = schema;
    let given = rows;
    let mut rows = rows;
    let mut steps = Vec::with_capacity(aggregate.path.len());
    for name in &aggregate.path {
        let (step, dest) = compiler.step(at, rows.take(), name)?;
        steps.push(step);
        at = dest;
    }
    let filter = match &aggregate.filter {
        Some(filter) => {
            filter.check_depth(schema.name, &format_args!("the aggregate `{aggregate}`"))?;
            Some(compiler.scope(at, filter)?)
        }
        None => None,
    };
    let field = match target.field {
        Some(attr) => Some((compiler.table(at)?, attr)),
        None => None,
    };
    // Not inside a `no_attributes` relationship's filter, whose
    // `parent(..)` the aggregate's filter may read (`grouped`).
    let target = match &steps[..] {
        [step] if !compiler.in_parent_filter() => GroupPlan::target(step, &compiler.indexes),
        _ => None,
    };
    let group = match target {
        Some(target) => {
            let attr = target.source_attr;
            let source = match given {
                Some(table) => SourceIndex::Own {
                    table,
                    attr,
                    ty: schema.attributes[attr].value_type,
                },
                None => SourceIndex::Shared(compiler.index(schema, attr)?),
            };
            let gather = !matches!(aggregate.kind, AggregateKind::Count | AggregateKind::Exists);
            Some(GroupPlan::new(target, source, gather))
        }
        None => None,
    };
    Ok(Compiled {
        kind: aggregate.kind,
        steps,
        filter,
        field,
        what: format!("the aggregate `{aggregate}` of {}", schema.name),
        group,
        grouped: OnceCell::new(),
        restriction: None,
        everyone: OnceCell::new(),
    })
}

impl<'a> Compiled<'a> {
    /// Its value for row `row` of the table its path starts from; an integer
    /// sum past `i64` is an error.
    pub(super) fn value(&self, row: usize, ix: &[Index<'a>]) -> Result<Value> {
        match self
            .grouped(row, ix)
            .and_then(|grouped| grouped.reached(row))
        {
            Some(Ok(reached)) => return self.compute(reached),
            Some(Err(count)) => {
                return Ok(match self.kind {
                    AggregateKind::Exists => Value::Bool(count > 0),
                    _ => Value::Int(count as i64),
                });
            }
            None => {}
        }
        self.value_per_record(row, ix)
    }

    /// Runs the grouped pass, when it has one, for `rows` (rows of the table
    /// its path starts from, the records asked for next) unless run.
    pub(super) fn prepare(&self, rows: &[usize], ix: &[Index<'a>]) {
        self.pass(Some(rows), ix);
    }

    /// Computed first for the records its restriction selects (the rest of
    /// a read's filter it is in, `grouped::Restriction`).
    pub(super) fn restrict(&mut self, restriction: Option<Rc<Restriction<'a>>>) {
        self.restriction = restriction;
    }

    /// The grouped pass's result (run now, for `wanted` or every record,
    /// unless run), when it has one.
    fn pass(&self, wanted: Option<&[usize]>, ix: &[Index<'a>]) -> Option<&Grouped> {
        let plan = self.group.as_ref()?;
        let step = self.steps.first()?;
        Some(
            self.grouped
                .get_or_init(|| plan.pass(step, self.filter.as_ref(), wanted, ix)),
        )
    }

    /// The grouped pass's result holding row `row`, when it has one, run
    /// now unless run: for the records its restriction selects when it has
    /// one and `row` is one of them, else (and for any other row asked for
    /// after) for every record.
    fn grouped(&self, row: usize, ix: &[Index<'a>]) -> Option<&Grouped> {
        let plan = self.group.as_ref()?;
        let step = self.steps.first()?;
        let wanted = self
            .restriction
            .as_ref()
            .map(|r| r.rows(step.source_table, ix));
        let first = match wanted {
            Some(rows) if rows.binary_search(&row).is_ok() => self.pass(Some(rows), ix)?,
            _ => self.pass(None, ix)?,
        };
        if first.holds(row) {
            return Some(first);
        }
        Some(
            self.everyone
                .get_or_init(|| plan.pass(step, self.filter.as_ref(), None, ix)),
        )
    }

    /// [`Compiled::value`] from the rows reached from `row` alone.
    pub(super) fn value_per_record(&self, row: usize, ix: &[Index<'a>]) -> Result<Value> {
        if self.kind == AggregateKind::Count && self.filter.is_none() {
            // Counted where they are found, not gathered first.
            return Ok(Value::Int(count(row, &self.steps, ix) as i64));
        }
        let mut reached = Vec::new();
        reach(row, &self.steps, ix, &mut reached);
        if let Some(filter) = &self.filter {
            reached.retain(|&r| filter.eval(r, ix) == Some(true));
        }
        self.compute(&reached)
    }
}

/// Appends to `out` every row reached from `row` through `steps`, once per path.
fn reach<'a>(row: usize, steps: &[Step<'a>], ix: &[Index<'a>], out: &mut Vec<usize>) {
    match steps.split_first() {
        None => out.push(row),
        Some((step, rest)) => {
            for &r in step.related(row, ix).iter() {
                reach(r, rest, ix, out);
            }
        }
    }
}

/// How many rows `reach` would append: the rows the last step relates,
/// counted, never gathered.
fn count<'a>(row: usize, steps: &[Step<'a>], ix: &[Index<'a>]) -> usize {
    match steps.split_first() {
        None => 1,
        Some((step, [])) => step.related(row, ix).len(),
        Some((step, rest)) => step
            .related(row, ix)
            .iter()
            .map(|&r| count(r, rest, ix))
            .sum(),
    }
}

impl Compiled<'_> {
    /// The value over the rows `reached` (of the destination table). Floats
    /// are added in creation order (the rows' order in the table), as the SQL
    /// layers add them, whatever order the path reached them in.
    fn compute(&self, reached: &[usize]) -> Result<Value> {
        let sorted;
        let reached = if matches!(self.kind, AggregateKind::Sum | AggregateKind::Avg)
            && !reached.is_sorted()
        {
            let mut rows = reached.to_vec();
            rows.sort_unstable();
            sorted = rows;
            &sorted[..]
        } else {
            reached
        };
        let (table, attr) = match (self.kind, self.field) {
            (AggregateKind::Count, _) => return Ok(Value::Int(reached.len() as i64)),
            (AggregateKind::Exists, _) => return Ok(Value::Bool(!reached.is_empty())),
            (_, Some(field)) => field,
            // `aggregate_path::resolve` gives every other kind a field.
            (_, None) => return Ok(Value::Null),
        };
        let values = || {
            reached
                .iter()
                .map(move |&r| (r, table.get(r, attr)))
                .filter(|(_, v)| !v.is_null())
        };
        Ok(match self.kind {
            AggregateKind::Count | AggregateKind::Exists => Value::Null,
            AggregateKind::Sum => match Total::of(values().map(|(_, v)| v)) {
                Total { n: 0, .. } => Value::Null,
                // `inf + -inf` is NaN: nil, as on SQL (see `float`).
                t if t.any_float => float(t.sum()),
                t => Value::Int(
                    i64::try_from(t.ints)
                        .map_err(|_| Error::data_layer(format!("{} overflows i64", self.what)))?,
                ),
            },
            // The sum as `sum` makes it, divided by the count: as the SQL
            // layers compute it.
            AggregateKind::Avg => match Total::of(values().map(|(_, v)| v)) {
                Total { n: 0, .. } => Value::Null,
                t => float(t.sum() / t.n as f64),
            },
            // Of equal values (decimals `1.5` and `1.50`), the earliest
            // created, as the SQL layers give.
            AggregateKind::Min => values()
                .min_by(|(ra, a), (rb, b)| a.sort_cmp(b).then(ra.cmp(rb)))
                .map_or(Value::Null, |(_, v)| v),
            AggregateKind::Max => values()
                .max_by(|(ra, a), (rb, b)| a.sort_cmp(b).then(rb.cmp(ra)))
                .map_or(Value::Null, |(_, v)| v),
            AggregateKind::First => values()
                .min_by_key(|(r, _)| *r)
                .map_or(Value::Null, |(_, v)| v),
            // Refused by `compile` (see `Aggregates::list`).
            AggregateKind::List => Value::Null,
        })
    }
}

/// The values a `sum` or `avg` adds: integers exactly (no `i128` overflows
/// from fewer than 2^64 values, so only the sum itself can be past `i64`,
/// whatever the order, as PostgreSQL's `numeric` and the SQLite layer's
/// `ashore_sum` see it), floats one after the other in the order given.
struct Total {
    ints: i128,
    floats: f64,
    any_float: bool,
    /// How many values.
    n: usize,
}

impl Total {
    fn of(values: impl Iterator<Item = Value>) -> Total {
        let mut t = Total {
            ints: 0,
            floats: 0.0,
            any_float: false,
            n: 0,
        };
        for v in values {
            t.n += 1;
            match v {
                Value::Int(i) => t.ints += i128::from(i),
                v => {
                    t.any_float = true;
                    t.floats += as_f64(&v);
                }
            }
        }
        t
    }

    /// The total as a float (integers rounded once).
    fn sum(&self) -> f64 {
        self.ints as f64 + self.floats
    }
}

/// A float result, nil when it is NaN (a sum of both infinities): SQLite
/// gives nil, and the PostgreSQL layer turns its NaN into nil.
fn float(f: f64) -> Value {
    if f.is_nan() {
        Value::Null
    } else {
        Value::Float(f)
    }
}

fn as_f64(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        _ => f64::NAN,
    }
}
