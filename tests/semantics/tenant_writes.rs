//! Tenants on writes (issue 12, item 7), on every layer: under a tenant, a
//! belongs_to key into a multitenant resource must name a record of that
//! tenant. A key of another tenant's record is refused with the same
//! foreign-key error, down to its source chain, as a key of no record at all,
//! so a create cannot tell whether another tenant holds a key; a batch with one
//! such key creates nothing; the check is one read per relationship, not per
//! row. Keys of records the same create adds count; a `global;` destination is
//! scoped to the tenant like any other; a create without a tenant, and keys
//! into resources that are not multitenant, are left to the layers' foreign
//! keys. A tenant of another type than the tenant attribute's is a type
//! mismatch.
//!
//! Two organisations, `acme` (agents Ada and Bob) and `globex` (agent Gil, and
//! a ticket of Gil's).

use ashore::prelude::*;
use ashore::{Constraint, Expr, Value};

use crate::common::*;

resource! {
    /// An agent of an organisation.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Agent {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            attribute org: String;
        }
        multitenancy {
            attribute org;
        }
    }
}

resource! {
    /// A ticket of an organisation: assigned to an agent, maybe following
    /// another ticket, maybe in a queue every organisation shares.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
            attribute org: String;
        }
        relationships {
            belongs_to agent: Agent;
            belongs_to follows: Ticket;
            belongs_to queue: Queue;
        }
        multitenancy {
            attribute org;
        }
    }
}

resource! {
    /// A queue, shared by every organisation (not multitenant).
    #[derive(Debug, Clone, PartialEq)]
    pub struct Queue {
        attributes {
            integer_primary_key id;
            attribute name: String;
        }
    }
}

resource! {
    /// A handbook page of an organisation, readable without a tenant.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Page {
        attributes {
            uuid_primary_key id;
            attribute title: String;
            attribute org: String;
        }
        multitenancy {
            attribute org;
            global;
        }
    }
}

resource! {
    /// A note on a ticket or page: not multitenant itself.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Note {
        attributes {
            uuid_primary_key id;
            attribute body: String;
        }
        relationships {
            belongs_to ticket: Ticket;
            belongs_to page: Page;
        }
    }
}

struct World {
    fx: Fx,
    ada: Agent,
    bob: Agent,
    gil: Agent,
    /// Gil's ticket, in globex.
    gil_1: Ticket,
}

async fn agent(d: &Domain, org: &str, name: &str) -> Agent {
    d.create(Agent::changeset().set(Agent::name(), name))
        .tenant(org)
        .await
        .expect("agent")
}

fn ticket(subject: &str, agent: Option<&Agent>) -> Changeset<Ticket> {
    Ticket::changeset()
        .set(Ticket::subject(), subject)
        .set(Ticket::agent_id(), agent.map(|a| a.id))
}

async fn world(run: &Run) -> World {
    let fx = counted(run, |b| {
        b.resource::<Agent>()
            .resource::<Ticket>()
            .resource::<Queue>()
            .resource::<Page>()
            .resource::<Note>()
    })
    .await;
    let d = &fx.domain;
    let ada = agent(d, "acme", "Ada").await;
    let bob = agent(d, "acme", "Bob").await;
    let gil = agent(d, "globex", "Gil").await;
    let gil_1 = d
        .create(ticket("gil-1", Some(&gil)))
        .tenant("globex")
        .await
        .expect("gil-1");
    World {
        fx,
        ada,
        bob,
        gil,
        gil_1,
    }
}

/// Asserts `err` is the foreign-key error of `resource.attribute`.
fn assert_foreign_key(err: &Error, resource: &str, attribute: &str) {
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Constraint {
                resource: r,
                attribute: Some(a),
                constraint: Constraint::ForeignKey,
                ..
            } if *r == resource && *a == attribute
        ),
        "{err:?}"
    );
}

/// Everything `err` shows: its path, its Display and Debug, and the Display
/// and Debug of each error in its source chain.
fn everything(err: &Error) -> Vec<String> {
    let mut shown = vec![err.path().join("."), err.to_string(), format!("{err:?}")];
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        shown.push(s.to_string());
        shown.push(format!("{s:?}"));
        source = s.source();
    }
    shown
}

