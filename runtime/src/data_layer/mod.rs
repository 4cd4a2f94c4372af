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
use crate::expr::Expr;
use crate::query::Sort;
use crate::resource::{Resource, Row, Schema};
use crate::value::Value;

pub use crate::columns::ColumnReader;

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

/// One read, as the domain and the loader ask it of a data layer. Code below
/// queries (a raw manual loader, a data layer wrapping another) can make its own.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// use ashore::data_layer::{Partition, PartitionBy, ReadRequest};
///
/// let reps = support
///     .read(Representative::query().sort(Representative::name()))
///     .await?;
/// // The two most urgent tickets of each representative, in one read.
/// let mut request = ReadRequest::new(Ticket::schema());
/// request.sort = vec![Ticket::priority().desc()];
/// request.limit = Some(2);
/// request.partition = Some(Partition {
///     by: PartitionBy::Attribute("representative_id"),
///     keys: reps.iter().map(|r| Value::from(r.id)).collect(),
/// });
/// let groups = support
///     .data_layer()
///     .read(request)
///     .await?
///     .into_groups::<Ticket>(reps.len())?;
/// assert_eq!(subjects(&groups[0]), ["Printer on fire", "VPN down"]); // Alice's
/// assert_eq!(
///     subjects(&groups[1]),
///     ["Server room flooded", "Password reset"]
/// ); // Bob's
/// # Ok(()) }
/// ```
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
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// use ashore::data_layer::ReadRequest;
    ///
    /// let request = ReadRequest::new(Ticket::schema());
    /// assert!(request.filter.is_none() && request.partition.is_none());
    /// let all = support.data_layer().read(request).await?;
    /// assert_eq!(all.records.into_vec::<Ticket>()?.len(), 6);
    /// # Ok(()) }
    /// ```
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

/// A partitioned read: the records linked to each key, tagged with the key. Sort,
/// offset and limit apply per key.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// use ashore::data_layer::{Partition, PartitionBy, ReadRequest};
///
/// let alice = representative(&support, "Alice").await?;
/// let mut request = ReadRequest::new(Ticket::schema());
/// request.sort = vec![Ticket::subject().asc()];
/// request.offset = 1;
/// request.partition = Some(Partition {
///     by: PartitionBy::Attribute("representative_id"),
///     keys: vec![Value::from(alice.id)],
/// });
/// let groups = support
///     .data_layer()
///     .read(request)
///     .await?
///     .into_groups::<Ticket>(1)?;
/// assert_eq!(subjects(&groups[0]), ["Printer on fire", "VPN down"]);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Partition {
    /// How records are linked to keys.
    pub by: PartitionBy,
    /// The keys: distinct and never nil.
    pub keys: Vec<Value>,
}

