//! Pending creates: [`Create`] and [`CreateMany`], handed to the engine's
//! write (`engine/write.rs`) when awaited.

use std::future::IntoFuture;
use std::sync::Arc;

use crate::changeset::{Changeset, Changesets};
use crate::data_layer::BoxFuture;
use crate::domain::Scope;
use crate::engine::write;
use crate::error::{Error, Result};
use crate::rel::Rel;
use crate::resource::{Actor, Identity, IdentityRef, Resource};
use crate::value::Value;

use super::relate::{Children, ChildrenOf, with_children};

/// A pending create of one record, from [`Domain::create`](crate::Domain::create); `.await` it for the
/// record.
///
/// Cancelled (the future dropped: a timeout, an aborted task), a create may
/// still have committed: the data layer may have sent it before the drop. Do
/// not retry blindly; read first (by a key you chose, or an identity), or use
/// a primary key you set, so a repeat fails as a duplicate instead of creating
/// the record twice.
#[must_use = "a create does nothing until awaited"]
pub struct Create<R: Resource> {
    pub(super) scope: Scope,
    pub(super) changeset: Changeset<R>,
    pub(super) upsert: Option<&'static Identity>,
    pub(super) children: Vec<Box<dyn Children<R>>>,
}

/// A pending create of many records, from [`Domain::create_many`](crate::Domain::create_many); `.await` it
/// for the records. All or nothing: on every layer a batch that breaks a
/// constraint (a duplicate primary key, say) creates no record and is an
/// [`ErrorKind::Constraint`](crate::ErrorKind::Constraint).
///
/// Cancelled (the future dropped), a batch is never half-written, but it may
/// still have committed whole: on SQL layers the transaction may reach its
/// `COMMIT` before the drop is seen. Do not retry blindly; check what exists
/// first, as for [`Create`].
#[must_use = "a create does nothing until awaited"]
pub struct CreateMany<R: Resource> {
    pub(super) scope: Scope,
    pub(super) changesets: Changesets<R>,
    pub(super) upsert: Option<&'static Identity>,
}

impl<R: Resource> Create<R> {
    /// Creates `changesets` of `rel`'s destination with the record, related
    /// to it (Ash's `manage_relationship` on create): for a has_many, each
    /// with its foreign key set to the new record's key; for a
    /// many_to_many, created and joined to it. All in one transaction, with
    /// one create per relationship (two for a many_to_many) whatever their
    /// number; the record returned has `rel` loaded with them, in the order
    /// given, unless `rel` has a `filter` (some of them may not pass it: `rel`
    /// is then left not loaded; load it to see which do). Give several relationships by
    /// calling it again. belongs_to, has_one and manual relationships are an
    /// [`ErrorKind::InvalidQuery`](crate::ErrorKind::InvalidQuery).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let carol = support
    ///     .create(
    ///         Representative::changeset()
    ///             .set(Representative::name(), "Carol")
    ///             .set(Representative::priority_threshold(), 3),
    ///     )
    ///     .with_related(
    ///         Representative::tickets(),
    ///         [
    ///             Ticket::changeset().set(Ticket::subject(), "Toner low"),
    ///             Ticket::changeset().set(Ticket::subject(), "Mouse broken"),
    ///         ],
    ///     )
    ///     .await?;
    /// assert_eq!(subjects(carol.tickets.get()?), ["Toner low", "Mouse broken"]);
    /// # Ok(()) }
    /// ```
    pub fn with_related<D: Resource, C>(
        mut self,
        rel: Rel<R, D, C>,
        changesets: impl IntoIterator<Item = Changeset<D>>,
    ) -> Self {
        self.children.push(Box::new(ChildrenOf {
            rel: rel.any_cardinality(),
            changesets: changesets.into_iter().collect(),
        }));
        self
    }

