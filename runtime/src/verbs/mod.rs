//! The verbs: what a user awaits. [`Domain::read`], [`Domain::get`],
//! [`Domain::create`], [`Domain::create_many`], [`Domain::update`],
//! [`Domain::update_all`], [`Domain::destroy`], [`Domain::destroy_all`] and
//! [`Domain::load`] each return a builder ([`Read`], with [`Read::first`] and
//! [`Read::count`]; [`First`]; [`Create`], [`CreateMany`], [`Update`],
//! [`UpdateAll`], [`Destroy`], [`DestroyAll`], [`LoadOnto`]) that takes the
//! actor, the authorize flag and the tenant, and hands the request to the
//! engine when awaited. [`Domain::relate`], [`Domain::unrelate`] and
//! [`Domain::replace`] ([`Relate`]) and [`Create::with_related`] write
//! relationships, each in one transaction. [`Domain::transaction`] runs a
//! block of them in one transaction.
//! [`Query::read`](crate::Query::read) reads in the scope of a `LoadContext`.

use std::sync::Arc;

use crate::changeset::{Changeset, Changesets};
use crate::domain::{Domain, Scope};
use crate::expr::{CmpOp, Expr};
use crate::query::{Load, Query};
use crate::resource::Resource;
use crate::scalar::Scalar;

