//! Aggregates (`aggregates { .. }`, `#[resource(aggregate(..))]`) loaded onto
//! records: every kind, with the aggregate's filter, through a relationship's
//! own filter, two hops away and through a many_to_many, for records with and
//! without related records; one read per aggregate whatever the number of
//! records; `list`s in creation order; in nested loads and onto records in
//! hand; an overflowing sum is an error when loaded, nil in filters and
//! sorts, and integer sums are exact. Each test runs on memory, SQLite and PostgreSQL (`layers!`).
//!
//! Ada's tickets: `a9` (9, open, two comments, tagged urgent) and `a1` (1,
//! closed, tagged urgent); Bob's: `b2` (2, open, one comment, tagged calm) and
//! `bnil` (no priority, open); Cy has none; `orphan` has no representative.

use ashore::prelude::*;
use ashore::{Agg, Aggregate, AggregateKind, Load};

use crate::common::*;

/// The Helpdesk of `ada_and_bob`, with Cy, comments and tags.
async fn world(run: &Run) -> Fx {
    let fx = ada_and_bob(run).await;
    let d = &fx.domain;
    rep(d, "Cy", 1).await;
    let tickets = d.read(Ticket::query()).await.expect("tickets");
    let by = |s: &str| tickets.iter().find(|t| t.subject == s).expect("a ticket");
    comment(d, by("a9"), "first").await;
    comment(d, by("a9"), "second").await;
    comment(d, by("b2"), "third").await;
    let urgent = tag(d, "urgent").await;
    let calm = tag(d, "calm").await;
    label(d, by("a9"), &urgent).await;
    label(d, by("a1"), &urgent).await;
    label(d, by("b2"), &calm).await;
    fx
}

/// The value of `field` for each representative, by name order.
fn each<T: Clone>(
    reps: &[Representative],
    field: impl Fn(&Representative) -> &Loaded<T>,
) -> Vec<T> {
    reps.iter()
        .map(|r| field(r).get().expect("loaded").clone())
        .collect()
}

async fn every_kind_is_loaded_with_its_own_answer(run: Run) -> ashore::Result<()> {
    let fx = world(&run).await;
    let query = Representative::query()
        .sort(Representative::name())
        .load(Representative::ticket_count())
        .load(Representative::open_ticket_count())
        .load(Representative::open_tickets_count())
        .load(Representative::has_open_tickets())
        .load(Representative::total_priority())
        .load(Representative::open_priority())
        .load(Representative::lowest_priority())
        .load(Representative::highest_priority())
        .load(Representative::last_opened())
        .load(Representative::first_subject_alphabetically())
        .load(Representative::mean_priority())
        .load(Representative::first_subject())
        .load(Representative::comment_count())
        .load(Representative::tag_count())
        .load(Representative::subjects())
        .load(Representative::open_priorities())
        .load(Representative::tag_names());
    let reps = fx.domain.read(query).await?;
    let names: Vec<&str> = reps.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Ada", "Bob", "Cy"]);
    assert_eq!(each(&reps, |r| &r.ticket_count), [2, 2, 0]);
    assert_eq!(each(&reps, |r| &r.open_ticket_count), [1, 2, 0]);
    // The relationship's own filter (`status == "open"`) holds.
    assert_eq!(each(&reps, |r| &r.open_tickets_count), [1, 2, 0]);
    assert_eq!(each(&reps, |r| &r.has_open_tickets), [true, true, false]);
    assert_eq!(
        each(&reps, |r| &r.total_priority),
        [Some(10), Some(2), None]
    );
    // Open tickets above priority 1: `bnil`'s nil priority is not above 1.
    assert_eq!(each(&reps, |r| &r.open_priority), [Some(9), Some(2), None]);
    assert_eq!(
        each(&reps, |r| &r.lowest_priority),
        [Some(1), Some(2), None]
    );
    assert_eq!(
        each(&reps, |r| &r.highest_priority),
        [Some(9), Some(2), None]
    );
    assert_eq!(
        each(&reps, |r| &r.last_opened),
        [Some(at(2)), Some(at(4)), None]
    );
    let s = |x: &str| Some(x.to_owned());
    assert_eq!(
        each(&reps, |r| &r.first_subject_alphabetically),
        [s("a1"), s("b2"), None]
    );
    assert_eq!(
        each(&reps, |r| &r.mean_priority),
        [Some(5.0), Some(2.0), None]
    );
    // The earliest created ticket.
    assert_eq!(each(&reps, |r| &r.first_subject), [s("a9"), s("b2"), None]);
    assert_eq!(each(&reps, |r| &r.comment_count), [2, 1, 0]);
    assert_eq!(each(&reps, |r| &r.tag_count), [2, 0, 0]);
    // Lists, in the order the tickets (then tags) were created, nils left out.
    let strings = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        each(&reps, |r| &r.subjects),
        [strings(&["a9", "a1"]), strings(&["b2", "bnil"]), vec![]]
    );
    assert_eq!(
        each(&reps, |r| &r.open_priorities),
        [vec![9], vec![2], vec![]]
    );
    assert_eq!(
        each(&reps, |r| &r.tag_names),
        [strings(&["urgent", "urgent"]), strings(&["calm"]), vec![]]
    );
    // Not loaded: still an error to read.
    let plain = fx.domain.read(Representative::query()).await?;
    assert!(matches!(
        plain[0].ticket_count.get().unwrap_err().kind(),
        ErrorKind::NotLoaded
    ));
    Ok(())
}

