//! Sorting by related fields through to-one paths
//! (`Ticket::representative().field(Representative::name())`): the related
//! record's value, nil when the path reaches none (nils last ascending, first
//! descending, as for an attribute), ties in insertion order; two hops; a
//! has_one or belongs_to that may reach several records reads the first in
//! its relationship's sort order (what a load attaches), its `filter` option
//! applied; with offset and limit, and in loads (per-parent windows through a
//! many_to_many); bulk writes that pick their records by such a sort; and the
//! errors for a to-many or manual relationship.
//! Each test runs on memory, SQLite and PostgreSQL (`layers!`).

use ashore::prelude::*;
use ashore::{ErrorKind, IntoSorts, Order, Sort};

use crate::common::*;

/// The Helpdesk for related sorts, created in this order.
///
/// Representatives: Dee (threshold 2), Bob (5), Ada (3), Cy (0, no tickets).
/// Tickets (subject: representative, status, priority, minute opened):
/// t1: Bob, open, 2, 1; t2: none, open, 5, 2; t3: Ada, open, 9, 3;
/// t4: Dee, open, nil, 4; t5: Ada, closed, 1, 5; t6: Bob, open, 7, 6.
/// Comments: c6 on t6, c2 on t2, c3 on t3, c4 on t4.
/// Tags: "urgent" on t1, t2, t3, t4; "vip" on t6, t5.
struct World(Fx);

impl World {
    async fn new(run: &Run) -> Self {
        let fx = helpdesk(run).await;
        let d = &fx.domain;
        let dee = rep(d, "Dee", 2).await;
        let bob = rep(d, "Bob", 5).await;
        let ada = rep(d, "Ada", 3).await;
        rep(d, "Cy", 0).await;
        let t1 = ticket(d, Some(&bob), "t1", "open", Some(2), 1).await;
        let t2 = ticket(d, None, "t2", "open", Some(5), 2).await;
        let t3 = ticket(d, Some(&ada), "t3", "open", Some(9), 3).await;
        let t4 = ticket(d, Some(&dee), "t4", "open", None, 4).await;
        let t5 = ticket(d, Some(&ada), "t5", "closed", Some(1), 5).await;
        let t6 = ticket(d, Some(&bob), "t6", "open", Some(7), 6).await;
        for t in [&t6, &t2, &t3, &t4] {
            comment(d, t, &format!("c{}", &t.subject[1..])).await;
        }
        let urgent = tag(d, "urgent").await;
        let vip = tag(d, "vip").await;
        for t in [&t1, &t2, &t3, &t4] {
            label(d, t, &urgent).await;
        }
        label(d, &t6, &vip).await;
        label(d, &t5, &vip).await;
        World(fx)
    }

    /// Checks the subjects of the tickets read with `sort`, in order.
    async fn tickets(&self, sort: impl IntoSorts, want: &[&str]) {
        let query = Ticket::query().sort(sort);
        let shown = format!("{query:?}");
        let tickets = self.0.domain.read(query).await.expect("read tickets");
        assert_eq!(subjects(&tickets), want, "{shown}");
    }

    /// Checks the names of the representatives read with `sort`, in order.
    async fn reps(&self, sort: impl IntoSorts, want: &[&str]) {
        let query = Representative::query().sort(sort);
        let shown = format!("{query:?}");
        let reps = self.0.domain.read(query).await.expect("read reps");
        let got: Vec<&str> = reps.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(got, want, "{shown}");
    }

    /// The error of reading `query`.
    async fn error<R: Resource + std::fmt::Debug>(&self, query: Query<R>) -> ashore::Error {
        self.0
            .domain
            .read(query)
            .await
            .expect_err("an invalid sort")
    }
}

fn owner_name() -> ashore::RelatedField<Ticket, String> {
    Ticket::representative().field(Representative::name())
}

