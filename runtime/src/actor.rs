//! [`Actor`]: who reads, as policies and manual loaders see them. Any resource
//! is an actor (the impl is with `Resource`); so is any type that implements
//! the trait.

use std::any::Any;

use crate::value::Value;

/// Who is reading: any resource, or a user type that gives its fields by name.
/// Carried to every load and to manual loaders (`LoadContext::actor`).
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk! { has_many visible: Ticket { manual Visible; } }
/// /// A user of the API, who may see the tickets of one representative.
/// #[derive(Clone)]
/// struct ApiUser {
///     team: String,
/// }
///
/// impl Actor for ApiUser {
///     fn attribute(&self, name: &str) -> Option<Value> {
///         (name == "team").then(|| Value::from(self.team.clone()))
///     }
///     fn as_any(&self) -> &dyn std::any::Any {
///         self
///     }
/// }
///
/// // In this example, `Representative` declares `has_many visible: Ticket { manual Visible; }`.
/// /// The tickets the actor may see: those of the representative named by its team.
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
///         let team = ctx.actor.and_then(|a| a.attribute("team"));
///         let ids: Vec<Uuid> = reps
///             .iter()
///             .filter(|r| team == Some(Value::from(r.name.clone())))
///             .map(|r| r.id)
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
/// let reps = support
///     .read(
///         Representative::query()
///             .sort(Representative::name())
///             .load(Representative::visible()),
///     )
///     .actor(&ApiUser {
///         team: "Alice".into(),
///     })
///     .await?;
/// assert_eq!(reps[0].visible.get()?.len(), 3);
/// assert!(reps[1].visible.get()?.is_empty());
/// # Ok(()) }
/// ```
pub trait Actor: Send + Sync + 'static {
    /// The value of the actor's field `name`, or `None` when it has no such field.
    /// A resource gives its attributes (not its relationships).
    fn attribute(&self, name: &str) -> Option<Value>;
    /// The actor as `Any`, so a manual loader can downcast to its own type.
    fn as_any(&self) -> &dyn Any;
}
