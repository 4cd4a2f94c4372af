//! The `tracing` spans of a two-level load, on every layer: one `read` span,
//! a `load` span per relationship (the nested load inside its parent's),
//! each naming resource, relationship, whether it is manual, how many parents
//! and records; on SQL a `statement` span per statement, with its SQL text
//! and never a value, inside the span that ran it, and each read and load
//! says how many statements it ran itself (`statements`). Recorded by a small
//! subscriber of this file, set for the test's thread only (the SQLite layer
//! carries it to its blocking threads). A `count` span says how many it
//! counted (`records`), and each write is a `write` span with its action and
//! records, its statements inside it. Transaction control (`BEGIN`,
//! savepoints, `COMMIT`) is a `DEBUG` event with its `sql` on both SQL layers.

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::{Arc, Mutex};
use std::thread::ThreadId;

use ashore::prelude::*;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

use crate::common::*;

/// A span as recorded: its name, parent and fields (as `Debug` text).
#[derive(Clone, Debug)]
struct Recorded {
    name: &'static str,
    metadata: &'static Metadata<'static>,
    parent: Option<u64>,
    fields: HashMap<&'static str, String>,
    /// The thread the span was made on.
    thread: ThreadId,
}

#[derive(Default)]
struct Spans {
    all: Vec<Recorded>,
    /// The `sql` of every event that has one (transaction control), in order.
    events: Vec<String>,
    /// The spans each thread is in, innermost last.
    entered: HashMap<ThreadId, Vec<u64>>,
}

/// Records every span, with its parent (explicit, or the thread's current),
/// and says which span each thread is in (what `Span::current` asks).
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Spans>>);

struct Fields<'a>(&'a mut HashMap<&'static str, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.insert(field.name(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name(), value.to_owned());
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut spans = self.0.lock().unwrap();
        let parent = match span.parent() {
            Some(id) => Some(id.into_u64()),
            None if span.is_contextual() => spans
                .entered
                .get(&std::thread::current().id())
                .and_then(|stack| stack.last().copied()),
            None => None,
        };
        let mut fields = HashMap::new();
        span.record(&mut Fields(&mut fields));
        spans.all.push(Recorded {
            name: span.metadata().name(),
            metadata: span.metadata(),
            parent,
            fields,
            thread: std::thread::current().id(),
        });
        Id::from_u64(spans.all.len() as u64)
    }
    fn record(&self, id: &Id, values: &Record<'_>) {
        let mut spans = self.0.lock().unwrap();
        let span = &mut spans.all[id.into_u64() as usize - 1];
        values.record(&mut Fields(&mut span.fields));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn current_span(&self) -> tracing_core::span::Current {
        let spans = self.0.lock().unwrap();
        let thread = std::thread::current().id();
        match spans.entered.get(&thread).and_then(|stack| stack.last()) {
            Some(&id) => tracing_core::span::Current::new(
                Id::from_u64(id),
                spans.all[id as usize - 1].metadata,
            ),
            None => tracing_core::span::Current::none(),
        }
    }
    fn event(&self, event: &Event<'_>) {
        let mut fields = HashMap::new();
        event.record(&mut Fields(&mut fields));
        if let Some(sql) = fields.remove("sql") {
            self.0.lock().unwrap().events.push(sql);
        }
    }
    fn enter(&self, id: &Id) {
        let mut spans = self.0.lock().unwrap();
        let thread = std::thread::current().id();
        spans.entered.entry(thread).or_default().push(id.into_u64());
    }
    fn exit(&self, id: &Id) {
        let mut spans = self.0.lock().unwrap();
        let thread = std::thread::current().id();
        if let Some(stack) = spans.entered.get_mut(&thread)
            && let Some(at) = stack.iter().rposition(|&s| s == id.into_u64())
        {
            stack.remove(at);
        }
    }
}

impl Recorder {
    fn spans(&self) -> Vec<(u64, Recorded)> {
        let spans = self.0.lock().unwrap();
        (1..).zip(spans.all.iter().cloned()).collect()
    }
}

fn field<'a>(span: &'a Recorded, name: &str) -> &'a str {
    span.fields
        .get(name)
        .map_or_else(|| panic!("{span:?} has no `{name}`"), String::as_str)
}

