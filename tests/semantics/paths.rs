//! Relationship paths in filters (DESIGN "Semantics" 10): to-one paths,
//! to-many and many_to_many paths (some related record matches; references
//! through one path bind to the same record; no related record means one
//! all-nil record), `exists`, paths through a relationship with a `filter`
//! option, and paths in the filter of a load.
//! Each test runs on memory, SQLite and PostgreSQL (`layers!`).

use ashore::prelude::*;

use crate::common::*;

/// The Helpdesk for path filters.
///
/// Ada (3, admin): a9 closed, a1 open. Bob (5): b9 open with an "urgent"
/// comment. Cy (0): no tickets. Dee (2): dnil open (nil priority).
/// orphan: priority 4, open, no representative.
///
/// Tags: "urgent" on a9 and orphan; "billing" on a9 and b9; "vip" on b9;
/// "spare" on nothing. a1 and dnil have no tags.
struct Paths(Fx);

impl Paths {
    async fn new(run: &Run) -> Self {
        let fx = helpdesk(run).await;
        let d = &fx.domain;
        let ada = admin(d, "Ada", 3).await;
        let bob = rep(d, "Bob", 5).await;
        rep(d, "Cy", 0).await;
        let dee = rep(d, "Dee", 2).await;
        let a9 = ticket(d, Some(&ada), "a9", "closed", Some(9), 1).await;
        ticket(d, Some(&ada), "a1", "open", Some(1), 2).await;
        let b9 = ticket(d, Some(&bob), "b9", "open", Some(9), 3).await;
        comment(d, &b9, "urgent").await;
        ticket(d, Some(&dee), "dnil", "open", None, 4).await;
        let orphan = ticket(d, None, "orphan", "open", Some(4), 5).await;
        let urgent = tag(d, "urgent").await;
        let billing = tag(d, "billing").await;
        let vip = tag(d, "vip").await;
        tag(d, "spare").await;
        label(d, &a9, &urgent).await;
        label(d, &orphan, &urgent).await;
        label(d, &a9, &billing).await;
        label(d, &b9, &billing).await;
        label(d, &b9, &vip).await;
        Paths(fx)
    }

    /// Checks the names of the representatives `query` returns.
    async fn reps(&self, query: Query<Representative>, want: &[&str]) {
        let shown = format!("{query:?}");
        let reps = self
            .0
            .domain
            .read(query)
            .await
            .expect("read representatives");
        assert_eq!(names(&reps), want, "{shown}");
    }

    /// Checks the subjects of the tickets `query` returns.
    async fn tickets(&self, query: Query<Ticket>, want: &[&str]) {
        let shown = format!("{query:?}");
        let tickets = self.0.domain.read(query).await.expect("read tickets");
        let mut got = subjects(&tickets);
        got.sort_unstable();
        assert_eq!(got, want, "{shown}");
    }

    /// Checks the names of the tags `query` returns.
    async fn tags(&self, query: Query<Tag>, want: &[&str]) {
        let shown = format!("{query:?}");
        let tags = self.0.domain.read(query).await.expect("read tags");
        let mut got: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        got.sort_unstable();
        assert_eq!(got, want, "{shown}");
    }
}

