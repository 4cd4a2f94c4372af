//! Relationships with no attributes (`no_attributes;` with a `filter` that
//! reads the source through `parent(..)`): loaded with per-parent windows,
//! filtered through (`exists` and paths), aggregated, sorted by those
//! aggregates, in one read (one statement on SQL) per relationship per level;
//! the same answers on memory, SQLite and PostgreSQL (`layers!`).
//!
//! Representative `above`: the tickets of the representative above its
//! threshold (the guide's manual relationship, without code); `top_above` its
//! has_one, highest priority first; `at_threshold`: every ticket whose
//! priority is the representative's threshold, or that has a comment the
//! representative wrote (no equality to look records up by).
//!
//! Ada (threshold 3): `a9` (9, open), `a1` (1, closed), `a5` (5, open); Bob
//! (5): `b2` (2, open, a comment by Ada), `bnil` (no priority), `b7` (7,
//! closed); Cy (1): none; `orphan` (5, open) has no representative.

use ashore::prelude::*;
use ashore::{ErrorKind, Expr, Rel, ToMany};

use crate::common::*;

/// The world of the module comment (the `manual_conditions` suite's too).
pub(crate) async fn world(run: &Run) -> Fx {
    let fx = ada_and_bob(run).await;
    let d = &fx.domain;
    rep(d, "Cy", 1).await;
    let reps = d.read(Representative::query()).await.expect("reps");
    let by_name = |n: &str| reps.iter().find(|r| r.name == n).expect("a rep").clone();
    ticket(d, Some(&by_name("Ada")), "a5", "open", Some(5), 6).await;
    ticket(d, Some(&by_name("Bob")), "b7", "closed", Some(7), 7).await;
    let tickets = d.read(Ticket::query()).await.expect("tickets");
    let b2 = tickets.iter().find(|t| t.subject == "b2").expect("b2");
    authored(d, b2, "seen", "Ada").await;
    fx
}

fn subjects(tickets: &[Ticket]) -> Vec<&str> {
    tickets.iter().map(|t| t.subject.as_str()).collect()
}

fn names(reps: &[Representative]) -> Vec<&str> {
    reps.iter().map(|r| r.name.as_str()).collect()
}

/// Each representative's loaded `field`, as subjects, by name order.
fn each<'r>(
    reps: &'r [Representative],
    field: impl Fn(&'r Representative) -> &'r Loaded<Vec<Ticket>>,
) -> Vec<Vec<&'r str>> {
    reps.iter()
        .map(|r| subjects(field(r).get().expect("loaded")))
        .collect()
}

async fn loads_relate_records_by_the_condition(run: Run) -> ashore::Result<()> {
    let fx = world(&run).await;
    fx.reads.clear();
    let reps = fx
        .domain
        .read(
            Representative::query()
                .sort(Representative::name())
                .load(Representative::above().sort(Ticket::priority().desc()))
                .load(Representative::top_above())
                .load(Representative::at_threshold()),
        )
        .await?;
    assert_eq!(names(&reps), ["Ada", "Bob", "Cy"]);
    assert_eq!(
        each(&reps, |r| &r.above),
        [vec!["a9", "a5"], vec!["b7"], vec![]]
    );
    let top: Vec<Option<&str>> = reps
        .iter()
        .map(|r| {
            r.top_above
                .get()
                .expect("loaded")
                .as_ref()
                .map(|t| t.subject.as_str())
        })
        .collect();
    assert_eq!(top, [Some("a9"), Some("b7"), None]);
    // Creation order without a sort: `orphan` was made before `a5`.
    assert_eq!(
        each(&reps, |r| &r.at_threshold),
        [vec!["b2"], vec!["orphan", "a5"], vec!["a1"]]
    );
    // One read of the representatives, one per relationship.
    assert_eq!(
        fx.reads.resources(),
        ["Representative", "Ticket", "Ticket", "Ticket"]
    );
    Ok(())
}
layers!(loads_relate_records_by_the_condition);