/// The subjects of the tickets of `tenant`, sorted.
async fn subjects(d: &Domain, tenant: &str) -> ashore::Result<Vec<String>> {
    let mut subjects: Vec<String> = d
        .read(Ticket::query())
        .tenant(tenant)
        .await?
        .into_iter()
        .map(|t| t.subject)
        .collect();
    subjects.sort();
    Ok(subjects)
}

async fn a_key_of_another_tenants_record_is_refused(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.fx.domain;
    let err = d
        .create(ticket("spy", Some(&w.gil)))
        .tenant("acme")
        .await
        .expect_err("Gil is globex's");
    assert_foreign_key(&err, "Ticket", "agent_id");
    assert_eq!(err.path(), ["Ticket"]);
    let shown = std::error::Error::source(&err)
        .map(ToString::to_string)
        .unwrap_or_default();
    assert_eq!(
        shown,
        format!(
            "`agent_id` is {}, which is the key of no Agent in tenant \"acme\"",
            w.gil.id
        )
    );
    // A ticket following globex's ticket is refused the same way.
    let err = d
        .create(ticket("spy", Some(&w.ada)).set(Ticket::follows_id(), Some(w.gil_1.id)))
        .tenant("acme")
        .await
        .expect_err("gil-1 is globex's");
    assert_foreign_key(&err, "Ticket", "follows_id");

    // Keys of the writer's own tenant are taken.
    d.create(ticket("ada-1", Some(&w.ada)))
        .tenant("acme")
        .await?;
    d.create(ticket("gil-2", Some(&w.gil)).set(Ticket::follows_id(), Some(w.gil_1.id)))
        .tenant("globex")
        .await?;
    assert_eq!(subjects(d, "acme").await?, ["ada-1"]);
    assert_eq!(subjects(d, "globex").await?, ["gil-1", "gil-2"]);
    Ok(())
}
layers!(a_key_of_another_tenants_record_is_refused);

/// The same key, held by globex in one domain and by no one in another: the
/// two refusals show exactly the same, so they tell nothing about globex.
async fn the_refusal_is_the_same_whether_another_tenant_has_the_key(
    run: Run,
) -> ashore::Result<()> {
    let key = Uuid::new_v4();
    let elsewhere = world(&run).await.fx.domain;
    elsewhere
        .create(
            Agent::changeset()
                .set(Agent::id(), key)
                .set(Agent::name(), "Gina"),
        )
        .tenant("globex")
        .await?;
    let nowhere = world(&run).await.fx.domain;
    let refuse = |d: Domain| async move {
        d.create(ticket("spy", None).set(Ticket::agent_id(), Some(key)))
            .tenant("acme")
            .await
            .expect_err("no agent of acme has the key")
    };
    let in_globex = refuse(elsewhere).await;
    let in_no_tenant = refuse(nowhere).await;
    assert_foreign_key(&in_globex, "Ticket", "agent_id");
    assert_eq!(everything(&in_globex), everything(&in_no_tenant));
    Ok(())
}
layers!(the_refusal_is_the_same_whether_another_tenant_has_the_key);

async fn a_batch_with_one_key_of_another_tenant_creates_nothing(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.fx.domain;
    let statements = w.fx.store.statements();
    let err = d
        .create_many(vec![
            ticket("ada-1", Some(&w.ada)),
            ticket("spy", Some(&w.gil)),
            ticket("bob-1", Some(&w.bob)),
        ])
        .tenant("acme")
        .await
        .expect_err("Gil is globex's");
    assert_foreign_key(&err, "Ticket", "agent_id");
    // Refused before the database is asked to insert: only the read of agents.
    if let (Some(before), Some(after)) = (statements, w.fx.store.statements()) {
        assert_eq!(after - before, 1);
    }
    assert!(subjects(d, "acme").await?.is_empty(), "nothing created");
    assert_eq!(subjects(d, "globex").await?, ["gil-1"]);
    Ok(())
}
layers!(a_batch_with_one_key_of_another_tenant_creates_nothing);

async fn the_check_is_one_read_per_relationship(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.fx.domain;
    w.fx.reads.clear();
    let statements = w.fx.store.statements();
    d.create_many(vec![
        ticket("ada-1", Some(&w.ada)),
        ticket("bob-1", Some(&w.bob)),
        ticket("ada-2", Some(&w.ada)),
        ticket("unassigned", None),
    ])
    .tenant("acme")
    .await?;
    // Agents: one read of both keys. Tickets: no key set, no read.
    let reads = w.fx.reads.all();
    assert_eq!(reads.len(), 1, "{reads:?}");
    assert_eq!(reads[0].schema.name, "Agent");
    let Some(Expr::In(_, keys)) = &reads[0].filter else {
        panic!("a read of agents by key: {:?}", reads[0].filter);
    };
    assert_eq!(keys, &[w.ada.id.into(), w.bob.id.into()]);
    // On SQL: that read and the insert.
    if let (Some(before), Some(after)) = (statements, w.fx.store.statements()) {
        assert_eq!(after - before, 2);
    }
    Ok(())
}
layers!(the_check_is_one_read_per_relationship);

