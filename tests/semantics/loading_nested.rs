//! Loading (DESIGN "Semantics" 4-5): what a load attaches (`Option` / `Vec`,
//! in query order; a has_one with the belongs_to back), unloaded relationships
//! as errors, nested loads (on manual results too, and on a many_to_many record
//! shared by two parents), loads onto records in hand (chained, repeated, onto
//! records an earlier load attached), and loads inside `tokio::spawn`.
//! Each test runs on memory, SQLite and PostgreSQL (`layers!`).

use ashore::prelude::*;

use crate::common::*;

async fn to_one_relationships_attach_an_option(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let ada = rep(d, "Ada", 0).await;
    rep(d, "Bob", 0).await;
    ticket(d, Some(&ada), "assigned", "open", None, 1).await;
    ticket(d, None, "unassigned", "open", None, 2).await;

    let tickets = d
        .read(
            Ticket::query()
                .sort(Ticket::subject().asc())
                .load(Ticket::representative()),
        )
        .await?;
    let assigned: &Option<Representative> = tickets[0].representative.get()?;
    assert_eq!(assigned.as_ref().map(|r| r.name.as_str()), Some("Ada"));
    let unassigned: &Option<Representative> = tickets[1].representative.get()?;
    assert_eq!(unassigned, &None);

    // has_one, with the belongs_to back loaded under it: Ada's latest ticket
    // leads back to Ada.
    let reps = d
        .read(
            Representative::query()
                .sort(Representative::name().asc())
                .load(Representative::latest_ticket().load(Ticket::representative())),
        )
        .await?;
    let latest: &Option<Ticket> = reps[0].latest_ticket.get()?;
    let latest = latest.as_ref().expect("Ada has a ticket");
    assert_eq!(latest.subject, "assigned");
    let back: &Option<Representative> = latest.representative.get()?;
    assert_eq!(back.as_ref().map(|r| r.id), Some(ada.id));
    assert_eq!(reps[1].latest_ticket, Loaded::new(None));
    Ok(())
}

layers!(to_one_relationships_attach_an_option);

async fn to_many_relationships_attach_a_vec_in_query_order(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let ada = rep(d, "Ada", 0).await;
    let lonely = rep(d, "Lonely", 0).await;
    let b = ticket(d, Some(&ada), "b", "open", None, 1).await;
    let c = ticket(d, Some(&ada), "c", "open", None, 2).await;
    let a = ticket(d, Some(&ada), "a", "open", None, 3).await;
    let untagged = ticket(d, Some(&ada), "untagged", "open", None, 4).await;
    let (red, green, blue) = (
        tag(d, "red").await,
        tag(d, "green").await,
        tag(d, "blue").await,
    );
    label(d, &a, &red).await;
    label(d, &a, &blue).await;
    label(d, &b, &green).await;
    label(d, &b, &red).await;
    label(d, &b, &blue).await;
    label(d, &c, &green).await;

    for (sort, want) in [
        (Ticket::subject().asc(), ["a", "b", "c", "untagged"]),
        (Ticket::subject().desc(), ["untagged", "c", "b", "a"]),
    ] {
        let mut reps = vec![ada.clone(), lonely.clone()];
        d.load(&mut reps, Representative::tickets().sort(sort))
            .await?;
        let tickets: &Vec<Ticket> = reps[0].tickets.get()?;
        assert_eq!(subjects(tickets), want);
        assert_eq!(reps[1].tickets, Loaded::new(vec![]));
    }

    // many_to_many: a tag on several tickets appears under each, in query order.
    let tag_names = |t: &Ticket| -> Vec<String> {
        t.tags
            .get()
            .expect("tags loaded")
            .iter()
            .map(|g| g.name.clone())
            .collect()
    };
    let mut tickets = vec![a.clone(), b.clone(), c.clone(), untagged.clone()];
    d.load(&mut tickets, Ticket::tags().sort(Tag::name().asc()))
        .await?;
    let all: Vec<Vec<String>> = tickets.iter().map(tag_names).collect();
    assert_eq!(
        all,
        [
            vec!["blue", "red"],
            vec!["blue", "green", "red"],
            vec!["green"],
            vec![],
        ]
    );
    let mut tickets = vec![a, b, c, untagged];
    d.load(
        &mut tickets,
        Ticket::tags().sort(Tag::name().desc()).limit(2),
    )
    .await?;
    let top: Vec<Vec<String>> = tickets.iter().map(tag_names).collect();
    assert_eq!(
        top,
        [
            vec!["red", "blue"],
            vec!["red", "green"],
            vec!["green"],
            vec![]
        ]
    );
    Ok(())
}

layers!(to_many_relationships_attach_a_vec_in_query_order);

