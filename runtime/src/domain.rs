//! `Domain`: the registry of resources and their data layer, and the entry point of
//! every read, create and load. Each call returns a builder that takes the actor,
//! the authorize flag and the tenant, and runs when awaited.

use std::collections::HashMap;
use std::fmt;
use std::future::IntoFuture;
use std::sync::Arc;

use crate::changeset::Changeset;
use crate::data_layer::{BoxFuture, DataLayer, ReadRequest};
use crate::error::{Error, ErrorKind, Result};
use crate::load::Load;
use crate::query::Query;
use crate::resource::{Actor, Resource, Schema};
use crate::value::Value;

/// A set of resources and the data layer they live in (Ash's domain).
///
/// Every read, create and load goes through a domain: [`read`](Domain::read),
/// [`create`](Domain::create), [`create_many`](Domain::create_many) and
/// [`load`](Domain::load) each return a builder that takes the actor, the
/// authorize flag and the tenant, and runs when awaited.
///
/// Cheap to clone; clones share everything.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// let support = Domain::builder()
///     .data_layer(Memory::new())
///     .resource::<Representative>()
///     .resource::<Ticket>()
///     .build()?;
/// assert_eq!(
///     format!("{support:?}"),
///     r#"Domain { data_layer: "memory", resources: ["Representative", "Ticket"] }"#
/// );
///
/// let printer = support
///     .create(
///         Ticket::changeset()
///             .set(Ticket::subject(), "Printer on fire")
///             .set(Ticket::priority(), 5),
///     )
///     .await?;
/// let urgent = support
///     .read(Ticket::query().filter(expr!(priority >= 4)))
///     .await?;
/// assert_eq!(urgent, vec![printer]);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Domain {
    inner: Arc<Inner>,
}

struct Inner {
    layer: Arc<dyn DataLayer>,
    schemas: HashMap<&'static str, &'static Schema>,
}

impl fmt::Debug for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<_> = self.inner.schemas.keys().collect();
        names.sort();
        f.debug_struct("Domain")
            .field("data_layer", &self.inner.layer.name())
            .field("resources", &names)
            .finish()
    }
}

/// Builds a [`Domain`]: start with [`Domain::builder`], name the data layer and
/// every resource, then [`build`](DomainBuilder::build).
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// let support = Domain::builder()
///     .data_layer(Memory::new())
///     .resource::<Representative>()
///     .resource::<Ticket>()
///     .build()?;
/// assert_eq!(support.schemas().count(), 2);
/// # Ok(()) }
/// ```
#[derive(Default)]
pub struct DomainBuilder {
    layer: Option<Arc<dyn DataLayer>>,
    schemas: Vec<&'static Schema>,
}

impl DomainBuilder {
    /// The data layer every resource lives in.
    ///
    /// A domain built without one uses a fresh [`Memory`](crate::Memory). Clones
    /// of a `Memory` share its records, so two domains built on clones see the same
    /// records:
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// let memory = Memory::new();
    /// let writer = Domain::builder()
    ///     .data_layer(memory.clone())
    ///     .resource::<Representative>()
    ///     .resource::<Ticket>()
    ///     .build()?;
    /// let reader = Domain::builder()
    ///     .data_layer(memory)
    ///     .resource::<Representative>()
    ///     .resource::<Ticket>()
    ///     .build()?;
    ///
    /// writer
    ///     .create(Ticket::changeset().set(Ticket::subject(), "VPN down"))
    ///     .await?;
    /// assert_eq!(reader.read(Ticket::query()).await?.len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn data_layer(mut self, layer: impl DataLayer) -> Self {
        self.layer = Some(Arc::new(layer));
        self
    }

    /// The data layer, shared with other domains or code that keep the `Arc`.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// use std::sync::Arc;
    ///
    /// let layer: Arc<dyn DataLayer> = Arc::new(Memory::new());
    /// let support = Domain::builder()
    ///     .shared_data_layer(layer.clone())
    ///     .resource::<Representative>()
    ///     .resource::<Ticket>()
    ///     .build()?;
    /// assert!(Arc::ptr_eq(support.data_layer(), &layer));
    /// # Ok(()) }
    /// ```
    pub fn shared_data_layer(mut self, layer: Arc<dyn DataLayer>) -> Self {
        self.layer = Some(layer);
        self
    }

    /// Registers a resource. Reading, creating or loading a resource that was not
    /// registered is an [`ErrorKind::NotRegistered`].
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// // Ticket belongs to Representative, which is left out.
    /// assert!(Domain::builder().resource::<Ticket>().build().is_err());
    ///
    /// let support = Domain::builder()
    ///     .resource::<Representative>()
    ///     .resource::<Ticket>()
    ///     .build()?;
    /// assert!(support.read(Ticket::query()).await?.is_empty());
    /// # Ok(()) }
    /// ```
    pub fn resource<R: Resource>(mut self) -> Self {
        self.schemas.push(R::schema());
        self
    }

    /// Checks that every relationship leads to a registered resource and registers
    /// the resources with the data layer (the in-memory layer by default).
    ///
    /// A relationship to a resource left out is an [`ErrorKind::NotRegistered`]
    /// naming the relationship:
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// let err = Domain::builder()
    ///     .resource::<Representative>()
    ///     .build()
    ///     .unwrap_err();
    /// assert!(matches!(
    ///     err.kind(),
    ///     ErrorKind::NotRegistered { resource: "Ticket" }
    /// ));
    /// assert_eq!(err.path(), ["Representative", "tickets"]);
    ///
    /// let support = Domain::builder()
    ///     .resource::<Representative>()
    ///     .resource::<Ticket>()
    ///     .build()?;
    /// assert_eq!(support.data_layer().name(), "memory");
    /// # Ok(()) }
    /// ```
    pub fn build(self) -> Result<Domain> {
        let layer = self
            .layer
            .unwrap_or_else(|| Arc::new(crate::data_layer::memory::Memory::new()));
        let mut schemas = HashMap::new();
        for s in &self.schemas {
            schemas.insert(s.name, *s);
        }
        for s in &self.schemas {
            for rel in s.relationships {
                let mut needed = vec![(rel.destination)()];
                if let Some(t) = &rel.through {
                    needed.push((t.resource)());
                }
                for n in needed {
                    if !schemas.contains_key(n.name) {
                        return Err(Error::new(ErrorKind::NotRegistered { resource: n.name })
                            .in_relationship(s.name, rel.name));
                    }
                }
            }
            layer.register(s)?;
        }
        Ok(Domain {
            inner: Arc::new(Inner { layer, schemas }),
        })
    }
}

