//! The request scope (`Domain::scoped`) and loader state
//! (`DomainBuilder::state`), on every layer: an actor and a tenant set once
//! hold for reads, loads (manual loaders included), creates, updates,
//! destroys, relationship writes and transaction blocks made through the
//! scoped domain; one request may still override them; the scope never
//! leaks into the domain it came from; a manual loader reaches the domain's
//! shared state.
//!
//! Two organisations: `acme` (agents Ada and Bob, each with one note) and
//! `globex` (agent Gil, with one note). A note is read, changed and destroyed
//! only by its agent.

use ashore::prelude::*;

use crate::common::{Run, domain, layers};

resource! {
    /// An agent of an organisation.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Agent {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            attribute org: String;
        }
        relationships {
            has_many notes: Note;
            has_many flagged: Note { manual Flagged; }
        }
        multitenancy {
            attribute org;
        }
    }
}

resource! {
    /// A note an agent keeps: only that agent reads or writes it.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Note {
        attributes {
            uuid_primary_key id;
            attribute text: String;
            attribute org: String;
        }
        relationships {
            belongs_to agent: Agent;
        }
        policies {
            policy always() {
                authorize_if expr(agent_id == ^actor(id));
            }
        }
        multitenancy {
            attribute org;
        }
    }
}

/// The word a [`Flagged`] note holds: state the domain shares with loaders.
struct Flag(&'static str);

/// The notes holding the domain's [`Flag`], read in the loader's scope.
struct Flagged;

impl ManualRelationship for Flagged {
    type Source = Agent;
    type Destination = Note;

    async fn load(
        &self,
        agents: &[Agent],
        ctx: &LoadContext<'_, Note>,
    ) -> ashore::Result<Related<Agent, Note>> {
        let Flag(word) = ctx
            .state::<Flag>()
            .ok_or_else(|| ashore::Error::data_layer("the domain holds no Flag for `Flagged`"))?;
        let word = (*word).to_owned();
        let ids: Vec<Uuid> = agents.iter().map(|a| a.id).collect();
        let notes = ctx
            .query
            .clone()
            .filter(expr!(agent_id in ^ids and text == ^word))
            .read(ctx)
            .await?;
        Ok(Related::group_by(notes, |n| n.agent_id))
    }
}

struct World {
    support: Domain,
    ada: Agent,
    bob: Agent,
}

async fn world(run: &Run) -> ashore::Result<World> {
    let support = domain(run, |b| {
        b.resource::<Agent>()
            .resource::<Note>()
            .state(Flag("urgent"))
    })
    .await;
    let agent = |name: &str, org: &str| {
        let support = support.clone();
        let (name, org) = (name.to_owned(), org.to_owned());
        async move {
            support
                .create(Agent::changeset().set(Agent::name(), name))
                .tenant(org)
                .await
        }
    };
    let (ada, bob, gil) = (
        agent("Ada", "acme").await?,
        agent("Bob", "acme").await?,
        agent("Gil", "globex").await?,
    );
    for (who, org, text) in [
        (&ada, "acme", "urgent"),
        (&bob, "acme", "urgent"),
        (&gil, "globex", "urgent"),
    ] {
        support
            .create(
                Note::changeset()
                    .set(Note::text(), text)
                    .set(Note::agent_id(), Some(who.id)),
            )
            .tenant(org.to_owned())
            .authorize(false)
            .await?;
    }
    Ok(World { support, ada, bob })
}

fn texts(notes: &[Note]) -> Vec<&str> {
    notes.iter().map(|n| n.text.as_str()).collect()
}

async fn reads_and_loads_run_in_the_scope(run: Run) -> ashore::Result<()> {
    let World { support, ada, .. } = world(&run).await?;
    let request = support.scoped().actor(&ada).tenant("acme".to_owned());

    let notes = request.read(Note::query()).await?;
    assert_eq!(notes.len(), 1, "Ada's own note, in acme");
    assert_eq!(notes[0].agent_id, Some(ada.id));

    let agents = request
        .read(
            Agent::query()
                .sort(Agent::name())
                .load(Agent::notes())
                .load(Agent::flagged()),
        )
        .await?;
    let names: Vec<&str> = agents.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Ada", "Bob"], "acme only");
    assert_eq!(texts(agents[0].notes.get()?), ["urgent"]);
    assert!(agents[1].notes.get()?.is_empty(), "Bob's note is Bob's");
    // The manual loader reads in the scope, with the domain's state.
    assert_eq!(texts(agents[0].flagged.get()?), ["urgent"]);
    assert!(agents[1].flagged.get()?.is_empty());

    // One request may say otherwise; the scope is the default, not a cage.
    let all_acme = request.read(Note::query()).authorize(false).await?;
    assert_eq!(all_acme.len(), 2);
    // The domain it came from is not scoped: no tenant, and no actor.
    let err = support.read(Note::query()).await.expect_err("no tenant");
    assert!(
        matches!(err.kind(), ErrorKind::TenantRequired { .. }),
        "{err:?}"
    );
    let notes = support
        .read(Note::query())
        .tenant("acme".to_owned())
        .await?;
    assert!(notes.is_empty(), "no actor: {notes:?}");
    Ok(())
}
layers!(reads_and_loads_run_in_the_scope);

async fn writes_and_transactions_run_in_the_scope(run: Run) -> ashore::Result<()> {
    let World {
        support, ada, bob, ..
    } = world(&run).await?;
    let request = support.scoped().actor(&ada).tenant("acme".to_owned());

    // Created in the scope's tenant, by its actor.
    let mine = request
        .create(
            Note::changeset()
                .set(Note::text(), "call back")
                .set(Note::agent_id(), Some(ada.id)),
        )
        .await?;
    assert_eq!(mine.org, "acme");
    let err = request
        .create(
            Note::changeset()
                .set(Note::text(), "not mine")
                .set(Note::agent_id(), Some(bob.id)),
        )
        .await
        .expect_err("a note of Bob's, as Ada");
    assert!(matches!(err.kind(), ErrorKind::Forbidden { .. }), "{err:?}");

    let changed = request
        .update_all(Note::query(), Note::changeset().set(Note::text(), "done"))
        .await?;
    assert_eq!(texts(&changed), ["done", "done"], "Ada's two notes only");

    // A transaction's block gets a domain in the same scope.
    let inside = request
        .transaction(|tx| async move {
            tx.destroy(&mine).await?;
            tx.read(Note::query()).await
        })
        .await?;
    assert_eq!(inside.len(), 1, "Ada's other note");

    let bobs = support
        .scoped()
        .actor(&bob)
        .tenant("acme".to_owned())
        .read(Note::query())
        .await?;
    assert_eq!(texts(&bobs), ["urgent"], "Bob's note untouched");
    Ok(())
}
layers!(writes_and_transactions_run_in_the_scope);

#[test]
fn a_domain_without_state_has_none_and_the_scope_shows_in_debug() {
    let support = Domain::builder()
        .resource::<Agent>()
        .resource::<Note>()
        .build()
        .expect("a domain");
    assert!(support.state::<Flag>().is_none());
    let ada = Agent {
        id: Uuid::nil(),
        name: "Ada".to_owned(),
        org: "acme".to_owned(),
        notes: Loaded::NotLoaded,
        flagged: Loaded::NotLoaded,
    };
    let request = support.scoped().actor(&ada).tenant("acme".to_owned());
    let shown = format!("{request:?}");
    assert!(shown.contains("actor: true"), "{shown}");
    assert!(shown.contains("authorize: true"), "{shown}");
    assert!(shown.contains(r#"tenant: Some(String("acme"))"#), "{shown}");
    let off = request.scoped().authorize(false);
    assert!(format!("{off:?}").contains("authorize: false"));
}
