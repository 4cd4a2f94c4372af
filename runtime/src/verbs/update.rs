//! Pending updates: [`Update`] (one record) and [`UpdateAll`] (every record a
//! query selects), handed to the engine's write (`engine/write/update.rs`)
//! when awaited.

use std::future::IntoFuture;
use std::sync::Arc;

use crate::changeset::Changeset;
use crate::data_layer::BoxFuture;
use crate::domain::Scope;
use crate::engine::write;
use crate::error::Result;
use crate::query::Query;
use crate::resource::{Actor, Resource};
use crate::value::Value;

/// A pending update of one record, from
/// [`Domain::update`](crate::Domain::update); `.await` it for the record as
/// stored after the update, or an
/// [`ErrorKind::NotFound`](crate::ErrorKind::NotFound) when no record with its
/// primary key is one the write may touch.
#[must_use = "an update does nothing until awaited"]
pub struct Update<R: Resource> {
    pub(super) scope: Scope,
    pub(super) key: Value,
    pub(super) changeset: Changeset<R>,
}

/// A pending update of every record a query selects, from
/// [`Domain::update_all`](crate::Domain::update_all); `.await` it for the
/// records as stored after, in insertion order. One statement on SQL.
#[must_use = "an update does nothing until awaited"]
pub struct UpdateAll<R: Resource> {
    pub(super) scope: Scope,
    pub(super) query: Query<R>,
    pub(super) changeset: Changeset<R>,
}

impl<R: Resource> Update<R> {
    scope_setters! {
        /// Updates as this actor: any resource, or a type implementing [`Actor`].
        actor;
        /// Whether policies apply (Ash's `authorize?`); `true` unless set
        /// (`authorize(false)` turns them off): a record the actor may not read
        /// is not found.
        authorize;
        /// The tenant: another tenant's record is not found, and setting the
        /// tenant attribute to another tenant is an error.
        tenant;
    }
}

impl<R: Resource> UpdateAll<R> {
    scope_setters! {
        /// Updates as this actor: any resource, or a type implementing [`Actor`].
        actor;
        /// Whether policies apply (Ash's `authorize?`); `true` unless set
        /// (`authorize(false)` turns them off): records the actor may not read
        /// are left as they are.
        authorize;
        /// The tenant: only its records are updated, and setting the tenant
        /// attribute to another tenant is an error.
        tenant;
    }
}

impl<R: Resource> IntoFuture for Update<R> {
    type Output = Result<R>;
    type IntoFuture = BoxFuture<'static, Result<R>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(write::update_one(self.scope, self.key, self.changeset))
    }
}

impl<R: Resource> IntoFuture for UpdateAll<R> {
    type Output = Result<Vec<R>>;
    type IntoFuture = BoxFuture<'static, Result<Vec<R>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(write::update(self.scope, self.query, self.changeset))
    }
}
