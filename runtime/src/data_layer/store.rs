//! Typed record storage behind a type-erased interface: how the in-memory data
//! layer keeps real `R` values (no conversion on read) while seeing every resource
//! alike, and how the SQL layers turn each row into an `R` as they read it
//! ([`Collector`]). Each schema carries `new_table`, made by `resource!` for its
//! type: a table whose record type is erased (`table`, over `erased`), so its
//! methods are compiled once, not once per resource; per resource there are
//! only a few small functions.

// The collectors are read by the SQL layers only.
#![cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]

use std::any::Any;

use crate::data_layer::Records;
use crate::data_layer::columns::row_columns;
use crate::error::{Error, Result};
use crate::resource::Schema;
pub use crate::resource::Table;
use crate::scalar::ColumnReader;
use crate::value::Value;

/// Records of one resource built from rows while a data layer decodes them: each
/// row becomes its `R` at once, on the thread that read it, and goes straight
/// into the resource's typed table, so no decoded rows are kept and nothing is
/// grouped twice.
///
/// Not generic: the record type is erased in the [`Table`] it fills, so this code
/// exists once, not once per resource.
///
/// Records are kept in read order with their group beside them and put into
/// their groups only at [`Collector::finish`], each group allocated at its final
/// size: rows come in no particular group order, and pushing each into its own
/// growing group would reallocate every group several times, interleaved with
/// the driver's own allocations.
pub struct Collector {
    schema: &'static Schema,
    /// The records read so far, in read order.
    table: Box<dyn Table>,
    /// The group of each record (empty when not grouping).
    slots: Vec<usize>,
    /// How many groups (`None` when not grouping).
    groups: Option<usize>,
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

/// A collector of `schema`'s records: `None` collects one list, `Some(n)`
/// collects `n` groups.
#[cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]
pub(crate) fn collector(schema: &'static Schema, groups: Option<usize>) -> Result<Collector> {
    Ok(Collector {
        schema,
        table: (schema.new_table)(),
        slots: Vec::new(),
        groups,
    })
}

#[cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]
impl Collector {
    /// Adds the record read from `row` where `target` says. An error when the
    /// row does not make a record, or the group does not exist (then nothing is
    /// added).
    #[cfg(test)]
    pub(crate) fn push(&mut self, target: Target<'_>, row: &mut dyn ColumnReader) -> Result<()> {
        self.add(target, row)
    }

    /// Adds the record read from a SQLite `row` where `target` says (see
    /// `Collector::add`).
    #[cfg(feature = "sqlite")]
    pub(crate) fn push_sqlite(
        &mut self,
        target: Target<'_>,
        row: &mut crate::data_layer::columns::sqlite::SqliteRow<'_, '_>,
    ) -> Result<()> {
        self.add(target, row).map_err(|e| e.of_record(|| row.key()))
    }

    /// The same for a PostgreSQL row.
    #[cfg(feature = "postgres")]
    pub(crate) fn push_postgres(
        &mut self,
        target: Target<'_>,
        row: &mut crate::data_layer::columns::postgres::PgColumns<'_>,
    ) -> Result<()> {
        self.add(target, row).map_err(|e| e.of_record(|| row.key()))
    }

    /// Adds the record of `row`, a row of the schema in attribute order, to
    /// group 0 (an ungrouped collector's one list), moving its values out (it
    /// is left nil): how a layer that writes rows it was given makes its
    /// records of them, each as soon as it is written, while its values are at
    /// hand. An error when the row does not make a record (then nothing is
    /// added).
    #[cfg(feature = "sqlite")]
    pub(crate) fn push_values(&mut self, row: &mut [Value]) -> Result<()> {
        let mut row = row_columns(self.schema, row)?;
        self.add(Target::Group(0), &mut row)
            .map_err(|e| row.of_record(e))
    }

    /// How many records were collected so far.
    #[cfg(any(feature = "sqlite", feature = "postgres"))]
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }

    /// Drops the records collected from `len` on (with their groups): what a
    /// statement that failed part-way through had returned.
    #[cfg(feature = "sqlite")]
    pub(crate) fn truncate(&mut self, len: usize) {
        self.table.truncate(len);
        self.slots.truncate(len);
    }

