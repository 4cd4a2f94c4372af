//! The data layer interface: what the loader and the domain ask of a store, and the
//! in-memory layer that is the embedded default.
//!
//! A data layer sees resources through their static [`Schema`] and hands records
//! back either as dynamic rows or as typed records (`Records`). It must implement
//! partitioned reads: "records whose attribute is one of these keys, each tagged
//! with its key", with sort, offset and limit applied per key. That one operation is
//! every relationship load, so a load is one read whatever the number of parents.
//!
//! A partitioned read of the tickets of two representatives, as the loader makes
//! it for `Representative::tickets()`:
//!
//! ```
//! # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
//! # helpdesk!();
//! # #[tokio::main] async fn main() -> ashore::Result<()> {
//! # let support = support().await?;
//! use ashore::data_layer::{Partition, PartitionBy, ReadRequest};
//!
//! let reps = support
//!     .read(Representative::query().sort(Representative::name()))
//!     .await?;
//! let mut request = ReadRequest::new(Ticket::schema());
//! request.partition = Some(Partition {
//!     by: PartitionBy::Attribute("representative_id"),
//!     keys: reps.iter().map(|r| Value::from(r.id)).collect(),
//! });
//! let groups = support
//!     .data_layer()
//!     .read(request)
//!     .await?
//!     .into_groups::<Ticket>(2)?;
//! assert_eq!(groups[0].len(), 3); // Alice's
//! assert_eq!(groups[1].len(), 2); // Bob's
//! # Ok(()) }
//! ```

use std::any::Any;
use std::future::Future;
use std::pin::Pin;

use crate::error::{Error, ErrorKind, Result};
use crate::expr::Aggregate;
use crate::resource::Schema;
use crate::value::Value;

pub use self::records::{ReadResult, Records};
pub use self::request::{Partition, PartitionBy, ReadRequest, Visibility};
pub(crate) use self::request::{check_request, group_positions};
pub use self::transaction::Transaction;
pub use self::upsert::Upsert;
pub use crate::changeset::Changes;
pub use crate::resource::Rows;
pub use crate::scalar::ColumnReader;

// The contract every layer shares, then the layers.
pub(crate) mod aggregate_path;
pub(crate) mod columns;
pub(crate) mod erased;
mod records;
mod request;
pub(crate) mod sort_path;
pub(crate) mod statements;
pub(crate) mod store;
mod transaction;
pub(crate) mod upsert;

mod eval;
pub mod memory;
// Records checked by their content, over the evaluator and any layer.
pub(crate) mod content;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub mod sql;