impl Domain {
    /// Starts building a domain.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// let support = Domain::builder()
    ///     .resource::<Representative>()
    ///     .resource::<Ticket>()
    ///     .build()?;
    /// assert!(support.read(Representative::query()).await?.is_empty());
    /// # Ok(()) }
    /// ```
    pub fn builder() -> DomainBuilder {
        DomainBuilder::default()
    }

    /// The data layer, for reads below queries (see
    /// [`ReadRequest`](crate::data_layer::ReadRequest)).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// use ashore::data_layer::ReadRequest;
    ///
    /// let layer = support.data_layer();
    /// assert_eq!(layer.name(), "memory");
    /// let all = layer.read(ReadRequest::new(Ticket::schema())).await?;
    /// assert_eq!(all.records.into_vec::<Ticket>()?.len(), 6);
    /// # Ok(()) }
    /// ```
    pub fn data_layer(&self) -> &Arc<dyn DataLayer> {
        &self.inner.layer
    }

    /// The data layer as its concrete type, when it is a `T`: how a manual loader
    /// reaches a SQL layer to run raw SQL.
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
    ///     fn read<'a>(
    ///         &'a self,
    ///         request: ReadRequest,
    ///     ) -> BoxFuture<'a, ashore::Result<ReadResult>> {
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
    /// support.read(Ticket::query()).await?;
    /// let counting: &Counting = support.data_layer_as::<Counting>().unwrap();
    /// assert_eq!(counting.reads.load(Ordering::SeqCst), 1);
    /// assert!(support.data_layer_as::<Memory>().is_none());
    /// # Ok(()) }
    /// ```
    pub fn data_layer_as<T: DataLayer>(&self) -> Option<&T> {
        // Through the trait object: `Arc<dyn DataLayer>` is itself `Any`.
        let layer: &dyn DataLayer = &*self.inner.layer;
        crate::data_layer::AsAny::as_any(layer).downcast_ref::<T>()
    }

    /// Creates the tables, keys and indexes the resources need in the data layer,
    /// where they are missing. Idempotent. The in-memory layer needs nothing.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// support.migrate().await?;
    /// support.migrate().await?;
    /// assert_eq!(support.read(Ticket::query()).await?.len(), 6);
    /// # Ok(()) }
    /// ```
    pub async fn migrate(&self) -> Result<()> {
        let mut schemas: Vec<&'static Schema> = self.inner.schemas.values().copied().collect();
        schemas.sort_by_key(|s| s.name);
        self.inner.layer.migrate(schemas).await
    }

    /// The schemas of the registered resources, in no particular order.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let mut names: Vec<&str> = support.schemas().map(|s| s.name).collect();
    /// names.sort();
    /// assert_eq!(names, ["Representative", "Ticket"]);
    /// # Ok(()) }
    /// ```
    pub fn schemas(&self) -> impl Iterator<Item = &'static Schema> + '_ {
        self.inner.schemas.values().copied()
    }

