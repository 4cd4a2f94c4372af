//! Typed record storage behind a type-erased interface: how the in-memory data
//! layer keeps real `R` values (no conversion on read) while seeing every resource
//! alike, and how the SQL layers turn each row into an `R` as they read it
//! ([`Collector`]). Each schema carries `new_table`, made by `resource!` for its
//! type.

use std::any::Any;

use crate::columns::ColumnReader;
use crate::data_layer::Records;
use crate::error::{Error, ErrorKind, Result};
use crate::resource::{Resource, Row, Schema};
use crate::value::Value;

/// A growable table of one resource's records.
pub trait Table: Any + Send + Sync {
    /// Number of records.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The value of attribute `attr` of record `row`.
    fn get(&self, row: usize, attr: usize) -> Value;
    /// Appends rows (checked and converted to records); returns the new records as
    /// a `Vec<R>`.
    fn push_rows(&mut self, rows: Vec<Row>) -> Result<Box<dyn Any + Send>>;
    /// Clones the records at `rows`, in that order, as a `Vec<R>`.
    fn select(&self, rows: &[usize]) -> Box<dyn Any + Send>;
    /// Clones the records at `rows` into `groups` groups, each record into the
    /// group its pair names, in order, as a `Vec<Vec<R>>`.
    fn select_grouped(&self, rows: &[(usize, usize)], groups: usize) -> Box<dyn Any + Send>;
    /// Reads the table front to back in one pass: `place(row, targets)` fills
    /// `targets` with the groups row `row` belongs to (none to skip it), and the
    /// row is cloned straight into each. Returns a `Vec<Vec<R>>` of `groups` groups.
    fn scan_grouped(
        &self,
        groups: usize,
        place: &mut dyn FnMut(usize, &mut Vec<usize>),
    ) -> Box<dyn Any + Send>;
    /// A collector of records of this table's type: `None` collects one list
    /// (finishing as [`Records::Typed`]), `Some(n)` collects `n` groups
    /// (finishing as [`Records::Grouped`]).
    fn collector(&self, groups: Option<usize>) -> Box<dyn Collector>;
}

/// Records of one resource built from rows while a data layer decodes them: each
/// row becomes its `R` at once, on the thread that read it, and goes straight
/// into its group, so no decoded rows are kept and nothing is grouped twice.
pub trait Collector: Send {
    /// Adds the record read from `row` where `target` says. An error when the
    /// row does not make a record, or the group does not exist.
    fn push(&mut self, target: Target<'_>, row: &mut dyn ColumnReader) -> Result<()>;
    /// [`Collector::push`] for a SQLite row: the reader's type is known, so the
    /// generated `from_columns` reads it without a dynamic call per field (the
    /// hot loop of every SQL load).
    #[cfg(feature = "sqlite")]
    #[allow(private_interfaces)] // only the SQLite layer calls it
    fn push_sqlite(
        &mut self,
        target: Target<'_>,
        row: &mut crate::data_layer::sql::SqliteRow<'_, '_>,
    ) -> Result<()>;
    /// The same for a PostgreSQL row.
    #[cfg(feature = "postgres")]
    #[allow(private_interfaces)] // only the PostgreSQL layer calls it
    fn push_postgres(
        &mut self,
        target: Target<'_>,
        row: &mut crate::data_layer::sql::PgColumns<'_>,
    ) -> Result<()>;
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
pub(crate) fn collector(schema: &Schema, groups: Option<usize>) -> Box<dyn Collector> {
    (schema.new_table)().collector(groups)
}

/// Collects `R`s into groups (one group when not grouping).
struct Collect<R> {
    groups: Vec<Vec<R>>,
    grouped: bool,
}

impl<R: Resource> Collector for Collect<R> {
    fn push(&mut self, target: Target<'_>, row: &mut dyn ColumnReader) -> Result<()> {
        self.add(target, row)
    }

    #[cfg(feature = "sqlite")]
    fn push_sqlite(
        &mut self,
        target: Target<'_>,
        row: &mut crate::data_layer::sql::SqliteRow<'_, '_>,
    ) -> Result<()> {
        self.add(target, row)
    }

    #[cfg(feature = "postgres")]
    fn push_postgres(
        &mut self,
        target: Target<'_>,
        row: &mut crate::data_layer::sql::PgColumns<'_>,
    ) -> Result<()> {
        self.add(target, row)
    }

    fn finish(self: Box<Self>) -> Records {
        let Collect {
            mut groups,
            grouped,
        } = *self;
        if grouped {
            Records::Grouped(Box::new(groups))
        } else {
            Records::Typed(Box::new(groups.pop().unwrap_or_default()))
        }
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
        let count = self.groups.len();
        let target = self.groups.get_mut(group).ok_or_else(|| {
            Error::new(ErrorKind::DataLayer {
                message: format!(
                    "a record of {} came back for group {group} of {count}",
                    R::schema().name
                ),
                source: None,
            })
        })?;
        target.push(record);
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
        let records = rows
            .into_iter()
            .map(R::from_row)
            .collect::<Result<Vec<R>>>()?;
        self.0.extend(records.iter().cloned());
        Ok(Box::new(records))
    }
    fn select(&self, rows: &[usize]) -> Box<dyn Any + Send> {
        Box::new(rows.iter().map(|&i| self.0[i].clone()).collect::<Vec<R>>())
    }
    fn select_grouped(&self, rows: &[(usize, usize)], groups: usize) -> Box<dyn Any + Send> {
        let mut sizes = vec![0_usize; groups];
        for &(_, g) in rows {
            sizes[g] += 1;
        }
        let mut out: Vec<Vec<R>> = sizes.into_iter().map(Vec::with_capacity).collect();
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
        let mut out: Vec<Vec<R>> = (0..groups).map(|_| Vec::new()).collect();
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
    fn collector(&self, groups: Option<usize>) -> Box<dyn Collector> {
        Box::new(Collect::<R> {
            groups: (0..groups.unwrap_or(1)).map(|_| Vec::new()).collect(),
            grouped: groups.is_some(),
        })
    }
}
