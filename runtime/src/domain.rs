//! `Domain`: the registry of resources and their data layer, built with
//! [`DomainBuilder`], and the [`Scope`] every request runs in. The context
//! layer: plain data that the engine reads. The entry points users call on a
//! domain (`read`, `create`, `create_many`, `load`) are the verbs' (`verbs/`).

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::data_layer::DataLayer;
use crate::data_layer::memory::Memory;
use crate::error::{Error, ErrorKind, Result};
use crate::resource::{Resource, Schema, relationship_filter_cycle};

mod guarded;
mod scope;
mod scoped;

pub(crate) use guarded::{Armed, Doom};

pub use scope::{ReadScope, Scope};
pub(crate) use scoped::Defaults;
pub use scoped::Scoped;

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
    pub(crate) inner: Arc<Inner>,
    /// The actor, authorize flag and tenant every request starts from
    /// ([`Domain::scoped`]); none (no actor, authorized, no tenant) unless set.
    pub(crate) defaults: Option<Arc<Defaults>>,
}

/// Values of any type the domain holds for manual loaders, by type.
type State = HashMap<TypeId, Arc<dyn Any + Send + Sync>>;

pub(crate) struct Inner {
    pub(crate) layer: Arc<dyn DataLayer>,
    /// Shared by the domains of its transactions.
    registry: Arc<Registry>,
    /// When `layer` is a transaction's (in the domain `Domain::transaction`
    /// hands its block, and in those the verbs of several writes run on
    /// inside it): `layer` itself, guarded, which knows what its verbs left
    /// of the transaction.
    transaction: Option<Arc<guarded::Guarded>>,
}

/// What a domain and the domains of its transactions share: the resources
/// and the loaders' state.
struct Registry {
    schemas: HashMap<&'static str, &'static Schema>,
    state: State,
}

impl fmt::Debug for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<_> = self.inner.registry.schemas.keys().collect();
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
    state: State,
}

impl DomainBuilder {
    /// The data layer every resource lives in.
    ///
    /// A domain built without one uses a fresh [`Memory`]. Clones
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

    /// Shared state for manual loaders (an HTTP client, a cache, settings): one
    /// value per type, reached with [`Domain::state`] or
    /// [`LoadContext::state`](crate::LoadContext::state). A second value of
    /// the same type replaces the first.
    ///
    /// ```
    /// # extern crate ashore_runtime as ashore;
    /// use ashore::Domain;
    ///
    /// struct Settings {
    ///     threshold: i64,
    /// }
    ///
    /// let support = Domain::builder().state(Settings { threshold: 3 }).build()?;
    /// assert_eq!(support.state::<Settings>().map(|s| s.threshold), Some(3));
    /// assert!(support.state::<String>().is_none());
    /// # Ok::<(), ashore::Error>(())
    /// ```
    pub fn state<T: Send + Sync + 'static>(mut self, value: T) -> Self {
        self.state.insert(TypeId::of::<T>(), Arc::new(value));
        self
    }

    /// Checks that every relationship leads to a registered resource and registers
    /// the resources with the data layer (the in-memory layer by default).
    ///
    /// A relationship to a resource left out is an [`ErrorKind::NotRegistered`]
    /// naming the relationship: its path is the resource and the relationship
    /// (`["Representative", "tickets"]` when `Ticket` is left out). One that is
    /// not manual and leads to (or through) a resource that is not stored is an
    /// [`ErrorKind::NotStored`] naming the relationship the same way. Resources
    /// that are not stored are not registered with the data layer.
    /// Relationships whose `filter` options go through each other (so that
    /// following one would follow the others without end) are an
    /// [`ErrorKind::InvalidQuery`] naming them in turn.
    pub fn build(self) -> Result<Domain> {
        let layer = self.layer.unwrap_or_else(|| Arc::new(Memory::new()));
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
                    let kind = if !schemas.contains_key(n.name) {
                        ErrorKind::NotRegistered { resource: n.name }
                    } else if !n.stored && !rel.manual {
                        ErrorKind::NotStored { resource: n.name }
                    } else {
                        continue;
                    };
                    return Err(Error::new(kind).in_relationship(s.name, rel.name));
                }
            }
        }
        if let Some(cycle) = relationship_filter_cycle(&self.schemas) {
            let (resource, relationship) = cycle[0];
            let turns: Vec<String> = cycle.iter().map(|(s, r)| format!("{s}.{r}")).collect();
            return Err(Error::new(ErrorKind::InvalidQuery {
                resource,
                message: format!(
                    "relationship filters go through each other without end: {}; \
                     a relationship's `filter` cannot go back through it",
                    turns.join(" → ")
                ),
            })
            .in_relationship(resource, relationship));
        }
        for s in &self.schemas {
            if s.stored {
                layer.register(s)?;
            }
        }
        Ok(Domain {
            inner: Arc::new(Inner {
                layer,
                registry: Arc::new(Registry {
                    schemas,
                    state: self.state,
                }),
                transaction: None,
            }),
            defaults: None,
        })
    }
}

