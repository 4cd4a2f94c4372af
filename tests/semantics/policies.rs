//! Read policies and multitenancy on every layer: an actor sees exactly the
//! rows its policies allow, and a second tenant's rows never appear, in reads,
//! nested loads, manual loads (even from a loader that drops the actor),
//! many_to_many loads and relationship-path filters; `authorize_read_with
//! error` reports a forbidden row; creates take the tenant.
//!
//! Two organisations, `acme` and `globex`. In `acme`: Ada (admin) and Bob, with
//! tickets `ada-1`, `ada-2`, `bob-1`, tagged `vip` (`ada-1`, `bob-1`) and `low`
//! (`ada-2`). In `globex`: Gil with `gil-1`, tagged `vip`.

use ashore::prelude::*;
use ashore::{ErrorKind, ManualRelationship};

use crate::common::{Run, domain, layers};

mod actors;
mod nils;

resource! {
    /// An agent of an organisation: the actor of these tests.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Agent {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            attribute admin: bool;
            attribute org: String;
        }
        relationships {
            has_many tickets: Ticket;
            has_many all_tickets: Ticket {
                manual EveryTicket;
            }
            has_many overreaching_tickets: Ticket {
                manual EveryTicketOfTheTenant;
            }
            has_many strict_tickets: Ticket {
                destination_attribute agent_id;
                authorize_read_with error;
            }
        }
        multitenancy {
            attribute org;
        }
    }
}

resource! {
    /// A ticket: an admin sees every ticket of its organisation, an agent its own.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
            attribute org: String;
        }
        relationships {
            belongs_to agent: Agent;
            many_to_many tags: Tag {
                through TicketTag;
            }
        }
        policies {
            policy action_type(read) {
                authorize_if actor_attribute_equals(admin, true);
                authorize_if expr(agent_id == ^actor(id));
            }
            // Any agent may change what it may read (a bulk write also runs
            // the read's policies).
            policy action_type(update, destroy) {
                authorize_if actor_present();
            }
        }
        multitenancy {
            attribute org;
        }
    }
}

resource! {
    /// A tag, shared by every organisation.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Tag {
        attributes {
            uuid_primary_key id;
            attribute label: String;
        }
        relationships {
            many_to_many tickets: Ticket {
                through TicketTag;
            }
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct TicketTag {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            belongs_to ticket: Ticket;
            belongs_to tag: Tag;
        }
    }
}

/// A mistaken manual loader: every ticket of the tenant, whichever agents it
/// was given, read without the actor (a key of no parent is its mistake).
struct EveryTicketOfTheTenant;

impl ManualRelationship for EveryTicketOfTheTenant {
    type Source = Agent;
    type Destination = Ticket;

    async fn load(
        &self,
        _agents: &[Agent],
        ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Agent, Ticket>> {
        let mut read = ctx.domain.read(Ticket::query()).authorize(false);
        if let Some(tenant) = ctx.tenant {
            read = read.tenant(tenant.clone());
        }
        Ok(Related::group_by(read.await?, |t| t.agent_id))
    }
}

/// A manual loader that reads every ticket of the agents in the tenant but
/// drops the actor and the authorize flag: what it returns must still be
/// checked against the caller's policies.
struct EveryTicket;

impl ManualRelationship for EveryTicket {
    type Source = Agent;
    type Destination = Ticket;