async fn to_one_paths_read_the_related_record(run: Run) -> ashore::Result<()> {
    let p = Paths::new(&run).await;
    let q = Ticket::query;
    p.tickets(
        q().filter(expr!(representative.name == "Ada")),
        &["a1", "a9"],
    )
    .await;
    // The orphan has no representative: its `representative.name` is nil, so
    // neither `!=` nor `not ==` matches it.
    p.tickets(
        q().filter(expr!(representative.name != "Ada")),
        &["b9", "dnil"],
    )
    .await;
    p.tickets(
        q().filter(expr!(not(representative.name == "Ada"))),
        &["b9", "dnil"],
    )
    .await;
    let bob = "Bob".to_owned();
    p.tickets(
        q().filter(expr!(representative.name == ^bob or subject == "orphan")),
        &["b9", "orphan"],
    )
    .await;
    p.tickets(
        q().filter(expr!(representative.priority_threshold > 4)),
        &["b9"],
    )
    .await;
    p.tickets(
        q().filter(expr!(priority > representative.priority_threshold)),
        &["a9", "b9"],
    )
    .await;
    p.tickets(q().filter(expr!(is_nil(representative.name))), &["orphan"])
        .await;
    p.tickets(
        q().filter(expr!(representative.admin == false)),
        &["b9", "dnil"],
    )
    .await;
    p.tickets(
        q().filter(expr!(not(representative.admin == true))),
        &["b9", "dnil"],
    )
    .await;
    p.tickets(
        q().filter(expr!(exists(representative, admin == true))),
        &["a1", "a9"],
    )
    .await;
    // Two steps: comment -> ticket -> representative.
    let on_bobs = Comment::query().filter(expr!(ticket.representative.name == "Bob"));
    let comments = p.0.domain.read(on_bobs).await.expect("read comments");
    let bodies: Vec<&str> = comments.iter().map(|c| c.body.as_str()).collect();
    assert_eq!(bodies, ["urgent"]);
    Ok(())
}

layers!(to_one_paths_read_the_related_record);

async fn to_many_paths_match_if_some_related_record_does(run: Run) -> ashore::Result<()> {
    let p = Paths::new(&run).await;
    let q = Representative::query;
    p.reps(q().filter(expr!(tickets.priority > 5)), &["Ada", "Bob"])
        .await;
    p.reps(
        q().filter(expr!(tickets.status == "open")),
        &["Ada", "Bob", "Dee"],
    )
    .await;
    p.reps(
        q().filter(expr!(tickets.comments.body == "urgent")),
        &["Bob"],
    )
    .await;
    // Own attributes and a path in one expression.
    p.reps(
        q().filter(expr!(name == "Cy" or tickets.priority > 5)),
        &["Ada", "Bob", "Cy"],
    )
    .await;
    Ok(())
}

layers!(to_many_paths_match_if_some_related_record_does);

async fn references_through_one_to_many_path_bind_to_the_same_record(
    run: Run,
) -> ashore::Result<()> {
    let p = Paths::new(&run).await;
    let q = Representative::query;
    // Ada has a priority-9 ticket and an open one, but not an open priority-9 one.
    p.reps(
        q().filter(expr!(tickets.priority > 5 and tickets.status == "open")),
        &["Bob"],
    )
    .await;
    p.reps(
        q().filter(expr!(tickets.priority > 5 and tickets.status == "closed")),
        &["Ada"],
    )
    .await;
    // The whole expression is tested per related record: Ada's a1 makes it
    // true; for Cy (no tickets) and Dee (nil priority) it is nil.
    p.reps(q().filter(expr!(not(tickets.priority > 5))), &["Ada"])
        .await;
    Ok(())
}

layers!(references_through_one_to_many_path_bind_to_the_same_record);

async fn a_parent_without_related_records_is_tested_against_an_all_nil_record(
    run: Run,
) -> ashore::Result<()> {
    let p = Paths::new(&run).await;
    let q = Representative::query;
    // Cy has no tickets; Dee's only ticket has a nil priority.
    p.reps(q().filter(expr!(is_nil(tickets.priority))), &["Cy", "Dee"])
        .await;
    p.reps(q().filter(expr!(is_nil(tickets.id))), &["Cy"]).await;
    p.reps(
        q().filter(expr!(not is_nil(tickets.priority))),
        &["Ada", "Bob"],
    )
    .await;
    p.reps(
        q().filter(expr!(is_nil(tickets.comments.body))),
        &["Ada", "Cy", "Dee"],
    )
    .await;
    Ok(())
}

layers!(a_parent_without_related_records_is_tested_against_an_all_nil_record);

async fn exists_is_true_or_false_never_nil(run: Run) -> ashore::Result<()> {
    let p = Paths::new(&run).await;
    let q = Representative::query;
    p.reps(
        q().filter(expr!(exists(tickets, priority > 5 and status == "open"))),
        &["Bob"],
    )
    .await;
    p.reps(
        q().filter(expr!(not exists(tickets, priority > 5))),
        &["Cy", "Dee"],
    )
    .await;
    // Unlike `is_nil(tickets.priority)`, no all-nil record stands in for Cy here.
    p.reps(
        q().filter(expr!(exists(tickets, is_nil(priority)))),
        &["Dee"],
    )
    .await;
    p.reps(
        q().filter(expr!(exists(tickets.comments, body == "urgent"))),
        &["Bob"],
    )
    .await;
    p.reps(
        q().filter(expr!(priority_threshold < 4 and exists(tickets, status == "open"))),
        &["Ada", "Dee"],
    )
    .await;
    Ok(())
}