async fn keys_of_records_the_same_create_adds_count(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.fx.domain;
    let (first, second) = (Uuid::new_v4(), Uuid::new_v4());
    d.create_many(vec![
        ticket("follow-up", Some(&w.ada))
            .set(Ticket::id(), second)
            .set(Ticket::follows_id(), Some(first)),
        ticket("first", Some(&w.ada)).set(Ticket::id(), first),
    ])
    .tenant("acme")
    .await?;
    assert_eq!(subjects(d, "acme").await?, ["first", "follow-up"]);
    Ok(())
}
layers!(keys_of_records_the_same_create_adds_count);

/// Note is not multitenant, but created under a tenant its keys into
/// multitenant resources are checked; a `global;` Page is scoped to the tenant
/// as a read with a tenant is. Without a tenant, a create acts across tenants.
async fn keys_from_a_shared_resource_and_into_a_global_one(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.fx.domain;
    let page = |org: &'static str, title: &'static str| {
        d.create(Page::changeset().set(Page::title(), title))
            .tenant(org)
    };
    let acme_page = page("acme", "onboarding").await?;
    let globex_page = page("globex", "pricing").await?;
    let note = |body: &str| Note::changeset().set(Note::body(), body);

    let err = d
        .create(note("spy").set(Note::ticket_id(), Some(w.gil_1.id)))
        .tenant("acme")
        .await
        .expect_err("gil-1 is globex's");
    assert_foreign_key(&err, "Note", "ticket_id");
    let err = d
        .create(note("spy").set(Note::page_id(), Some(globex_page.id)))
        .tenant("acme")
        .await
        .expect_err("the pricing page is globex's");
    assert_foreign_key(&err, "Note", "page_id");

    d.create(note("welcome").set(Note::page_id(), Some(acme_page.id)))
        .tenant("acme")
        .await?;
    d.create(note("audit").set(Note::ticket_id(), Some(w.gil_1.id)))
        .await?;
    let mut bodies: Vec<String> = d
        .read(Note::query())
        .await?
        .into_iter()
        .map(|n| n.body)
        .collect();
    bodies.sort();
    assert_eq!(bodies, ["audit", "welcome"]);
    Ok(())
}
layers!(keys_from_a_shared_resource_and_into_a_global_one);

/// Queues are not multitenant: a key of one is the layers' to check, under a
/// tenant as without one, and costs no read.
async fn keys_into_a_resource_that_is_not_multitenant_are_left_to_the_layers(
    run: Run,
) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.fx.domain;
    let queue = d
        .create(Queue::changeset().set(Queue::name(), "billing"))
        .await?;
    w.fx.reads.clear();
    d.create(ticket("ada-1", None).set(Ticket::queue_id(), Some(queue.id)))
        .tenant("acme")
        .await?;
    let err = d
        .create(ticket("lost", None).set(Ticket::queue_id(), Some(queue.id + 100)))
        .tenant("acme")
        .await
        .expect_err("no queue has the key");
    assert_foreign_key(&err, "Ticket", "queue_id");
    assert!(w.fx.reads.of("Queue").is_empty());
    assert_eq!(subjects(d, "acme").await?, ["ada-1"]);
    Ok(())
}
layers!(keys_into_a_resource_that_is_not_multitenant_are_left_to_the_layers);