    pub(crate) fn check<R: Resource>(&self) -> Result<()> {
        if self.inner.schemas.contains_key(R::schema().name) {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::NotRegistered {
                resource: R::schema().name,
            }))
        }
    }

    /// Reads records, loading what the query asks for. Await the returned builder.
    ///
    /// Each relationship is loaded with one data-layer read for all the records
    /// read, and the sort, offset and limit of a load apply per record: here, the
    /// two most urgent tickets of each representative.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let reps = support
    ///     .read(
    ///         Representative::query().sort(Representative::name()).load(
    ///             Representative::tickets()
    ///                 .sort(Ticket::priority().desc())
    ///                 .limit(2),
    ///         ),
    ///     )
    ///     .await?;
    /// assert_eq!(reps[0].name, "Alice");
    /// assert_eq!(
    ///     subjects(reps[0].tickets.get()?),
    ///     ["Printer on fire", "VPN down"]
    /// );
    /// assert_eq!(reps[1].name, "Bob");
    /// assert_eq!(
    ///     subjects(reps[1].tickets.get()?),
    ///     ["Server room flooded", "Password reset"]
    /// );
    /// # Ok(()) }
    /// ```
    pub fn read<R: Resource>(&self, query: Query<R>) -> Read<R> {
        Read {
            scope: Scope::new(self.clone()),
            query,
        }
    }

    /// Creates one record. Await the returned builder for the record created, its
    /// generated primary key filled in.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let ticket = support
    ///     .create(
    ///         Ticket::changeset()
    ///             .set(Ticket::subject(), "Toner low")
    ///             .set(Ticket::priority(), 1),
    ///     )
    ///     .await?;
    /// assert_eq!(ticket.subject, "Toner low");
    /// assert_eq!(ticket.priority, Some(1));
    /// assert!(!ticket.id.is_nil());
    ///
    /// // A required attribute left out is an error naming it.
    /// let err = support
    ///     .create(Ticket::changeset().set(Ticket::priority(), 1))
    ///     .await
    ///     .unwrap_err();
    /// assert!(matches!(
    ///     err.kind(),
    ///     ErrorKind::Required {
    ///         attribute: "subject",
    ///         ..
    ///     }
    /// ));
    /// # Ok(()) }
    /// ```
    pub fn create<R: Resource>(&self, changeset: Changeset<R>) -> Create<R> {
        Create {
            scope: Scope::new(self.clone()),
            changeset,
        }
    }

    /// Creates many records in one call to the data layer. Await the returned
    /// builder for the records created, in the order given.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let created = support
    ///     .create_many(
    ///         ["Toner low", "Monitor flickers"]
    ///             .map(|s| Ticket::changeset().set(Ticket::subject(), s)),
    ///     )
    ///     .await?;
    /// assert_eq!(subjects(&created), ["Toner low", "Monitor flickers"]);
    /// assert_eq!(support.read(Ticket::query()).await?.len(), 8);
    /// # Ok(()) }
    /// ```
    pub fn create_many<R: Resource>(
        &self,
        changesets: impl IntoIterator<Item = Changeset<R>>,
    ) -> CreateMany<R> {
        CreateMany {
            scope: Scope::new(self.clone()),
            changesets: changesets.into_iter().collect(),
        }
    }

    /// Loads relationships onto records already in hand (Ash's `Ash.load`). Await
    /// the returned builder.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let mut reps = support
    ///     .read(Representative::query().sort(Representative::name()))
    ///     .await?;
    /// assert!(!reps[0].tickets.is_loaded());
    ///
    /// support.load(&mut reps, Representative::tickets()).await?;
    /// assert_eq!(reps[0].tickets.get()?.len(), 3);
    /// assert_eq!(reps[1].tickets.get()?.len(), 2);
    /// # Ok(()) }
    /// ```
    pub fn load<'r, R: Resource>(
        &self,
        records: &'r mut [R],
        load: impl Load<R>,
    ) -> LoadOnto<'r, R> {
        LoadOnto {
            scope: Scope::new(self.clone()),
            records,
            loads: vec![Arc::new(load)],
        }
    }
}

/// The domain, actor, authorize flag and tenant a read runs with. Loads and manual
/// loaders pass it on, so everything a read triggers runs as the read does.
///
/// A manual loader reaches it with [`ReadScope::read_scope`] on its
/// [`LoadContext`](crate::LoadContext), and can hand it to helpers that read on
/// the caller's behalf:
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk! { has_many visible: Ticket { manual Visible; } }
/// /// The tickets of `ids` that the actor may see: their own, when policies apply.
/// async fn visible_tickets(scope: &Scope, ids: Vec<Uuid>) -> ashore::Result<Vec<Ticket>> {
///     assert_eq!(scope.tenant(), Some(&Value::from("acme".to_string())));
///     let ids = match (scope.authorize(), scope.actor()) {
///         (false, _) => ids,
///         (true, Some(actor)) => ids
///             .into_iter()
///             .filter(|&id| actor.attribute("id") == Some(Value::from(id)))
///             .collect(),
///         (true, None) => Vec::new(),
///     };
///     // Reads in `scope`: same domain, actor, authorize flag and tenant.
///     Ticket::query()
///         .filter(expr!(representative_id in ^ids))
///         .sort(Ticket::priority().desc())
///         .read(scope)
///         .await
/// }
///
/// // In this example, `Representative` declares `has_many visible: Ticket { manual Visible; }`.
/// struct Visible;
///
/// impl ManualRelationship for Visible {
///     type Source = Representative;
///     type Destination = Ticket;
///
///     async fn load(
///         &self,
///         reps: &[Representative],
///         ctx: &LoadContext<'_, Ticket>,
///     ) -> ashore::Result<Related<Representative, Ticket>> {
///         let ids = reps.iter().map(|r| r.id).collect();
///         let tickets = visible_tickets(ctx.read_scope(), ids).await?;
///         Ok(Related::group_by(tickets, |t| t.representative_id))
///     }
/// }
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let alice = representative(&support, "Alice").await?;
/// let reps = support
///     .read(
///         Representative::query()
///             .sort(Representative::name())
///             .load(Representative::visible()),
///     )
///     .actor(&alice)
///     .authorize(true)
///     .tenant("acme".to_string())
///     .await?;
/// assert_eq!(
///     subjects(reps[0].visible.get()?),
///     ["Printer on fire", "VPN down", "Coffee machine empty"]
/// );
/// assert!(reps[1].visible.get()?.is_empty());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Scope {
    pub(crate) domain: Domain,
    pub(crate) actor: Option<Arc<dyn Actor>>,
    pub(crate) authorize: bool,
    pub(crate) tenant: Option<Value>,
}

impl fmt::Debug for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope")
            .field("actor", &self.actor.is_some())
            .field("authorize", &self.authorize)
            .field("tenant", &self.tenant)
            .finish()
    }
}

