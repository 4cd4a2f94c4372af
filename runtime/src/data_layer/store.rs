//! Typed record storage behind a type-erased interface: how the in-memory data
//! layer keeps real `R` values (no conversion on read) while seeing every resource
//! alike, and how the SQL layers turn each row into an `R` as they read it
//! ([`Collector`]). Each schema carries `new_table`, made by `resource!` for its
//! type.

// The collectors are read by the SQL layers only.
#![cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]

use std::any::Any;

use crate::data_layer::Records;
use crate::error::{Error, Result};
pub use crate::resource::Table;
use crate::resource::{Resource, Row, Schema};
use crate::scalar::ColumnReader;
use crate::value::Value;

/// Records of one resource built from rows while a data layer decodes them: each
/// row becomes its `R` at once, on the thread that read it, and goes straight
/// into its group, so no decoded rows are kept and nothing is grouped twice.
pub trait Collector: Send {
    /// Adds the record read from `row` where `target` says. An error when the
    /// row does not make a record, or the group does not exist.
    ///
    /// No layer reads through `dyn` today, so it exists in tests only: every
    /// method here is compiled once per resource, in the crate declaring it.
    #[cfg(test)]
    fn push(&mut self, target: Target<'_>, row: &mut dyn ColumnReader) -> Result<()>;
    /// Adds the record read from a SQLite `row` where `target` says (an error
    /// when the row does not make a record, or the group does not exist). The
    /// reader's type is known, so the generated `from_columns` reads it without
    /// a dynamic call per field (the hot loop of every SQL load).
    #[cfg(feature = "sqlite")]
    #[allow(private_interfaces)] // only the SQLite layer calls it
    fn push_sqlite(
        &mut self,
        target: Target<'_>,
        row: &mut crate::data_layer::columns::sqlite::SqliteRow<'_, '_>,
    ) -> Result<()>;
    /// The same for a PostgreSQL row.
    #[cfg(feature = "postgres")]
    #[allow(private_interfaces)] // only the PostgreSQL layer calls it
    fn push_postgres(
        &mut self,
        target: Target<'_>,
        row: &mut crate::data_layer::columns::postgres::PgColumns<'_>,
    ) -> Result<()>;
    /// Puts the records collected so far in the order of `keys` (stably):
    /// `keys[i]` is the sort key of the `i`th record pushed. For a layer that
    /// learns only after reading that its rows were out of order. An error when
    /// there is not one key per record.
    fn reorder(&mut self, keys: &[i64]) -> Result<()>;
    /// The records collected.
    fn finish(self: Box<Self>) -> Records;
}

/// Where a record read from a row goes.
#[derive(Clone, Copy)]
pub enum Target<'a> {
    /// Group `n` (0 when not grouping).
    Group(usize),
    /// The group `group_of` gives for the value of the record's attribute
    /// `attribute` (a partition by an attribute).
    Keyed {
        /// The attribute holding the key.
        attribute: usize,
        /// The group of a key (an error for a key not asked for).
        group_of: &'a dyn Fn(&Value) -> Result<usize>,
    },
}

/// A collector of `schema`'s records (see [`Table::collector`]).
#[cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]
pub(crate) fn collector(schema: &Schema, groups: Option<usize>) -> Result<Box<dyn Collector>> {
    (schema.new_table)()
        .collector(groups)
        .downcast::<Box<dyn Collector>>()
        .map(|collector| *collector)
        .map_err(|_| {
            Error::data_layer(format!(
                "the table of {} made no collector (its `new_table` is not `new_table::<{0}>`)",
                schema.name
            ))
        })
}

/// Collects `R`s into groups (one group when not grouping).
///
/// Records are kept in read order with their group beside them and put into
/// their groups only at [`Collector::finish`], each group allocated at its final
/// size: rows come in no particular group order, and pushing each into its own
/// growing group would reallocate every group several times, interleaved with
/// the driver's own allocations.
struct Collect<R> {
    records: Vec<R>,
    /// The group of each record (empty when not grouping).
    slots: Vec<usize>,
    /// How many groups (`None` when not grouping).
    groups: Option<usize>,
}

impl<R: Resource> Collector for Collect<R> {
    #[cfg(test)]
    fn push(&mut self, target: Target<'_>, row: &mut dyn ColumnReader) -> Result<()> {
        self.add(target, row)
    }

    #[cfg(feature = "sqlite")]
    fn push_sqlite(
        &mut self,
        target: Target<'_>,
        row: &mut crate::data_layer::columns::sqlite::SqliteRow<'_, '_>,
    ) -> Result<()> {
        self.add(target, row)
    }