layers!(every_kind_is_loaded_with_its_own_answer);

async fn one_read_per_aggregate_whatever_the_number_of_records(run: Run) -> ashore::Result<()> {
    for n in [1, 300] {
        let fx = helpdesk(&run).await;
        seed_many(&fx.domain, n).await;
        fx.reads.clear();
        let reps = fx
            .domain
            .read(
                Representative::query()
                    .load(Representative::ticket_count())
                    .load(Representative::highest_priority()),
            )
            .await?;
        assert_eq!(reps.len(), n);
        for r in &reps {
            assert_eq!(*r.ticket_count.get()?, 2);
            assert_eq!(*r.highest_priority.get()?, Some(8));
        }
        // The representatives, then one per aggregate.
        assert_eq!(fx.reads.count(), 3, "{n} representatives");
    }
    Ok(())
}

layers!(one_read_per_aggregate_whatever_the_number_of_records);

async fn nested_and_in_hand(run: Run) -> ashore::Result<()> {
    let fx = world(&run).await;
    let d = &fx.domain;
    let tickets = d
        .read(
            Ticket::query()
                .sort(Ticket::subject())
                .load(Ticket::representative().load(Representative::open_ticket_count())),
        )
        .await?;
    let counts: Vec<(String, Option<i64>)> = tickets
        .iter()
        .map(|t| {
            let rep = t.representative.get()?;
            Ok((
                t.subject.clone(),
                rep.as_ref()
                    .map(|r| *r.open_ticket_count.get().expect("loaded")),
            ))
        })
        .collect::<ashore::Result<_>>()?;
    let c = |s: &str, n: Option<i64>| (s.to_owned(), n);
    assert_eq!(
        counts,
        [
            c("a1", Some(1)),
            c("a9", Some(1)),
            c("b2", Some(2)),
            c("bnil", Some(2)),
            c("orphan", None)
        ]
    );
    let mut reps = d
        .read(Representative::query().sort(Representative::name()))
        .await?;
    d.load(&mut reps, Representative::comment_count()).await?;
    assert_eq!(each(&reps, |r| &r.comment_count), [2, 1, 0]);
    Ok(())
}

layers!(nested_and_in_hand);