/// A boxed future that can cross threads: what [`DataLayer`] methods return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A store of resources.
///
/// A layer of your own implements the four required methods (update and
/// destroy are errors until it implements them too); here, one that
/// delegates to [`Memory`](crate::Memory) and counts reads, which shows that a
/// load costs one read per relationship per level, whatever the number of
/// records:
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// use ashore::data_layer::{BoxFuture, Changes, ReadRequest, ReadResult, Records, Rows};
///
/// /// The in-memory layer, counting the reads made of it.
/// #[derive(Clone, Default)]
/// struct Counting {
///     inner: Memory,
///     reads: Arc<AtomicUsize>,
/// }
///
/// impl DataLayer for Counting {
///     fn name(&self) -> &'static str {
///         "counting"
///     }
///
///     fn register(&self, schema: &'static Schema) -> ashore::Result<()> {
///         self.inner.register(schema)
///     }
///
///     fn read<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, ashore::Result<ReadResult>> {
///         self.reads.fetch_add(1, Ordering::SeqCst);
///         self.inner.read(request)
///     }
///
///     fn create<'a>(
///         &'a self,
///         schema: &'static Schema,
///         rows: Rows,
///     ) -> BoxFuture<'a, ashore::Result<Records>> {
///         self.inner.create(schema, rows)
///     }
///
///     // Optional: without them, updates and destroys are `ErrorKind::Unsupported`.
///     fn update<'a>(
///         &'a self,
///         request: ReadRequest,
///         changes: Changes,
///     ) -> BoxFuture<'a, ashore::Result<Records>> {
///         self.inner.update(request, changes)
///     }
///
///     fn destroy<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, ashore::Result<Records>> {
///         self.inner.destroy(request)
///     }
/// }
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// let layer = Counting::default();
/// let support = Domain::builder()
///     .data_layer(layer.clone())
///     .resource::<Representative>()
///     .resource::<Ticket>()
///     .build()?;
/// seed(&support).await?;
///
/// let before = layer.reads.load(Ordering::SeqCst);
/// let reps = support
///     .read(
///         Representative::query().load(Representative::tickets().load(Ticket::representative())),
///     )
///     .await?;
/// assert_eq!(reps.len(), 2);
/// // Representatives, their tickets, the tickets' representatives.
/// assert_eq!(layer.reads.load(Ordering::SeqCst) - before, 3);
/// assert_eq!(support.data_layer().name(), "counting");
///
/// // Writes go through to the layer underneath, and read nothing here.
/// let reads = layer.reads.load(Ordering::SeqCst);
/// let closed = support
///     .update_all(Ticket::query(), Ticket::changeset().set(Ticket::priority(), 0))
///     .await?;
/// assert_eq!(closed.len(), 6); // every ticket of `seed`
/// assert_eq!(layer.reads.load(Ordering::SeqCst), reads);
/// # Ok(()) }
/// ```
pub trait DataLayer: AsAny + Send + Sync + 'static {
    /// A short name for logs and errors (`"memory"`, `"sqlite"`).
    fn name(&self) -> &'static str;

    /// Called once per resource when a domain is built. Registering a resource
    /// again keeps its records. The in-memory layer answers a read of a resource
    /// it was never given with an [`ErrorKind::NotRegistered`].
    fn register(&self, schema: &'static Schema) -> Result<()>;

    /// Reads records. See [`ReadRequest`] for what each part means.
    fn read<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<ReadResult>>;

    /// How many records `request` would read: its filter and visibility, within
    /// its offset and limit (its sort plays no part). A partitioned request is
    /// an [`ErrorKind::InvalidQuery`]. By
    /// default the records are read and counted; the built-in layers count
    /// without fetching them (one `SELECT count(*)` on SQL).
    fn count<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<usize>> {
        Box::pin(async move {
            let schema = request.schema;
            if request.partition.is_some() {
                return Err(Error::new(ErrorKind::InvalidQuery {
                    resource: schema.name,
                    message: "a partitioned read cannot be counted".to_owned(),
                }));
            }
            let records = self.read(request).await?.records;
            Ok(store::table_of(schema, records)?.len())
        })
    }

    /// Computes `aggregates` for each record `request` selects (its filter
    /// and visibility; its sort, offset and limit play no part, nor may it be
    /// partitioned): one row per record, in insertion order, holding its
    /// primary key then the value of each aggregate in order. The aggregates'
    /// paths meet the request's visibility at every hop, as a filter's do.
    /// Loading an aggregate (`Representative::open_ticket_count()` in
    /// `Query::load`) calls it once per level, whatever the number of records;
    /// the built-in layers compute every aggregate in one statement. By
    /// default (a layer of your own) it is an [`ErrorKind::Unsupported`].
    fn aggregate<'a>(
        &'a self,
        request: ReadRequest,
        aggregates: Vec<Aggregate>,
    ) -> BoxFuture<'a, Result<Vec<Vec<Value>>>> {
        let _ = (request, aggregates);
        Box::pin(async move { Err(unsupported(self.name(), "aggregate")) })
    }

    /// The values of a `list` aggregate for each record `request` selects
    /// (as [`aggregate`](Self::aggregate) selects them): one pair per value,
    /// the record's primary key and the value, by record in insertion order,
    /// then in the order the records reached were created; nils are left out.
    /// An aggregate of another kind is an [`ErrorKind::InvalidQuery`]. One
    /// statement on the built-in layers; by default (a layer of your own) an
    /// [`ErrorKind::Unsupported`].
    fn aggregate_list<'a>(
        &'a self,
        request: ReadRequest,
        aggregate: Aggregate,
    ) -> BoxFuture<'a, Result<Vec<(Value, Value)>>> {
        let _ = (request, aggregate);
        Box::pin(async move { Err(unsupported(self.name(), "aggregate_list")) })
    }

    /// Inserts fully formed rows (primary keys of `Generated::Integer` may be nil:
    /// the layer assigns them) and returns the created records, in the order
    /// of `rows` (one buffer of every row's values, see [`Rows`]).
    /// [`Domain::create`](crate::Domain::create) fills in defaults and calls it. A
    /// row whose primary key is taken is an
    /// [`ErrorKind::Constraint`].
    fn create<'a>(&'a self, schema: &'static Schema, rows: Rows) -> BoxFuture<'a, Result<Records>>;

    /// Updates the records `request` selects (its filter and visibility; its
    /// sort, offset and limit choose which when given), setting the attributes
    /// of `changes` and keeping the others, and returns them as stored after,
    /// in insertion order. All or nothing: a belongs_to key that names no
    /// record is an [`ErrorKind::Constraint`] and changes nothing. A
    /// partitioned request, and changes [`Changes::check`] refuses, are
    /// errors. [`Domain::update_all`](crate::Domain::update_all) and
    /// [`Domain::update`](crate::Domain::update) call it. The built-in layers
    /// run one statement (`UPDATE … WHERE key IN (…) RETURNING …`); by
    /// default (a layer of your own) it is an [`ErrorKind::Unsupported`].
    fn update<'a>(
        &'a self,
        request: ReadRequest,
        changes: Changes,
    ) -> BoxFuture<'a, Result<Records>> {
        let _ = (request, changes);
        Box::pin(async move { Err(unsupported(self.name(), "update")) })
    }

    /// Destroys the records `request` selects (as [`update`](Self::update)
    /// selects them) and returns them as they were, in insertion order. All
    /// or nothing: a record another's belongs_to key names (one not destroyed
    /// with it) is an [`ErrorKind::Constraint`] (`Constraint::ForeignKey`,
    /// naming the destroyed resource and no attribute) and nothing is
    /// destroyed. By default (a layer of your own) it is an
    /// [`ErrorKind::Unsupported`].
    fn destroy<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<Records>> {
        let _ = request;
        Box::pin(async move { Err(unsupported(self.name(), "destroy")) })
    }

    /// Inserts rows as [`create`](Self::create) does, except that a row whose
    /// values of `upsert.identity` (the tenant attribute first on a
    /// multitenant resource) a stored record has updates that record with the
    /// row's values of `upsert.update` instead (Ash's `upsert? true`); returns
    /// the records created or updated, in the order of `rows`, all or nothing.
    /// No two rows share identity values (the engine refuses such a batch).
    /// A record found that `upsert.visibility` does not select (the actor
    /// may not update it) fails the whole call with
    /// [`Upsert::forbidden`], nothing written, tested in the same atomic
    /// step as the write (see [`Upsert::visibility`]).
    /// [`Create::upsert_on`](crate::Create::upsert_on) calls it.
    ///
    /// By default (a layer of your own) it is an [`ErrorKind::Unsupported`],
    /// as [`update`](Self::update) is: the layer keeps compiling, and upserts
    /// once it implements this.
    fn upsert<'a>(
        &'a self,
        schema: &'static Schema,
        rows: Rows,
        upsert: Upsert,
    ) -> BoxFuture<'a, Result<Records>> {
        let _ = (schema, rows, upsert);
        Box::pin(async move { Err(unsupported(self.name(), "upsert")) })
    }

    /// Begins a transaction: every read and write through the returned
    /// [`Transaction`]'s layer runs inside it, until it is committed or rolled
    /// back. [`Domain::transaction`](crate::Domain::transaction) calls it. The
    /// built-in layers serialize writing transactions (memory: one at a time;
    /// SQLite: `BEGIN IMMEDIATE`; PostgreSQL: its own row locks, at `READ
    /// COMMITTED`). By default (a layer of your own) it is an
    /// [`ErrorKind::Unsupported`].
    fn begin<'a>(&'a self) -> BoxFuture<'a, Result<Box<dyn Transaction>>> {
        Box::pin(async move { Err(unsupported(self.name(), "begin")) })
    }

    /// Creates what the resources need that does not exist yet (tables, keys,
    /// indexes); running it again changes nothing. The in-memory layer needs
    /// nothing. [`Domain::migrate`](crate::Domain::migrate) calls it with every
    /// registered resource. The SQL layers compare each existing table with
    /// its resource first: they add what can be added safely and otherwise
    /// fail with [`ErrorKind::SchemaDrift`], changing nothing.
    fn migrate<'a>(&'a self, schemas: Vec<&'static Schema>) -> BoxFuture<'a, Result<()>> {
        let _ = schemas;
        Box::pin(async { Ok(()) })
    }

    /// The statements [`migrate`](DataLayer::migrate) would run now, without
    /// running them (or its `SchemaDrift` error). None for the in-memory
    /// layer, and for a layer of your own unless it says.
    fn migration_plan<'a>(
        &'a self,
        schemas: Vec<&'static Schema>,
    ) -> BoxFuture<'a, Result<Vec<String>>> {
        let _ = schemas;
        Box::pin(async { Ok(Vec::new()) })
    }
}

/// The error of an operation a layer does not support.
fn unsupported(layer: &'static str, operation: &'static str) -> Error {
    Error::new(ErrorKind::Unsupported { layer, operation })
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