impl Scope {
    fn new(domain: Domain) -> Self {
        Scope {
            domain,
            actor: None,
            authorize: false,
            tenant: None,
        }
    }

    /// The domain.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk! { has_many checked: Ticket { manual Check; } }
    /// // In this example, `Representative` declares `has_many checked: Ticket { manual Check; }`.
    /// struct Check;
    ///
    /// impl ManualRelationship for Check {
    ///     type Source = Representative;
    ///     type Destination = Ticket;
    ///
    ///     async fn load(
    ///         &self,
    ///         _: &[Representative],
    ///         ctx: &LoadContext<'_, Ticket>,
    ///     ) -> ashore::Result<Related<Representative, Ticket>> {
    ///         let scope: &Scope = ctx.read_scope();
    ///         let names: Vec<&str> = scope.domain().schemas().map(|s| s.name).collect();
    ///         assert_eq!(names.len(), 2);
    ///         Ok(Related::empty())
    ///     }
    /// }
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// support
    ///     .read(Representative::query().load(Representative::checked()))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn domain(&self) -> &Domain {
        &self.domain
    }

    /// The actor, as given to the read.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk! { has_many checked: Ticket { manual Check; } }
    /// // In this example, `Representative` declares `has_many checked: Ticket { manual Check; }`.
    /// struct Check;
    ///
    /// impl ManualRelationship for Check {
    ///     type Source = Representative;
    ///     type Destination = Ticket;
    ///
    ///     async fn load(
    ///         &self,
    ///         _: &[Representative],
    ///         ctx: &LoadContext<'_, Ticket>,
    ///     ) -> ashore::Result<Related<Representative, Ticket>> {
    ///         let scope: &Scope = ctx.read_scope();
    ///         let name = scope.actor().and_then(|a| a.attribute("name"));
    ///         assert_eq!(name, Some(Value::from("Alice".to_string())));
    ///         Ok(Related::empty())
    ///     }
    /// }
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let alice = representative(&support, "Alice").await?;
    /// support
    ///     .read(Representative::query().load(Representative::checked()))
    ///     .actor(&alice)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn actor(&self) -> Option<&dyn Actor> {
        self.actor.as_deref()
    }

    /// The authorize flag, as given to the read (`false` unless set).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk! { has_many checked: Ticket { manual Check; } }
    /// // In this example, `Representative` declares `has_many checked: Ticket { manual Check; }`.
    /// struct Check;
    ///
    /// impl ManualRelationship for Check {
    ///     type Source = Representative;
    ///     type Destination = Ticket;
    ///
    ///     async fn load(
    ///         &self,
    ///         _: &[Representative],
    ///         ctx: &LoadContext<'_, Ticket>,
    ///     ) -> ashore::Result<Related<Representative, Ticket>> {
    ///         let scope: &Scope = ctx.read_scope();
    ///         assert!(scope.authorize());
    ///         Ok(Related::empty())
    ///     }
    /// }
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// support
    ///     .read(Representative::query().load(Representative::checked()))
    ///     .authorize(true)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn authorize(&self) -> bool {
        self.authorize
    }

    /// The tenant, as given to the read.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk! { has_many checked: Ticket { manual Check; } }
    /// // In this example, `Representative` declares `has_many checked: Ticket { manual Check; }`.
    /// struct Check;
    ///
    /// impl ManualRelationship for Check {
    ///     type Source = Representative;
    ///     type Destination = Ticket;
    ///
    ///     async fn load(
    ///         &self,
    ///         _: &[Representative],
    ///         ctx: &LoadContext<'_, Ticket>,
    ///     ) -> ashore::Result<Related<Representative, Ticket>> {
    ///         let scope: &Scope = ctx.read_scope();
    ///         assert_eq!(scope.tenant(), Some(&Value::Int(42)));
    ///         Ok(Related::empty())
    ///     }
    /// }
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// support
    ///     .read(Representative::query().load(Representative::checked()))
    ///     .tenant(42_i64)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn tenant(&self) -> Option<&Value> {
        self.tenant.as_ref()
    }

    /// Reads `query` and runs its loads, in this scope. Same as
    /// [`Query::read`] with the scope.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk! { has_many checked: Ticket { manual Check; } }
    /// // In this example, `Representative` declares `has_many checked: Ticket { manual Check; }`.
    /// struct Check;
    ///
    /// impl ManualRelationship for Check {
    ///     type Source = Representative;
    ///     type Destination = Ticket;
    ///
    ///     async fn load(
    ///         &self,
    ///         _: &[Representative],
    ///         ctx: &LoadContext<'_, Ticket>,
    ///     ) -> ashore::Result<Related<Representative, Ticket>> {
    ///         let scope: &Scope = ctx.read_scope();
    ///         let urgent = scope
    ///             .read(Ticket::query().filter(expr!(priority > 4)))
    ///             .await?;
    ///         assert_eq!(
    ///             subjects(&urgent),
    ///             ["Printer on fire", "Server room flooded"]
    ///         );
    ///         Ok(Related::empty())
    ///     }
    /// }
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// support
    ///     .read(Representative::query().load(Representative::checked()))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn read<R: Resource>(&self, query: Query<R>) -> Result<Vec<R>> {
        self.domain.check::<R>()?;
        let schema = R::schema();
        let mut request = ReadRequest::new(schema);
        request.filter = query.get_filter().cloned();
        request.sort = query.get_sort().to_vec();
        request.limit = query.get_limit();
        request.offset = query.get_offset();
        tracing::debug!(resource = schema.name, filter = ?request.filter.as_ref().map(ToString::to_string), "read");
        let result = self
            .domain
            .inner
            .layer
            .read(request)
            .await
            .map_err(|e| e.in_resource(schema.name))?;
        let mut records = result.records.into_vec::<R>()?;
        self.run_loads(&query.loads, &mut records).await?;
        Ok(records)
    }

    pub(crate) async fn run_loads<R: Resource>(
        &self,
        loads: &[Arc<dyn Load<R>>],
        records: &mut [R],
    ) -> Result<()> {
        for load in loads {
            load.run(records, self).await?;
        }
        Ok(())
    }
}