async fn a_two_level_load_has_a_span_per_read_load_and_statement(run: Run) -> ashore::Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let tickets = d.read(Ticket::query()).authorize(false).await?;
    for t in &tickets {
        comment(d, t, "a secret body").await;
    }

    let recorder = Recorder::default();
    let reps = {
        interest_in_every_callsite();
        let _guard = tracing::subscriber::set_default(recorder.clone());
        d.read(
            Representative::query()
                .filter(expr!(name != "nobody at all"))
                .load(Representative::tickets().load(Ticket::comments()))
                .load(Representative::tickets_above_threshold()),
        )
        .authorize(false)
        .await?
    };
    assert_eq!(reps.len(), 2);
    let spans = recorder.spans();
    let named = |name: &str| -> Vec<(u64, Recorded)> {
        spans
            .iter()
            .filter(|(_, s)| s.name == name)
            .cloned()
            .collect()
    };

    let reads = named("read");
    let top: Vec<&(u64, Recorded)> = reads.iter().filter(|(_, s)| s.parent.is_none()).collect();
    assert_eq!(top.len(), 1, "{spans:#?}");
    let (read_id, read) = top[0];
    assert_eq!(field(read, "resource"), "Representative");
    assert_eq!(field(read, "records"), "2");

    let loads = named("load");
    let load = |relationship: &str| {
        loads
            .iter()
            .find(|(_, s)| field(s, "relationship") == relationship)
            .unwrap_or_else(|| panic!("no load of {relationship}: {loads:#?}"))
            .clone()
    };
    let (tickets_id, tickets) = load("tickets");
    assert_eq!(
        tickets.parent,
        Some(*read_id),
        "the load is the read's child"
    );
    assert_eq!(field(&tickets, "resource"), "Representative");
    assert_eq!(field(&tickets, "destination"), "Ticket");
    assert_eq!(field(&tickets, "manual"), "false");
    assert_eq!(field(&tickets, "layer"), field(read, "layer"));
    assert_eq!(field(&tickets, "parents"), "2");
    assert_eq!(field(&tickets, "records"), "4");
    let (_, comments) = load("comments");
    assert_eq!(
        comments.parent,
        Some(tickets_id),
        "nested in its parent load"
    );
    assert_eq!(field(&comments, "parents"), "4");
    assert_eq!(field(&comments, "records"), "4");
    let (above_id, above) = load("tickets_above_threshold");
    assert_eq!(above.parent, Some(*read_id));
    // The loader's own read (`Query::read(ctx)`) is the load's child.
    let inner: Vec<_> = reads
        .iter()
        .filter(|(_, s)| s.parent == Some(above_id))
        .collect();
    assert_eq!(inner.len(), 1, "{reads:#?}");
    assert_eq!(field(&inner[0].1, "resource"), "Ticket");
    assert_eq!(field(&above, "manual"), "true");
    assert_eq!(field(&above, "records"), "1", "Ada's a9");
    assert_eq!(loads.len(), 3, "{loads:#?}");

    let statements = named("statement");
    if fx.store.statements().is_some() {
        // SQL: the read, two loads and the manual loader's read, each inside
        // the span that ran it, with its text and no value.
        assert_eq!(statements.len(), 4, "{statements:#?}");
        for (_, s) in &statements {
            let sql = field(s, "sql");
            assert!(sql.contains("SELECT"), "{sql}");
            assert!(!sql.contains("nobody at all"), "a value in {sql}");
            let parent = s.parent.expect("a statement's parent");
            assert!(
                matches!(spans[parent as usize - 1].1.name, "read" | "load"),
                "{s:?} under {:?}",
                spans[parent as usize - 1]
            );
        }
    } else {
        assert!(statements.is_empty(), "{statements:#?}");
    }
    // On a multi-threaded runtime (the suite's, for SQLite) the SQLite layer
    // runs its statements in place: on the thread that awaited the read, not
    // on a blocking thread of the pool.
    if field(read, "layer") == "sqlite" {
        for (_, s) in &statements {
            assert_eq!(
                s.thread, read.thread,
                "a statement off the caller's thread: {s:?}"
            );
        }
    }
    // Each read and load says how many statements it ran itself: one each on
    // SQL, none in memory; the manual load none (its loader's read ran one).
    let sql = u64::from(fx.store.statements().is_some());
    for (span, expected) in [
        (read, sql),
        (&tickets, sql),
        (&comments, sql),
        (&above, 0),
        (&inner[0].1, sql),
    ] {
        assert_eq!(field(span, "statements"), expected.to_string(), "{span:#?}");
    }
    for (id, span) in reads.iter().chain(&loads) {
        let children = statements.iter().filter(|(_, s)| s.parent == Some(*id));
        assert_eq!(
            field(span, "statements"),
            children.count().to_string(),
            "{span:#?}"
        );
    }
    assert!(
        spans
            .iter()
            .all(|(_, s)| s.fields.values().all(|v| !v.contains("a secret body"))),
        "a value in a span: {spans:#?}"
    );
    Ok(())
}
layers!(a_two_level_load_has_a_span_per_read_load_and_statement);

/// Runs `work` with `recorder` as the thread's subscriber.
async fn recorded<T>(recorder: &Recorder, work: impl std::future::IntoFuture<Output = T>) -> T {
    interest_in_every_callsite();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    work.await
}

