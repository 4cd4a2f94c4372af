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

resource! {
    /// A memo its owner reads; only an admin writes one. The write policy reads
    /// the actor's `admin`, the read policy only its `id`.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Memo {
        attributes {
            uuid_primary_key id;
            attribute owner: Uuid;
            attribute text: String;
        }
        policies {
            policy action_type(read) {
                authorize_if expr(owner == ^actor(id));
            }
            policy action_type(create, update, destroy) {
                authorize_if actor_attribute_equals(admin, true);
            }
        }
    }
}

/// An actor with an `id` and no `admin`.
#[derive(Clone)]
struct Reader(Uuid);

impl ashore::Actor for Reader {
    fn attribute(&self, name: &str) -> Option<ashore::Value> {
        (name == "id").then(|| self.0.into())
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// A policy whose condition does not hold for the action is not evaluated (as
/// in Ash): reading memos as an actor without `admin` is no error, since only
/// the write policy reads `admin`; writing one is.
async fn only_the_policies_of_the_action_are_evaluated(run: Run) -> ashore::Result<()> {
    let d = crate::common::domain(&run, |b| b.resource::<Memo>()).await;
    let me = Reader(Uuid::new_v4());
    for (owner, text) in [(me.0, "mine"), (Uuid::new_v4(), "theirs")] {
        d.create(
            Memo::changeset()
                .set(Memo::owner(), owner)
                .set(Memo::text(), text),
        )
        .authorize(false)
        .await?;
    }
    let mine = d.read(Memo::query()).actor(&me).await?;
    assert_eq!(
        mine.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(),
        ["mine"]
    );
    assert_eq!(d.read(Memo::query()).actor(&me).count().await?, 1);
    let err = d
        .update(&mine[0], Memo::changeset().set(Memo::text(), "edited"))
        .actor(&me)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::ActorAttribute {
                resource: "Memo",
                attribute: "admin"
            }
        ),
        "{err}"
    );
    Ok(())
}
layers!(only_the_policies_of_the_action_are_evaluated);