async fn an_overflowing_sum_is_an_error(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let max = rep(d, "Max", 1).await;
    ticket(d, Some(&max), "big", "open", Some(i64::MAX), 1).await;
    ticket(d, Some(&max), "one more", "open", Some(1), 2).await;
    let err = d
        .read(Representative::query().load(Representative::total_priority()))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::DataLayer { .. }), "{err}");
    // In the same words on every layer (the database's own are the source),
    // naming the aggregate and the resource.
    assert_eq!(
        err.to_string(),
        "Representative.total_priority: data layer: the aggregate `sum(tickets.priority)` of \
         Representative overflows i64"
    );
    Ok(())
}

layers!(an_overflowing_sum_is_an_error);

async fn integer_sums_are_exact_and_one_past_i64_is_nil_in_filters_and_sorts(
    run: Run,
) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let max = rep(d, "Max", 1).await;
    ticket(d, Some(&max), "big", "open", Some(i64::MAX), 1).await;
    ticket(d, Some(&max), "one more", "open", Some(1), 2).await;
    // Past `i64` after two tickets, back in range after the third (SQLite's
    // own `sum` failed on it).
    let back = rep(d, "Back", 1).await;
    ticket(d, Some(&back), "big", "open", Some(i64::MAX), 3).await;
    ticket(d, Some(&back), "one more", "open", Some(1), 4).await;
    ticket(d, Some(&back), "minus", "open", Some(-5), 5).await;
    let low = rep(d, "Low", 1).await;
    ticket(d, Some(&low), "low", "open", Some(3), 6).await;
    let loaded = d
        .read(
            Representative::query()
                .filter(expr!(name != "Max"))
                .load(Representative::total_priority()),
        )
        .await?;
    assert_eq!(
        each(&loaded, |r| &r.total_priority),
        [Some(i64::MAX - 4), Some(3)]
    );
    // Max's is nil in a filter and a sort key (as memory always said; SQL
    // gave the database's error).
    let names = |reps: Vec<Representative>| reps.into_iter().map(|r| r.name).collect::<Vec<_>>();
    let nil = d
        .read(Representative::query().filter(expr!(is_nil(total_priority))))
        .await?;
    assert_eq!(names(nil), ["Max"]);
    let above = d
        .read(Representative::query().filter(expr!(total_priority > 2)))
        .await?;
    assert_eq!(names(above), ["Back", "Low"]);
    let sorted = d
        .read(Representative::query().sort(Representative::total_priority().desc()))
        .await?;
    assert_eq!(names(sorted), ["Max", "Back", "Low"]);
    Ok(())
}

layers!(integer_sums_are_exact_and_one_past_i64_is_nil_in_filters_and_sorts);

async fn an_aggregate_describes_itself(run: Run) -> ashore::Result<()> {
    let _ = run;
    let agg: Agg<Representative, Option<i64>> = Representative::open_priority();
    assert_eq!(agg.name(), "open_priority");
    assert_eq!(Load::name(&agg), "open_priority");
    let described: Aggregate = agg.aggregate();
    assert_eq!(described.kind, AggregateKind::Sum);
    assert_eq!(
        described.to_string(),
        "sum(open_tickets.priority, priority > 1)"
    );
    Ok(())
}

layers!(an_aggregate_describes_itself);