layers!(exists_is_true_or_false_never_nil);

async fn paths_through_a_filtered_relationship_see_only_its_records(
    run: Run,
) -> ashore::Result<()> {
    // `open_tickets` has `filter status == "open"`: Ada's closed a9 is not one.
    let p = Paths::new(&run).await;
    let q = Representative::query;
    p.reps(
        q().filter(expr!(exists(open_tickets, priority > 5))),
        &["Bob"],
    )
    .await;
    p.reps(q().filter(expr!(open_tickets.priority > 5)), &["Bob"])
        .await;
    Ok(())
}

layers!(paths_through_a_filtered_relationship_see_only_its_records);

async fn typed_values_compare_as_their_types(run: Run) -> ashore::Result<()> {
    let p = Paths::new(&run).await;
    let q = Ticket::query;
    let since = at(3);
    let b9 =
        p.0.domain
            .read(q().filter(expr!(subject == "b9")))
            .await
            .expect("read");
    let (b9_id, bob_id) = (b9[0].id, b9[0].representative_id);
    p.tickets(
        q().filter(expr!(opened_at >= ^since)),
        &["b9", "dnil", "orphan"],
    )
    .await;
    p.tickets(q().filter(expr!(id == ^b9_id)), &["b9"]).await;
    p.tickets(q().filter(expr!(representative_id == ^bob_id)), &["b9"])
        .await;
    p.tickets(q().filter(expr!(subject < "b")), &["a1", "a9"])
        .await;
    Ok(())
}

layers!(typed_values_compare_as_their_types);

async fn many_to_many_paths_match_if_some_linked_record_does(run: Run) -> ashore::Result<()> {
    let p = Paths::new(&run).await;
    let q = Ticket::query;
    p.tickets(q().filter(expr!(tags.name == "urgent")), &["a9", "orphan"])
        .await;
    p.tickets(
        q().filter(expr!(exists(tags, name == "urgent"))),
        &["a9", "orphan"],
    )
    .await;
    p.tickets(
        q().filter(expr!(not exists(tags, name == "urgent"))),
        &["a1", "b9", "dnil"],
    )
    .await;
    // Some tag of a9 and b9 is not "urgent"; the orphan's only tag is; a1 and
    // dnil have none (nil != "urgent" is nil).
    p.tickets(q().filter(expr!(tags.name != "urgent")), &["a9", "b9"])
        .await;
    let names = vec!["vip".to_owned(), "spare".to_owned()];
    p.tickets(q().filter(expr!(tags.name in ^names)), &["b9"])
        .await;
    // Untagged tickets are tested against one all-nil tag.
    p.tickets(q().filter(expr!(is_nil(tags.name))), &["a1", "dnil"])
        .await;
    p.tickets(q().filter(expr!(is_nil(tags.id))), &["a1", "dnil"])
        .await;
    Ok(())
}

layers!(many_to_many_paths_match_if_some_linked_record_does);

async fn references_through_one_many_to_many_path_bind_to_the_same_record(
    run: Run,
) -> ashore::Result<()> {
    let p = Paths::new(&run).await;
    let q = Ticket::query;
    // No single tag is named both: a9 has both tags, but not in one record.
    p.tickets(
        q().filter(expr!(tags.name == "urgent" and tags.name == "billing")),
        &[],
    )
    .await;
    // Two `exists` each pick their own tag.
    p.tickets(
        q().filter(expr!(
            exists(tags, name == "urgent") and exists(tags, name == "billing")
        )),
        &["a9"],
    )
    .await;
    p.tickets(
        q().filter(expr!(tags.name == "urgent" or tags.name == "vip")),
        &["a9", "b9", "orphan"],
    )
    .await;
    // Own attributes, a to-one path and a many_to_many path in one expression.
    p.tickets(
        q().filter(expr!(status == "open" and tags.name == "billing")),
        &["b9"],
    )
    .await;
    p.tickets(
        q().filter(expr!(representative.admin == true and tags.name == "billing")),
        &["a9"],
    )
    .await;
    Ok(())
}