    /// Makes the create an upsert on `identity` (Ash's `upsert? true,
    /// upsert_identity`): when a record with the same values of the
    /// identity's keys exists (in the tenant), it is updated with the
    /// attributes the changeset sets, except the primary key, the identity's
    /// keys and the tenant attribute, and returned; otherwise the record is
    /// created. Its primary key is the stored one (a generated key is not
    /// replaced), and attributes the changeset leaves unset keep their values.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// // Here `Representative` declares `identities { identity unique_name [name]; }`.
    /// let first = support
    ///     .create(
    ///         Representative::changeset()
    ///             .set(Representative::name(), "Carol")
    ///             .set(Representative::priority_threshold(), 1),
    ///     )
    ///     .upsert_on(Representative::unique_name())
    ///     .await?;
    /// let again = support
    ///     .create(
    ///         Representative::changeset()
    ///             .set(Representative::name(), "Carol")
    ///             .set(Representative::priority_threshold(), 5),
    ///     )
    ///     .upsert_on(Representative::unique_name())
    ///     .await?;
    /// assert_eq!(again.id, first.id);
    /// assert_eq!(again.priority_threshold, 5);
    /// # Ok(()) }
    /// ```
    pub fn upsert_on(mut self, identity: IdentityRef<R>) -> Self {
        self.upsert = Some(identity.identity());
        self
    }

    scope_setters! {
        /// Creates as this actor: any resource, or a type implementing [`Actor`].
        /// The resource's policies governing creates are checked for it.
        actor;
        /// Whether policies apply (Ash's `authorize?`); `true` unless set: a
        /// create the policies forbid (outright, or for one of its new records
        /// by an `expr(..)` check) is
        /// [`ErrorKind::Forbidden`](crate::ErrorKind::Forbidden) and creates
        /// nothing. `authorize(false)` turns them off.
        authorize;
        /// The tenant. A multitenant resource's records get it in their tenant
        /// attribute; one that names another tenant is an error, and so is a
        /// create without a tenant unless the resource allows global access.
        tenant;
    }
}

impl<R: Resource> CreateMany<R> {
    /// Makes the batch an upsert on `identity`, one data-layer call for all
    /// as a create is: each record is updated or created as
    /// [`Create::upsert_on`] says, and the records come back in the order
    /// given. Every changeset must set the same attributes (which ones a
    /// record found is updated with), and no two may have the same values of
    /// the identity (a record is updated once): either is an error before
    /// anything is written ([`ErrorKind::InvalidQuery`](crate::ErrorKind::InvalidQuery),
    /// a unique [`ErrorKind::Constraint`](crate::ErrorKind::Constraint) naming the identity).
    pub fn upsert_on(mut self, identity: IdentityRef<R>) -> Self {
        self.upsert = Some(identity.identity());
        self
    }

    scope_setters! {
        /// Creates as this actor: any resource, or a type implementing [`Actor`].
        /// The resource's policies governing creates are checked for it.
        actor;
        /// Whether policies apply (Ash's `authorize?`); `true` unless set: a
        /// create the policies forbid (outright, or for one of its new records
        /// by an `expr(..)` check) is
        /// [`ErrorKind::Forbidden`](crate::ErrorKind::Forbidden) and creates
        /// nothing. `authorize(false)` turns them off.
        authorize;
        /// The tenant. A multitenant resource's records get it in their tenant
        /// attribute; one that names another tenant is an error, and so is a
        /// create without a tenant unless the resource allows global access.
        tenant;
    }
}

impl<R: Resource> IntoFuture for Create<R> {
    type Output = Result<R>;
    type IntoFuture = BoxFuture<'static, Result<R>>;
    fn into_future(self) -> Self::IntoFuture {
        let Create {
            scope,
            changeset,
            upsert,
            children,
        } = self;
        let create = move |scope: Scope| -> BoxFuture<'static, Result<R>> {
            Box::pin(async move {
                let created =
                    write::create(scope, Changesets::collect([changeset]), upsert).await?;
                created.into_iter().next().ok_or_else(|| {
                    Error::data_layer("the data layer created no record")
                        .in_resource(R::schema().name)
                })
            })
        };
        if children.is_empty() {
            return create(scope);
        }
        Box::pin(with_children(scope, create, children))
    }
}

impl<R: Resource> IntoFuture for CreateMany<R> {
    type Output = Result<Vec<R>>;
    type IntoFuture = BoxFuture<'static, Result<Vec<R>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(write::create(self.scope, self.changesets, self.upsert))
    }
}