/// How records are linked to partition keys: a has_many or has_one reads its
/// destination partitioned by `Attribute(destination_attribute)`; a many_to_many
/// by `Through` its join resource.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk! { many_to_many skills: Skill { through RepresentativeSkill; } }
/// # resource! {
/// #     #[derive(Debug, Clone, PartialEq)]
/// #     pub struct Skill {
/// #         attributes { integer_primary_key id; attribute name: String; }
/// #     }
/// # }
/// # resource! {
/// #     #[derive(Debug, Clone, PartialEq)]
/// #     pub struct RepresentativeSkill {
/// #         attributes { uuid_primary_key id; }
/// #         relationships { belongs_to representative: Representative; belongs_to skill: Skill; }
/// #     }
/// # }
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// use ashore::data_layer::{Partition, PartitionBy, ReadRequest};
///
/// let support = Domain::builder()
///     .resource::<Representative>()
///     .resource::<Ticket>()
///     .resource::<Skill>()
///     .resource::<RepresentativeSkill>()
///     .build()?;
/// let alice = support
///     .create(
///         Representative::changeset()
///             .set(Representative::name(), "Alice")
///             .set(Representative::priority_threshold(), 3),
///     )
///     .await?;
/// let skills = support
///     .create_many(["Printers", "Networks"].map(|n| Skill::changeset().set(Skill::name(), n)))
///     .await?;
/// support
///     .create(
///         RepresentativeSkill::changeset()
///             .set(RepresentativeSkill::representative_id(), alice.id)
///             .set(RepresentativeSkill::skill_id(), skills[1].id),
///     )
///     .await?;
///
/// let mut request = ReadRequest::new(Skill::schema());
/// request.partition = Some(Partition {
///     by: PartitionBy::Through {
///         join: RepresentativeSkill::schema(),
///         source_attribute_on_join: "representative_id",
///         destination_attribute_on_join: "skill_id",
///         destination_attribute: "id",
///     },
///     keys: vec![Value::from(alice.id)],
/// });
/// let groups = support
///     .data_layer()
///     .read(request)
///     .await?
///     .into_groups::<Skill>(1)?;
/// assert_eq!(groups[0], [skills[1].clone()]);
/// # Ok(()) }
/// ```
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
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// use ashore::data_layer::ReadRequest;
///
/// let result = support
///     .data_layer()
///     .read(ReadRequest::new(Representative::schema()))
///     .await?;
/// assert!(result.partition_keys.is_empty()); // not partitioned
/// let reps: Vec<Representative> = result.records.into_vec()?;
/// assert_eq!(reps.len(), 2);
/// # Ok(()) }
/// ```
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
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// use ashore::data_layer::{ReadResult, Records};
    ///
    /// let rows = vec![vec![
    ///     Value::Uuid(Uuid::new_v4()),
    ///     Value::from("Toner low".to_string()),
    ///     Value::Null,
    ///     Value::Null,
    /// ]];
    /// let result = ReadResult::new(Records::Rows(rows));
    /// assert_eq!(result.records.into_vec::<Ticket>()?[0].subject, "Toner low");
    /// # Ok(()) }
    /// ```
    pub fn new(records: Records) -> Self {
        ReadResult {
            records,
            partition_keys: Vec::new(),
        }
    }

    /// The records of a partitioned read over `keys` keys, one group per key in
    /// the order of `Partition::keys`, each in sort order. Works whichever form of
    /// [`Records`] the layer returned.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// use ashore::data_layer::{ReadResult, Records};
    ///
    /// let row = |subject: &str| {
    ///     vec![
    ///         Value::Uuid(Uuid::new_v4()),
    ///         Value::from(subject.to_string()),
    ///         Value::Null,
    ///         Value::Null,
    ///     ]
    /// };
    /// // Rows tagged with the position of their key: two keys, the second has nothing.
    /// let result = ReadResult {
    ///     records: Records::Rows(vec![row("VPN down"), row("Toner low")]),
    ///     partition_keys: vec![0, 0],
    /// };
    /// let groups = result.into_groups::<Ticket>(2)?;
    /// assert_eq!(subjects(&groups[0]), ["VPN down", "Toner low"]);
    /// assert!(groups[1].is_empty());
    /// # Ok(()) }
    /// ```
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

/// Records as a data layer hands them back: rows for layers that decode values
/// (SQL), typed records for layers that keep them (the in-memory layer).
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// use ashore::data_layer::Records;
///
/// let alice = representative(&support, "Alice").await?;
/// let typed = Records::Typed(Box::new(vec![alice.clone()]));
/// assert_eq!(typed.into_vec::<Representative>()?, [alice.clone()]);
///
/// let row = vec![
///     Value::from(alice.id),
///     Value::from("Alice".to_string()),
///     Value::Int(3),
/// ];
/// let from_rows = Records::Rows(vec![row]).into_vec::<Representative>()?;
/// assert_eq!(from_rows[0].name, "Alice");
/// # Ok(()) }
/// ```
pub enum Records {
    /// Dynamic rows in the schema's attribute order.
    Rows(Vec<Row>),
    /// Typed records: a `Vec<R>` for the resource read.
    Typed(Box<dyn Any + Send>),
    /// Typed records of a partitioned read, already grouped: a `Vec<Vec<R>>` with
    /// one group per partition key, in the order of `Partition::keys`.
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
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// use ashore::data_layer::Records;
    ///
    /// let tickets = support.read(Ticket::query().limit(2)).await?;
    /// let grouped = Records::Grouped(Box::new(vec![
    ///     vec![tickets[0].clone()],
    ///     vec![tickets[1].clone()],
    /// ]));
    /// assert_eq!(grouped.into_vec::<Ticket>()?, tickets);
    ///
    /// let wrong = Records::Typed(Box::new(tickets));
    /// let err = wrong.into_vec::<Representative>().unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "data layer: records of the wrong type came back for Representative"
    /// );
    /// # Ok(()) }
    /// ```
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
