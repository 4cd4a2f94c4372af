//! Sort values in memory: each sort key of a read ([`SortTarget`]) read for a
//! row of the table read. An attribute of the row itself is read straight
//! from it; a key through relationships follows each hop as a filter path
//! does (`Step`: the relationship's `filter` option and the destination's
//! visibility condition decide what it reaches), and is nil when a hop
//! reaches nothing. A hop that may reach several records takes the first in
//! its relationship's sort order, then row (insertion) order, as every path
//! through it does (the step picks it: `first`).

use std::cmp::Ordering;

use super::compile::Compiler;
use super::{Index, Step, Tables};
use crate::data_layer::Visibility;
use crate::data_layer::sort_path::SortTarget;
use crate::data_layer::store::Table;
use crate::error::Result;
use crate::resource::Schema;
use crate::sort::{Order, compare_keys};
use crate::value::Value;

/// The sort keys of a read, compiled against the stored tables.
pub(crate) struct SortValues<'a> {
    keys: Vec<Key<'a>>,
    orders: Vec<Order>,
    indexes: Vec<Index<'a>>,
}

enum Key<'a> {
    /// An attribute of the row itself.
    Own(usize),
    /// An aggregate's value for the row.
    Aggregate(Box<super::aggregate::Compiled<'a>>),
    /// An attribute of the record reached through `hops`, in `table`.
    Path {
        hops: Vec<Step<'a>>,
        table: &'a dyn Table,
        attr: usize,
    },
}

impl<'a> SortValues<'a> {
    /// Compiles `targets` (sort keys of a read of `schema`) over `tables`, each
    /// hop seeing only what `visibility` lets through.
    pub(crate) fn compile(
        schema: &'static Schema,
        targets: Vec<SortTarget>,
        visibility: &Visibility,
        tables: &'a dyn Tables,
    ) -> Result<Self> {
        let mut compiler = Compiler::new(schema, tables, visibility.clone());
        let mut keys = Vec::with_capacity(targets.len());
        let mut orders = Vec::with_capacity(targets.len());
        for target in targets {
            orders.push(target.order);
            if let Some((aggregate, _)) = &target.aggregate {
                let compiled = super::aggregate::compile(&mut compiler, schema, None, aggregate)?;
                keys.push(Key::Aggregate(Box::new(compiled)));
                continue;
            }
            if target.is_own() {
                keys.push(Key::Own(target.attribute));
                continue;
            }
            let mut hops = Vec::with_capacity(target.hops.len());
            for hop in target.hops {
                let (step, _) = compiler.step(hop.source, None, hop.relationship.name)?;
                hops.push(step);
            }
            keys.push(Key::Path {
                hops,
                table: compiler.table(target.schema)?,
                attr: target.attribute,
            });
        }
        Ok(SortValues {
            keys,
            orders,
            indexes: compiler.indexes,
        })
    }

    /// Whether there is no key.
    pub(crate) fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// How many keys there are.
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// Readies the values of `rows` (rows of the table read, the records
    /// [`SortValues::push_values`] is asked for next): each aggregate key
    /// computed in one pass (`grouped`) is computed for them alone.
    pub(crate) fn prepare(&self, rows: &[usize]) {
        for key in &self.keys {
            if let Key::Aggregate(compiled) = key {
                compiled.prepare(rows, &self.indexes);
            }
        }
    }

    /// Appends the value of each key for row `row` of `table` (the table read).
    pub(crate) fn push_values(&self, table: &dyn Table, row: usize, out: &mut Vec<Value>) {
        for key in &self.keys {
            out.push(match key {
                Key::Own(attr) => table.get(row, *attr),
                // A sum past `i64` sorts as nil.
                Key::Aggregate(compiled) => {
                    compiled.value(row, &self.indexes).unwrap_or(Value::Null)
                }
                Key::Path { hops, table, attr } => match self.reach(hops, row) {
                    Some(reached) => table.get(reached, *attr),
                    None => Value::Null,
                },
            });
        }
    }

    /// Compares two rows' values (each [`SortValues::len`] long, as
    /// [`SortValues::push_values`] gave them) key by key.
    pub(crate) fn compare(&self, a: &[Value], b: &[Value]) -> Ordering {
        compare_keys(a, b, self.orders.iter().copied())
    }

    /// The row `hops` reach from row `row`, if any: each hop's one record
    /// (the first, for a hop that picks one).
    fn reach(&self, hops: &[Step<'a>], mut row: usize) -> Option<usize> {
        let ix = &self.indexes[..];
        for step in hops {
            row = if step.to_one {
                step.one(row, ix)?
            } else {
                *step.related(row, ix).first()?
            };
        }
        Some(row)
    }
}
