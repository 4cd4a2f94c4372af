//! The plan PostgreSQL makes of the statement the guide's manual loader runs:
//! for 10 representatives over 100,000 tickets, after `ANALYZE` and with the
//! planner's default settings, the tickets are found through the index on
//! `representative_id` (a plain, index-only or bitmap index scan), never by a
//! sequential scan of the whole table, as `EXPLAIN (FORMAT JSON)` shows. The
//! statement is the one the layer executed, captured from its `tracing` span,
//! not rebuilt here.

use std::sync::{Arc, Mutex};

use ashore::prelude::*;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            attribute priority_threshold: i64;
        }
        relationships {
            has_many tickets_above_threshold: Ticket { manual TicketsAboveThreshold; }
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
            attribute priority: Option<i64>;
        }
        relationships {
            belongs_to representative: Representative;
        }
    }
}

/// The guide's loader, exactly as the README writes it.
struct TicketsAboveThreshold;

impl ManualRelationship for TicketsAboveThreshold {
    type Source = Representative;
    type Destination = Ticket;

    async fn load(
        &self,
        reps: &[Representative],
        ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Representative, Ticket>> {
        let rep_ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
        let tickets = ctx
            .query
            .clone()
            .filter(expr!(representative_id in ^rep_ids))
            .filter(expr!(priority > representative.priority_threshold))
            .read(ctx)
            .await?;
        Ok(Related::group_by(tickets, |t| t.representative_id))
    }
}

/// Keeps the `sql` field of every `statement` span (the test's domain is on
/// PostgreSQL alone).
#[derive(Clone, Default)]
struct Statements(Arc<Mutex<Vec<String>>>);

impl Visit for Statements {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "sql" {
            self.0.lock().unwrap().push(format!("{value:?}"));
        }
    }
}

impl Subscriber for Statements {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        if span.metadata().name() == "statement" {
            span.record(&mut self.clone());
        }
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

const REPS: usize = 1_000;
const TICKETS: usize = 100_000;

#[tokio::test]
async fn the_guides_loader_finds_tickets_through_the_index() {
    let Some(db) = crate::common::pg("plan").await else {
        return;
    };
    let support = Domain::builder()
        .data_layer(db.postgres.clone())
        .resource::<Representative>()
        .resource::<Ticket>()
        .build()
        .unwrap();
    support.migrate().await.unwrap();
    let reps = support
        .create_many((0..REPS).map(|i| {
            Representative::changeset()
                .set(Representative::name(), format!("rep {i}"))
                .set(Representative::priority_threshold(), (i % 10) as i64)
        }))
        .await
        .unwrap();
    for batch in 0..TICKETS / 10_000 {
        support
            .create_many((0..10_000).map(|i| {
                let n = batch * 10_000 + i;
                Ticket::changeset()
                    .set(Ticket::subject(), format!("ticket {n}"))
                    .set(Ticket::priority(), Some((n % 13) as i64))
                    .set(Ticket::representative_id(), Some(reps[n % REPS].id))
            }))
            .await
            .unwrap();
    }
    let client = db.postgres.pool().get().await.unwrap();
    // Its own tables only: a database-wide ANALYZE would queue behind (and hold
    // up) the table locks other tests take in their schemas.
    client
        .batch_execute("ANALYZE representative; ANALYZE ticket")
        .await
        .unwrap();

    // The load, with the statements it runs captured.
    let statements = Statements::default();
    let ten: Vec<Representative> = reps[..10].to_vec();
    let mut loaded = ten.clone();
    // Every callsite's interest kept at "sometimes" (see `interest`): the
    // statement span's callsite may first be hit on another thread while
    // this subscriber is being set.
    crate::interest::interest_in_every_callsite();
    {
        let _guard = tracing::subscriber::set_default(statements.clone());
        support
            .load(&mut loaded, Representative::tickets_above_threshold())
            .await
            .unwrap();
    }
    let expected: usize = (0..TICKETS)
        .filter(|n| n % REPS < 10 && (n % 13) as i64 > (n % REPS % 10) as i64)
        .count();
    let found: usize = loaded
        .iter()
        .map(|r| r.tickets_above_threshold.get().unwrap().len())
        .sum();
    assert_eq!(found, expected);

    let captured = statements.0.lock().unwrap().clone();
    let read = captured
        .iter()
        .find(|sql| sql.contains("representative_id") && sql.contains("priority_threshold"))
        .unwrap_or_else(|| panic!("no read of the tickets among {captured:#?}"));
    let ids: Vec<Uuid> = ten.iter().map(|r| r.id).collect();
    let rows = client
        .query(&format!("EXPLAIN (FORMAT JSON) {read}"), &[&ids])
        .await
        .unwrap();
    let explain: serde_json::Value = rows[0].get(0);
    let mut nodes = Vec::new();
    plan_nodes(&explain[0]["Plan"], &mut nodes);
    let shown = serde_json::to_string_pretty(&explain).unwrap();
    assert!(
        !nodes
            .iter()
            .any(|n| n["Node Type"] == "Seq Scan" && n["Relation Name"] == "ticket"),
        "a sequential scan of the tickets:\n{read}\n{shown}"
    );
    assert!(
        nodes.iter().any(|n| {
            let scan = ["Index Scan", "Index Only Scan", "Bitmap Index Scan"]
                .iter()
                .any(|t| n["Node Type"] == *t);
            let on_key = ["Index Name", "Index Cond"].iter().any(|k| {
                n[*k]
                    .as_str()
                    .is_some_and(|v| v.contains("representative_id"))
            });
            scan && on_key
        }),
        "no index scan on representative_id:\n{read}\n{shown}"
    );
}

/// Every node of an `EXPLAIN (FORMAT JSON)` plan, depth first (plans are a
/// few levels deep; the statement is the test's own).
fn plan_nodes<'p>(node: &'p serde_json::Value, into: &mut Vec<&'p serde_json::Value>) {
    into.push(node);
    for child in node["Plans"].as_array().into_iter().flatten() {
        plan_nodes(child, into);
    }
}