    async fn load(
        &self,
        agents: &[Agent],
        ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Agent, Ticket>> {
        let ids: Vec<Uuid> = agents.iter().map(|a| a.id).collect();
        // Without the actor and its policies: the load checks what comes back.
        let mut read = ctx
            .domain
            .read(Ticket::query().filter(expr!(agent_id in ^ids)))
            .authorize(false);
        if let Some(tenant) = ctx.tenant {
            read = read.tenant(tenant.clone());
        }
        let tickets = read.await?;
        Ok(Related::group_by(tickets, |t| t.agent_id))
    }
}

struct World {
    domain: Domain,
    ada: Agent,
    bob: Agent,
    gil: Agent,
}

impl World {
    /// `query` read as `actor` in `tenant`, with policies applied.
    async fn read_as<R: Resource>(
        &self,
        query: ashore::Query<R>,
        actor: &(impl ashore::Actor + Clone),
        tenant: &str,
    ) -> ashore::Result<Vec<R>> {
        self.domain
            .read(query)
            .actor(actor)
            .authorize(true)
            .tenant(tenant)
            .await
    }
}

async fn agent(d: &Domain, org: &str, name: &str, admin: bool) -> Agent {
    d.create(
        Agent::changeset()
            .set(Agent::name(), name)
            .set(Agent::admin(), admin),
    )
    .tenant(org)
    .await
    .expect("agent")
}

async fn ticket(d: &Domain, by: &Agent, subject: &str, tags: &[&Tag]) -> Ticket {
    let t = d
        .create(
            Ticket::changeset()
                .set(Ticket::subject(), subject)
                .set(Ticket::agent_id(), by.id),
        )
        .tenant(by.org.as_str())
        // Seeding: no policy governs creates of Ticket, which would forbid them.
        .authorize(false)
        .await
        .expect("ticket");
    for tag in tags {
        d.create(
            TicketTag::changeset()
                .set(TicketTag::ticket_id(), t.id)
                .set(TicketTag::tag_id(), tag.id),
        )
        .await
        .expect("ticket tag");
    }
    t
}

async fn world(run: &Run) -> World {
    let domain = domain(run, |b| {
        b.resource::<Agent>()
            .resource::<Ticket>()
            .resource::<Tag>()
            .resource::<TicketTag>()
    })
    .await;
    let d = &domain;
    let vip = d
        .create(Tag::changeset().set(Tag::label(), "vip"))
        .await
        .expect("tag");
    let low = d
        .create(Tag::changeset().set(Tag::label(), "low"))
        .await
        .expect("tag");
    let ada = agent(d, "acme", "Ada", true).await;
    let bob = agent(d, "acme", "Bob", false).await;
    let gil = agent(d, "globex", "Gil", true).await;
    ticket(d, &ada, "ada-1", &[&vip]).await;
    ticket(d, &ada, "ada-2", &[&low]).await;
    ticket(d, &bob, "bob-1", &[&vip]).await;
    ticket(d, &gil, "gil-1", &[&vip]).await;
    World {
        domain,
        ada,
        bob,
        gil,
    }
}

fn subjects(tickets: &[Ticket]) -> Vec<&str> {
    let mut s: Vec<&str> = tickets.iter().map(|t| t.subject.as_str()).collect();
    s.sort();
    s
}

async fn reads_see_what_policies_allow_in_the_tenant(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let all = || Ticket::query();
    let as_ada = w.read_as(all(), &w.ada, "acme").await?;
    assert_eq!(subjects(&as_ada), ["ada-1", "ada-2", "bob-1"]);
    let as_bob = w.read_as(all(), &w.bob, "acme").await?;
    assert_eq!(subjects(&as_bob), ["bob-1"]);
    // No actor: nothing passes the policy.
    let nobody = w.domain.read(all()).authorize(true).tenant("acme").await?;
    assert!(nobody.is_empty());
    // Policies apply unless turned off: a read that never says
    // `authorize(true)` sees what the actor may see, no more.
    let by_default = w.domain.read(all()).actor(&w.bob).tenant("acme").await?;
    assert_eq!(subjects(&by_default), ["bob-1"]);
    let nobody = w.domain.read(all()).tenant("acme").await?;
    assert!(nobody.is_empty());
    // authorize(false) bypasses policies, never the tenant.
    let bypass = w
        .domain
        .read(all())
        .actor(&w.bob)
        .authorize(false)
        .tenant("acme")
        .await?;
    assert_eq!(subjects(&bypass), ["ada-1", "ada-2", "bob-1"]);
    let globex = w.read_as(all(), &w.gil, "globex").await?;
    assert_eq!(subjects(&globex), ["gil-1"]);
    // A multitenant read without a tenant is an error.
    let err = w
        .domain
        .read(all())
        .actor(&w.ada)
        .authorize(true)
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::TenantRequired { resource: "Ticket" }),
        "{err}"
    );
    Ok(())
}
layers!(reads_see_what_policies_allow_in_the_tenant);

async fn nested_loads_apply_policies_at_every_depth(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    // Tag -> tickets -> agent, as Bob in acme: only his ticket, under `vip`.
    let tags = w
        .read_as(
            Tag::query()
                .sort(Tag::label().asc())
                .load(Tag::tickets().load(Ticket::agent())),
            &w.bob,
            "acme",
        )
        .await?;
    let low = tags[0].tickets.get()?;
    let vip = tags[1].tickets.get()?;
    assert!(low.is_empty(), "ada-2 is Ada's");
    assert_eq!(subjects(vip), ["bob-1"], "gil-1 is globex's, ada-1 Ada's");
    assert_eq!(
        vip[0].agent.get()?.as_ref().map(|a| a.name.as_str()),
        Some("Bob")
    );
    // Agents -> tickets as Bob: Ada's list is empty.
    let agents = w
        .read_as(
            Agent::query()
                .sort(Agent::name().asc())
                .load(Agent::tickets()),
            &w.bob,
            "acme",
        )
        .await?;
    assert_eq!(agents.len(), 2, "Gil is globex's");
    assert!(agents[0].tickets.get()?.is_empty());
    assert_eq!(subjects(agents[1].tickets.get()?), ["bob-1"]);
    Ok(())
}
layers!(nested_loads_apply_policies_at_every_depth);