async fn windows_and_filters_apply_per_parent(run: Run) -> ashore::Result<()> {
    let fx = world(&run).await;
    let d = &fx.domain;
    let load = |rel: Rel<Representative, Ticket, ToMany>| {
        d.read(
            Representative::query()
                .sort(Representative::name())
                .load(rel),
        )
    };
    let reps = load(Representative::above().sort(Ticket::priority()).limit(1)).await?;
    assert_eq!(each(&reps, |r| &r.above), [vec!["a5"], vec!["b7"], vec![]]);
    let reps = load(Representative::above().sort(Ticket::priority()).offset(1)).await?;
    assert_eq!(each(&reps, |r| &r.above), [vec!["a9"], vec![], vec![]]);
    let reps = load(Representative::above().filter(expr!(status == "open"))).await?;
    assert_eq!(
        each(&reps, |r| &r.above),
        [vec!["a9", "a5"], vec![], vec![]]
    );
    // Through a path from the ticket: the representative's name.
    let reps = load(
        Representative::at_threshold()
            .filter(expr!(representative.name == "Bob"))
            .sort(Ticket::subject().desc()),
    )
    .await?;
    assert_eq!(
        each(&reps, |r| &r.at_threshold),
        [vec!["b2"], vec![], vec![]]
    );
    // A record related to several parents comes to each of them.
    let reps = load(Representative::at_threshold().sort(Ticket::subject())).await?;
    assert_eq!(
        each(&reps, |r| &r.at_threshold),
        [vec!["b2"], vec!["a5", "orphan"], vec!["a1"]]
    );
    Ok(())
}
layers!(windows_and_filters_apply_per_parent);

async fn loads_onto_records_in_hand_and_nested(run: Run) -> ashore::Result<()> {
    let fx = world(&run).await;
    let d = &fx.domain;
    // Twice the same representative: asked for once, attached to both.
    let bob = d
        .read(Representative::query().filter(expr!(name == "Bob")))
        .await?
        .remove(0);
    let mut hand = vec![bob.clone(), bob];
    d.load(&mut hand, Representative::above()).await?;
    assert_eq!(each(&hand, |r| &r.above), [vec!["b7"], vec!["b7"]]);
    // Nested: each ticket's representative, and the tickets above its
    // threshold.
    let tickets = d
        .read(
            Ticket::query()
                .filter(expr!(subject in ["a1", "b2"]))
                .sort(Ticket::subject())
                .load(Ticket::representative().load(Representative::above())),
        )
        .await?;
    let above: Vec<Vec<&str>> = tickets
        .iter()
        .map(|t| {
            let rep = t
                .representative
                .get()
                .expect("loaded")
                .as_ref()
                .expect("a rep");
            subjects(rep.above.get().expect("loaded"))
        })
        .collect();
    assert_eq!(above, [vec!["a9", "a5"], vec!["b7"]]);
    Ok(())
}
layers!(loads_onto_records_in_hand_and_nested);

async fn filters_go_through_the_condition(run: Run) -> ashore::Result<()> {
    let fx = world(&run).await;
    let d = &fx.domain;
    let read = |q: Query<Representative>| d.read(q.sort(Representative::name()));
    let q = Representative::query;
    let reps = read(q().filter(expr!(exists(above, status == "closed")))).await?;
    assert_eq!(names(&reps), ["Bob"]);
    let reps = read(q().filter(expr!(above.priority > 6))).await?;
    assert_eq!(names(&reps), ["Ada", "Bob"]);
    // Both references bind to the same ticket: none above 8 is closed.
    let reps = read(q().filter(expr!(above.priority > 8 and above.status == "closed"))).await?;
    assert!(reps.is_empty());
    let reps = read(q().filter(expr!(not exists(above, priority > 0)))).await?;
    assert_eq!(names(&reps), ["Cy"]);
    let reps = read(q().filter(expr!(exists(at_threshold, subject == "orphan")))).await?;
    assert_eq!(names(&reps), ["Bob"]);
    // From the ticket's side, through the representative.
    let tickets = d
        .read(
            Ticket::query()
                .filter(expr!(exists(representative.above, subject == "a5")))
                .sort(Ticket::subject()),
        )
        .await?;
    assert_eq!(subjects(&tickets), ["a1", "a5", "a9"]);
    Ok(())
}
layers!(filters_go_through_the_condition);