impl Domain {
    /// The same domain over `layer` (a transaction's), guarded with `doom`,
    /// with the same resources, state and defaults.
    pub(crate) fn with_layer(&self, layer: Arc<dyn DataLayer>, doom: Doom) -> Domain {
        let guarded = Arc::new(guarded::Guarded { inner: layer, doom });
        Domain {
            inner: Arc::new(Inner {
                layer: guarded.clone(),
                registry: self.inner.registry.clone(),
                transaction: Some(guarded),
            }),
            defaults: self.defaults.clone(),
        }
    }

    /// In a transaction's domain, the same domain for a verb of several
    /// writes starting in it: over the same transaction, guarded with the
    /// verb's `doom` ([`Armed::doom`]), so that the writes made through it
    /// count for that verb. (Outside a transaction, the domain's layer
    /// guarded with `doom`.)
    pub(crate) fn with_doom(&self, doom: Doom) -> Domain {
        let layer = match &self.inner.transaction {
            Some(guarded) => guarded.inner.clone(),
            None => self.inner.layer.clone(),
        };
        self.with_layer(layer, doom)
    }

    /// The value of type `T` given to [`DomainBuilder::state`], if any.
    pub fn state<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.inner
            .registry
            .state
            .get(&TypeId::of::<T>())
            .and_then(|value| value.downcast_ref::<T>())
    }

    /// In a transaction's domain (what it runs is inside that transaction
    /// already), what its verbs left of the transaction, and in a verb's
    /// ([`Domain::with_doom`]) that verb's writes; `None` outside one.
    pub(crate) fn doom(&self) -> Option<&Doom> {
        self.inner.transaction.as_ref().map(|guarded| &guarded.doom)
    }

    /// Starts building a domain.
    pub fn builder() -> DomainBuilder {
        DomainBuilder::default()
    }

    /// The data layer, for reads below queries (see
    /// [`ReadRequest`](crate::data_layer::ReadRequest)). In the domain a
    /// [`transaction`](Domain::transaction) block is given, it is the layer
    /// of that transaction, wrapped so that it refuses every call once the
    /// transaction is aborted; [`data_layer_as`](Domain::data_layer_as) finds
    /// the layer's own type through the wrapper.
    pub fn data_layer(&self) -> &Arc<dyn DataLayer> {
        &self.inner.layer
    }

    /// The data layer as its concrete type, when it is a `T`: how a manual loader
    /// reaches a SQL layer to run raw SQL.
    pub fn data_layer_as<T: DataLayer>(&self) -> Option<&T> {
        // Through the trait object: `Arc<dyn DataLayer>` is itself `Any`; a
        // transaction's layer is the data layer's, guarded.
        let layer: &dyn DataLayer = match &self.inner.transaction {
            Some(guarded) => &*guarded.inner,
            None => &*self.inner.layer,
        };
        crate::data_layer::AsAny::as_any(layer).downcast_ref::<T>()
    }

    /// Creates the tables, keys and indexes the resources need in the data layer,
    /// where they are missing. Idempotent. The in-memory layer needs nothing;
    /// resources that are not stored get nothing.
    ///
    /// A table that exists already is compared with its resource first: the
    /// SQL layers add the columns of optional attributes it lacks (and
    /// PostgreSQL's hidden sequence column); any other difference (a missing
    /// required column, another type, a `NOT NULL` the resource would break)
    /// is an [`ErrorKind::SchemaDrift`] naming table, column, expected and
    /// found, and nothing is changed.
    pub async fn migrate(&self) -> Result<()> {
        self.inner.layer.migrate(self.stored_schemas()).await
    }

    /// The statements [`migrate`](Self::migrate) would run now, without
    /// running them: to review, or to hand to a migration tool. Empty once the
    /// database has everything (an index or foreign key is looked up by its
    /// name). The same [`ErrorKind::SchemaDrift`] as `migrate` when a table
    /// cannot be mended.
    pub async fn migration_plan(&self) -> Result<Vec<String>> {
        self.inner.layer.migration_plan(self.stored_schemas()).await
    }

    /// The stored resources' schemas, by name.
    fn stored_schemas(&self) -> Vec<&'static Schema> {
        let mut schemas: Vec<&'static Schema> = self
            .inner
            .registry
            .schemas
            .values()
            .copied()
            .filter(|s| s.stored)
            .collect();
        schemas.sort_by_key(|s| s.name);
        schemas
    }

    /// The schemas of the registered resources, in no particular order.
    pub fn schemas(&self) -> impl Iterator<Item = &'static Schema> + '_ {
        self.inner.registry.schemas.values().copied()
    }

    /// [`Domain::check`], and that `R` is stored: what a read or create of it
    /// needs.
    pub(crate) fn check_stored<R: Resource>(&self) -> Result<()> {
        self.check::<R>()?;
        if R::schema().stored {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::NotStored {
                resource: R::schema().name,
            }))
        }
    }

    pub(crate) fn check<R: Resource>(&self) -> Result<()> {
        if self.inner.registry.schemas.contains_key(R::schema().name) {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::NotRegistered {
                resource: R::schema().name,
            }))
        }
    }
}