async fn manual_loads_are_checked_even_when_the_loader_drops_the_actor(
    run: Run,
) -> ashore::Result<()> {
    let w = world(&run).await;
    let query = || {
        Agent::query()
            .sort(Agent::name().asc())
            .load(Agent::all_tickets())
    };
    let as_bob = w.read_as(query(), &w.bob, "acme").await?;
    assert!(as_bob[0].all_tickets.get()?.is_empty(), "Ada's tickets");
    assert_eq!(subjects(as_bob[1].all_tickets.get()?), ["bob-1"]);
    let as_ada = w.read_as(query(), &w.ada, "acme").await?;
    assert_eq!(subjects(as_ada[0].all_tickets.get()?), ["ada-1", "ada-2"]);
    assert_eq!(subjects(as_ada[1].all_tickets.get()?), ["bob-1"]);
    Ok(())
}
layers!(manual_loads_are_checked_even_when_the_loader_drops_the_actor);

async fn relationship_paths_only_see_allowed_rows(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let tagged =
        |subject: &'static str| Tag::query().filter(expr!(exists(tickets, subject == ^subject)));
    // ada-1 is tagged vip, but Bob may not see ada-1: no tag matches.
    let as_bob = w.read_as(tagged("ada-1"), &w.bob, "acme").await?;
    assert!(as_bob.is_empty());
    let as_ada = w.read_as(tagged("ada-1"), &w.ada, "acme").await?;
    assert_eq!(as_ada.len(), 1);
    // gil-1 is globex's: never matched from acme.
    let from_acme = w.read_as(tagged("gil-1"), &w.ada, "acme").await?;
    assert!(from_acme.is_empty());
    let from_globex = w.read_as(tagged("gil-1"), &w.gil, "globex").await?;
    assert_eq!(from_globex.len(), 1);
    Ok(())
}
layers!(relationship_paths_only_see_allowed_rows);

async fn authorize_read_with_error_reports_the_forbidden_row(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let err = w
        .read_as(Agent::query().load(Agent::strict_tickets()), &w.bob, "acme")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Forbidden {
                resource: "Ticket",
                ..
            }
        ),
        "{err}"
    );
    // An admin may read them all: no error.
    let agents = w
        .read_as(
            Agent::query()
                .sort(Agent::name().asc())
                .load(Agent::strict_tickets()),
            &w.ada,
            "acme",
        )
        .await?;
    assert_eq!(
        subjects(agents[0].strict_tickets.get()?),
        ["ada-1", "ada-2"]
    );
    Ok(())
}
layers!(authorize_read_with_error_reports_the_forbidden_row);

/// A load that reports forbidden records reads its own records past the
/// policies (to report them), but never the paths of its filter: Bob's
/// `bob-1` and Ada's `ada-1` share the tag `vip`, and through it Bob sees
/// only his own tickets, so a filter asking whether `ada-1` is there matches
/// nothing, exactly as one asking for a ticket that does not exist.
async fn a_reporting_load_filter_sees_only_what_the_actor_may_read(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let probe = |subject: &'static str| {
        Agent::query()
            .filter(expr!(name == "Bob"))
            .load(Agent::strict_tickets().filter(expr!(exists(tags.tickets, subject == ^subject))))
    };
    let hidden = w.read_as(probe("ada-1"), &w.bob, "acme").await?;
    let missing = w.read_as(probe("no-such-ticket"), &w.bob, "acme").await?;
    assert_eq!(
        subjects(hidden[0].strict_tickets.get()?),
        Vec::<&str>::new()
    );
    assert_eq!(
        subjects(missing[0].strict_tickets.get()?),
        Vec::<&str>::new()
    );
    // His own ticket is found through the same path.
    let own = w.read_as(probe("bob-1"), &w.bob, "acme").await?;
    assert_eq!(subjects(own[0].strict_tickets.get()?), ["bob-1"]);
    Ok(())
}
layers!(a_reporting_load_filter_sees_only_what_the_actor_may_read);