    #[cfg(feature = "postgres")]
    fn push_postgres(
        &mut self,
        target: Target<'_>,
        row: &mut crate::data_layer::columns::postgres::PgColumns<'_>,
    ) -> Result<()> {
        self.add(target, row)
    }

    fn reorder(&mut self, keys: &[i64]) -> Result<()> {
        let order = stable_order(keys, self.records.len(), R::schema())?;
        self.records = permute(std::mem::take(&mut self.records), &order);
        if !self.slots.is_empty() {
            self.slots = permute_slots(&self.slots, &order);
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> Records {
        let Collect {
            records,
            slots,
            groups,
        } = *self;
        let Some(groups) = groups else {
            return Records::Typed(Box::new(records));
        };
        let mut out = empty_groups::<R>(&group_sizes(&slots, groups));
        let mut slots = slots.iter();
        for record in records {
            if let Some(&slot) = slots.next() {
                out[slot].push(record);
            }
        }
        Records::Grouped(Box::new(out))
    }
}

impl<R: Resource> Collect<R> {
    /// Reads a record from `row` and puts it where `target` says.
    #[inline]
    fn add<C: ColumnReader + ?Sized>(&mut self, target: Target<'_>, row: &mut C) -> Result<()> {
        let record = R::from_columns(row)?;
        let group = match target {
            Target::Group(group) => group,
            Target::Keyed {
                attribute,
                group_of,
            } => group_of(&record.get(attribute))?,
        };
        self.put(group, record)
    }

    fn put(&mut self, group: usize, record: R) -> Result<()> {
        match self.groups {
            Some(count) if group < count => self.slots.push(group),
            None if group == 0 => {}
            count => {
                return Err(Error::data_layer(format!(
                    "a record of {} came back for group {group} of {}",
                    R::schema().name,
                    count.unwrap_or(1)
                )));
            }
        }
        self.records.push(record);
        Ok(())
    }
}

/// The table of `R`.
pub struct TypedTable<R>(Vec<R>);

/// An empty table of `R` (the schema's `new_table`).
pub fn new_table<R: Resource>() -> Box<dyn Table> {
    Box::new(TypedTable::<R>(Vec::new()))
}

impl<R: Resource> Table for TypedTable<R> {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn get(&self, row: usize, attr: usize) -> Value {
        self.0[row].get(attr)
    }
    fn push_rows(&mut self, rows: Vec<Row>) -> Result<Box<dyn Any + Send>> {
        let mut records = Vec::with_capacity(rows.len());
        for row in rows {
            records.push(R::from_row(row)?);
        }
        self.0.reserve(records.len());
        for record in &records {
            self.0.push(record.clone());
        }
        Ok(Box::new(records))
    }
    fn select(&self, rows: &[usize]) -> Box<dyn Any + Send> {
        let mut out = Vec::with_capacity(rows.len());
        for &row in rows {
            out.push(self.0[row].clone());
        }
        Box::new(out)
    }
    fn select_grouped(&self, rows: &[(usize, usize)], groups: usize) -> Box<dyn Any + Send> {
        let mut out = empty_groups::<R>(&pair_group_sizes(rows, groups));
        for &(row, g) in rows {
            out[g].push(self.0[row].clone());
        }
        Box::new(out)
    }
    fn scan_grouped(
        &self,
        groups: usize,
        place: &mut dyn FnMut(usize, &mut Vec<usize>),
    ) -> Box<dyn Any + Send> {
        let mut out = empty_groups::<R>(&vec![0; groups]);
        let mut targets = Vec::new();
        for (row, record) in self.0.iter().enumerate() {
            targets.clear();
            place(row, &mut targets);
            for &g in &targets {
                out[g].push(record.clone());
            }
        }
        Box::new(out)
    }
    fn collector(&self, groups: Option<usize>) -> Box<dyn Any + Send> {
        let collector: Box<dyn Collector> = Box::new(Collect::<R> {
            records: Vec::new(),
            slots: Vec::new(),
            groups,
        });
        Box::new(collector)
    }
}

// The code above is monomorphized once per resource, in the crate that declares
// it: what does not need the record type lives below, compiled once, and the
// generic parts are plain loops (an iterator chain or closure in a generic body
// is a new instantiation of each adapter per resource; a sort, ten kilobytes of
// machine code per resource). See `benches/compile_time/`.

/// The order that sorts `keys` stably; an error unless there is one key per
/// record (`records` of `schema`).
fn stable_order(keys: &[i64], records: usize, schema: &Schema) -> Result<Vec<usize>> {
    if keys.len() != records {
        return Err(Error::data_layer(format!(
            "{} sort keys for {records} records of {}",
            keys.len(),
            schema.name
        )));
    }
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by_key(|&i| keys[i]);
    Ok(order)
}

/// `records` in `order` (each index once).
fn permute<R>(records: Vec<R>, order: &[usize]) -> Vec<R> {
    let mut taken: Vec<Option<R>> = Vec::with_capacity(records.len());
    for record in records {
        taken.push(Some(record));
    }
    let mut out = Vec::with_capacity(order.len());
    for &i in order {
        if let Some(record) = taken[i].take() {
            out.push(record);
        }
    }
    out
}

/// `slots` in `order`.
fn permute_slots(slots: &[usize], order: &[usize]) -> Vec<usize> {
    order.iter().map(|&i| slots[i]).collect()
}

/// How many of `slots` fall in each of `groups` groups.
fn group_sizes(slots: &[usize], groups: usize) -> Vec<usize> {
    let mut sizes = vec![0_usize; groups];
    for &slot in slots {
        sizes[slot] += 1;
    }
    sizes
}

/// How many of `rows` (row, group) fall in each of `groups` groups.
fn pair_group_sizes(rows: &[(usize, usize)], groups: usize) -> Vec<usize> {
    let mut sizes = vec![0_usize; groups];
    for &(_, group) in rows {
        sizes[group] += 1;
    }
    sizes
}

/// One empty group per entry of `sizes`, allocated at that size.
fn empty_groups<R>(sizes: &[usize]) -> Vec<Vec<R>> {
    let mut out = Vec::with_capacity(sizes.len());
    for &size in sizes {
        out.push(Vec::with_capacity(size));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data_layer::columns::RowColumns;
    use crate::testing::test_resource;

    test_resource!(Item in "item", id: i64 = None, { label: String });

    /// Pushes item `id` into the group `target` names.
    fn push(into: &mut dyn Collector, target: Target<'_>, id: i64) -> Result<()> {
        let values = vec![Value::Int(id), Value::from(format!("item {id}"))];
        into.push(
            target,
            &mut RowColumns {
                schema: Item::schema(),
                values,
            },
        )
    }

    fn ids(records: Records) -> Vec<Vec<i64>> {
        match records {
            Records::Grouped(groups) => groups
                .downcast::<Vec<Vec<Item>>>()
                .expect("items")
                .iter()
                .map(|g| g.iter().map(|i| i.id).collect())
                .collect(),
            Records::Typed(list) => {
                vec![
                    list.downcast::<Vec<Item>>()
                        .expect("items")
                        .iter()
                        .map(|i| i.id)
                        .collect(),
                ]
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn records_land_in_their_groups_in_read_order() {
        let mut into = collector(Item::schema(), Some(3)).unwrap();
        for (id, group) in [(1, 2), (2, 0), (3, 2), (4, 1), (5, 0)] {
            push(&mut *into, Target::Group(group), id).unwrap();
        }
        // A key names its group through the record's attribute.
        let group_of = |key: &Value| match key {
            Value::Int(6) => Ok(1),
            _ => Err(Error::loader("no such key")),
        };
        let keyed = Target::Keyed {
            attribute: 0,
            group_of: &group_of,
        };
        push(&mut *into, keyed, 6).unwrap();
        assert!(push(&mut *into, keyed, 7).is_err());
        assert_eq!(ids(into.finish()), vec![vec![2, 5], vec![4, 6], vec![1, 3]]);
        // Groups nobody asked for get nothing; a record is never dropped silently.
        let mut into = collector(Item::schema(), Some(2)).unwrap();
        let err = push(&mut *into, Target::Group(2), 1).unwrap_err();
        assert!(err.to_string().contains("group 2 of 2"), "{err}");
        assert_eq!(ids(into.finish()), vec![Vec::<i64>::new(), vec![]]);
    }

    #[test]
    fn reordering_sorts_by_the_keys_stably_before_grouping() {
        let mut into = collector(Item::schema(), Some(2)).unwrap();
        for (id, group) in [(1, 0), (2, 1), (3, 0), (4, 0), (5, 1)] {
            push(&mut *into, Target::Group(group), id).unwrap();
        }
        into.reorder(&[30, 20, 10, 30, 5]).unwrap();
        assert_eq!(ids(into.finish()), vec![vec![3, 1, 4], vec![5, 2]]);
        // Not grouping: one list, reordered.
        let mut into = collector(Item::schema(), None).unwrap();
        for id in [1, 2, 3] {
            push(&mut *into, Target::Group(0), id).unwrap();
        }
        assert!(into.reorder(&[1, 2]).is_err(), "one key per record");
        into.reorder(&[3, 1, 2]).unwrap();
        assert_eq!(ids(into.finish()), vec![vec![2, 3, 1]]);
    }
}
