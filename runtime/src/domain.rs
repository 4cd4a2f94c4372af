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
/// Cheap to clone; clones share everything.
///
/// ```ignore
/// let support = Domain::builder()
///     .data_layer(Memory::new())
///     .resource::<Representative>()
///     .resource::<Ticket>()
///     .build()?;
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

/// Builds a [`Domain`].
#[derive(Default)]
pub struct DomainBuilder {
    layer: Option<Arc<dyn DataLayer>>,
    schemas: Vec<&'static Schema>,
}

impl DomainBuilder {
    /// The data layer every resource lives in.
    pub fn data_layer(mut self, layer: impl DataLayer) -> Self {
        self.layer = Some(Arc::new(layer));
        self
    }

    /// The data layer, shared with other domains or code.
    pub fn shared_data_layer(mut self, layer: Arc<dyn DataLayer>) -> Self {
        self.layer = Some(layer);
        self
    }

    /// Registers a resource.
    pub fn resource<R: Resource>(mut self) -> Self {
        self.schemas.push(R::schema());
        self
    }

    /// Checks that every relationship leads to a registered resource and registers
    /// the resources with the data layer (the in-memory layer by default).
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

    /// The data layer.
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
    /// where they are missing. Idempotent.
    pub async fn migrate(&self) -> Result<()> {
        let mut schemas: Vec<&'static Schema> = self.inner.schemas.values().copied().collect();
        schemas.sort_by_key(|s| s.name);
        self.inner.layer.migrate(schemas).await
    }

    /// The schemas of the registered resources.
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
    pub fn read<R: Resource>(&self, query: Query<R>) -> Read<R> {
        Read {
            scope: Scope::new(self.clone()),
            query,
        }
    }

    /// Creates one record. Await the returned builder.
    pub fn create<R: Resource>(&self, changeset: Changeset<R>) -> Create<R> {
        Create {
            scope: Scope::new(self.clone()),
            changeset,
        }
    }

    /// Creates many records in one call to the data layer.
    pub fn create_many<R: Resource>(
        &self,
        changesets: impl IntoIterator<Item = Changeset<R>>,
    ) -> CreateMany<R> {
        CreateMany {
            scope: Scope::new(self.clone()),
            changesets: changesets.into_iter().collect(),
        }
    }

    /// Loads relationships onto records already in hand (Ash's `Ash.load`).
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
    pub fn domain(&self) -> &Domain {
        &self.domain
    }

    /// The actor.
    pub fn actor(&self) -> Option<&dyn Actor> {
        self.actor.as_deref()
    }

    /// The authorize flag.
    pub fn authorize(&self) -> bool {
        self.authorize
    }

    /// The tenant.
    pub fn tenant(&self) -> Option<&Value> {
        self.tenant.as_ref()
    }

    /// Reads `query` and runs its loads, in this scope.
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
pub trait ReadScope {
    /// The scope.
    fn read_scope(&self) -> &Scope;
}

impl ReadScope for Scope {
    fn read_scope(&self) -> &Scope {
        self
    }
}

macro_rules! scope_setters {
    () => {
        /// Reads as this actor: any resource, or a type implementing `Actor`.
        pub fn actor<A: Actor + Clone>(mut self, actor: &A) -> Self {
            self.scope.actor = Some(Arc::new(actor.clone()));
            self
        }

        /// Whether policies apply (Ash's `authorize?`).
        pub fn authorize(mut self, authorize: bool) -> Self {
            self.scope.authorize = authorize;
            self
        }

        /// The tenant.
        pub fn tenant(mut self, tenant: impl Into<Value>) -> Self {
            self.scope.tenant = Some(tenant.into());
            self
        }
    };
}

/// A pending read; `.await` it.
#[must_use = "a read does nothing until awaited"]
pub struct Read<R: Resource> {
    scope: Scope,
    query: Query<R>,
}

impl<R: Resource> Read<R> {
    scope_setters!();
}

impl<R: Resource> IntoFuture for Read<R> {
    type Output = Result<Vec<R>>;
    type IntoFuture = BoxFuture<'static, Result<Vec<R>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.scope.read(self.query).await })
    }
}

/// A pending create of one record; `.await` it for the record.
#[must_use = "a create does nothing until awaited"]
pub struct Create<R: Resource> {
    scope: Scope,
    changeset: Changeset<R>,
}

/// A pending create of many records; `.await` it for the records.
#[must_use = "a create does nothing until awaited"]
pub struct CreateMany<R: Resource> {
    scope: Scope,
    changesets: Vec<Changeset<R>>,
}

impl<R: Resource> Create<R> {
    scope_setters!();
}

impl<R: Resource> CreateMany<R> {
    scope_setters!();
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

/// Pending loads onto records in hand; `.await` it.
#[must_use = "a load does nothing until awaited"]
pub struct LoadOnto<'r, R: Resource> {
    scope: Scope,
    records: &'r mut [R],
    loads: Vec<Arc<dyn Load<R>>>,
}

impl<'r, R: Resource> LoadOnto<'r, R> {
    scope_setters!();

    /// Loads another relationship too.
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