layers!(references_through_one_many_to_many_path_bind_to_the_same_record);

async fn paths_chain_through_to_one_to_many_and_many_to_many_hops(run: Run) -> ashore::Result<()> {
    let p = Paths::new(&run).await;
    // Representative -> tickets -> tags.
    let q = Representative::query;
    p.reps(q().filter(expr!(tickets.tags.name == "urgent")), &["Ada"])
        .await;
    p.reps(
        q().filter(expr!(exists(tickets.tags, name == "billing"))),
        &["Ada", "Bob"],
    )
    .await;
    // Ada's a1 and Dee's dnil have no tags; Cy has no tickets.
    p.reps(
        q().filter(expr!(is_nil(tickets.tags.name))),
        &["Ada", "Cy", "Dee"],
    )
    .await;
    // Tag -> tickets (the other side of the join) -> representative.
    let q = Tag::query;
    p.tags(
        q().filter(expr!(tickets.representative.name == "Bob")),
        &["billing", "vip"],
    )
    .await;
    p.tags(
        q().filter(expr!(tickets.status == "closed")),
        &["billing", "urgent"],
    )
    .await;
    p.tags(
        q().filter(expr!(is_nil(tickets.representative.name))),
        &["spare", "urgent"],
    )
    .await;
    p.tags(q().filter(expr!(not exists(tickets, true))), &["spare"])
        .await;
    // Ticket -> representative -> tickets: tickets whose representative has a
    // closed one.
    p.tickets(
        Ticket::query().filter(expr!(representative.tickets.status == "closed")),
        &["a1", "a9"],
    )
    .await;
    Ok(())
}

layers!(paths_chain_through_to_one_to_many_and_many_to_many_hops);

async fn a_filter_option_applies_to_many_to_many_hops_behind_it(run: Run) -> ashore::Result<()> {
    // `open_tickets` has `filter status == "open"`: a9, billing and urgent, is
    // closed, so through `open_tickets` Ada has no tag at all.
    let p = Paths::new(&run).await;
    let q = Representative::query;
    p.reps(
        q().filter(expr!(exists(tickets.tags, name == "billing"))),
        &["Ada", "Bob"],
    )
    .await;
    p.reps(
        q().filter(expr!(exists(open_tickets.tags, name == "billing"))),
        &["Bob"],
    )
    .await;
    p.reps(q().filter(expr!(open_tickets.tags.name == "urgent")), &[])
        .await;
    Ok(())
}

layers!(a_filter_option_applies_to_many_to_many_hops_behind_it);

async fn paths_in_the_filter_of_a_load_apply_per_related_record(run: Run) -> ashore::Result<()> {
    let p = Paths::new(&run).await;
    let d = &p.0.domain;
    let reps = d
        .read(
            Representative::query()
                .sort(Representative::name().asc())
                .load(
                    Representative::tickets()
                        .filter(expr!(tags.name == "billing" or is_nil(tags.id)))
                        .sort(Ticket::subject().asc()),
                )
                .load(
                    Representative::open_tickets()
                        .filter(expr!(exists(comments, body == "urgent"))),
                ),
        )
        .await?;
    let got: Vec<(&str, Vec<&str>, Vec<&str>)> = reps
        .iter()
        .map(|r| {
            Ok((
                r.name.as_str(),
                subjects(r.tickets.get()?),
                subjects(r.open_tickets.get()?),
            ))
        })
        .collect::<ashore::Result<_>>()?;
    assert_eq!(
        got,
        [
            ("Ada", vec!["a1", "a9"], vec![]),
            ("Bob", vec!["b9"], vec!["b9"]),
            ("Cy", vec![], vec![]),
            ("Dee", vec!["dnil"], vec![]),
        ]
    );
    Ok(())
}

layers!(paths_in_the_filter_of_a_load_apply_per_related_record);
