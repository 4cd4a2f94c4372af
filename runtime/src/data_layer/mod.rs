//! The data layer interface: what the loader and the domain ask of a store, and the
//! in-memory layer that is the embedded default.
//!
//! A data layer sees resources through their static [`Schema`] and hands records
//! back either as dynamic rows or as typed records (`Records`). It must implement
//! partitioned reads: "records whose attribute is one of these keys, each tagged
//! with its key", with sort, offset and limit applied per key. That one operation is
//! every relationship load, so a load is one read whatever the number of parents.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;

use crate::error::{Error, ErrorKind, Result};
use crate::expr::Expr;
use crate::query::Sort;
use crate::resource::{Resource, Row, Schema};
use crate::value::Value;

mod eval;
pub mod memory;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub mod sql;

/// A boxed future that can cross threads.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A store of resources.
pub trait DataLayer: AsAny + Send + Sync + 'static {
    /// A short name for logs and errors (`"memory"`, `"sqlite"`).
    fn name(&self) -> &'static str;

    /// Called once per resource when a domain is built.
    fn register(&self, schema: &'static Schema) -> Result<()>;

    /// Reads records. See [`ReadRequest`] for what each part means.
    fn read<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<ReadResult>>;

    /// Inserts fully formed rows (primary keys of `Generated::Integer` may be nil:
    /// the layer assigns them) and returns the created records.
    fn create<'a>(
        &'a self,
        schema: &'static Schema,
        rows: Vec<Row>,
    ) -> BoxFuture<'a, Result<Records>>;

    /// Creates what the resources need that does not exist yet (tables, keys,
    /// indexes); running it again changes nothing. The in-memory layer needs
    /// nothing.
    fn migrate<'a>(&'a self, schemas: Vec<&'static Schema>) -> BoxFuture<'a, Result<()>> {
        let _ = schemas;
        Box::pin(async { Ok(()) })
    }
}

/// Any value as `&dyn Any`: lets code that knows a data layer's concrete type (a
/// manual loader running raw SQL) reach it through `Domain::data_layer_as`.
/// Implemented for every type.
pub trait AsAny {
    /// `self` as `Any`.
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any> AsAny for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// One read.
#[derive(Clone, Debug)]
pub struct ReadRequest {
    /// The resource read.
    pub schema: &'static Schema,
    /// Records must make this true (three-valued: nil does not match).
    pub filter: Option<Expr>,
    /// Sort keys; ties keep insertion order.
    pub sort: Vec<Sort>,
    /// At most this many records (per partition key when partitioned).
    pub limit: Option<usize>,
    /// Skip this many records (per partition key when partitioned).
    pub offset: usize,
    /// Restricts the read to records linked to these keys and tags each record.
    pub partition: Option<Partition>,
}

impl ReadRequest {
    /// A read of every record of `schema`.
    pub fn new(schema: &'static Schema) -> Self {
        ReadRequest {
            schema,
            filter: None,
            sort: Vec::new(),
            limit: None,
            offset: 0,
            partition: None,
        }
    }
}

/// A partitioned read: the records linked to each key, tagged with the key.
#[derive(Clone, Debug)]
pub struct Partition {
    /// How records are linked to keys.
    pub by: PartitionBy,
    /// The keys: distinct and never nil.
    pub keys: Vec<Value>,
}

/// How records are linked to partition keys.
#[derive(Clone, Debug)]
pub enum PartitionBy {
    /// The record's attribute equals the key.
    Attribute(&'static str),
    /// A join record has the key in `source_attribute_on_join` and the record's
    /// `destination_attribute` in `destination_attribute_on_join`. A record linked
    /// to several keys appears once per key.
    Through {
        /// The join resource.
        join: &'static Schema,
        /// Join attribute matched against the keys.
        source_attribute_on_join: &'static str,
        /// Join attribute matched against the record's `destination_attribute`.
        destination_attribute_on_join: &'static str,
        /// The record's attribute.
        destination_attribute: &'static str,
    },
}

/// What a read returns.
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
    /// the order of `Partition::keys`, each in sort order.
    pub fn into_groups<R: Resource>(self, keys: usize) -> Result<Vec<Vec<R>>> {
        let mismatch = |what: String| {
            Error::new(ErrorKind::DataLayer {
                message: format!("a partitioned read of {} returned {what}", R::schema().name),
                source: None,
            })
        };
        if let Records::Grouped(any) = self.records {
            let groups = any
                .downcast::<Vec<Vec<R>>>()
                .map_err(|_| mismatch("records of the wrong type".into()))?;
            if groups.len() != keys {
                return Err(mismatch(format!("{} groups for {keys} keys", groups.len())));
            }
            return Ok(*groups);
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

/// Records as a data layer hands them back.
pub enum Records {
    /// Dynamic rows in the schema's attribute order.
    Rows(Vec<Row>),
    /// Typed records: a `Vec<R>` for the resource read.
    Typed(Box<dyn Any + Send>),
    /// Typed records of a partitioned read, already grouped: a `Vec<Vec<R>>` with
    /// one group per partition key, in the order of `Partition::keys`.
    Grouped(Box<dyn Any + Send>),
}

impl Records {
    /// The records as `R`s.
    pub fn into_vec<R: Resource>(self) -> Result<Vec<R>> {
        match self {
            Records::Rows(rows) => rows.into_iter().map(R::from_row).collect(),
            Records::Typed(any) => any
                .downcast::<Vec<R>>()
                .map(|b| *b)
                .map_err(|_| wrong_type::<R>()),
            Records::Grouped(any) => any
                .downcast::<Vec<Vec<R>>>()
                .map(|groups| groups.into_iter().flatten().collect())
                .map_err(|_| wrong_type::<R>()),
        }
    }
}

fn wrong_type<R: Resource>() -> Error {
    Error::new(ErrorKind::DataLayer {
        message: format!(
            "records of the wrong type came back for {}",
            R::schema().name
        ),
        source: None,
    })
}