async fn tickets_sort_by_their_representatives_attribute(run: Run) -> ashore::Result<()> {
    let w = World::new(&run).await;
    // t2 has no representative: nil, last ascending and first descending;
    // Ada's t3 and t5 (and Bob's t1 and t6) tie and keep insertion order.
    w.tickets(owner_name(), &["t3", "t5", "t1", "t6", "t4", "t2"])
        .await;
    w.tickets(owner_name().desc(), &["t2", "t4", "t1", "t6", "t3", "t5"])
        .await;
    w.tickets(
        owner_name().asc_nils_first(),
        &["t2", "t3", "t5", "t1", "t6", "t4"],
    )
    .await;
    w.tickets(
        owner_name().desc_nils_last(),
        &["t4", "t1", "t6", "t3", "t5", "t2"],
    )
    .await;
    // A later key breaks the ties.
    w.tickets(
        [owner_name().asc(), Ticket::priority().desc()],
        &["t3", "t5", "t6", "t1", "t4", "t2"],
    )
    .await;
    // An integer attribute; the same key built at run time.
    let threshold = Ticket::representative().field(Representative::priority_threshold());
    w.tickets(threshold.desc(), &["t2", "t1", "t6", "t3", "t5", "t4"])
        .await;
    let dynamic = Sort::path(["representative"], "priority_threshold", Order::Desc);
    assert_eq!(
        dynamic.to_string(),
        "representative.priority_threshold desc"
    );
    w.tickets(dynamic, &["t2", "t1", "t6", "t3", "t5", "t4"])
        .await;
    Ok(())
}

layers!(tickets_sort_by_their_representatives_attribute);

async fn offset_and_limit_cut_the_sorted_records(run: Run) -> ashore::Result<()> {
    let w = World::new(&run).await;
    let query = Ticket::query()
        .sort(owner_name().desc_nils_last())
        .offset(1)
        .limit(3);
    let tickets = w.0.domain.read(query.clone()).await?;
    assert_eq!(subjects(&tickets), ["t1", "t6", "t3"]);
    // A count ignores the sort; `first` takes the first in its order.
    assert_eq!(w.0.domain.read(query).count().await?, 3);
    let first =
        w.0.domain
            .read(Ticket::query().sort(owner_name().desc()))
            .first()
            .await?;
    assert_eq!(first.map(|t| t.subject), Some("t2".to_owned()));
    // With a filter through the same relationship.
    let query = Ticket::query()
        .filter(expr!(representative.priority_threshold >= 3))
        .sort([owner_name().desc(), Ticket::subject().desc()]);
    let tickets = w.0.domain.read(query).await?;
    assert_eq!(subjects(&tickets), ["t6", "t1", "t5", "t3"]);
    Ok(())
}

layers!(offset_and_limit_cut_the_sorted_records);

async fn two_hops_reach_the_representative_of_a_comments_ticket(run: Run) -> ashore::Result<()> {
    let w = World::new(&run).await;
    let by_owner = Comment::ticket().field(Ticket::representative().field(Representative::name()));
    assert_eq!(by_owner.path(), ["ticket", "representative"]);
    let comments =
        w.0.domain
            .read(Comment::query().sort(by_owner.clone()))
            .await?;
    let bodies: Vec<&str> = comments.iter().map(|c| c.body.as_str()).collect();
    // c2's ticket has no representative.
    assert_eq!(bodies, ["c3", "c6", "c4", "c2"]);
    let comments =
        w.0.domain
            .read(Comment::query().sort(by_owner.desc()))
            .await?;
    let bodies: Vec<&str> = comments.iter().map(|c| c.body.as_str()).collect();
    assert_eq!(bodies, ["c2", "c4", "c6", "c3"]);
    Ok(())
}

layers!(two_hops_reach_the_representative_of_a_comments_ticket);

