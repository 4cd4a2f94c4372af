//! Pending destroys: [`Destroy`] (one record) and [`DestroyAll`] (every record
//! a query selects), handed to the engine's write
//! (`engine/write/destroy.rs`) when awaited.

use std::future::IntoFuture;
use std::sync::Arc;

use crate::data_layer::BoxFuture;
use crate::domain::Scope;
use crate::engine::write;
use crate::error::Result;
use crate::query::Query;
use crate::resource::{Actor, Resource};
use crate::value::Value;

/// A pending destroy of one record, from
/// [`Domain::destroy`](crate::Domain::destroy); `.await` it for the record as
/// it was, or an [`ErrorKind::NotFound`](crate::ErrorKind::NotFound) when no
/// record with its primary key is one the write may touch.
#[must_use = "a destroy does nothing until awaited"]
pub struct Destroy<R: Resource> {
    pub(super) scope: Scope,
    pub(super) key: Value,
    pub(super) _resource: std::marker::PhantomData<fn() -> R>,
}

/// A pending destroy of every record a query selects, from
/// [`Domain::destroy_all`](crate::Domain::destroy_all); `.await` it for the
/// records as they were, in insertion order. One statement on SQL.
#[must_use = "a destroy does nothing until awaited"]
pub struct DestroyAll<R: Resource> {
    pub(super) scope: Scope,
    pub(super) query: Query<R>,
}

impl<R: Resource> Destroy<R> {
    scope_setters! {
        /// Destroys as this actor: any resource, or a type implementing [`Actor`].
        actor;
        /// Whether policies apply (Ash's `authorize?`); `true` unless set
        /// (`authorize(false)` turns them off): a record the actor may not read
        /// is not found.
        authorize;
        /// The tenant: another tenant's record is not found.
        tenant;
    }
}

impl<R: Resource> DestroyAll<R> {
    scope_setters! {
        /// Destroys as this actor: any resource, or a type implementing [`Actor`].
        actor;
        /// Whether policies apply (Ash's `authorize?`); `true` unless set
        /// (`authorize(false)` turns them off): records the actor may not read
        /// are left.
        authorize;
        /// The tenant: only its records are destroyed.
        tenant;
    }
}

impl<R: Resource> IntoFuture for Destroy<R> {
    type Output = Result<R>;
    type IntoFuture = BoxFuture<'static, Result<R>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(write::destroy_one(self.scope, self.key))
    }
}

impl<R: Resource> IntoFuture for DestroyAll<R> {
    type Output = Result<Vec<R>>;
    type IntoFuture = BoxFuture<'static, Result<Vec<R>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(write::destroy(self.scope, self.query))
    }
}