    /// Makes room for `additional` more records (see [`Table::reserve`]).
    #[cfg(feature = "sqlite")]
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.table.reserve(additional);
    }

    /// Reads a record from `row` and puts it where `target` says.
    fn add(&mut self, target: Target<'_>, row: &mut dyn ColumnReader) -> Result<()> {
        match target {
            Target::Group(group) => {
                self.check_group(group)?;
                self.table.push_read(row)?;
                self.place(group);
            }
            Target::Keyed {
                attribute,
                group_of,
            } => {
                self.table.push_read(row)?;
                let last = self.table.len() - 1;
                let group = group_of(&self.table.get(last, attribute))
                    .and_then(|group| self.check_group(group).map(|()| group));
                match group {
                    Ok(group) => self.place(group),
                    Err(e) => {
                        self.table.truncate(last);
                        return Err(e);
                    }
                }
            }
        }
        Ok(())
    }

    /// An error unless `group` is one of the groups collected.
    fn check_group(&self, group: usize) -> Result<()> {
        match self.groups {
            Some(count) if group < count => Ok(()),
            None if group == 0 => Ok(()),
            count => Err(Error::data_layer(format!(
                "a record of {} came back for group {group} of {}",
                self.schema.name,
                count.unwrap_or(1)
            ))),
        }
    }

    /// Notes the group of the record just added.
    fn place(&mut self, group: usize) {
        if self.groups.is_some() {
            self.slots.push(group);
        }
    }

    /// Puts the records collected so far in the order of `keys` (stably):
    /// `keys[i]` is the sort key of the `i`th record pushed. For a layer that
    /// learns only after reading that its rows were out of order. An error when
    /// there is not one key per record.
    pub(crate) fn reorder(&mut self, keys: &[i64]) -> Result<()> {
        let order = stable_order(keys, self.table.len(), self.schema)?;
        self.table.swap(&swaps(&order));
        if !self.slots.is_empty() {
            self.slots = permute_slots(&self.slots, &order);
        }
        Ok(())
    }

    /// The records collected.
    pub(crate) fn finish(mut self) -> Records {
        match self.groups {
            None => Records::Typed(self.table.take(None)),
            Some(groups) => {
                let sizes = group_sizes(&self.slots, groups);
                Records::Grouped(
                    self.table
                        .take(Some((self.slots.as_slice(), sizes.as_slice()))),
                )
            }
        }
    }
}

/// The records of `rows`, checked and converted, appended to `table` (a table
/// of `schema`'s records); returns the new records as a `Vec<R>`. All or
/// nothing: after an error the table is as it was. `rows` are owned rows or
/// the rows of one [`Rows`](crate::resource::Rows) buffer, their values moved
/// out.
pub(crate) fn push_rows<V: AsMut<[Value]>>(
    table: &mut dyn Table,
    schema: &'static Schema,
    rows: impl IntoIterator<Item = V>,
) -> Result<Box<dyn Any + Send>> {
    let added: Vec<usize> = append_rows(table, schema, rows)?.collect();
    Ok(table.select(&added))
}

/// Appends `rows` (rows of `schema`, as [`push_rows`] takes them) to `table`
/// as records, all or none (a row that does not make a record truncates what
/// this call appended); the positions of the records appended.
pub(crate) fn append_rows<V: AsMut<[Value]>>(
    table: &mut dyn Table,
    schema: &'static Schema,
    rows: impl IntoIterator<Item = V>,
) -> Result<std::ops::Range<usize>> {
    let start = table.len();
    for mut values in rows {
        let pushed = row_columns(schema, values.as_mut())
            .and_then(|mut row| table.push_read(&mut row).map_err(|e| row.of_record(e)));
        if let Err(e) = pushed {
            table.truncate(start);
            return Err(e);
        }
    }
    Ok(start..table.len())
}

