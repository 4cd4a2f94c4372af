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

#[allow(unused_imports)] // named by the doc links
use crate::domain::Domain;

/// A pending read, from [`Domain::read`]; `.await` it for the records.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let pending: Read<Ticket> = support.read(Ticket::query().sort(Ticket::subject()));
/// let tickets = pending.await?;
/// assert_eq!(tickets.len(), 6);
/// assert_eq!(tickets[0].subject, "Coffee machine empty");
/// # Ok(()) }
/// ```
#[must_use = "a read does nothing until awaited"]
pub struct Read<R: Resource> {
    pub(super) scope: Scope,
    pub(super) query: Query<R>,
}

impl<R: Resource> Read<R> {
    scope_setters! {
        /// Runs as this actor: any resource, or a type implementing [`Actor`]. Manual
        /// loaders see it as [`LoadContext::actor`](crate::LoadContext::actor).
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk! { has_many my_tickets: Ticket { manual MyTickets; } }
        /// // In this example, `Representative` declares
        /// // `has_many my_tickets: Ticket { manual MyTickets; }`.
        /// /// Each representative's tickets; with `authorize(true)`, only to the
        /// /// representative who is the actor.
        /// struct MyTickets;
        ///
        /// impl ManualRelationship for MyTickets {
        ///     type Source = Representative;
        ///     type Destination = Ticket;
        ///
        ///     async fn load(
        ///         &self,
        ///         reps: &[Representative],
        ///         ctx: &LoadContext<'_, Ticket>,
        ///     ) -> ashore::Result<Related<Representative, Ticket>> {
        ///         let me = ctx.actor.and_then(|a| a.attribute("id"));
        ///         let ids: Vec<Uuid> = reps
        ///             .iter()
        ///             .map(|r| r.id)
        ///             .filter(|&id| !ctx.authorize || me == Some(Value::from(id)))
        ///             .collect();
        ///         let tickets = ctx
        ///             .query
        ///             .clone()
        ///             .filter(expr!(representative_id in ^ids))
        ///             .read(ctx)
        ///             .await?;
        ///         Ok(Related::group_by(tickets, |t| t.representative_id))
        ///     }
        /// }
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let alice = representative(&support, "Alice").await?;
        /// let reps = support
        ///     .read(
        ///         Representative::query()
        ///             .sort(Representative::name())
        ///             .load(Representative::my_tickets()),
        ///     )
        ///     .actor(&alice)
        ///     .authorize(true)
        ///     .await?;
        /// // With policies on, Alice sees her own tickets only.
        /// assert_eq!(reps[0].my_tickets.get()?.len(), 3);
        /// assert!(reps[1].my_tickets.get()?.is_empty());
        /// # Ok(()) }
        /// ```
        actor;
        /// Whether policies apply (Ash's `authorize?`); `false` unless set. Manual loaders
        /// see it as [`LoadContext::authorize`](crate::LoadContext::authorize).
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk!();
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// // `my_tickets` gives a representative's tickets only to that representative
        /// // as the actor, when policies apply.
        /// let reps = support
        ///     .read(
        ///         Representative::query()
        ///             .sort(Representative::name())
        ///             .load(Representative::my_tickets()),
        ///     )
        ///     .authorize(false)
        ///     .await?;
        /// assert_eq!(reps[0].my_tickets.get()?.len(), 3);
        /// assert_eq!(reps[1].my_tickets.get()?.len(), 2);
        ///
        /// let reps = support
        ///     .read(
        ///         Representative::query()
        ///             .sort(Representative::name())
        ///             .load(Representative::my_tickets()),
        ///     )
        ///     .authorize(true)
        ///     .await?;
        /// assert!(reps[0].my_tickets.get()?.is_empty());
        /// assert!(reps[1].my_tickets.get()?.is_empty());
        /// # Ok(()) }
        /// ```
        authorize;
        /// The tenant. Manual loaders see it as
        /// [`LoadContext::tenant`](crate::LoadContext::tenant).
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk! { has_many per_tenant: Ticket { manual PerTenant; } }
        /// // In this example, `Representative` declares
        /// // `has_many per_tenant: Ticket { manual PerTenant; }`.
        /// /// Refuses to load without a tenant.
        /// struct PerTenant;
        ///
        /// impl ManualRelationship for PerTenant {
        ///     type Source = Representative;
        ///     type Destination = Ticket;
        ///
        ///     async fn load(
        ///         &self,
        ///         _: &[Representative],
        ///         ctx: &LoadContext<'_, Ticket>,
        ///     ) -> ashore::Result<Related<Representative, Ticket>> {
        ///         match ctx.tenant {
        ///             Some(tenant) => {
        ///                 assert_eq!(tenant, &Value::from("acme".to_string()));
        ///                 Ok(Related::empty())
        ///             }
        ///             None => Err(Error::loader("per_tenant needs a tenant")),
        ///         }
        ///     }
        /// }
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let err = support
        ///     .read(Representative::query().load(Representative::per_tenant()))
        ///     .await
        ///     .unwrap_err();
        /// assert_eq!(
        ///     err.to_string(),
        ///     "Representative.per_tenant: per_tenant needs a tenant"
        /// );
        ///
        /// support
        ///     .read(Representative::query().load(Representative::per_tenant()))
        ///     .tenant("acme".to_string())
        ///     .await?;
        /// # Ok(()) }
        /// ```
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

/// Pending loads onto records in hand, from [`Domain::load`]; `.await` it.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let mut tickets = support
///     .read(Ticket::query().filter(expr!(priority > 4)))
///     .await?;
/// let pending: LoadOnto<'_, Ticket> = support.load(&mut tickets, Ticket::representative());
/// pending.await?;
/// let owners: Vec<&str> = tickets
///     .iter()
///     .map(|t| {
///         t.representative
///             .get()
///             .map(|r| r.as_ref().map_or("nobody", |r| r.name.as_str()))
///     })
///     .collect::<ashore::Result<_>>()?;
/// assert_eq!(owners, ["Alice", "Bob"]);
/// # Ok(()) }
/// ```
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
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk! { has_many my_tickets: Ticket { manual MyTickets; } }
        /// // In this example, `Representative` declares
        /// // `has_many my_tickets: Ticket { manual MyTickets; }`.
        /// /// Each representative's tickets; with `authorize(true)`, only to the
        /// /// representative who is the actor.
        /// struct MyTickets;
        ///
        /// impl ManualRelationship for MyTickets {
        ///     type Source = Representative;
        ///     type Destination = Ticket;
        ///
        ///     async fn load(
        ///         &self,
        ///         reps: &[Representative],
        ///         ctx: &LoadContext<'_, Ticket>,
        ///     ) -> ashore::Result<Related<Representative, Ticket>> {
        ///         let me = ctx.actor.and_then(|a| a.attribute("id"));
        ///         let ids: Vec<Uuid> = reps
        ///             .iter()
        ///             .map(|r| r.id)
        ///             .filter(|&id| !ctx.authorize || me == Some(Value::from(id)))
        ///             .collect();
        ///         let tickets = ctx
        ///             .query
        ///             .clone()
        ///             .filter(expr!(representative_id in ^ids))
        ///             .read(ctx)
        ///             .await?;
        ///         Ok(Related::group_by(tickets, |t| t.representative_id))
        ///     }
        /// }
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let alice = representative(&support, "Alice").await?;
        /// let mut reps = support
        ///     .read(Representative::query().sort(Representative::name()))
        ///     .await?;
        /// support
        ///     .load(&mut reps, Representative::my_tickets())
        ///     .actor(&alice)
        ///     .authorize(true)
        ///     .await?;
        /// // With policies on, Alice sees her own tickets only.
        /// assert_eq!(reps[0].my_tickets.get()?.len(), 3);
        /// assert!(reps[1].my_tickets.get()?.is_empty());
        /// # Ok(()) }
        /// ```
        actor;
        /// Whether policies apply (Ash's `authorize?`); `false` unless set. Manual loaders
        /// see it as [`LoadContext::authorize`](crate::LoadContext::authorize).
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk!();
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// // `my_tickets` gives a representative's tickets only to that representative
        /// // as the actor, when policies apply.
        /// let mut reps = support
        ///     .read(Representative::query().sort(Representative::name()))
        ///     .await?;
        /// support
        ///     .load(&mut reps, Representative::my_tickets())
        ///     .authorize(false)
        ///     .await?;
        /// assert_eq!(reps[0].my_tickets.get()?.len(), 3);
        /// assert_eq!(reps[1].my_tickets.get()?.len(), 2);
        ///
        /// let mut reps = support
        ///     .read(Representative::query().sort(Representative::name()))
        ///     .await?;
        /// support
        ///     .load(&mut reps, Representative::my_tickets())
        ///     .authorize(true)
        ///     .await?;
        /// assert!(reps[0].my_tickets.get()?.is_empty());
        /// assert!(reps[1].my_tickets.get()?.is_empty());
        /// # Ok(()) }
        /// ```
        authorize;
        /// The tenant. Manual loaders see it as
        /// [`LoadContext::tenant`](crate::LoadContext::tenant).
        ///
        /// ```
        /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
        /// # helpdesk! { has_many per_tenant: Ticket { manual PerTenant; } }
        /// // In this example, `Representative` declares
        /// // `has_many per_tenant: Ticket { manual PerTenant; }`.
        /// /// Refuses to load without a tenant.
        /// struct PerTenant;
        ///
        /// impl ManualRelationship for PerTenant {
        ///     type Source = Representative;
        ///     type Destination = Ticket;
        ///
        ///     async fn load(
        ///         &self,
        ///         _: &[Representative],
        ///         ctx: &LoadContext<'_, Ticket>,
        ///     ) -> ashore::Result<Related<Representative, Ticket>> {
        ///         match ctx.tenant {
        ///             Some(tenant) => {
        ///                 assert_eq!(tenant, &Value::from("acme".to_string()));
        ///                 Ok(Related::empty())
        ///             }
        ///             None => Err(Error::loader("per_tenant needs a tenant")),
        ///         }
        ///     }
        /// }
        /// # #[tokio::main] async fn main() -> ashore::Result<()> {
        /// # let support = support().await?;
        /// let mut reps = support.read(Representative::query()).await?;
        /// let err = support
        ///     .load(&mut reps, Representative::per_tenant())
        ///     .await
        ///     .unwrap_err();
        /// assert_eq!(
        ///     err.to_string(),
        ///     "Representative.per_tenant: per_tenant needs a tenant"
        /// );
        ///
        /// support
        ///     .load(&mut reps, Representative::per_tenant())
        ///     .tenant("acme".to_string())
        ///     .await?;
        /// # Ok(()) }
        /// ```
        tenant;
    }