async fn filters_read_aggregates(run: Run) -> ashore::Result<()> {
    let fx = world(&run).await;
    let d = &fx.domain;
    let names =
        |reps: Vec<Representative>| -> Vec<String> { reps.into_iter().map(|r| r.name).collect() };
    let read = |q: Query<Representative>| d.read(q.sort(Representative::name()));
    let q = Representative::query;
    assert_eq!(
        names(read(q().filter(expr!(open_ticket_count > 1))).await?),
        ["Bob"]
    );
    assert_eq!(
        names(read(q().filter(expr!(ticket_count == 0))).await?),
        ["Cy"]
    );
    assert_eq!(
        names(read(q().filter(expr!(has_open_tickets and total_priority >= 10))).await?),
        ["Ada"]
    );
    // Nil rules as for attributes: Cy's sum is nil, neither above nor not above.
    assert_eq!(
        names(read(q().filter(expr!(not(total_priority > 5)))).await?),
        ["Bob"]
    );
    assert_eq!(
        names(read(q().filter(expr!(is_nil(mean_priority)))).await?),
        ["Cy"]
    );
    assert_eq!(
        names(read(q().filter(expr!(first_subject == "b2" or comment_count == 2))).await?),
        ["Ada", "Bob"]
    );
    let minute_3 = at(3);
    assert_eq!(
        names(read(q().filter(expr!(last_opened > ^minute_3))).await?),
        ["Bob"]
    );
    // Through a relationship: tickets whose representative has open tickets
    // above priority 1 summing to more than 5.
    let tickets = d
        .read(
            Ticket::query()
                .filter(expr!(representative.open_priority > 5))
                .sort(Ticket::subject()),
        )
        .await?;
    let subjects: Vec<&str> = tickets.iter().map(|t| t.subject.as_str()).collect();
    assert_eq!(subjects, ["a1", "a9"]);
    // In `exists`, and in a relationship load's filter.
    let tags = d
        .read(Tag::query().filter(expr!(exists(tickets, representative.ticket_count == 2 and representative.has_open_tickets))))
        .await?;
    assert_eq!(tags.len(), 2);
    Ok(())
}

layers!(filters_read_aggregates);

async fn sorts_read_aggregates(run: Run) -> ashore::Result<()> {
    let fx = world(&run).await;
    let d = &fx.domain;
    let names =
        |reps: &[Representative]| -> Vec<String> { reps.iter().map(|r| r.name.clone()).collect() };
    let sorted = |sort: Vec<ashore::Sort>| d.read(Representative::query().sort(sort));
    // Ada 1 open, Bob 2, Cy 0.
    let reps = sorted(vec![Representative::open_ticket_count().desc()]).await?;
    assert_eq!(names(&reps), ["Bob", "Ada", "Cy"]);
    // Sums: Ada 10, Bob 2, Cy nil; nils as the order says.
    let reps = sorted(vec![Representative::total_priority().desc()]).await?;
    assert_eq!(names(&reps), ["Cy", "Ada", "Bob"]);
    let reps = sorted(vec![Representative::total_priority().asc()]).await?;
    assert_eq!(names(&reps), ["Bob", "Ada", "Cy"]);
    // An aggregate alone is its ascending key, as a field is.
    let reps = d
        .read(Representative::query().sort(Representative::total_priority()))
        .await?;
    assert_eq!(names(&reps), ["Bob", "Ada", "Cy"]);
    let reps = sorted(vec![Representative::total_priority().desc_nils_last()]).await?;
    assert_eq!(names(&reps), ["Ada", "Bob", "Cy"]);
    // Ties (Ada and Bob have 2 tickets each) by the next key, then insertion.
    let reps = sorted(vec![
        Representative::ticket_count().desc(),
        Representative::first_subject().desc(),
    ])
    .await?;
    assert_eq!(names(&reps), ["Bob", "Ada", "Cy"]);
    let reps = sorted(vec![Representative::ticket_count().desc()]).await?;
    assert_eq!(names(&reps), ["Ada", "Bob", "Cy"]);
    // With a window, and with the filter on another aggregate.
    let reps = d
        .read(
            Representative::query()
                .filter(expr!(ticket_count > 0))
                .sort(Representative::mean_priority().asc())
                .limit(1),
        )
        .await?;
    assert_eq!(names(&reps), ["Bob"]);
    // A `list` is no sort key.
    let err = sorted(vec![Representative::subjects().asc()])
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::InvalidQuery { .. }),
        "{err}"
    );
    Ok(())
}

layers!(sorts_read_aggregates);
