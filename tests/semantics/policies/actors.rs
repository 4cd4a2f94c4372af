//! Who the actor may be: any type implementing `Actor` gives its fields to
//! the policies (one lacking a field a policy reads is an error, not a silent
//! "no"), and only the policies of the resources a read meets are evaluated.

use ashore::ErrorKind;
use ashore::prelude::*;

use super::*;

/// A signed-in user that is not a resource: it gives its fields to the
/// policies through `Actor`.
#[derive(Clone)]
struct Session {
    user: Uuid,
    admin: bool,
}

impl ashore::Actor for Session {
    fn attribute(&self, name: &str) -> Option<ashore::Value> {
        match name {
            "id" => Some(self.user.into()),
            "admin" => Some(self.admin.into()),
            _ => None,
        }
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// An actor that has no `admin` field.
#[derive(Clone)]
struct Anonymous;

impl ashore::Actor for Anonymous {
    fn attribute(&self, _: &str) -> Option<ashore::Value> {
        None
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

async fn any_type_can_be_the_actor_but_not_one_missing_a_field(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let bob = Session {
        user: w.bob.id,
        admin: false,
    };
    let tickets = w.read_as(Ticket::query(), &bob, "acme").await?;
    assert_eq!(subjects(&tickets), ["bob-1"]);
    let boss = Session {
        user: Uuid::new_v4(),
        admin: true,
    };
    let tickets = w.read_as(Ticket::query(), &boss, "acme").await?;
    assert_eq!(subjects(&tickets), ["ada-1", "ada-2", "bob-1"]);
    // `actor_attribute_equals(admin, ..)` on an actor without `admin`: an error,
    // not a silent "no".
    let err = w
        .read_as(Ticket::query(), &Anonymous, "acme")
        .await
        .unwrap_err();
    lacks_admin_for_tickets(&err);
    Ok(())
}

/// Asserts `err` says Ticket's policy uses the actor's `admin`, which it lacks.
fn lacks_admin_for_tickets(err: &ashore::Error) {
    assert!(
        matches!(
            err.kind(),
            ErrorKind::ActorAttribute {
                resource: "Ticket",
                attribute: "admin"
            }
        ),
        "{err}"
    );
}
layers!(any_type_can_be_the_actor_but_not_one_missing_a_field);

/// Only the policies of the resources a read meets are evaluated: Ticket's
/// policy uses the actor's `admin`, which `Anonymous` lacks, and that fails a
/// read only when the read meets tickets.
async fn only_the_policies_of_resources_a_read_meets_are_evaluated(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let as_anonymous = |query: ashore::Query<Tag>| {
        w.domain
            .read(query)
            .actor(&Anonymous)
            .authorize(true)
            .tenant("acme")
    };
    // Tags never meet tickets here, though tickets are reachable from them.
    let mut labels: Vec<String> = as_anonymous(Tag::query())
        .await?
        .into_iter()
        .map(|t| t.label)
        .collect();
    labels.sort();
    assert_eq!(labels, ["low", "vip"]);
    let vip = as_anonymous(Tag::query().filter(expr!(label == "vip"))).await?;
    assert_eq!(vip.len(), 1);

    // A filter through tickets, and a load of them, do meet them.
    let through = as_anonymous(Tag::query().filter(expr!(exists(tickets, subject == "bob-1"))));
    lacks_admin_for_tickets(&through.await.unwrap_err());
    let loaded = as_anonymous(Tag::query().load(Tag::tickets()));
    lacks_admin_for_tickets(&loaded.await.unwrap_err());
    Ok(())
}
layers!(only_the_policies_of_resources_a_read_meets_are_evaluated);
