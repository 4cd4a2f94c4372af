//! What a data layer answers: the records of a read ([`ReadResult`]), as
//! dynamic rows or typed records ([`Records`]).

use std::any::Any;

use crate::data_layer::erased::{groups_of, vec_of};
use crate::error::{Error, Result};
use crate::resource::{Resource, Row};

/// What a read returns.
#[derive(Debug)]
pub struct ReadResult {
    /// The records, in sort order (grouped by key for `Records::Grouped`).
    pub records: Records,
    /// For a partitioned read returning `Rows` or `Typed` records: the position in
    /// `Partition::keys` of each record's key (same length as the records). Empty
    /// otherwise.
    pub partition_keys: Vec<usize>,
}

impl ReadResult {
    /// Records of a non-partitioned read.
    pub fn new(records: Records) -> Self {
        ReadResult {
            records,
            partition_keys: Vec::new(),
        }
    }

    /// The records of a partitioned read over `keys` keys, one group per key in
    /// the order of `Partition::keys`, each in sort order. Works whichever form of
    /// [`Records`] the layer returned.
    pub fn into_groups<R: Resource>(self, keys: usize) -> Result<Vec<Vec<R>>> {
        let mismatch = |what: String| {
            Error::data_layer(format!(
                "a partitioned read of {} returned {what}",
                R::schema().name
            ))
        };
        if let Records::Grouped(any) = self.records {
            let groups =
                groups_of::<R>(any).map_err(|_| mismatch("records of the wrong type".into()))?;
            if groups.len() != keys {
                return Err(mismatch(format!("{} groups for {keys} keys", groups.len())));
            }
            return Ok(groups);
        }
        let records = self.records.into_vec::<R>()?;
        if records.len() != self.partition_keys.len() {
            return Err(mismatch(format!(
                "{} keys for {} records",
                self.partition_keys.len(),
                records.len()
            )));
        }
        let mut groups: Vec<Vec<R>> = (0..keys).map(|_| Vec::new()).collect();
        for (record, key) in records.into_iter().zip(self.partition_keys) {
            groups
                .get_mut(key)
                .ok_or_else(|| mismatch(format!("key position {key} of {keys} keys")))?
                .push(record);
        }
        Ok(groups)
    }
}

/// Records as a data layer hands them back: rows for layers that decode values
/// (SQL), typed records for layers that keep them (the in-memory layer).
pub enum Records {
    /// Dynamic rows in the schema's attribute order.
    Rows(Vec<Row>),
    /// Typed records of the resource read: a `Vec<R>` (what a data layer of
    /// its own returns), or the records of the built-in layers in their own
    /// form (whose record type is erased). [`Records::into_vec`] reads either
    /// as a `Vec<R>`.
    Typed(Box<dyn Any + Send>),
    /// Typed records of a partitioned read, already grouped, one group per
    /// partition key, in the order of `Partition::keys`: a `Vec<Vec<R>>`, or
    /// the built-in layers' own form ([`ReadResult::into_groups`] reads either).
    Grouped(Box<dyn Any + Send>),
}

/// Rows are shown; typed records only by their form (their type is erased).
impl std::fmt::Debug for Records {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Records::Rows(rows) => f.debug_tuple("Rows").field(rows).finish(),
            Records::Typed(_) => f.write_str("Typed(..)"),
            Records::Grouped(_) => f.write_str("Grouped(..)"),
        }
    }
}

impl Records {
    /// The records as `R`s; grouped records are flattened, group after group. An
    /// error when they are not records of `R`.
    pub fn into_vec<R: Resource>(self) -> Result<Vec<R>> {
        match self {
            Records::Rows(rows) => rows.into_iter().map(R::from_row).collect(),
            Records::Typed(any) => vec_of::<R>(any).map_err(|_| wrong_type::<R>()),
            Records::Grouped(any) => groups_of::<R>(any)
                .map(|groups| groups.into_iter().flatten().collect())
                .map_err(|_| wrong_type::<R>()),
        }
    }
}

fn wrong_type<R: Resource>() -> Error {
    Error::data_layer(format!(
        "records of the wrong type came back for {}",
        R::schema().name
    ))
}
