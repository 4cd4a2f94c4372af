//! Loads over 70,000 parent records: more keys than either database takes
//! parameters in one statement (SQLite 32,766, PostgreSQL 65,535). Every parent
//! must get exactly its own children, in one statement per relationship.
//!
//! 70,000 representatives have 1 or 2 tickets each (105,000 tickets), created
//! with `create_many` in batches of 10,000; the second ticket of a representative
//! is created after every first ticket, so a representative's tickets are far
//! apart in the table.
use std::collections::HashMap;

use ashore::DataLayer;
use ashore::data_layer::sql::Sqlite;
use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute name: String;
        }
        relationships {
            has_many tickets: Ticket;
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
        }
        relationships {
            belongs_to representative: Representative;
        }
    }
}

const REPS: usize = 70_000;
const BATCH: usize = 10_000;

fn domain(layer: impl DataLayer) -> Domain {
    Domain::builder()
        .data_layer(layer)
        .resource::<Representative>()
        .resource::<Ticket>()
        .build()
        .expect("the domain builds")
}

/// How many tickets representative `i` has.
fn tickets_of(i: usize) -> usize {
    1 + i % 2
}

/// Seeds the domain; returns the representatives and, per representative id,
/// its tickets' subjects in creation order.
async fn seed(domain: &Domain) -> (Vec<Representative>, HashMap<Uuid, Vec<String>>) {
    let mut reps = Vec::with_capacity(REPS);
    for start in (0..REPS).step_by(BATCH) {
        let batch = (start..(start + BATCH).min(REPS)).map(|i| {
            Representative::changeset().set(Representative::name(), format!("rep {i:05}"))
        });
        reps.extend(
            domain
                .create_many(batch)
                .await
                .expect("create representatives"),
        );
    }
    assert_eq!(reps.len(), REPS);

    // (representative index, ticket number): all first tickets, then all second ones.
    let order: Vec<(usize, usize)> = (0..2)
        .flat_map(|n| {
            (0..REPS)
                .filter(move |&i| n < tickets_of(i))
                .map(move |i| (i, n))
        })
        .collect();
    let mut expected: HashMap<Uuid, Vec<String>> = HashMap::with_capacity(REPS);
    for chunk in order.chunks(BATCH) {
        let batch = chunk.iter().map(|&(i, n)| {
            Ticket::changeset()
                .set(Ticket::subject(), format!("ticket {n} of rep {i:05}"))
                .set(Ticket::representative_id(), reps[i].id)
        });
        let created = domain.create_many(batch).await.expect("create tickets");
        assert_eq!(created.len(), chunk.len());
        for t in created {
            let rep = t
                .representative_id
                .expect("every ticket has a representative");
            expected.entry(rep).or_default().push(t.subject);
        }
    }
    (reps, expected)
}

fn subjects(tickets: &[Ticket]) -> Vec<String> {
    tickets.iter().map(|t| t.subject.clone()).collect()
}

/// Every load and read over all 70,000 keys, each counted as `statements` says.
async fn loads_every_parent(domain: &Domain, statements: impl Fn() -> u64) {
    let (reps, expected) = seed(domain).await;
    let total: usize = (0..REPS).map(tickets_of).sum();

    // The has_many, for all 70,000 representatives at once: one statement.
    let mut loaded = reps.clone();
    let before = statements();
    domain
        .load(&mut loaded, Representative::tickets())
        .await
        .expect("load tickets of 70,000 representatives");
    assert_eq!(statements() - before, 1, "one statement for the whole load");
    let mut seen = 0;
    for (i, rep) in loaded.iter().enumerate() {
        let tickets = rep.tickets.get().expect("loaded");
        assert_eq!(tickets.len(), tickets_of(i), "tickets of {}", rep.name);
        assert!(
            tickets.iter().all(|t| t.representative_id == Some(rep.id)),
            "{} got another representative's ticket",
            rep.name
        );
        assert_eq!(
            subjects(tickets),
            expected[&rep.id],
            "tickets of {}",
            rep.name
        );
        seen += tickets.len();
    }
    assert_eq!(seen, total);

    // Per parent windows over 70,000 partitions: the last ticket of each, by subject.
    let mut loaded = reps.clone();
    let before = statements();
    domain
        .load(
            &mut loaded,
            Representative::tickets()
                .sort(Ticket::subject().desc())
                .limit(1),
        )
        .await
        .expect("top ticket of 70,000 representatives");
    assert_eq!(statements() - before, 1);
    for rep in &loaded {
        let want = expected[&rep.id].iter().max().cloned();
        assert_eq!(
            subjects(rep.tickets.get().expect("loaded")),
            Vec::from_iter(want),
            "top ticket of {}",
            rep.name
        );
    }

    // The belongs_to back, from 105,000 tickets to 70,000 distinct keys.
    let before = statements();
    let tickets = domain
        .read(Ticket::query().load(Ticket::representative()))
        .await
        .expect("read tickets with their representative");
    assert_eq!(
        statements() - before,
        2,
        "the read and one for the belongs_to"
    );
    assert_eq!(tickets.len(), total);
    for t in &tickets {
        let rep = t
            .representative
            .get()
            .expect("loaded")
            .as_ref()
            .expect("found");
        assert_eq!(Some(rep.id), t.representative_id);
    }

    // A filter with an `in` list of 70,000 pinned values.
    let ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
    let before = statements();
    let found = domain
        .read(Ticket::query().filter(expr!(representative_id in ^ids)))
        .await
        .expect("read with 70,000 values in a list");
    assert_eq!(statements() - before, 1);
    assert_eq!(found.len(), total);
    let odd: Vec<Uuid> = reps.iter().skip(1).step_by(2).map(|r| r.id).collect();
    let found = domain
        .read(Representative::query().filter(expr!(id in ^odd)))
        .await
        .expect("read with 35,000 values in a list");
    assert_eq!(found.len(), REPS / 2);
    assert!(
        found
            .iter()
            .all(|r| r.name[4..].parse::<usize>().unwrap() % 2 == 1)
    );
}

#[tokio::test]
async fn sqlite_loads_70_000_parents() {
    let sqlite = Sqlite::memory().expect("SQLite in memory");
    let support = domain(sqlite.clone());
    support.migrate().await.expect("migrate");
    loads_every_parent(&support, || sqlite.statements()).await;
}

#[tokio::test]
async fn postgres_loads_70_000_parents() {
    let Some(db) = crate::common::pg("scale").await else {
        return;
    };
    let support = domain(db.postgres.clone());
    support.migrate().await.expect("migrate");
    let postgres = db.postgres.clone();
    loads_every_parent(&support, || postgres.statements()).await;
}
