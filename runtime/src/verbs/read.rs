//! Pending reads and loads: [`Read`] (from `Domain::read`) and [`LoadOnto`]
//! (from `Domain::load`), each run when awaited.

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
        /// Whether policies apply (Ash's `authorize?`); `false` unless set. Manual loaders
        /// see it as [`LoadContext::authorize`](crate::LoadContext::authorize).
        authorize;
        /// The tenant. Manual loaders see it as
        /// [`LoadContext::tenant`](crate::LoadContext::tenant).
        tenant;
    }
}

impl<R: Resource> IntoFuture for Read<R> {
    type Output = Result<Vec<R>>;
    type IntoFuture = BoxFuture<'static, Result<Vec<R>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { engine::read::read(&self.scope, self.query).await })
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
        /// Whether policies apply (Ash's `authorize?`); `false` unless set. Manual loaders
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
}

impl Scope {
    /// Reads `query` and runs its loads, in this scope. Same as
    /// [`Query::read`] with the scope.
    pub async fn read<R: Resource>(&self, query: Query<R>) -> Result<Vec<R>> {
        engine::read::read(self, query).await
    }
}