/// Something that carries a [`Scope`]: a `LoadContext`, or a scope itself.
/// [`Query::read`] takes either, so helpers can be written once for both.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk! { has_many checked: Ticket { manual Check; } }
/// /// The most urgent ticket, read as the caller of `scope` reads.
/// async fn most_urgent(scope: &impl ReadScope) -> ashore::Result<Option<Ticket>> {
///     let mut top = Ticket::query()
///         .sort(Ticket::priority().desc_nils_last())
///         .limit(1)
///         .read(scope)
///         .await?;
///     Ok(top.pop())
/// }
///
/// // In this example, `Representative` declares `has_many checked: Ticket { manual Check; }`.
/// struct Check;
///
/// impl ManualRelationship for Check {
///     type Source = Representative;
///     type Destination = Ticket;
///
///     async fn load(
///         &self,
///         _: &[Representative],
///         ctx: &LoadContext<'_, Ticket>,
///     ) -> ashore::Result<Related<Representative, Ticket>> {
///         // A `LoadContext` and the `Scope` it carries both work.
///         let from_ctx = most_urgent(ctx).await?;
///         let from_scope = most_urgent(ctx.read_scope()).await?;
///         assert_eq!(from_ctx.unwrap().subject, "Server room flooded");
///         assert_eq!(from_scope.unwrap().subject, "Server room flooded");
///         Ok(Related::empty())
///     }
/// }
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// support
///     .read(Representative::query().load(Representative::checked()))
///     .await?;
/// # Ok(()) }
/// ```
pub trait ReadScope {
    /// The scope.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk! { has_many checked: Ticket { manual Check; } }
    /// // In this example, `Representative` declares `has_many checked: Ticket { manual Check; }`.
    /// struct Check;
    ///
    /// impl ManualRelationship for Check {
    ///     type Source = Representative;
    ///     type Destination = Ticket;
    ///
    ///     async fn load(
    ///         &self,
    ///         _: &[Representative],
    ///         ctx: &LoadContext<'_, Ticket>,
    ///     ) -> ashore::Result<Related<Representative, Ticket>> {
    ///         let scope: &Scope = ctx.read_scope();
    ///         assert_eq!(scope.domain().data_layer().name(), "memory");
    ///         Ok(Related::empty())
    ///     }
    /// }
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// support
    ///     .read(Representative::query().load(Representative::checked()))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn read_scope(&self) -> &Scope;
}

impl ReadScope for Scope {
    fn read_scope(&self) -> &Scope {
        self
    }
}