/// A loader's records under a key of no parent are its mistake, reported
/// naming the key, but only once what the caller may not read is gone: Bob
/// loading his own tickets through a loader that returns Ada's too (hidden
/// from him) gets his own, and no error carrying a key read from Ada's
/// tickets; Ada, who may read Bob's, gets the error naming his key.
async fn a_loader_key_of_no_parent_never_tells_a_hidden_record(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let own = |name: &'static str| {
        Agent::query()
            .filter(expr!(name == ^name))
            .load(Agent::overreaching_tickets())
    };
    let bob = w.read_as(own("Bob"), &w.bob, "acme").await?;
    assert_eq!(subjects(bob[0].overreaching_tickets.get()?), ["bob-1"]);
    let err = w.read_as(own("Ada"), &w.ada, "acme").await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::KeyOfNoParent { key } if *key == w.bob.id.into()),
        "{err:?}"
    );
    Ok(())
}
layers!(a_loader_key_of_no_parent_never_tells_a_hidden_record);

async fn creates_take_the_tenant(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    assert_eq!(w.ada.org, "acme");
    assert_eq!(w.gil.org, "globex");
    let err = w
        .domain
        .create(
            Agent::changeset()
                .set(Agent::name(), "Nobody")
                .set(Agent::admin(), false),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::TenantRequired { resource: "Agent" }),
        "{err}"
    );
    let err = w
        .domain
        .create(
            Agent::changeset()
                .set(Agent::name(), "Spy")
                .set(Agent::admin(), false)
                .set(Agent::org(), "globex"),
        )
        .tenant("acme")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not the tenant"), "{err}");
    Ok(())
}
layers!(creates_take_the_tenant);

/// `get`, `first` and `count` see what a read sees: a record of another
/// tenant, or one a policy hides, is never found nor counted.
async fn gets_and_counts_see_what_policies_allow_in_the_tenant(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.domain;
    let id_of = |tickets: Vec<Ticket>, subject: &str| {
        tickets
            .into_iter()
            .find(|t| t.subject == subject)
            .map(|t| t.id)
            .expect("seeded")
    };
    let every = || d.read(Ticket::query()).authorize(false);
    let acme = every().tenant("acme").await?;
    let globex = every().tenant("globex").await?;
    let (ada_1, gil_1) = (id_of(acme, "ada-1"), id_of(globex, "gil-1"));

    let get_as = |id, actor: &Agent, tenant: &str| {
        d.get::<Ticket>(id)
            .actor(actor)
            .authorize(true)
            .tenant(tenant.to_owned())
    };
    assert!(get_as(ada_1, &w.ada, "acme").await?.is_some());
    // Hidden by the policy, and in another tenant: as if absent.
    assert!(get_as(ada_1, &w.bob, "acme").await?.is_none());
    assert!(get_as(gil_1, &w.ada, "acme").await?.is_none());

    let count_as = |actor: &Agent, tenant: &str| {
        d.read(Ticket::query())
            .count()
            .actor(actor)
            .authorize(true)
            .tenant(tenant.to_owned())
    };
    assert_eq!(count_as(&w.ada, "acme").await?, 3);
    assert_eq!(count_as(&w.bob, "acme").await?, 1);
    assert_eq!(count_as(&w.gil, "globex").await?, 1);
    let first = d
        .read(Ticket::query().sort(Ticket::subject().desc()))
        .first()
        .actor(&w.bob)
        .authorize(true)
        .tenant("acme")
        .await?;
    assert_eq!(first.map(|t| t.subject), Some("bob-1".to_owned()));
    Ok(())
}
layers!(gets_and_counts_see_what_policies_allow_in_the_tenant);

/// A write the update/destroy policy allows still touches only what the actor
/// may read (the read policy applies to the records a write selects): Bob's
/// bulk update changes his ticket alone, and Ada's ticket, named by Bob, is not
/// found.
async fn a_write_touches_only_what_the_actor_may_read(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.domain;
    let retitle = Ticket::changeset().set(Ticket::subject(), "mine");
    let changed = d
        .update_all(Ticket::query(), retitle.clone())
        .actor(&w.bob)
        .authorize(true)
        .tenant("acme")
        .await?;
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].agent_id, Some(w.bob.id));
    let every = w.read_as(Ticket::query(), &w.ada, "acme").await?;
    let adas: Vec<&Ticket> = every
        .iter()
        .filter(|t| t.agent_id == Some(w.ada.id))
        .collect();
    assert!(adas.iter().all(|t| t.subject != "mine"));
    let err = d
        .destroy(adas[0])
        .actor(&w.bob)
        .authorize(true)
        .tenant("acme")
        .await
        .expect_err("hidden from Bob");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::NotFound {
                resource: "Ticket",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(w.read_as(Ticket::query(), &w.ada, "acme").await?, every);
    Ok(())
}
layers!(a_write_touches_only_what_the_actor_may_read);
