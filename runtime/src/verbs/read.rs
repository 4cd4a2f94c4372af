//! Pending reads and loads: [`Read`] (from `Domain::read`), [`First`] (from
//! `Read::first` and `Domain::get`), [`Count`] (from `Read::count`) and
//! [`LoadOnto`] (from `Domain::load`), each run when awaited.

use std::future::IntoFuture;
use std::sync::Arc;

use crate::data_layer::BoxFuture;
use crate::domain::{ReadScope, Scope};
use crate::engine;
use crate::error::Result;
use crate::query::{Load, Query};
use crate::resource::{Actor, Resource};
use crate::value::Value;

/// A pending read, from [`Domain::read`](crate::Domain::read); `.await` it for the records.
#[must_use = "a read does nothing until awaited"]
pub struct Read<R: Resource> {
    pub(super) scope: Scope,
    pub(super) query: Query<R>,
}

impl<R: Resource> Read<R> {
    scope_setters! {
        /// Runs as this actor: any resource, or a type implementing [`Actor`]. Manual
        /// loaders see it as [`LoadContext::actor`](crate::LoadContext::actor).
        actor;
        /// Whether policies apply (Ash's `authorize?`); `true` unless set
        /// (`authorize(false)` turns them off). Manual loaders
        /// see it as [`LoadContext::authorize`](crate::LoadContext::authorize).
        authorize;
        /// The tenant. Manual loaders see it as
        /// [`LoadContext::tenant`](crate::LoadContext::tenant).
        tenant;
    }
}

impl<R: Resource> Read<R> {
    /// The first record the read finds, or `None`: the query's sort decides
    /// which (insertion order without one), its loads run on it, and a record
    /// the scope may not read is never found. Read at most one record.
    pub fn first(self) -> First<R> {
        First {
            scope: self.scope,
            query: self.query,
        }
    }

    /// How many records the read would find (within its offset and limit), as
    /// the scope may see them: counted by the data layer (one `SELECT count(*)`
    /// on SQL), no record fetched, nothing loaded.
    pub fn count(self) -> Count<R> {
        Count {
            scope: self.scope,
            query: self.query,
        }
    }
}

impl<R: Resource> IntoFuture for Read<R> {
    type Output = Result<Vec<R>>;
    type IntoFuture = BoxFuture<'static, Result<Vec<R>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { engine::read::read(&self.scope, self.query).await })
    }
}

/// A pending read of one record, from [`Read::first`] or
/// [`Domain::get`](crate::Domain::get); `.await` it for `Option<R>`.
#[must_use = "a read does nothing until awaited"]
pub struct First<R: Resource> {
    pub(super) scope: Scope,
    pub(super) query: Query<R>,
}

impl<R: Resource> First<R> {
    scope_setters! {
        /// Runs as this actor: any resource, or a type implementing [`Actor`].
        actor;
        /// Whether policies apply (Ash's `authorize?`); `true` unless set
        /// (`authorize(false)` turns them off).
        authorize;
        /// The tenant.
        tenant;
    }

    /// Loads a relationship onto the record found.
    pub fn load(mut self, load: impl Load<R>) -> Self {
        self.query = self.query.load(load);
        self
    }
}

impl<R: Resource> IntoFuture for First<R> {
    type Output = Result<Option<R>>;
    type IntoFuture = BoxFuture<'static, Result<Option<R>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { engine::read::first(&self.scope, self.query).await })
    }
}

/// A pending count, from [`Read::count`]; `.await` it for the number.
#[must_use = "a count does nothing until awaited"]
pub struct Count<R: Resource> {
    pub(super) scope: Scope,
    pub(super) query: Query<R>,
}

impl<R: Resource> Count<R> {
    scope_setters! {
        /// Runs as this actor: any resource, or a type implementing [`Actor`].
        actor;
        /// Whether policies apply (Ash's `authorize?`); `true` unless set
        /// (`authorize(false)` turns them off).
        authorize;
        /// The tenant.
        tenant;
    }
}

impl<R: Resource> IntoFuture for Count<R> {
    type Output = Result<usize>;
    type IntoFuture = BoxFuture<'static, Result<usize>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { engine::read::count(&self.scope, self.query).await })
    }
}

/// Pending loads onto records in hand, from [`Domain::load`](crate::Domain::load); `.await` it.
#[must_use = "a load does nothing until awaited"]
pub struct LoadOnto<'r, R: Resource> {
    pub(super) scope: Scope,
    pub(super) records: &'r mut [R],
    pub(super) loads: Vec<Arc<dyn Load<R>>>,
}

impl<'r, R: Resource> LoadOnto<'r, R> {
    scope_setters! {
        /// Runs as this actor: any resource, or a type implementing [`Actor`]. Manual
        /// loaders see it as [`LoadContext::actor`](crate::LoadContext::actor).
        actor;
        /// Whether policies apply (Ash's `authorize?`); `true` unless set
        /// (`authorize(false)` turns them off). Manual loaders
        /// see it as [`LoadContext::authorize`](crate::LoadContext::authorize).
        authorize;
        /// The tenant. Manual loaders see it as
        /// [`LoadContext::tenant`](crate::LoadContext::tenant).
        tenant;
    }

    /// Loads another relationship too; loads run in the order given.
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
            engine::load::run_loads(&self.scope, &self.loads, self.records).await
        })
    }
}

impl<R: Resource> Query<R> {
    /// Reads with the domain, actor, authorize flag and tenant of `scope`: inside a
    /// manual loader, pass its `LoadContext` to read as the caller does.
    pub fn read<'a>(
        self,
        scope: &'a impl ReadScope,
    ) -> impl std::future::Future<Output = Result<Vec<R>>> + Send + 'a {
        let scope = scope.read_scope().clone();
        async move { engine::read::read(&scope, self).await }
    }

    /// The first record [`read`](Self::read) would give, or `None` (see
    /// [`Read::first`]).
    pub fn first<'a>(
        self,
        scope: &'a impl ReadScope,
    ) -> impl std::future::Future<Output = Result<Option<R>>> + Send + 'a {
        let scope = scope.read_scope().clone();
        async move { engine::read::first(&scope, self).await }
    }

    /// How many records [`read`](Self::read) would give (see [`Read::count`]).
    pub fn count<'a>(
        self,
        scope: &'a impl ReadScope,
    ) -> impl std::future::Future<Output = Result<usize>> + Send + 'a {
        let scope = scope.read_scope().clone();
        async move { engine::read::count(&scope, self).await }
    }
}

impl Scope {
    /// Reads `query` and runs its loads, in this scope. Same as
    /// [`Query::read`] with the scope.
    pub async fn read<R: Resource>(&self, query: Query<R>) -> Result<Vec<R>> {
        engine::read::read(self, query).await
    }
}
