//! `Domain`: the registry of resources and their data layer, and the entry point of
//! every read, create and load. Each call returns a builder that takes the actor,
//! the authorize flag and the tenant, and runs when awaited.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::changeset::Changeset;
use crate::data_layer::DataLayer;
use crate::error::{Error, ErrorKind, Result};
use crate::load::Load;
use crate::query::Query;
use crate::resource::{Resource, Schema};

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

mod create;
mod read;
mod scope;

pub use create::{Create, CreateMany};
pub use read::{LoadOnto, Read};
pub use scope::{ReadScope, Scope};

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
    /// records.
    pub fn data_layer(mut self, layer: impl DataLayer) -> Self {
        self.layer = Some(Arc::new(layer));
        self
    }

    /// The data layer, shared with other domains or code that keep the `Arc`.
    pub fn shared_data_layer(mut self, layer: Arc<dyn DataLayer>) -> Self {
        self.layer = Some(layer);
        self
    }

    /// Registers a resource. Reading, creating or loading a resource that was not
    /// registered is an [`ErrorKind::NotRegistered`].
    pub fn resource<R: Resource>(mut self) -> Self {
        self.schemas.push(R::schema());
        self
    }

    /// Checks that every relationship leads to a registered resource and registers
    /// the resources with the data layer (the in-memory layer by default).
    ///
    /// A relationship to a resource left out is an [`ErrorKind::NotRegistered`]
    /// naming the relationship: its path is the resource and the relationship
    /// (`["Representative", "tickets"]` when `Ticket` is left out).
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
    pub fn builder() -> DomainBuilder {
        DomainBuilder::default()
    }

    /// The data layer, for reads below queries (see
    /// [`ReadRequest`](crate::data_layer::ReadRequest)).
    pub fn data_layer(&self) -> &Arc<dyn DataLayer> {
        &self.inner.layer
    }

    /// The data layer as its concrete type, when it is a `T`: how a manual loader
    /// reaches a SQL layer to run raw SQL.
    pub fn data_layer_as<T: DataLayer>(&self) -> Option<&T> {
        // Through the trait object: `Arc<dyn DataLayer>` is itself `Any`.
        let layer: &dyn DataLayer = &*self.inner.layer;
        crate::data_layer::AsAny::as_any(layer).downcast_ref::<T>()
    }

    /// Creates the tables, keys and indexes the resources need in the data layer,
    /// where they are missing. Idempotent. The in-memory layer needs nothing.
    pub async fn migrate(&self) -> Result<()> {
        let mut schemas: Vec<&'static Schema> = self.inner.schemas.values().copied().collect();
        schemas.sort_by_key(|s| s.name);
        self.inner.layer.migrate(schemas).await
    }

    /// The schemas of the registered resources, in no particular order.
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