/// A `count` span says how many records it counted, and every write is a
/// `write` span under the target `ashore_runtime` naming its action, resource,
/// layer and records, with its statements (on SQL) inside it.
async fn counts_and_writes_have_spans_with_their_records(run: Run) -> ashore::Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let ada = d
        .read(Representative::query().filter(expr!(name == "Ada")))
        .await?
        .remove(0);
    let recorder = Recorder::default();
    let open = || Ticket::query().filter(expr!(status == "open"));
    let counted = recorded(&recorder, d.read(open()).count()).await?;
    let new = |s: &str| {
        Ticket::changeset()
            .set(Ticket::subject(), s)
            .set(Ticket::status(), "new")
            .set(Ticket::opened_at(), at(9))
    };
    recorded(&recorder, d.create_many([new("n1"), new("n2")])).await?;
    recorded(&recorder, d.update_all(open(), Ticket::changeset())).await?;
    let n1 = Ticket::query().filter(expr!(subject == "n1" or subject == "n2"));
    let new_ones = recorded(&recorder, d.read(n1.clone())).await?;
    recorded(
        &recorder,
        d.relate(&ada, Representative::tickets(), &new_ones),
    )
    .await?;
    recorded(
        &recorder,
        d.update_all(n1.clone(), Ticket::changeset().set(Ticket::status(), "x")),
    )
    .await?;
    recorded(&recorder, d.destroy_all(n1)).await?;
    let spans = recorder.spans();
    for (_, s) in &spans {
        let target = s.metadata.target();
        assert_eq!(target, "ashore_runtime", "{s:?}");
    }
    let count = spans
        .iter()
        .find(|(_, s)| s.name == "count")
        .expect("a count span");
    assert_eq!(field(&count.1, "resource"), "Ticket");
    assert_eq!(field(&count.1, "records"), counted.to_string());
    let writes: Vec<(&str, &str)> = spans
        .iter()
        .filter(|(_, s)| s.name == "write" && s.parent.is_none())
        .map(|(_, s)| (field(s, "action"), field(s, "records")))
        .collect();
    let open_count = counted.to_string();
    assert_eq!(
        writes,
        [
            ("create", "2"),
            ("update", open_count.as_str()),
            ("relate", "2"),
            ("update", "2"),
            ("destroy", "2"),
        ]
    );
    for (_, s) in &spans {
        if s.name == "write" {
            let resource = field(s, "resource");
            assert!(["Ticket", "Representative"].contains(&resource), "{s:?}");
            assert_eq!(field(s, "layer"), field(&count.1, "layer"));
        }
        if s.name == "statement" {
            // Inside the span that ran it, never outside every span.
            assert!(s.parent.is_some(), "{s:?}");
        }
    }
    let statements_in_writes = spans.iter().filter(|(_, s)| {
        s.name == "statement"
            && s.parent
                .is_some_and(|p| spans[p as usize - 1].1.name == "write")
    });
    assert_eq!(
        statements_in_writes.count() > 0,
        fx.store.statements().is_some(),
        "{spans:#?}"
    );
    Ok(())
}
layers!(counts_and_writes_have_spans_with_their_records);

/// Transaction control is an event with its `sql`, not a span, on both SQL
/// layers (README "Tracing"): a transaction's `BEGIN`, a write's savepoint
/// inside it, and the `COMMIT`; a write outside a transaction on SQLite is a
/// transaction of its own (`BEGIN IMMEDIATE` .. `COMMIT`).
async fn transaction_control_is_an_event_with_its_sql(run: Run) -> ashore::Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = fx.domain.clone();
    let recorder = Recorder::default();
    recorded(
        &recorder,
        d.transaction(|tx| async move {
            tx.create(
                Representative::changeset()
                    .set(Representative::name(), "Cy")
                    .set(Representative::priority_threshold(), 1)
                    .set(Representative::admin(), false),
            )
            .await?;
            Ok::<_, ashore::Error>(())
        }),
    )
    .await?;
    let events = recorder.0.lock().unwrap().events.clone();
    let (begin, savepoint) = match run.layer {
        Layer::Memory => {
            assert!(events.is_empty(), "{events:?}");
            return Ok(());
        }
        Layer::Sqlite => ("BEGIN IMMEDIATE", "SAVEPOINT ashore_write"),
        Layer::Postgres => ("BEGIN", "SAVEPOINT ashore_write"),
    };
    assert_eq!(
        events.first().map(String::as_str),
        Some(begin),
        "{events:?}"
    );
    assert!(events.iter().any(|e| e == savepoint), "{events:?}");
    assert_eq!(
        events.last().map(String::as_str),
        Some("COMMIT"),
        "{events:?}"
    );
    Ok(())
}
layers!(transaction_control_is_an_event_with_its_sql);