macro_rules! scope_setters {
    (
        $(#[$actor:meta])* actor;
        $(#[$authorize:meta])* authorize;
        $(#[$tenant:meta])* tenant;
    ) => {
        $(#[$actor])*
        pub fn actor<A: Actor + Clone>(mut self, actor: &A) -> Self {
            self.scope.actor = Some(Arc::new(actor.clone()));
            self
        }

        $(#[$authorize])*
        pub fn authorize(mut self, authorize: bool) -> Self {
            self.scope.authorize = authorize;
            self
        }

        $(#[$tenant])*
        pub fn tenant(mut self, tenant: impl Into<Value>) -> Self {
            self.scope.tenant = Some(tenant.into());
            self
        }
    };
}

/// A pending read, from [`Domain::read`]; `.await` it for the records.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let pending: Read<Ticket> = support.read(Ticket::query().sort(Ticket::subject()));
/// let tickets = pending.await?;
/// assert_eq!(tickets.len(), 6);
/// assert_eq!(tickets[0].subject, "Coffee machine empty");
/// # Ok(()) }
/// ```
#[must_use = "a read does nothing until awaited"]
pub struct Read<R: Resource> {
    scope: Scope,
    query: Query<R>,
}

impl<R: Resource> Read<R> {
    scope_setters! {
        /// Runs as this actor: any resource, or a type implementing [`Actor`]. Manual
        /// loaders see it as [`LoadContext::actor`](crate::LoadContext::actor).
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk! { has_many my_tickets: Ticket { manual MyTickets; } }
        /// // In this example, `Representative` declares
        /// // `has_many my_tickets: Ticket { manual MyTickets; }`.
        /// /// Each representative's tickets; with `authorize(true)`, only to the
        /// /// representative who is the actor.
        /// struct MyTickets;
        ///
        /// impl ManualRelationship for MyTickets {
        ///     type Source = Representative;
        ///     type Destination = Ticket;
        ///
        ///     async fn load(
        ///         &self,
        ///         reps: &[Representative],
        ///         ctx: &LoadContext<'_, Ticket>,
        ///     ) -> ashore::Result<Related<Representative, Ticket>> {
        ///         let me = ctx.actor.and_then(|a| a.attribute("id"));
        ///         let ids: Vec<Uuid> = reps
        ///             .iter()
        ///             .map(|r| r.id)
        ///             .filter(|&id| !ctx.authorize || me == Some(Value::from(id)))
        ///             .collect();
        ///         let tickets = ctx
        ///             .query
        ///             .clone()
        ///             .filter(expr!(representative_id in ^ids))
        ///             .read(ctx)
        ///             .await?;
        ///         Ok(Related::group_by(tickets, |t| t.representative_id))
        ///     }
        /// }
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let alice = representative(&support, "Alice").await?;
        /// let reps = support
        ///     .read(
        ///         Representative::query()
        ///             .sort(Representative::name())
        ///             .load(Representative::my_tickets()),
        ///     )
        ///     .actor(&alice)
        ///     .authorize(true)
        ///     .await?;
        /// // With policies on, Alice sees her own tickets only.
        /// assert_eq!(reps[0].my_tickets.get()?.len(), 3);
        /// assert!(reps[1].my_tickets.get()?.is_empty());
        /// # Ok(()) }
        /// ```
        actor;
        /// Whether policies apply (Ash's `authorize?`); `false` unless set. Manual loaders
        /// see it as [`LoadContext::authorize`](crate::LoadContext::authorize).
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk!();
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// // `my_tickets` gives a representative's tickets only to that representative
        /// // as the actor, when policies apply.
        /// let reps = support
        ///     .read(
        ///         Representative::query()
        ///             .sort(Representative::name())
        ///             .load(Representative::my_tickets()),
        ///     )
        ///     .authorize(false)
        ///     .await?;
        /// assert_eq!(reps[0].my_tickets.get()?.len(), 3);
        /// assert_eq!(reps[1].my_tickets.get()?.len(), 2);
        ///
        /// let reps = support
        ///     .read(
        ///         Representative::query()
        ///             .sort(Representative::name())
        ///             .load(Representative::my_tickets()),
        ///     )
        ///     .authorize(true)
        ///     .await?;
        /// assert!(reps[0].my_tickets.get()?.is_empty());
        /// assert!(reps[1].my_tickets.get()?.is_empty());
        /// # Ok(()) }
        /// ```
        authorize;
        /// The tenant. Manual loaders see it as
        /// [`LoadContext::tenant`](crate::LoadContext::tenant).
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk! { has_many per_tenant: Ticket { manual PerTenant; } }
        /// // In this example, `Representative` declares
        /// // `has_many per_tenant: Ticket { manual PerTenant; }`.
        /// /// Refuses to load without a tenant.
        /// struct PerTenant;
        ///
        /// impl ManualRelationship for PerTenant {
        ///     type Source = Representative;
        ///     type Destination = Ticket;
        ///
        ///     async fn load(
        ///         &self,
        ///         _: &[Representative],
        ///         ctx: &LoadContext<'_, Ticket>,
        ///     ) -> ashore::Result<Related<Representative, Ticket>> {
        ///         match ctx.tenant {
        ///             Some(tenant) => {
        ///                 assert_eq!(tenant, &Value::from("acme".to_string()));
        ///                 Ok(Related::empty())
        ///             }
        ///             None => Err(Error::loader("per_tenant needs a tenant")),
        ///         }
        ///     }
        /// }
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let err = support
        ///     .read(Representative::query().load(Representative::per_tenant()))
        ///     .await
        ///     .unwrap_err();
        /// assert_eq!(
        ///     err.to_string(),
        ///     "Representative.per_tenant: per_tenant needs a tenant"
        /// );
        ///
        /// support
        ///     .read(Representative::query().load(Representative::per_tenant()))
        ///     .tenant("acme".to_string())
        ///     .await?;
        /// # Ok(()) }
        /// ```
        tenant;
    }
}

impl<R: Resource> IntoFuture for Read<R> {
    type Output = Result<Vec<R>>;
    type IntoFuture = BoxFuture<'static, Result<Vec<R>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.scope.read(self.query).await })
    }
}

/// A pending create of one record, from [`Domain::create`]; `.await` it for the
/// record.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let pending: Create<Ticket> =
///     support.create(Ticket::changeset().set(Ticket::subject(), "Toner low"));
/// let ticket = pending.await?;
/// assert_eq!(ticket.priority, None);
/// assert_eq!(
///     support
///         .read(Ticket::query().filter(expr!(subject == "Toner low")))
///         .await?,
///     [ticket]
/// );
/// # Ok(()) }
/// ```
#[must_use = "a create does nothing until awaited"]
pub struct Create<R: Resource> {
    scope: Scope,
    changeset: Changeset<R>,
}

/// A pending create of many records, from [`Domain::create_many`]; `.await` it
/// for the records. All or nothing: on the in-memory layer, a batch with a
/// duplicate primary key creates no record and is an [`ErrorKind::Constraint`].
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let alice = representative(&support, "Alice").await?;
/// let twice = Representative::changeset()
///     .set(Representative::id(), alice.id)
///     .set(Representative::name(), "Carol")
///     .set(Representative::priority_threshold(), 1);
/// let dave = Representative::changeset()
///     .set(Representative::name(), "Dave")
///     .set(Representative::priority_threshold(), 2);
/// let pending: CreateMany<Representative> = support.create_many([dave, twice]);
/// let err = pending.await.unwrap_err();
/// assert!(matches!(
///     err.kind(),
///     ErrorKind::Constraint {
///         constraint: Constraint::Unique,
///         attribute: Some("id"),
///         ..
///     }
/// ));
/// assert_eq!(support.read(Representative::query()).await?.len(), 2);
/// # Ok(()) }
/// ```
#[must_use = "a create does nothing until awaited"]
pub struct CreateMany<R: Resource> {
    scope: Scope,
    changesets: Vec<Changeset<R>>,
}

impl<R: Resource> Create<R> {
    scope_setters! {
        /// Creates as this actor: any resource, or a type implementing [`Actor`].
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`] is not given it.
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk!();
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let alice = representative(&support, "Alice").await?;
        /// let created = support
        ///     .create(Ticket::changeset().set(Ticket::subject(), "Toner low"))
        ///     .actor(&alice)
        ///     .await?;
        /// assert_eq!(created.subject, "Toner low");
        /// # Ok(()) }
        /// ```
        actor;
        /// Whether policies apply (Ash's `authorize?`); `false` unless set.
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`] is not given it.
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk!();
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let created = support
        ///     .create(Ticket::changeset().set(Ticket::subject(), "Toner low"))
        ///     .authorize(true)
        ///     .await?;
        /// assert_eq!(created.subject, "Toner low");
        /// # Ok(()) }
        /// ```
        authorize;
        /// The tenant.
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`] is not given it.
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk!();
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let created = support
        ///     .create(Ticket::changeset().set(Ticket::subject(), "Toner low"))
        ///     .tenant("acme".to_string())
        ///     .await?;
        /// assert_eq!(created.subject, "Toner low");
        /// # Ok(()) }
        /// ```
        tenant;
    }
}

impl<R: Resource> CreateMany<R> {
    scope_setters! {
        /// Creates as this actor: any resource, or a type implementing [`Actor`].
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`] is not given it.
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk!();
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let alice = representative(&support, "Alice").await?;
        /// let created = support
        ///     .create_many([Ticket::changeset().set(Ticket::subject(), "Toner low")])
        ///     .actor(&alice)
        ///     .await?;
        /// assert_eq!(created.len(), 1);
        /// # Ok(()) }
        /// ```
        actor;
        /// Whether policies apply (Ash's `authorize?`); `false` unless set.
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`] is not given it.
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk!();
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let created = support
        ///     .create_many([Ticket::changeset().set(Ticket::subject(), "Toner low")])
        ///     .authorize(true)
        ///     .await?;
        /// assert_eq!(created.len(), 1);
        /// # Ok(()) }
        /// ```
        authorize;
        /// The tenant.
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`] is not given it.
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk!();
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let created = support
        ///     .create_many([Ticket::changeset().set(Ticket::subject(), "Toner low")])
        ///     .tenant("acme".to_string())
        ///     .await?;
        /// assert_eq!(created.len(), 1);
        /// # Ok(()) }
        /// ```
        tenant;
    }
}

async fn create<R: Resource>(scope: Scope, changesets: Vec<Changeset<R>>) -> Result<Vec<R>> {
    scope.domain.check::<R>()?;
    let schema = R::schema();
    let rows = changesets
        .into_iter()
        .map(Changeset::into_row)
        .collect::<Result<Vec<_>>>()?;
    tracing::debug!(resource = schema.name, count = rows.len(), "create");
    let created = scope.domain.inner.layer.create(schema, rows).await;
    created
        .map_err(|e| e.in_resource(schema.name))?
        .into_vec::<R>()
}

impl<R: Resource> IntoFuture for Create<R> {
    type Output = Result<R>;
    type IntoFuture = BoxFuture<'static, Result<R>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let created = create(self.scope, vec![self.changeset]).await?;
            created.into_iter().next().ok_or_else(|| {
                Error::new(ErrorKind::DataLayer {
                    message: "the data layer created no record".into(),
                    source: None,
                })
                .in_resource(R::schema().name)
            })
        })
    }
}

impl<R: Resource> IntoFuture for CreateMany<R> {
    type Output = Result<Vec<R>>;
    type IntoFuture = BoxFuture<'static, Result<Vec<R>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(create(self.scope, self.changesets))
    }
}

/// Pending loads onto records in hand, from [`Domain::load`]; `.await` it.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let mut tickets = support
///     .read(Ticket::query().filter(expr!(priority > 4)))
///     .await?;
/// let pending: LoadOnto<'_, Ticket> = support.load(&mut tickets, Ticket::representative());
/// pending.await?;
/// let owners: Vec<&str> = tickets
///     .iter()
///     .map(|t| {
///         t.representative
///             .get()
///             .map(|r| r.as_ref().map_or("nobody", |r| r.name.as_str()))
///     })
///     .collect::<ashore::Result<_>>()?;
/// assert_eq!(owners, ["Alice", "Bob"]);
/// # Ok(()) }
/// ```
#[must_use = "a load does nothing until awaited"]
pub struct LoadOnto<'r, R: Resource> {
    scope: Scope,
    records: &'r mut [R],
    loads: Vec<Arc<dyn Load<R>>>,
}