async fn reading_an_unloaded_relationship_is_an_error_not_a_panic(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let ada = rep(d, "Ada", 0).await;
    ticket(d, Some(&ada), "t", "open", Some(1), 1).await;

    let reps = d
        .read(Representative::query().load(Representative::tickets()))
        .await?;
    let r = &reps[0];
    assert!(r.tickets.is_loaded());
    assert!(!r.latest_ticket.is_loaded());
    assert_eq!(r.latest_ticket.as_option(), None);
    for err in [
        r.latest_ticket.get().map(|_| ()).unwrap_err(),
        r.manual_tickets.get().map(|_| ()).unwrap_err(),
        r.tickets.get()?[0].comments.get().map(|_| ()).unwrap_err(),
        r.tickets.get()?[0]
            .representative
            .get()
            .map(|_| ())
            .unwrap_err(),
    ] {
        assert!(matches!(err.kind(), ErrorKind::NotLoaded), "{err:?}");
    }
    assert!(r.clone().manual_tickets.into_inner().is_err());
    Ok(())
}

layers!(reading_an_unloaded_relationship_is_an_error_not_a_panic);

async fn nested_loads_run_on_every_level_with_one_read_each(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let ada = rep(d, "Ada", 0).await;
    let bob = rep(d, "Bob", 0).await;
    let t1 = ticket(d, Some(&ada), "t1", "open", Some(1), 1).await;
    let t2 = ticket(d, Some(&bob), "t2", "open", Some(2), 2).await;
    ticket(d, Some(&bob), "t3", "closed", Some(3), 3).await;
    comment(d, &t1, "first").await;
    comment(d, &t1, "second").await;
    comment(d, &t2, "third").await;

    fx.reads.clear();
    let comments = d
        .read(
            Comment::query().sort(Comment::body().asc()).load(
                Comment::ticket().load(
                    Ticket::representative().load(
                        Representative::open_tickets()
                            .load(Ticket::comments().sort(Comment::body().asc())),
                    ),
                ),
            ),
        )
        .await?;
    assert_eq!(fx.reads.count(), 5, "{:?}", fx.reads.resources());
    let path: Vec<(String, String, Vec<String>)> = comments
        .iter()
        .map(|c| {
            let t = c
                .ticket
                .get()
                .expect("ticket")
                .as_ref()
                .expect("has a ticket");
            let r = t
                .representative
                .get()
                .expect("rep")
                .as_ref()
                .expect("has a rep");
            let open: Vec<String> = r
                .open_tickets
                .get()
                .expect("open tickets")
                .iter()
                .flat_map(|o| {
                    o.comments
                        .get()
                        .expect("comments")
                        .iter()
                        .map(|c| c.body.clone())
                })
                .collect();
            (c.body.clone(), r.name.clone(), open)
        })
        .collect();
    let s = |x: &str| x.to_owned();
    assert_eq!(
        path,
        [
            (s("first"), s("Ada"), vec![s("first"), s("second")]),
            (s("second"), s("Ada"), vec![s("first"), s("second")]),
            (s("third"), s("Bob"), vec![s("third")]),
        ]
    );
    Ok(())
}

layers!(nested_loads_run_on_every_level_with_one_read_each);

async fn nested_loads_run_on_manual_results_including_manual_inside_manual(
    run: Run,
) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let ada = rep(d, "Ada", 1).await;
    let bob = rep(d, "Bob", 1).await;
    let t1 = ticket(d, Some(&ada), "t1", "open", Some(5), 1).await;
    let t2 = ticket(d, Some(&bob), "t2", "open", Some(6), 2).await;
    ticket(d, Some(&bob), "low", "open", Some(0), 3).await;
    comment(d, &t1, "on t1").await;
    comment(d, &t2, "on t2").await;

    let tenant = new_tenant();
    fx.reads.clear();
    let reps = d
        .read(
            Representative::query()
                .sort(Representative::name().asc())
                .load(
                    Representative::tickets_above_threshold()
                        .load(Ticket::comments())
                        .load(Ticket::representative()),
                )
                .load(
                    Representative::manual_tickets()
                        .sort(Ticket::subject().asc())
                        .load(Ticket::comments_manual()),
                ),
        )
        .tenant(tenant)
        .await?;
    // Representative, above threshold, its comments, its representative,
    // manual_tickets' read, comments_manual's read.
    assert_eq!(fx.reads.count(), 6, "{:?}", fx.reads.resources());

    let above: Vec<(String, Vec<String>, Option<String>)> = reps
        .iter()
        .flat_map(|r| r.tickets_above_threshold.get().expect("loaded").iter())
        .map(|t| {
            (
                t.subject.clone(),
                t.comments
                    .get()
                    .expect("comments")
                    .iter()
                    .map(|c| c.body.clone())
                    .collect(),
                t.representative
                    .get()
                    .expect("rep")
                    .as_ref()
                    .map(|r| r.name.clone()),
            )
        })
        .collect();
    assert_eq!(
        above,
        [
            (
                "t1".to_owned(),
                vec!["on t1".to_owned()],
                Some("Ada".to_owned())
            ),
            (
                "t2".to_owned(),
                vec!["on t2".to_owned()],
                Some("Bob".to_owned())
            ),
        ]
    );

    let inner: Vec<Vec<&str>> = reps[1]
        .manual_tickets
        .get()?
        .iter()
        .map(|t| {
            t.comments_manual
                .get()
                .expect("loaded")
                .iter()
                .map(|c| c.body.as_str())
                .collect()
        })
        .collect();
    assert_eq!(inner, [Vec::<&str>::new(), vec!["on t2"]]);
    // The inner manual loader ran once, with every ticket the outer one found.
    let inner_calls = calls_of(tenant, "comments_manual");
    assert_eq!(inner_calls.len(), 1);
    assert_eq!(inner_calls[0].sources.len(), 3);
    Ok(())
}