async fn a_has_one_reads_the_record_a_load_attaches(run: Run) -> ashore::Result<()> {
    let w = World::new(&run).await;
    // `latest_ticket` sorts by `opened_at desc`: Ada's is t5 (priority 1), not
    // t3; Bob's t6 (7); Dee's t4 (nil); Cy has none.
    let latest = Representative::latest_ticket().field(Ticket::priority());
    w.reps(latest.desc_nils_last(), &["Bob", "Ada", "Dee", "Cy"])
        .await;
    // `latest_open_ticket` also has `filter status == "open"`: Ada's is t3 (9).
    let latest_open = Representative::latest_open_ticket().field(Ticket::priority());
    w.reps(latest_open.desc_nils_last(), &["Ada", "Bob", "Dee", "Cy"])
        .await;
    // What a load attaches agrees.
    let reps =
        w.0.domain
            .read(
                Representative::query()
                    .sort(Representative::latest_ticket().field(Ticket::subject()))
                    .load(Representative::latest_ticket()),
            )
            .await?;
    let latest: Vec<Option<&str>> = reps
        .iter()
        .map(|r| {
            r.latest_ticket
                .get()
                .expect("loaded")
                .as_ref()
                .map(|t| t.subject.as_str())
        })
        .collect();
    assert_eq!(latest, [Some("t4"), Some("t5"), Some("t6"), None]);
    Ok(())
}

layers!(a_has_one_reads_the_record_a_load_attaches);

async fn a_belongs_to_by_another_attribute_reads_the_first_match(run: Run) -> ashore::Result<()> {
    let w = World::new(&run).await;
    let d = &w.0.domain;
    let tickets = d.read(Ticket::query().sort(Ticket::subject())).await?;
    // A second "Ada" (threshold 8), after the first (3): `author_rep` (keyed
    // by name) reads the first one stored.
    rep(d, "Ada", 8).await;
    authored(d, &tickets[0], "by-bob", "Bob").await;
    authored(d, &tickets[0], "by-ada", "Ada").await;
    authored(d, &tickets[0], "by-nobody", "Nobody").await;
    authored(d, &tickets[0], "by-cy", "Cy").await;
    let by_threshold = Comment::author_rep().field(Representative::priority_threshold());
    let comments = d
        .read(
            Comment::query()
                .filter(expr!(not(is_nil(author))))
                .sort(by_threshold.desc_nils_last()),
        )
        .await?;
    let bodies: Vec<&str> = comments.iter().map(|c| c.body.as_str()).collect();
    assert_eq!(bodies, ["by-bob", "by-ada", "by-cy", "by-nobody"]);
    Ok(())
}

layers!(a_belongs_to_by_another_attribute_reads_the_first_match);

async fn loads_sort_each_parents_records_by_a_related_field(run: Run) -> ashore::Result<()> {
    let w = World::new(&run).await;
    let tags_loading = |load| Tag::query().sort(Tag::name()).load(load);
    // Per tag, through the join: "urgent" has t1 (Bob), t2 (none), t3 (Ada),
    // t4 (Dee); "vip" t6 (Bob), t5 (Ada).
    let top_two = Tag::tickets().sort(owner_name().desc()).limit(2);
    let tags = w.0.domain.read(tags_loading(top_two)).await?;
    assert_eq!(subjects(tags[0].tickets.get()?), ["t2", "t4"]);
    assert_eq!(subjects(tags[1].tickets.get()?), ["t6", "t5"]);
    let window = Tag::tickets().sort(owner_name()).offset(1).limit(2);
    let tags = w.0.domain.read(tags_loading(window)).await?;
    assert_eq!(subjects(tags[0].tickets.get()?), ["t1", "t4"]);
    assert_eq!(subjects(tags[1].tickets.get()?), ["t6"]);
    let all = Tag::tickets().sort(owner_name().asc_nils_first());
    let tags = w.0.domain.read(tags_loading(all)).await?;
    assert_eq!(subjects(tags[0].tickets.get()?), ["t2", "t3", "t1", "t4"]);
    // A has_many load, two hops from each comment.
    let comments = Ticket::comments().sort(
        Comment::ticket()
            .field(Ticket::representative().field(Representative::name()))
            .desc(),
    );
    let tickets =
        w.0.domain
            .read(Ticket::query().sort(Ticket::subject()).load(comments))
            .await?;
    let bodies: Vec<Vec<&str>> = tickets
        .iter()
        .map(|t| {
            let comments = t.comments.get().expect("loaded");
            comments.iter().map(|c| c.body.as_str()).collect()
        })
        .collect();
    assert_eq!(
        bodies,
        [
            vec![],
            vec!["c2"],
            vec!["c3"],
            vec!["c4"],
            vec![],
            vec!["c6"]
        ]
    );
    Ok(())
}

