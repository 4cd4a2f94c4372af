//! Pending reads and loads: [`Read`] (from `Domain::read`) and [`LoadOnto`]
//! (from `Domain::load`), each run when awaited.

use std::future::IntoFuture;
use std::sync::Arc;

use crate::data_layer::BoxFuture;
use crate::error::Result;
use crate::load::Load;
use crate::query::Query;
use crate::resource::{Actor, Resource};
use crate::value::Value;

use super::*;

/// A pending read, from [`Domain::read`]; `.await` it for the records.
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
        Box::pin(async move { self.scope.read(self.query).await })
    }
}

/// Pending loads onto records in hand, from [`Domain::load`]; `.await` it.
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
            self.scope.run_loads(&self.loads, self.records).await
        })
    }
}