layers!(nested_loads_run_on_manual_results_including_manual_inside_manual);

async fn loads_onto_records_in_hand(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let ada = rep(d, "Ada", 2).await;
    let bob = rep(d, "Bob", 2).await;
    ticket(d, Some(&ada), "a1", "open", Some(1), 1).await;
    ticket(d, Some(&ada), "a3", "closed", Some(3), 2).await;
    ticket(d, Some(&bob), "b5", "open", Some(5), 3).await;

    let mut reps = d
        .read(Representative::query().sort(Representative::name().asc()))
        .await?;
    assert!(!reps[0].tickets.is_loaded());
    fx.reads.clear();
    d.load(
        &mut reps,
        Representative::tickets().sort(Ticket::subject().asc()),
    )
    .load(Representative::open_tickets())
    .load(Representative::tickets_above_threshold())
    .await?;
    assert_eq!(fx.reads.count(), 3);
    assert_eq!(subjects(reps[0].tickets.get()?), ["a1", "a3"]);
    assert_eq!(subjects(reps[1].open_tickets.get()?), ["b5"]);
    assert_eq!(subjects(reps[0].tickets_above_threshold.get()?), ["a3"]);

    // A sub-slice: only those records are loaded.
    let mut reps = d
        .read(Representative::query().sort(Representative::name().asc()))
        .await?;
    d.load(&mut reps[1..], Representative::tickets()).await?;
    assert!(!reps[0].tickets.is_loaded());
    assert_eq!(subjects(reps[1].tickets.get()?), ["b5"]);

    // Records created in this run, then loaded with a nested load.
    let mut fresh = vec![rep(d, "Cy", 0).await];
    d.load(
        &mut fresh,
        Representative::tickets().load(Ticket::comments()),
    )
    .await?;
    assert_eq!(fresh[0].tickets, Loaded::new(vec![]));
    Ok(())
}

layers!(loads_onto_records_in_hand);

async fn loads_onto_records_in_hand_add_up_and_a_second_load_replaces_the_first(
    run: Run,
) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let ada = rep(d, "Ada", 0).await;
    let bob = rep(d, "Bob", 0).await;
    let a1 = ticket(d, Some(&ada), "a1", "open", Some(1), 1).await;
    ticket(d, Some(&ada), "a2", "closed", Some(2), 2).await;
    ticket(d, Some(&bob), "b3", "closed", Some(3), 3).await;
    comment(d, &a1, "on a1").await;

    let mut reps = vec![ada.clone(), bob.clone()];
    // Two loads chained on one call, then a third call: all three stay.
    d.load(
        &mut reps,
        Representative::tickets().sort(Ticket::subject().asc()),
    )
    .load(Representative::latest_ticket())
    .await?;
    d.load(&mut reps, Representative::open_tickets()).await?;
    let summary =
        |r: &Representative| -> ashore::Result<(Vec<String>, Option<String>, Vec<String>)> {
            let own = |ts: &[Ticket]| ts.iter().map(|t| t.subject.clone()).collect();
            Ok((
                own(r.tickets.get()?),
                r.latest_ticket.get()?.as_ref().map(|t| t.subject.clone()),
                own(r.open_tickets.get()?),
            ))
        };
    let s = |x: &str| x.to_owned();
    assert_eq!(
        summary(&reps[0])?,
        (vec![s("a1"), s("a2")], Some(s("a2")), vec![s("a1")])
    );
    assert_eq!(summary(&reps[1])?, (vec![s("b3")], Some(s("b3")), vec![]));

    // Loading a relationship again replaces what it held; the others stay.
    d.load(
        &mut reps,
        Representative::tickets().filter(expr!(status == "closed")),
    )
    .await?;
    assert_eq!(
        summary(&reps[0])?,
        (vec![s("a2")], Some(s("a2")), vec![s("a1")])
    );

    // Loading onto records a previous load attached: Ada's open tickets.
    let open = reps[0].open_tickets.get_mut()?;
    d.load(open.as_mut_slice(), Ticket::comments()).await?;
    let bodies: Vec<&str> = reps[0].open_tickets.get()?[0]
        .comments
        .get()?
        .iter()
        .map(|c| c.body.as_str())
        .collect();
    assert_eq!(bodies, ["on a1"]);

    // No records: nothing to read.
    fx.reads.clear();
    let mut none: Vec<Representative> = Vec::new();
    d.load(&mut none, Representative::tickets())
        .load(Representative::manual_failing())
        .await?;
    assert_eq!(fx.reads.count(), 0);
    Ok(())
}

