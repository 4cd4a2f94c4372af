//! Pending creates: [`Create`] and [`CreateMany`], handed to the engine's
//! write (`engine/write.rs`) when awaited.

use std::future::IntoFuture;
use std::sync::Arc;

use crate::changeset::Changeset;
use crate::data_layer::BoxFuture;
use crate::domain::Scope;
use crate::engine::write;
use crate::error::{Error, Result};
use crate::resource::{Actor, Resource};
use crate::value::Value;

/// A pending create of one record, from [`Domain::create`](crate::Domain::create); `.await` it for the
/// record.
#[must_use = "a create does nothing until awaited"]
pub struct Create<R: Resource> {
    pub(super) scope: Scope,
    pub(super) changeset: Changeset<R>,
}

/// A pending create of many records, from [`Domain::create_many`](crate::Domain::create_many); `.await` it
/// for the records. All or nothing: on the in-memory layer, a batch with a
/// duplicate primary key creates no record and is an [`ErrorKind::Constraint`](crate::ErrorKind::Constraint).
#[must_use = "a create does nothing until awaited"]
pub struct CreateMany<R: Resource> {
    pub(super) scope: Scope,
    pub(super) changesets: Vec<Changeset<R>>,
}

impl<R: Resource> Create<R> {
    scope_setters! {
        /// Creates as this actor: any resource, or a type implementing [`Actor`].
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`](crate::DataLayer::create) is not given it.
        actor;
        /// Whether policies apply (Ash's `authorize?`); `false` unless set.
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`](crate::DataLayer::create) is not given it.
        authorize;
        /// The tenant.
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`](crate::DataLayer::create) is not given it.
        tenant;
    }
}

impl<R: Resource> CreateMany<R> {
    scope_setters! {
        /// Creates as this actor: any resource, or a type implementing [`Actor`].
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`](crate::DataLayer::create) is not given it.
        actor;
        /// Whether policies apply (Ash's `authorize?`); `false` unless set.
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`](crate::DataLayer::create) is not given it.
        authorize;
        /// The tenant.
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`](crate::DataLayer::create) is not given it.
        tenant;
    }
}

impl<R: Resource> IntoFuture for Create<R> {
    type Output = Result<R>;
    type IntoFuture = BoxFuture<'static, Result<R>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let created = write::create(self.scope, vec![self.changeset]).await?;
            created.into_iter().next().ok_or_else(|| {
                Error::data_layer("the data layer created no record").in_resource(R::schema().name)
            })
        })
    }
}

impl<R: Resource> IntoFuture for CreateMany<R> {
    type Output = Result<Vec<R>>;
    type IntoFuture = BoxFuture<'static, Result<Vec<R>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(write::create(self.scope, self.changesets))
    }
}