macro_rules! scope_setters {
    (
        $(#[$actor:meta])* actor;
        $(#[$authorize:meta])* authorize;
        $(#[$tenant:meta])* tenant;
    ) => {
        $(#[$actor])*
        pub fn actor<A: Actor + Clone>(mut self, actor: &A) -> Self {
            self.scope.actor = Some(Arc::new(actor.clone()));
            self
        }

        $(#[$authorize])*
        pub fn authorize(mut self, authorize: bool) -> Self {
            self.scope.authorize = authorize;
            self
        }

        $(#[$tenant])*
        pub fn tenant(mut self, tenant: impl Into<Value>) -> Self {
            self.scope.tenant = Some(tenant.into());
            self
        }
    };
}

mod create;
mod destroy;
mod read;
mod relate;
mod transaction;
mod update;

pub use crate::engine::write::Relinked;
pub use create::{Create, CreateMany};
pub use destroy::{Destroy, DestroyAll};
pub use read::{Count, First, LoadOnto, Read};
pub use relate::Relate;
pub use update::{Update, UpdateAll};

impl Domain {
    /// Reads records, loading what the query asks for. Await the returned builder.
    ///
    /// Each relationship is loaded with one data-layer read for all the records
    /// read, and the sort, offset and limit of a load apply per record: here, the
    /// two most urgent tickets of each representative.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let reps = support
    ///     .read(
    ///         Representative::query().sort(Representative::name()).load(
    ///             Representative::tickets()
    ///                 .sort(Ticket::priority().desc())
    ///                 .limit(2),
    ///         ),
    ///     )
    ///     .await?;
    /// assert_eq!(reps[0].name, "Alice");
    /// assert_eq!(
    ///     subjects(reps[0].tickets.get()?),
    ///     ["Printer on fire", "VPN down"]
    /// );
    /// assert_eq!(reps[1].name, "Bob");
    /// assert_eq!(
    ///     subjects(reps[1].tickets.get()?),
    ///     ["Server room flooded", "Password reset"]
    /// );
    /// # Ok(()) }
    /// ```
    pub fn read<R: Resource>(&self, query: Query<R>) -> Read<R> {
        Read {
            scope: Scope::new(self.clone()),
            query,
        }
    }

    /// The record of `R` whose primary key is `key`, or `None`: one that does
    /// not exist and one the scope may not read are alike (a tenant's, one a
    /// policy hides). Await the returned builder ([`First`]), which takes the
    /// actor, authorize flag, tenant and loads as a read does.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let ticket = support
    ///     .create(Ticket::changeset().set(Ticket::subject(), "Toner low"))
    ///     .await?;
    /// let found = support.get::<Ticket>(ticket.id).await?;
    /// assert_eq!(found.map(|t| t.subject), Some("Toner low".to_owned()));
    /// assert!(support.get::<Ticket>(Uuid::new_v4()).await?.is_none());
    ///
    /// // The first of a read, and how many a read would find.
    /// let open = || Ticket::query().filter(expr!(subject == "Toner low"));
    /// assert!(support.read(open()).first().await?.is_some());
    /// assert_eq!(support.read(open()).count().await?, 1);
    /// # Ok(()) }
    /// ```
    pub fn get<R: Resource>(&self, key: R::PrimaryKey) -> First<R> {
        let schema = R::schema();
        let is_key = Expr::cmp(
            CmpOp::Eq,
            Expr::attr(schema.primary_key().name),
            Expr::Value(key.into_value()),
        );
        First {
            scope: Scope::new(self.clone()),
            query: Query::new().filter_expr(is_key),
        }
    }

    /// Creates one record. Await the returned builder for the record created, its
    /// generated primary key filled in.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let ticket = support
    ///     .create(
    ///         Ticket::changeset()
    ///             .set(Ticket::subject(), "Toner low")
    ///             .set(Ticket::priority(), 1),
    ///     )
    ///     .await?;
    /// assert_eq!(ticket.subject, "Toner low");
    /// assert_eq!(ticket.priority, Some(1));
    /// assert!(!ticket.id.is_nil());
    ///
    /// // A required attribute left out is an error naming it.
    /// let err = support
    ///     .create(Ticket::changeset().set(Ticket::priority(), 1))
    ///     .await
    ///     .unwrap_err();
    /// assert!(matches!(
    ///     err.kind(),
    ///     ErrorKind::Required {
    ///         attribute: "subject",
    ///         ..
    ///     }
    /// ));
    /// # Ok(()) }
    /// ```
    pub fn create<R: Resource>(&self, changeset: Changeset<R>) -> Create<R> {
        Create {
            scope: Scope::new(self.clone()),
            changeset,
            upsert: None,
            children: Vec::new(),
        }
    }

    /// Creates many records in one call to the data layer. Await the returned
    /// builder for the records created, in the order given.
    pub fn create_many<R: Resource>(
        &self,
        changesets: impl IntoIterator<Item = Changeset<R>>,
    ) -> CreateMany<R> {
        CreateMany {
            scope: Scope::new(self.clone()),
            changesets: Changesets::collect(changesets),
            upsert: None,
        }
    }

    /// Updates one record: the stored record with `record`'s primary key, as
    /// far as the scope may write it (its tenant; unless `.authorize(false)`,
    /// what the actor may read). Only the attributes `changeset` sets change. Await
    /// the returned builder for the record as stored after the update.
    ///
    /// A record that is gone, another tenant's or hidden is an
    /// [`ErrorKind::NotFound`](crate::ErrorKind::NotFound) naming the resource
    /// and key; setting the primary key is an
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue), and nothing
    /// is written. An empty changeset writes nothing and gives the record.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let ticket = support
    ///     .create(Ticket::changeset().set(Ticket::subject(), "Toner low"))
    ///     .await?;
    /// let updated = support
    ///     .update(&ticket, Ticket::changeset().set(Ticket::priority(), 5))
    ///     .await?;
    /// assert_eq!((updated.subject.as_str(), updated.priority), ("Toner low", Some(5)));
    ///
    /// support.destroy(&ticket).await?;
    /// let err = support
    ///     .update(&ticket, Ticket::changeset().set(Ticket::priority(), 6))
    ///     .await
    ///     .unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::NotFound { resource: "Ticket", .. }));
    /// # Ok(()) }
    /// ```
    pub fn update<R: Resource>(&self, record: &R, changeset: Changeset<R>) -> Update<R> {
        Update {
            scope: Scope::new(self.clone()),
            key: record.get(R::schema().primary_key),
            changeset,
        }
    }

    /// Updates every record `query` selects (its filter, paths included; its
    /// sort, offset and limit choose which when given), as far as the scope
    /// may write them, in one data-layer call (one statement on SQL). Await the
    /// returned builder for the records as stored after, in insertion order,
    /// with the query's loads.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// // Every ticket of Bob's becomes urgent.
    /// let bobs = support
    ///     .update_all(
    ///         Ticket::query().filter(expr!(representative.name == "Bob")),
    ///         Ticket::changeset().set(Ticket::priority(), 10),
    ///     )
    ///     .await?;
    /// assert_eq!(bobs.len(), 2);
    /// assert!(bobs.iter().all(|t| t.priority == Some(10)));
    /// # Ok(()) }
    /// ```
    pub fn update_all<R: Resource>(
        &self,
        query: Query<R>,
        changeset: Changeset<R>,
    ) -> UpdateAll<R> {
        UpdateAll {
            scope: Scope::new(self.clone()),
            query,
            changeset,
        }
    }

    /// Destroys one record: the stored record with `record`'s primary key, as
    /// far as the scope may write it. Await the returned builder for the
    /// record as it was; one that is gone, another tenant's or hidden is an
    /// [`ErrorKind::NotFound`](crate::ErrorKind::NotFound). A record another
    /// record's belongs_to key names is not destroyed: an
    /// [`ErrorKind::Constraint`](crate::ErrorKind::Constraint)
    /// (`Constraint::ForeignKey`) on every layer.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let ticket = support
    ///     .create(Ticket::changeset().set(Ticket::subject(), "Toner low"))
    ///     .await?;
    /// let gone = support.destroy(&ticket).await?;
    /// assert_eq!(gone, ticket);
    /// assert!(support.get::<Ticket>(ticket.id).await?.is_none());
    /// # Ok(()) }
    /// ```
    pub fn destroy<R: Resource>(&self, record: &R) -> Destroy<R> {
        Destroy {
            scope: Scope::new(self.clone()),
            key: record.get(R::schema().primary_key),
            _resource: std::marker::PhantomData,
        }
    }

    /// Destroys every record `query` selects (as [`update_all`](Self::update_all)
    /// selects them), in one data-layer call (one statement on SQL). Await the
    /// returned builder for the records as they were, in insertion order.
    pub fn destroy_all<R: Resource>(&self, query: Query<R>) -> DestroyAll<R> {
        DestroyAll {
            scope: Scope::new(self.clone()),
            query,
        }
    }

    /// Loads relationships onto records already in hand (Ash's `Ash.load`). Await
    /// the returned builder.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let mut reps = support
    ///     .read(Representative::query().sort(Representative::name()))
    ///     .await?;
    /// assert!(!reps[0].tickets.is_loaded());
    ///
    /// support.load(&mut reps, Representative::tickets()).await?;
    /// assert_eq!(reps[0].tickets.get()?.len(), 3);
    /// assert_eq!(reps[1].tickets.get()?.len(), 2);
    /// # Ok(()) }
    /// ```
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
