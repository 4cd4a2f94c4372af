//! A manual relationship with a `condition` (how its loader's records relate
//! to a source record, with `parent(..)`): filters, `exists`, paths,
//! aggregates and sorts by them go through the condition, never calling the
//! loader, in one read; loading still calls the loader. On memory, SQLite and
//! PostgreSQL (`layers!`), in the world of `parent_relationships`, where
//! `tickets_above_threshold` (the guide's loader) relates what `above`
//! relates.

use ashore::prelude::*;

use crate::common::*;
use crate::parent_relationships::world;

fn names(reps: &[Representative]) -> Vec<&str> {
    reps.iter().map(|r| r.name.as_str()).collect()
}

async fn filters_go_through_the_condition_not_the_loader(run: Run) -> ashore::Result<()> {
    let fx = world(&run).await;
    let d = &fx.domain;
    let read = |q: Query<Representative>| d.read(q.sort(Representative::name()));
    let q = Representative::query;
    fx.reads.clear();
    let reps = read(q().filter(expr!(exists(tickets_above_threshold, status == "closed")))).await?;
    assert_eq!(names(&reps), ["Bob"]);
    // One read, of the representatives: the loader (which reads tickets) was
    // not called.
    assert_eq!(fx.reads.resources(), ["Representative"]);
    let reps = read(q().filter(expr!(tickets_above_threshold.priority > 6))).await?;
    assert_eq!(names(&reps), ["Ada", "Bob"]);
    let reps = read(q().filter(expr!(not exists(tickets_above_threshold, priority > 0)))).await?;
    assert_eq!(names(&reps), ["Cy"]);
    // The same answers as the relationship with no attributes.
    let reps = read(q().filter(expr!(exists(above, status == "closed")))).await?;
    assert_eq!(names(&reps), ["Bob"]);
    Ok(())
}
layers!(filters_go_through_the_condition_not_the_loader);

async fn aggregates_and_sorts_go_through_the_condition(run: Run) -> ashore::Result<()> {
    let fx = world(&run).await;
    let d = &fx.domain;
    fx.reads.clear();
    let reps = d
        .read(
            Representative::query()
                .sort(Representative::manual_above_count().desc())
                .load(Representative::manual_above_count()),
        )
        .await?;
    assert_eq!(names(&reps), ["Ada", "Bob", "Cy"]);
    let counts: Vec<i64> = reps
        .iter()
        .map(|r| *r.manual_above_count.get().expect("loaded"))
        .collect();
    assert_eq!(counts, [2, 1, 0]);
    let n = 1_i64;
    let reps = d
        .read(Representative::query().filter(expr!(manual_above_count > ^n)))
        .await?;
    assert_eq!(names(&reps), ["Ada"]);
    // Reads of the representatives only (the read, its aggregate's, the
    // filtered read): the loader, which reads tickets, was never called.
    assert_eq!(
        fx.reads.resources(),
        ["Representative", "Representative", "Representative"]
    );
    Ok(())
}
layers!(aggregates_and_sorts_go_through_the_condition);

async fn loads_still_call_the_loader(run: Run) -> ashore::Result<()> {
    let fx = world(&run).await;
    let d = &fx.domain;
    fx.reads.clear();
    let reps = d
        .read(
            Representative::query()
                .sort(Representative::name())
                .load(Representative::tickets_above_threshold().sort(Ticket::priority().desc())),
        )
        .await?;
    let loaded: Vec<Vec<&str>> = reps
        .iter()
        .map(|r| {
            r.tickets_above_threshold
                .get()
                .expect("loaded")
                .iter()
                .map(|t| t.subject.as_str())
                .collect()
        })
        .collect();
    assert_eq!(loaded, [vec!["a9", "a5"], vec!["b7"], vec![]]);
    // The loader's own read of the tickets (`representative_id in ..`).
    let tickets = fx.reads.of("Ticket");
    assert_eq!(tickets.len(), 1);
    let filter = tickets[0].filter.as_ref().map(ToString::to_string);
    assert!(
        filter
            .as_deref()
            .is_some_and(|f| f.contains("representative_id in")),
        "{filter:?}"
    );
    Ok(())
}
layers!(loads_still_call_the_loader);
