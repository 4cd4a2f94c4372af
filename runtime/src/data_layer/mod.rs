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

use crate::error::Result;
use crate::resource::{Row, Schema};

pub use self::records::{ReadResult, Records};
pub(crate) use self::request::group_positions;
pub use self::request::{Partition, PartitionBy, ReadRequest, Visibility};
pub use crate::scalar::ColumnReader;

// The contract every layer shares, then the layers.
pub(crate) mod columns;
mod records;
mod request;
pub(crate) mod store;

mod eval;
pub mod memory;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub mod sql;

/// A boxed future that can cross threads: what [`DataLayer`] methods return.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// use ashore::data_layer::BoxFuture;
///
/// fn count(support: &Domain) -> BoxFuture<'_, ashore::Result<usize>> {
///     Box::pin(async move { Ok(support.read(Ticket::query()).await?.len()) })
/// }
/// assert_eq!(count(&support).await?, 6);
/// # Ok(()) }
/// ```
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A store of resources.
///
/// A layer of your own implements the four required methods; here, one that
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
/// use ashore::data_layer::{BoxFuture, ReadRequest, ReadResult, Records};
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
///         rows: Vec<Row>,
///     ) -> BoxFuture<'a, ashore::Result<Records>> {
///         self.inner.create(schema, rows)
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
/// # Ok(()) }
/// ```
pub trait DataLayer: AsAny + Send + Sync + 'static {
    /// A short name for logs and errors (`"memory"`, `"sqlite"`).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// assert_eq!(Memory::new().name(), "memory");
    /// assert_eq!(
    ///     format!("{support:?}"),
    ///     r#"Domain { data_layer: "memory", resources: ["Representative", "Ticket"] }"#
    /// );
    /// # Ok(()) }
    /// ```
    fn name(&self) -> &'static str;

    /// Called once per resource when a domain is built. Registering a resource
    /// again keeps its records.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// use ashore::data_layer::ReadRequest;
    ///
    /// let memory = Memory::new();
    /// let err = memory
    ///     .read(ReadRequest::new(Ticket::schema()))
    ///     .await
    ///     .err()
    ///     .unwrap();
    /// assert!(matches!(
    ///     err.kind(),
    ///     ErrorKind::NotRegistered { resource: "Ticket" }
    /// ));
    ///
    /// memory.register(Ticket::schema())?;
    /// let all = memory.read(ReadRequest::new(Ticket::schema())).await?;
    /// assert!(all.records.into_vec::<Ticket>()?.is_empty());
    /// # Ok(()) }
    /// ```
    fn register(&self, schema: &'static Schema) -> Result<()>;

    /// Reads records. See [`ReadRequest`] for what each part means.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// use ashore::data_layer::ReadRequest;
    ///
    /// let mut request = ReadRequest::new(Ticket::schema());
    /// request.filter = Some(Expr::cmp(
    ///     CmpOp::Gt,
    ///     Expr::attr("priority"),
    ///     Expr::value(3_i64),
    /// ));
    /// request.sort = vec![Ticket::priority().desc()];
    /// request.limit = Some(2);
    /// let result = support.data_layer().read(request).await?;
    /// assert!(result.partition_keys.is_empty());
    /// assert_eq!(
    ///     subjects(&result.records.into_vec::<Ticket>()?),
    ///     ["Server room flooded", "Printer on fire"]
    /// );
    /// # Ok(()) }
    /// ```
    fn read<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<ReadResult>>;

    /// Inserts fully formed rows (primary keys of `Generated::Integer` may be nil:
    /// the layer assigns them) and returns the created records.
    /// [`Domain::create`](crate::Domain::create) fills in defaults and calls it.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let row: Row = vec![
    ///     Value::Uuid(Uuid::new_v4()),
    ///     Value::from("Toner low".to_string()),
    ///     Value::Int(1),
    ///     Value::Null,
    /// ];
    /// let created = support
    ///     .data_layer()
    ///     .create(Ticket::schema(), vec![row.clone()])
    ///     .await?;
    /// assert_eq!(created.into_vec::<Ticket>()?[0].subject, "Toner low");
    ///
    /// // The same primary key again.
    /// let err = support
    ///     .data_layer()
    ///     .create(Ticket::schema(), vec![row])
    ///     .await
    ///     .err()
    ///     .unwrap();
    /// assert_eq!(err.to_string(), "unique constraint violated on Ticket.id");
    /// # Ok(()) }
    /// ```
    fn create<'a>(
        &'a self,
        schema: &'static Schema,
        rows: Vec<Row>,
    ) -> BoxFuture<'a, Result<Records>>;

    /// Creates what the resources need that does not exist yet (tables, keys,
    /// indexes); running it again changes nothing. The in-memory layer needs
    /// nothing. [`Domain::migrate`](crate::Domain::migrate) calls it with every
    /// registered resource.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// support
    ///     .data_layer()
    ///     .migrate(vec![Representative::schema(), Ticket::schema()])
    ///     .await?;
    /// // Nothing was lost.
    /// assert_eq!(support.read(Ticket::query()).await?.len(), 6);
    /// # Ok(()) }
    /// ```
    fn migrate<'a>(&'a self, schemas: Vec<&'static Schema>) -> BoxFuture<'a, Result<()>> {
        let _ = schemas;
        Box::pin(async { Ok(()) })
    }
}

/// Any value as `&dyn Any`: lets code that knows a data layer's concrete type (a
/// manual loader running raw SQL) reach it through `Domain::data_layer_as`.
/// Implemented for every type.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// use ashore::data_layer::AsAny;
///
/// let layer: &dyn DataLayer = &**support.data_layer();
/// assert!(layer.as_any().downcast_ref::<Memory>().is_some());
/// # Ok(()) }
/// ```
pub trait AsAny {
    /// `self` as `Any`.
    ///
    /// ```
    /// # extern crate ashore_runtime as ashore;
    /// use ashore::data_layer::AsAny;
    /// let n = 3_u8;
    /// assert_eq!(n.as_any().downcast_ref::<u8>(), Some(&3));
    /// ```
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any> AsAny for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}