    /// Loads another relationship too; loads run in the order given.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let mut reps = support
    ///     .read(Representative::query().sort(Representative::name()))
    ///     .await?;
    /// support
    ///     .load(&mut reps, Representative::tickets())
    ///     .load(Representative::tickets_above_threshold())
    ///     .await?;
    /// assert_eq!(reps[0].tickets.get()?.len(), 3);
    /// assert_eq!(
    ///     subjects(reps[0].tickets_above_threshold.get()?),
    ///     ["Printer on fire", "VPN down"]
    /// );
    /// # Ok(()) }
    /// ```
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
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk! { has_many unassigned: Ticket { manual Unassigned; } }
    /// // In this example, `Representative` declares
    /// // `has_many unassigned: Ticket { manual Unassigned; }`.
    /// /// The tickets nobody has taken, offered to every representative.
    /// struct Unassigned;
    ///
    /// impl ManualRelationship for Unassigned {
    ///     type Source = Representative;
    ///     type Destination = Ticket;
    ///
    ///     async fn load(
    ///         &self,
    ///         reps: &[Representative],
    ///         ctx: &LoadContext<'_, Ticket>,
    ///     ) -> ashore::Result<Related<Representative, Ticket>> {
    ///         let free = ctx
    ///             .query
    ///             .clone()
    ///             .filter(expr!(is_nil(representative_id)))
    ///             .read(ctx)
    ///             .await?;
    ///         Ok(Related::by_position(
    ///             reps.iter().map(|_| free.clone()).collect(),
    ///         ))
    ///     }
    /// }
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let reps = support
    ///     .read(
    ///         Representative::query()
    ///             .sort(Representative::name())
    ///             .load(Representative::unassigned()),
    ///     )
    ///     .await?;
    /// assert_eq!(subjects(reps[0].unassigned.get()?), ["Lost badge"]);
    /// assert_eq!(subjects(reps[1].unassigned.get()?), ["Lost badge"]);
    /// # Ok(()) }
    /// ```
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
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk! { has_many checked: Ticket { manual Check; } }
    /// // In this example, `Representative` declares `has_many checked: Ticket { manual Check; }`.
    /// struct Check;
    ///
    /// impl ManualRelationship for Check {
    ///     type Source = Representative;
    ///     type Destination = Ticket;
    ///
    ///     async fn load(
    ///         &self,
    ///         _: &[Representative],
    ///         ctx: &LoadContext<'_, Ticket>,
    ///     ) -> ashore::Result<Related<Representative, Ticket>> {
    ///         let scope: &Scope = ctx.read_scope();
    ///         let urgent = scope
    ///             .read(Ticket::query().filter(expr!(priority > 4)))
    ///             .await?;
    ///         assert_eq!(
    ///             subjects(&urgent),
    ///             ["Printer on fire", "Server room flooded"]
    ///         );
    ///         Ok(Related::empty())
    ///     }
    /// }
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// support
    ///     .read(Representative::query().load(Representative::checked()))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn read<R: Resource>(&self, query: Query<R>) -> Result<Vec<R>> {
        engine::read::read(self, query).await
    }
}