/// Replaces the records at `positions` of `table` (a table of `schema`'s
/// records, positions distinct) by the records of `rows`, in place, and
/// returns copies of the new records as a `Vec<R>`. All or nothing: after an
/// error the table is as it was.
pub(crate) fn replace_rows<V: AsMut<[Value]>>(
    table: &mut dyn Table,
    schema: &'static Schema,
    positions: &[usize],
    rows: impl IntoIterator<Item = V>,
) -> Result<Box<dyn Any + Send>> {
    let added = append_rows(table, schema, rows)?;
    let start = added.start;
    // Each new record swaps places with the one it replaces, which then sits
    // past `start` and is cut off.
    let pairs: Vec<(usize, usize)> = positions.iter().copied().zip(added).collect();
    table.swap(&pairs);
    table.truncate(start);
    Ok(table.select(positions))
}

/// Removes the records at `positions` (ascending, distinct) from `table`,
/// keeping the order of the others, and returns them, in that order, as a
/// `Vec<R>`.
pub(crate) fn remove_rows(table: &mut dyn Table, positions: &[usize]) -> Box<dyn Any + Send> {
    let len = table.len();
    let mut removed = vec![false; len];
    for &p in positions {
        removed[p] = true;
    }
    let kept = len - positions.len();
    // Kept records first, then the removed ones, each in their order.
    let order: Vec<usize> = (0..len)
        .filter(|&i| !removed[i])
        .chain(positions.iter().copied())
        .collect();
    table.swap(&swaps(&order));
    let gone: Vec<usize> = (kept..len).collect();
    let records = table.select(&gone);
    table.truncate(kept);
    records
}

mod table;

pub use self::table::new_table;

/// The records of a read of `schema` that was not partitioned, in a table of
/// `schema`'s records, whichever form the layer returned them in: how code that
/// does not know the record type reads their attributes.
pub(crate) fn table_of(schema: &'static Schema, records: Records) -> Result<Box<dyn Table>> {
    let mut table = (schema.new_table)();
    let appended = match records {
        Records::Rows(rows) => {
            append_rows(&mut *table, schema, rows)?;
            true
        }
        Records::Typed(records) => {
            table.append(records)?;
            true
        }
        Records::Grouped(_) => false,
    };
    if appended {
        Ok(table)
    } else {
        Err(Error::data_layer(format!(
            "a read of {} returned records of another type, or grouped records for a read without a partition",
            schema.name
        )))
    }
}

/// The capacity a vector of `len` records and room for `capacity` grows to
/// before `adding` more are appended, when `expected` are expected in all
/// (`Table::select_onto`); `None` when it has room. Growing, it makes room for
/// an eighth more than needed, so that later estimates a little higher (the
/// share kept wanders as a scan goes) do not move the records again, and at
/// least doubles, so an estimate that keeps rising moves them a bounded
/// number of times.
fn grown_capacity(len: usize, capacity: usize, expected: usize, adding: usize) -> Option<usize> {
    let needed = expected.max(len.saturating_add(adding));
    (needed > capacity).then(|| {
        needed
            .saturating_add(needed / 8)
            .max(capacity.saturating_mul(2))
    })
}

/// The error for records that are not `schema`'s (compiled once, not per resource).
#[cold]
fn wrong_records(schema: &Schema) -> Error {
    Error::data_layer(format!("records of the wrong type for {}", schema.name))
}

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

/// The swaps that, applied in turn, put the items at `order` (each index once)
/// in front: after them, position `i` holds what position `order[i]` held.
fn swaps(order: &[usize]) -> Vec<(usize, usize)> {
    // `at[p]`: the original index now at position `p`; `position[x]`: where
    // original `x` is now.
    let mut at: Vec<usize> = (0..order.len()).collect();
    let mut position = at.clone();
    let mut out = Vec::new();
    for (i, &wanted) in order.iter().enumerate() {
        let j = position[wanted];
        if j != i {
            out.push((i, j));
            let displaced = at[i];
            at[j] = displaced;
            position[displaced] = j;
            at[i] = wanted;
            position[wanted] = i;
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
pub(crate) fn pair_group_sizes(rows: &[(usize, usize)], groups: usize) -> Vec<usize> {
    let mut sizes = vec![0_usize; groups];
    for &(_, group) in rows {
        sizes[group] += 1;
    }
    sizes
}

#[cfg(test)]
mod tests;
