//! The scope of a read: domain, actor, authorize flag and tenant, which every
//! nested and manual load inherits ([`Scope`]), and [`ReadScope`] for helpers
//! that take a scope or a `LoadContext`.

use std::fmt;
use std::sync::Arc;

use crate::resource::Actor;
use crate::value::Value;

use super::Domain;

/// The domain, actor, authorize flag and tenant a read runs with. Loads and manual
/// loaders pass it on, so everything a read triggers runs as the read does.
///
/// A manual loader reaches it with [`ReadScope::read_scope`] on its
/// [`LoadContext`](crate::LoadContext), and can hand it to helpers that read on
/// the caller's behalf:
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk! { has_many visible: Ticket { manual Visible; } }
/// /// The tickets of `ids` that the actor may see: their own, when policies apply.
/// async fn visible_tickets(scope: &Scope, ids: Vec<Uuid>) -> ashore::Result<Vec<Ticket>> {
///     assert_eq!(scope.tenant(), Some(&Value::from("acme".to_string())));
///     let ids = match (scope.authorize(), scope.actor()) {
///         (false, _) => ids,
///         (true, Some(actor)) => ids
///             .into_iter()
///             .filter(|&id| actor.attribute("id") == Some(Value::from(id)))
///             .collect(),
///         (true, None) => Vec::new(),
///     };
///     // Reads in `scope`: same domain, actor, authorize flag and tenant.
///     Ticket::query()
///         .filter(expr!(representative_id in ^ids))
///         .sort(Ticket::priority().desc())
///         .read(scope)
///         .await
/// }
///
/// // In this example, `Representative` declares `has_many visible: Ticket { manual Visible; }`.
/// struct Visible;
///
/// impl ManualRelationship for Visible {
///     type Source = Representative;
///     type Destination = Ticket;
///
///     async fn load(
///         &self,
///         reps: &[Representative],
///         ctx: &LoadContext<'_, Ticket>,
///     ) -> ashore::Result<Related<Representative, Ticket>> {
///         let ids = reps.iter().map(|r| r.id).collect();
///         let tickets = visible_tickets(ctx.read_scope(), ids).await?;
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
///             .load(Representative::visible()),
///     )
///     .actor(&alice)
///     .authorize(true)
///     .tenant("acme".to_string())
///     .await?;
/// assert_eq!(
///     subjects(reps[0].visible.get()?),
///     ["Printer on fire", "VPN down", "Coffee machine empty"]
/// );
/// assert!(reps[1].visible.get()?.is_empty());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Scope {
    pub(crate) domain: Domain,
    pub(crate) actor: Option<Arc<dyn Actor>>,
    pub(crate) authorize: bool,
    pub(crate) tenant: Option<Value>,
}

impl fmt::Debug for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope")
            .field("actor", &self.actor.is_some())
            .field("authorize", &self.authorize)
            .field("tenant", &self.tenant)
            .finish()
    }
}

impl Scope {
    /// The scope a request on `domain` starts in: the domain's defaults
    /// ([`Domain::scoped`]), else no actor, authorized, no tenant.
    pub(crate) fn new(domain: Domain) -> Self {
        match domain.defaults.clone() {
            None => Scope {
                domain,
                actor: None,
                authorize: true,
                tenant: None,
            },
            Some(defaults) => Scope {
                actor: defaults.actor.clone(),
                authorize: defaults.authorize,
                tenant: defaults.tenant.clone(),
                domain,
            },
        }
    }

    /// The domain.
    pub fn domain(&self) -> &Domain {
        &self.domain
    }

    /// The actor, as given to the read.
    pub fn actor(&self) -> Option<&dyn Actor> {
        self.actor.as_deref()
    }

    /// The authorize flag, as given to the read (`true` unless set: a
    /// resource's policies apply unless the caller turns them off).
    pub fn authorize(&self) -> bool {
        self.authorize
    }

    /// The tenant, as given to the read.
    pub fn tenant(&self) -> Option<&Value> {
        self.tenant.as_ref()
    }
}

/// Something that carries a [`Scope`]: a `LoadContext`, or a scope itself.
/// [`Query::read`](crate::Query::read) takes either, so helpers can be written once for both.
pub trait ReadScope {
    /// The scope.
    fn read_scope(&self) -> &Scope;
}

impl ReadScope for Scope {
    fn read_scope(&self) -> &Scope {
        self
    }
}