/// Updates and destroys (issue 13, item 1) under a tenant touch only its
/// records: a bulk write leaves globex's alone, and globex's record, named by
/// an acme write, is `NotFound` as a record that does not exist is.
async fn an_update_or_destroy_never_touches_another_tenants_records(
    run: Run,
) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.fx.domain;
    d.create(ticket("ada-1", Some(&w.ada)))
        .tenant("acme")
        .await?;
    d.create(ticket("bob-1", Some(&w.bob)))
        .tenant("acme")
        .await?;
    let renamed = d
        .update_all(
            Ticket::query(),
            Ticket::changeset().set(Ticket::subject(), "renamed"),
        )
        .tenant("acme")
        .await?;
    assert_eq!(renamed.len(), 2);
    assert!(renamed.iter().all(|t| t.org == "acme"));
    assert_eq!(subjects(d, "globex").await?, ["gil-1"]);

    let not_found = |err: Error| {
        assert!(
            matches!(err.kind(), ErrorKind::NotFound { resource: "Ticket", key }
                if *key == Value::from(w.gil_1.id)),
            "{err:?}"
        );
    };
    let update = || d.update(&w.gil_1, Ticket::changeset().set(Ticket::subject(), "spy"));
    not_found(update().tenant("acme").await.expect_err("globex's"));
    not_found(
        d.destroy(&w.gil_1)
            .tenant("acme")
            .await
            .expect_err("globex's"),
    );
    let gone = d.destroy_all(Ticket::query()).tenant("acme").await?;
    assert_eq!(gone.len(), 2);
    assert_eq!(subjects(d, "globex").await?, ["gil-1"]);
    assert_eq!(subjects(d, "acme").await?, Vec::<String>::new());

    // Its own tenant may; without one, a resource that is not `global;` may not.
    assert_eq!(update().tenant("globex").await?.subject, "spy");
    let err = update().await.expect_err("no tenant");
    assert!(
        matches!(err.kind(), ErrorKind::TenantRequired { .. }),
        "{err:?}"
    );
    Ok(())
}
layers!(an_update_or_destroy_never_touches_another_tenants_records);

/// An update may not move a record to another tenant, nor point a belongs_to
/// key at another tenant's record: the same errors as a create's, nothing
/// written.
async fn an_update_stays_in_its_tenant(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.fx.domain;
    let ada_1 = d
        .create(ticket("ada-1", Some(&w.ada)))
        .tenant("acme")
        .await?;
    let err = d
        .update(&ada_1, Ticket::changeset().set(Ticket::org(), "globex"))
        .tenant("acme")
        .await
        .expect_err("another tenant");
    assert!(
        matches!(err.kind(), ErrorKind::InvalidQuery { resource: "Ticket", message }
            if message.contains("not the tenant")),
        "{err:?}"
    );
    let err = d
        .update(
            &ada_1,
            Ticket::changeset().set(Ticket::agent_id(), Some(w.gil.id)),
        )
        .tenant("acme")
        .await
        .expect_err("Gil is globex's");
    assert_foreign_key(&err, "Ticket", "agent_id");
    let shown = everything(&err).join("\n");
    assert!(!shown.contains("globex"), "{shown}");
    let mine = d.read(Ticket::query()).tenant("acme").await?;
    assert_eq!(mine, std::slice::from_ref(&ada_1), "nothing written");
    // Its own tenant's values are fine.
    let moved = d
        .update(
            &ada_1,
            Ticket::changeset()
                .set(Ticket::org(), "acme")
                .set(Ticket::agent_id(), Some(w.bob.id)),
        )
        .tenant("acme")
        .await?;
    assert_eq!(moved.agent_id, Some(w.bob.id));
    Ok(())
}
layers!(an_update_stays_in_its_tenant);

/// A tenant of another type than the tenant attribute's is a type mismatch
/// naming the attribute, before anything is written, on every layer
/// (PostgreSQL's driver refused the parameter with an error of its own).
async fn a_tenant_of_the_wrong_type_is_a_type_mismatch(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Agent>()).await;
    let agent = |name: &str| Agent::changeset().set(Agent::name(), name);
    for tenant in [Value::Int(5), Value::Bool(true)] {
        let err = d
            .create(agent("Ada"))
            .tenant(tenant.clone())
            .await
            .unwrap_err();
        assert!(
            matches!(
                err.kind(),
                ErrorKind::TypeMismatch { resource: "Agent", attribute: "org", expected: "String", found, .. }
                    if *found == tenant
            ),
            "{err}"
        );
        let err = d
            .create_many([agent("Bob")])
            .tenant(tenant.clone())
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::TypeMismatch { .. }),
            "{err}"
        );
        assert!(d.read(Agent::query()).tenant(tenant).await?.is_empty());
    }
    assert!(d.read(Agent::query()).tenant("acme").await?.is_empty());
    Ok(())
}
layers!(a_tenant_of_the_wrong_type_is_a_type_mismatch);
