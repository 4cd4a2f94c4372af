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

#[allow(unused_imports)] // named by the doc links
use crate::{domain::Domain, error::ErrorKind};

/// A pending create of one record, from [`Domain::create`]; `.await` it for the
/// record.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let pending: Create<Ticket> =
///     support.create(Ticket::changeset().set(Ticket::subject(), "Toner low"));
/// let ticket = pending.await?;
/// assert_eq!(ticket.priority, None);
/// assert_eq!(
///     support
///         .read(Ticket::query().filter(expr!(subject == "Toner low")))
///         .await?,
///     [ticket]
/// );
/// # Ok(()) }
/// ```
#[must_use = "a create does nothing until awaited"]
pub struct Create<R: Resource> {
    pub(super) scope: Scope,
    pub(super) changeset: Changeset<R>,
}

/// A pending create of many records, from [`Domain::create_many`]; `.await` it
/// for the records. All or nothing: on the in-memory layer, a batch with a
/// duplicate primary key creates no record and is an [`ErrorKind::Constraint`].
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let alice = representative(&support, "Alice").await?;
/// let twice = Representative::changeset()
///     .set(Representative::id(), alice.id)
///     .set(Representative::name(), "Carol")
///     .set(Representative::priority_threshold(), 1);
/// let dave = Representative::changeset()
///     .set(Representative::name(), "Dave")
///     .set(Representative::priority_threshold(), 2);
/// let pending: CreateMany<Representative> = support.create_many([dave, twice]);
/// let err = pending.await.unwrap_err();
/// assert!(matches!(
///     err.kind(),
///     ErrorKind::Constraint {
///         constraint: Constraint::Unique,
///         attribute: Some("id"),
///         ..
///     }
/// ));
/// assert_eq!(support.read(Representative::query()).await?.len(), 2);
/// # Ok(()) }
/// ```
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
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk!();
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let alice = representative(&support, "Alice").await?;
        /// let created = support
        ///     .create(Ticket::changeset().set(Ticket::subject(), "Toner low"))
        ///     .actor(&alice)
        ///     .await?;
        /// assert_eq!(created.subject, "Toner low");
        /// # Ok(()) }
        /// ```
        actor;
        /// Whether policies apply (Ash's `authorize?`); `false` unless set.
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`] is not given it.
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk!();
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let created = support
        ///     .create(Ticket::changeset().set(Ticket::subject(), "Toner low"))
        ///     .authorize(true)
        ///     .await?;
        /// assert_eq!(created.subject, "Toner low");
        /// # Ok(()) }
        /// ```
        authorize;
        /// The tenant.
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`] is not given it.
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk!();
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let created = support
        ///     .create(Ticket::changeset().set(Ticket::subject(), "Toner low"))
        ///     .tenant("acme".to_string())
        ///     .await?;
        /// assert_eq!(created.subject, "Toner low");
        /// # Ok(()) }
        /// ```
        tenant;
    }
}

impl<R: Resource> CreateMany<R> {
    scope_setters! {
        /// Creates as this actor: any resource, or a type implementing [`Actor`].
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`] is not given it.
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk!();
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let alice = representative(&support, "Alice").await?;
        /// let created = support
        ///     .create_many([Ticket::changeset().set(Ticket::subject(), "Toner low")])
        ///     .actor(&alice)
        ///     .await?;
        /// assert_eq!(created.len(), 1);
        /// # Ok(()) }
        /// ```
        actor;
        /// Whether policies apply (Ash's `authorize?`); `false` unless set.
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`] is not given it.
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk!();
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let created = support
        ///     .create_many([Ticket::changeset().set(Ticket::subject(), "Toner low")])
        ///     .authorize(true)
        ///     .await?;
        /// assert_eq!(created.len(), 1);
        /// # Ok(()) }
        /// ```
        authorize;
        /// The tenant.
        ///
        /// Nothing reads it yet: a create runs no loader, and
        /// [`DataLayer::create`] is not given it.
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk!();
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let created = support
        ///     .create_many([Ticket::changeset().set(Ticket::subject(), "Toner low")])
        ///     .tenant("acme".to_string())
        ///     .await?;
        /// assert_eq!(created.len(), 1);
        /// # Ok(()) }
        /// ```
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