async fn aggregates_count_through_the_condition(run: Run) -> ashore::Result<()> {
    let fx = world(&run).await;
    let d = &fx.domain;
    let reps = d
        .read(
            Representative::query()
                .sort(Representative::name())
                .load(Representative::above_count())
                .load(Representative::above_highest()),
        )
        .await?;
    let counts: Vec<i64> = reps
        .iter()
        .map(|r| *r.above_count.get().expect("loaded"))
        .collect();
    assert_eq!(counts, [2, 1, 0]);
    let highest: Vec<Option<i64>> = reps
        .iter()
        .map(|r| *r.above_highest.get().expect("loaded"))
        .collect();
    assert_eq!(highest, [Some(9), None, None]);
    // "Representatives with more than N tickets above their threshold".
    let n = 0_i64;
    let reps = d
        .read(
            Representative::query()
                .filter(expr!(above_count > ^n))
                .sort(Representative::above_count().desc()),
        )
        .await?;
    assert_eq!(names(&reps), ["Ada", "Bob"]);
    let reps = d
        .read(
            Representative::query()
                .filter(expr!(is_nil(above_highest)))
                .sort(Representative::name()),
        )
        .await?;
    assert_eq!(names(&reps), ["Bob", "Cy"]);
    Ok(())
}
layers!(aggregates_count_through_the_condition);

async fn sorts_go_through_a_has_one(run: Run) -> ashore::Result<()> {
    let fx = world(&run).await;
    // `top_above`: Ada's a9 (9), Bob's b7 (7), Cy none (nil, last ascending).
    let top = Representative::top_above().field(Ticket::priority());
    let reps = fx
        .domain
        .read(Representative::query().sort(top.asc()))
        .await?;
    assert_eq!(names(&reps), ["Bob", "Ada", "Cy"]);
    let subject = Representative::top_above().field(Ticket::subject());
    let reps = fx
        .domain
        .read(Representative::query().sort(subject.desc_nils_last()))
        .await?;
    // "b7" after "a9".
    assert_eq!(names(&reps), ["Bob", "Ada", "Cy"]);
    Ok(())
}
layers!(sorts_go_through_a_has_one);

async fn parent_outside_a_relationship_filter_is_refused(run: Run) -> ashore::Result<()> {
    let fx = world(&run).await;
    let d = &fx.domain;
    let filter = Expr::cmp(
        ashore::CmpOp::Eq,
        Expr::attr("priority"),
        Expr::parent("priority"),
    );
    let error = d
        .read(Ticket::query().filter_expr(filter))
        .await
        .expect_err("parent() in a read's filter");
    match error.kind() {
        ErrorKind::InvalidQuery { resource, message } => {
            assert_eq!(*resource, "Ticket");
            assert_eq!(
                message,
                "`parent(priority)` reads the source record of a relationship, so it is only \
                 allowed in the filter of a `no_attributes` relationship"
            );
        }
        other => panic!("expected InvalidQuery, got {other:?}"),
    }
    // Nothing relates to a no_attributes relationship by key.
    let ada = d
        .read(Representative::query().filter(expr!(name == "Ada")))
        .await?
        .remove(0);
    let orphan = d
        .read(Ticket::query().filter(expr!(subject == "orphan")))
        .await?;
    let error = d
        .relate(&ada, Representative::above(), &orphan)
        .await
        .expect_err("relate through no_attributes");
    assert!(
        error.to_string().contains("has no attributes"),
        "unexpected error: {error}"
    );
    Ok(())
}
layers!(parent_outside_a_relationship_filter_is_refused);