layers!(loads_onto_records_in_hand_add_up_and_a_second_load_replaces_the_first);

/// A tag's name, and the subject and owner's name of each of its tickets.
type TagAndTickets = (String, Vec<(String, Option<String>)>);

async fn a_record_linked_to_two_parents_gets_its_nested_loads_under_both(
    run: Run,
) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let ada = rep(d, "Ada", 0).await;
    let t1 = ticket(d, Some(&ada), "t1", "open", None, 1).await;
    let t2 = ticket(d, None, "t2", "open", None, 2).await;
    let shared = tag(d, "shared").await;
    let own = tag(d, "own").await;
    label(d, &t1, &shared).await;
    label(d, &t2, &shared).await;
    label(d, &t2, &own).await;

    fx.reads.clear();
    let tickets = d
        .read(
            Ticket::query().sort(Ticket::subject().asc()).load(
                Ticket::tags().sort(Tag::name().desc()).load(
                    Tag::tickets()
                        .sort(Ticket::subject().asc())
                        .load(Ticket::representative()),
                ),
            ),
        )
        .await?;
    // Ticket, tags, their tickets, those tickets' representatives.
    assert_eq!(
        fx.reads.resources(),
        ["Ticket", "Tag", "Ticket", "Representative"]
    );
    // "shared" sits under t1 and t2, but its tickets are asked for once.
    assert_eq!(partition_keys(&fx.reads.all()[2]).len(), 2);
    let seen: Vec<Vec<TagAndTickets>> = tickets
        .iter()
        .map(|t| {
            t.tags
                .get()?
                .iter()
                .map(|g| {
                    let tickets = g
                        .tickets
                        .get()?
                        .iter()
                        .map(|t| {
                            let owner = t.representative.get()?.as_ref();
                            Ok((t.subject.clone(), owner.map(|r| r.name.clone())))
                        })
                        .collect::<ashore::Result<_>>()?;
                    Ok((g.name.clone(), tickets))
                })
                .collect()
        })
        .collect::<ashore::Result<_>>()?;
    let s = |x: &str| x.to_owned();
    let shared_tickets = vec![(s("t1"), Some(s("Ada"))), (s("t2"), None)];
    assert_eq!(
        seen,
        [
            vec![(s("shared"), shared_tickets.clone())],
            vec![
                (s("shared"), shared_tickets),
                (s("own"), vec![(s("t2"), None)]),
            ],
        ]
    );
    Ok(())
}

layers!(a_record_linked_to_two_parents_gets_its_nested_loads_under_both);

async fn loads_run_inside_tokio_spawn(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = fx.domain.clone();
    let ada = rep(&d, "Ada", 1).await;
    let t = ticket(&d, Some(&ada), "t", "open", Some(4), 1).await;
    comment(&d, &t, "spawned").await;

    let domain = d.clone();
    let read =
        tokio::spawn(async move {
            domain
                .read(Representative::query().load(
                    Representative::tickets_above_threshold().load(Ticket::comments_manual()),
                ))
                .actor(&ada)
                .authorize(true)
                .await
        });
    let domain = d.clone();
    let load = tokio::spawn(async move {
        let mut tickets = domain.read(Ticket::query()).await?;
        domain
            .load(
                &mut tickets,
                Ticket::representative().load(Representative::manual_tickets()),
            )
            .await?;
        Ok::<_, ashore::Error>(tickets)
    });
    let reps = read.await.expect("the read task does not panic")?;
    let tickets = load.await.expect("the load task does not panic")?;
    let above = reps[0].tickets_above_threshold.get()?;
    assert_eq!(above[0].comments_manual.get()?[0].body, "spawned");
    let owner = tickets[0].representative.get()?.as_ref().expect("Ada");
    assert_eq!(subjects(owner.manual_tickets.get()?), ["t"]);
    Ok(())
}

layers!(loads_run_inside_tokio_spawn, multi_thread);
