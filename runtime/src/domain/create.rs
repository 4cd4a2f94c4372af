//! Pending creates: [`Create`] and [`CreateMany`], run when awaited, and what
//! they do (changesets to rows, the tenant filled in, one data-layer create).

use std::future::IntoFuture;
use std::sync::Arc;

use crate::changeset::Changeset;
use crate::data_layer::BoxFuture;
use crate::error::{Error, ErrorKind, Result};
use crate::resource::{Actor, Resource};
use crate::value::Value;

use super::*;

/// A pending create of one record, from [`Domain::create`]; `.await` it for the
/// record.
#[must_use = "a create does nothing until awaited"]
pub struct Create<R: Resource> {
    pub(super) scope: Scope,
    pub(super) changeset: Changeset<R>,
}

/// A pending create of many records, from [`Domain::create_many`]; `.await` it
/// for the records. All or nothing: on the in-memory layer, a batch with a
/// duplicate primary key creates no record and is an [`ErrorKind::Constraint`].
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
        /// [`DataLayer::create`] is not given it.
        actor;
        /// Whether policies apply (Ash's `authorize?`); `false` unless set.
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`] is not given it.
        authorize;
        /// The tenant.
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`] is not given it.
        tenant;
    }
}

impl<R: Resource> CreateMany<R> {
    scope_setters! {
        /// Creates as this actor: any resource, or a type implementing [`Actor`].
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`] is not given it.
        actor;
        /// Whether policies apply (Ash's `authorize?`); `false` unless set.
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`] is not given it.
        authorize;
        /// The tenant.
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`] is not given it.
        tenant;
    }
}

async fn create<R: Resource>(scope: Scope, changesets: Vec<Changeset<R>>) -> Result<Vec<R>> {
    scope.domain.check::<R>()?;
    let schema = R::schema();
    if scope.tenant().is_none() {
        // A create without a tenant fails here, before a missing tenant
        // attribute would be reported as merely unset.
        crate::policy::tenant_rows(schema, None, &mut [])
            .map_err(|e| e.in_resource(schema.name))?;
    }
    let tenant_index = schema
        .multitenancy
        .and_then(|m| schema.attribute_index(m.attribute));
    let mut rows = changesets
        .into_iter()
        .map(|mut changeset| {
            if let (Some(index), Some(tenant)) = (tenant_index, scope.tenant()) {
                changeset.fill(index, tenant);
            }
            changeset.into_row()
        })
        .collect::<Result<Vec<_>>>()?;
    crate::policy::tenant_rows(schema, scope.tenant(), &mut rows)
        .map_err(|e| e.in_resource(schema.name))?;
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