impl<'r, R: Resource> LoadOnto<'r, R> {
    scope_setters! {
        /// Runs as this actor: any resource, or a type implementing [`Actor`]. Manual
        /// loaders see it as [`LoadContext::actor`](crate::LoadContext::actor).
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk! { has_many my_tickets: Ticket { manual MyTickets; } }
        /// // In this example, `Representative` declares
        /// // `has_many my_tickets: Ticket { manual MyTickets; }`.
        /// /// Each representative's tickets; with `authorize(true)`, only to the
        /// /// representative who is the actor.
        /// struct MyTickets;
        ///
        /// impl ManualRelationship for MyTickets {
        ///     type Source = Representative;
        ///     type Destination = Ticket;
        ///
        ///     async fn load(
        ///         &self,
        ///         reps: &[Representative],
        ///         ctx: &LoadContext<'_, Ticket>,
        ///     ) -> ashore::Result<Related<Representative, Ticket>> {
        ///         let me = ctx.actor.and_then(|a| a.attribute("id"));
        ///         let ids: Vec<Uuid> = reps
        ///             .iter()
        ///             .map(|r| r.id)
        ///             .filter(|&id| !ctx.authorize || me == Some(Value::from(id)))
        ///             .collect();
        ///         let tickets = ctx
        ///             .query
        ///             .clone()
        ///             .filter(expr!(representative_id in ^ids))
        ///             .read(ctx)
        ///             .await?;
        ///         Ok(Related::group_by(tickets, |t| t.representative_id))
        ///     }
        /// }
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let alice = representative(&support, "Alice").await?;
        /// let mut reps = support
        ///     .read(Representative::query().sort(Representative::name()))
        ///     .await?;
        /// support
        ///     .load(&mut reps, Representative::my_tickets())
        ///     .actor(&alice)
        ///     .authorize(true)
        ///     .await?;
        /// // With policies on, Alice sees her own tickets only.
        /// assert_eq!(reps[0].my_tickets.get()?.len(), 3);
        /// assert!(reps[1].my_tickets.get()?.is_empty());
        /// # Ok(()) }
        /// ```
        actor;
        /// Whether policies apply (Ash's `authorize?`); `false` unless set. Manual loaders
        /// see it as [`LoadContext::authorize`](crate::LoadContext::authorize).
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk!();
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// // `my_tickets` gives a representative's tickets only to that representative
        /// // as the actor, when policies apply.
        /// let mut reps = support
        ///     .read(Representative::query().sort(Representative::name()))
        ///     .await?;
        /// support
        ///     .load(&mut reps, Representative::my_tickets())
        ///     .authorize(false)
        ///     .await?;
        /// assert_eq!(reps[0].my_tickets.get()?.len(), 3);
        /// assert_eq!(reps[1].my_tickets.get()?.len(), 2);
        ///
        /// let mut reps = support
        ///     .read(Representative::query().sort(Representative::name()))
        ///     .await?;
        /// support
        ///     .load(&mut reps, Representative::my_tickets())
        ///     .authorize(true)
        ///     .await?;
        /// assert!(reps[0].my_tickets.get()?.is_empty());
        /// assert!(reps[1].my_tickets.get()?.is_empty());
        /// # Ok(()) }
        /// ```
        authorize;
        /// The tenant. Manual loaders see it as
        /// [`LoadContext::tenant`](crate::LoadContext::tenant).
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk! { has_many per_tenant: Ticket { manual PerTenant; } }
        /// // In this example, `Representative` declares
        /// // `has_many per_tenant: Ticket { manual PerTenant; }`.
        /// /// Refuses to load without a tenant.
        /// struct PerTenant;
        ///
        /// impl ManualRelationship for PerTenant {
        ///     type Source = Representative;
        ///     type Destination = Ticket;
        ///
        ///     async fn load(
        ///         &self,
        ///         _: &[Representative],
        ///         ctx: &LoadContext<'_, Ticket>,
        ///     ) -> ashore::Result<Related<Representative, Ticket>> {
        ///         match ctx.tenant {
        ///             Some(tenant) => {
        ///                 assert_eq!(tenant, &Value::from("acme".to_string()));
        ///                 Ok(Related::empty())
        ///             }
        ///             None => Err(Error::loader("per_tenant needs a tenant")),
        ///         }
        ///     }
        /// }
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let mut reps = support.read(Representative::query()).await?;
        /// let err = support
        ///     .load(&mut reps, Representative::per_tenant())
        ///     .await
        ///     .unwrap_err();
        /// assert_eq!(
        ///     err.to_string(),
        ///     "Representative.per_tenant: per_tenant needs a tenant"
        /// );
        ///
        /// support
        ///     .load(&mut reps, Representative::per_tenant())
        ///     .tenant("acme".to_string())
        ///     .await?;
        /// # Ok(()) }
        /// ```
        tenant;
    }

    /// Loads another relationship too; loads run in the order given.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let mut reps = support
    ///     .read(Representative::query().sort(Representative::name()))
    ///     .await?;
    /// support
    ///     .load(&mut reps, Representative::tickets())
    ///     .load(Representative::tickets_above_threshold())
    ///     .await?;
    /// assert_eq!(reps[0].tickets.get()?.len(), 3);
    /// assert_eq!(
    ///     subjects(reps[0].tickets_above_threshold.get()?),
    ///     ["Printer on fire", "VPN down"]
    /// );
    /// # Ok(()) }
    /// ```
    pub fn load(mut self, load: impl Load<R>) -> Self {
        self.loads.push(Arc::new(load));
        self
    }
}

impl<'r, R: Resource> IntoFuture for LoadOnto<'r, R> {
    type Output = Result<()>;
    type IntoFuture = BoxFuture<'r, Result<()>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            self.scope.domain.check::<R>()?;
            self.scope.run_loads(&self.loads, self.records).await
        })
    }
}
