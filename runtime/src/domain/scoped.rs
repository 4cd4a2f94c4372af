//! [`Scoped`]: a domain with its actor, authorize flag and tenant set once,
//! for every request made through it (a web handler's request scope), and the
//! [`Defaults`] a domain carries for it.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use crate::resource::Actor;
use crate::value::Value;

use super::Domain;

/// The actor, authorize flag and tenant every request on a domain starts
/// from (what [`Scoped`] sets).
#[derive(Clone)]
pub(crate) struct Defaults {
    pub(crate) actor: Option<Arc<dyn Actor>>,
    pub(crate) authorize: bool,
    pub(crate) tenant: Option<Value>,
}

/// A domain whose requests all start with the same actor, authorize flag and
/// tenant: made once per request (from a session, from headers) and handed to
/// the code that serves it, so that no call can forget them. Made by
/// [`Domain::scoped`]; cheap to clone.
///
/// Every verb of [`Domain`] runs through it (it dereferences to its domain):
/// reads, loads, writes, relationship writes and transactions, whose block
/// gets a domain in the same scope. A manual loader sees the scope as every
/// load does ([`LoadContext::actor`](crate::LoadContext::actor), ..). One
/// request may still say otherwise (`.authorize(false)` on a read).
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let alice = representative(&support, "Alice").await?;
/// // Once per request; `MyTickets` hands a representative's tickets only to
/// // that representative as the actor.
/// let request = support.scoped().actor(&alice);
///
/// let reps = request
///     .read(
///         Representative::query()
///             .sort(Representative::name())
///             .load(Representative::my_tickets()),
///     )
///     .await?;
/// assert_eq!(reps[0].my_tickets.get()?.len(), 3);
/// assert!(reps[1].my_tickets.get()?.is_empty());
///
/// // Without the scope, no actor: nobody's tickets.
/// let reps = support
///     .read(Representative::query().load(Representative::my_tickets()))
///     .await?;
/// assert!(reps.iter().all(|r| r.my_tickets.get().unwrap().is_empty()));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Scoped {
    domain: Domain,
}

impl Domain {
    /// This domain with an actor, an authorize flag and a tenant that every
    /// request through it starts with (see [`Scoped`]). A domain that is
    /// itself scoped keeps its scope until a setter changes it.
    pub fn scoped(&self) -> Scoped {
        Scoped {
            domain: self.clone(),
        }
    }
}

impl Scoped {
    /// Every request runs as this actor: any resource, or a type implementing
    /// [`Actor`].
    pub fn actor<A: Actor + Clone>(mut self, actor: &A) -> Self {
        self.defaults().actor = Some(Arc::new(actor.clone()));
        self
    }

    /// Whether policies apply to every request (`true` unless set).
    pub fn authorize(mut self, authorize: bool) -> Self {
        self.defaults().authorize = authorize;
        self
    }

    /// Every request runs in this tenant.
    pub fn tenant(mut self, tenant: impl Into<Value>) -> Self {
        self.defaults().tenant = Some(tenant.into());
        self
    }

    /// The domain, in this scope (the same value `Deref` gives).
    pub fn domain(&self) -> &Domain {
        &self.domain
    }

    fn defaults(&mut self) -> &mut Defaults {
        let defaults = self.domain.defaults.get_or_insert_with(|| {
            Arc::new(Defaults {
                actor: None,
                authorize: true,
                tenant: None,
            })
        });
        Arc::make_mut(defaults)
    }
}

impl Deref for Scoped {
    type Target = Domain;

    fn deref(&self) -> &Domain {
        &self.domain
    }
}

impl From<Scoped> for Domain {
    fn from(scoped: Scoped) -> Domain {
        scoped.domain
    }
}

/// The domain, whether an actor is set (not the actor itself), the authorize
/// flag and the tenant.
impl fmt::Debug for Scoped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let defaults = self.domain.defaults.as_deref();
        f.debug_struct("Scoped")
            .field("domain", &self.domain)
            .field("actor", &defaults.is_some_and(|d| d.actor.is_some()))
            .field("authorize", &defaults.is_none_or(|d| d.authorize))
            .field("tenant", &defaults.and_then(|d| d.tenant.as_ref()))
            .finish()
    }
}