layers!(loads_sort_each_parents_records_by_a_related_field);

async fn a_sort_through_a_to_many_or_manual_relationship_is_refused(
    run: Run,
) -> ashore::Result<()> {
    let w = World::new(&run).await;
    let invalid = |e: &ashore::Error, resource: &str, words: &[&str]| {
        match e.kind() {
            ErrorKind::InvalidQuery { resource: r, .. } => assert_eq!(*r, resource, "{e}"),
            other => panic!("not InvalidQuery: {other:?}"),
        }
        for word in words {
            assert!(e.to_string().contains(word), "{e} lacks {word}");
        }
    };
    let many = Sort::path(["tickets"], "subject", Order::Asc);
    let e = w.error(Representative::query().sort(many)).await;
    invalid(&e, "Representative", &["`tickets`", "to-many"]);
    let manual = Sort::path(["manual_sole_ticket"], "subject", Order::Asc);
    let e = w.error(Representative::query().sort(manual)).await;
    invalid(&e, "Representative", &["`manual_sole_ticket`", "manual"]);
    let unknown = Sort::path(["owner"], "name", Order::Asc);
    let e = w.error(Ticket::query().sort(unknown)).await;
    invalid(&e, "Ticket", &["no relationship named `owner`"]);
    let unknown = Sort::path(["representative"], "nickname", Order::Asc);
    let e = w.error(Ticket::query().sort(unknown)).await;
    invalid(
        &e,
        "Ticket",
        &["no attribute named `nickname` on Representative"],
    );
    // A manual load's records come from its loader: it sorts them by their
    // own attributes only, and says so before calling it.
    let load = Representative::manual_tickets().sort(owner_name());
    let e = w.error(Representative::query().load(load)).await;
    invalid(
        &e,
        "Ticket",
        &["manual relationship", "representative.name"],
    );
    Ok(())
}

layers!(a_sort_through_a_to_many_or_manual_relationship_is_refused);

async fn a_bulk_write_picks_its_records_by_a_related_field(run: Run) -> ashore::Result<()> {
    let w = World::new(&run).await;
    let d = &w.0.domain;
    // The first two by representative name, descending: t2 (none) and t4
    // (Dee); returned in insertion order.
    let closed = d
        .update_all(
            Ticket::query().sort(owner_name().desc()).limit(2),
            Ticket::changeset().set(Ticket::status(), "closed"),
        )
        .await?;
    assert_eq!(subjects(&closed), ["t2", "t4"]);
    // The one after Bob's two (t1, t6): Ada's t3.
    let archived = d
        .update_all(
            Ticket::query().sort(owner_name().desc()).offset(4).limit(1),
            Ticket::changeset().set(Ticket::status(), "archived"),
        )
        .await?;
    assert_eq!(subjects(&archived), ["t3"]);
    let query = Ticket::query()
        .filter(expr!(status != "open"))
        .sort(Ticket::subject());
    let changed = d.read(query).await?;
    assert_eq!(subjects(&changed), ["t2", "t3", "t4", "t5"]);
    Ok(())
}

layers!(a_bulk_write_picks_its_records_by_a_related_field);
