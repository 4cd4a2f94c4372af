//! Loading (DESIGN "Semantics" 1-3): one read per relationship per level for
//! any number of parents, duplicate keys asked once (a belongs_to parent shared
//! by many children, nil foreign keys never), relationships keyed by
//! `source_attribute`/`destination_attribute`, sort/offset/limit per parent
//! (ordinary and manual), and the relationship's own filter and sort (has_many
//! and has_one). Windows at their edges are in `loading_windows.rs`.
//! Each test runs on memory, SQLite and PostgreSQL (`layers!`).

use ashore::Value;
use ashore::prelude::*;

use crate::common::*;

async fn one_read_per_relationship_per_level_whatever_the_number_of_parents(
    run: Run,
) -> ashore::Result<()> {
    for n in [1, 2, 300] {
        let fx = helpdesk(&run).await;
        seed_many(&fx.domain, n).await;
        fx.reads.clear();
        let statements = fx.store.statements();
        let reps = fx
            .domain
            .read(
                Representative::query()
                    .load(
                        Representative::tickets()
                            .load(Ticket::comments())
                            .load(Ticket::tags())
                            .load(Ticket::representative()),
                    )
                    .load(Representative::latest_ticket())
                    .load(Representative::tickets_above_threshold()),
            )
            .await?;
        assert_eq!(reps.len(), n);
        for r in &reps {
            let tickets = r.tickets.get()?;
            assert_eq!(tickets.len(), 2, "{n} parents: tickets of {}", r.name);
            for t in tickets {
                assert_eq!(t.comments.get()?.len(), 1);
                assert_eq!(t.tags.get()?.len(), 1);
                assert_eq!(t.representative.get()?.as_ref().map(|o| o.id), Some(r.id));
            }
            let latest = r.latest_ticket.get()?.as_ref().map(|t| t.id);
            let newest = tickets.iter().max_by_key(|t| t.opened_at).map(|t| t.id);
            assert_eq!(latest, newest, "latest ticket of {}", r.name);
            assert_eq!(priorities(r.tickets_above_threshold.get()?), [Some(8)]);
        }
        // Representative, tickets, comments, tags, Ticket.representative,
        // latest_ticket, tickets_above_threshold: seven reads for 1 or 300 parents.
        let mut read = fx.reads.resources();
        read.sort_unstable();
        assert_eq!(
            read,
            [
                "Comment",
                "Representative",
                "Representative",
                "Tag",
                "Ticket",
                "Ticket",
                "Ticket"
            ],
            "reads for {n} parents"
        );
        // On the SQL layers each read is one statement.
        if let (Some(before), Some(after)) = (statements, fx.store.statements()) {
            assert_eq!(after - before, 7, "statements for {n} parents");
        }
    }
    Ok(())
}

layers!(one_read_per_relationship_per_level_whatever_the_number_of_parents);

async fn duplicate_parent_keys_are_asked_for_once(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let ada = rep(d, "Ada", 0).await;
    let bob = rep(d, "Bob", 0).await;
    for (i, owner) in [&ada, &bob, &ada, &ada, &bob].into_iter().enumerate() {
        ticket(
            d,
            Some(owner),
            &format!("t{i}"),
            "open",
            Some(i as i64),
            i as i64,
        )
        .await;
    }
    ticket(d, None, "orphan", "open", None, 9).await;

    // belongs_to: five tickets share two representatives; nil is never asked for.
    fx.reads.clear();
    let tickets = d
        .read(
            Ticket::query()
                .sort(Ticket::subject().asc())
                .load(Ticket::representative()),
        )
        .await?;
    let rep_reads = fx.reads.of("Representative");
    assert_eq!(rep_reads.len(), 1);
    let mut keys = partition_keys(&rep_reads[0]);
    keys.sort_by_key(ToString::to_string);
    let mut want = vec![Value::from(ada.id), Value::from(bob.id)];
    want.sort_by_key(ToString::to_string);
    assert_eq!(keys, want);
    let owners: Vec<Option<&str>> = tickets
        .iter()
        .map(|t| {
            t.representative
                .get()
                .map(|r| r.as_ref().map(|r| r.name.as_str()))
        })
        .collect::<ashore::Result<_>>()?;
    assert_eq!(
        owners,
        [
            None,
            Some("Ada"),
            Some("Bob"),
            Some("Ada"),
            Some("Ada"),
            Some("Bob")
        ]
    );

    // Records in hand with a repeated record: asked once, both copies filled.
    let mut in_hand = vec![ada.clone(), bob.clone(), ada.clone()];
    fx.reads.clear();
    d.load(
        &mut in_hand,
        Representative::tickets().sort(Ticket::subject().asc()),
    )
    .await?;
    let reads = fx.reads.all();
    assert_eq!(reads.len(), 1);
    assert_eq!(partition_keys(&reads[0]).len(), 2);
    assert_eq!(subjects(in_hand[0].tickets.get()?), ["t0", "t2", "t3"]);
    assert_eq!(subjects(in_hand[1].tickets.get()?), ["t1", "t4"]);
    assert_eq!(subjects(in_hand[2].tickets.get()?), ["t0", "t2", "t3"]);

    // A manual loader is given each parent once, and both copies are filled.
    let tenant = new_tenant();
    let mut in_hand = vec![ada.clone(), bob.clone(), ada.clone()];
    d.load(
        &mut in_hand,
        Representative::manual_tickets().sort(Ticket::subject().asc()),
    )
    .tenant(tenant)
    .await?;
    let calls = calls_of(tenant, "manual_tickets");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].sources, [Value::from(ada.id), Value::from(bob.id)]);
    assert_eq!(
        subjects(in_hand[0].manual_tickets.get()?),
        ["t0", "t2", "t3"]
    );
    assert_eq!(
        subjects(in_hand[2].manual_tickets.get()?),
        ["t0", "t2", "t3"]
    );
    Ok(())
}

layers!(duplicate_parent_keys_are_asked_for_once);

async fn belongs_to_reads_a_parent_shared_by_many_children_once(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let ada = rep(d, "Ada", 0).await;
    rep(d, "Bob", 0).await;
    for i in 0..4 {
        ticket(d, Some(&ada), &format!("a{i}"), "open", Some(i), i).await;
    }
    ticket(d, None, "orphan 1", "open", None, 10).await;
    ticket(d, None, "orphan 2", "open", None, 11).await;

    // Nested under Ada's tickets: four children, one parent, one key.
    fx.reads.clear();
    let reps = d
        .read(
            Representative::query()
                .filter(expr!(name == "Ada"))
                .load(Representative::tickets().load(Ticket::representative())),
        )
        .await?;
    assert_eq!(
        fx.reads.resources(),
        ["Representative", "Ticket", "Representative"]
    );
    let parent_read = &fx.reads.of("Representative")[1];
    assert_eq!(partition_keys(parent_read), [Value::from(ada.id)]);
    let tickets = reps[0].tickets.get()?;
    assert_eq!(tickets.len(), 4);
    for t in tickets {
        let parent = t.representative.get()?.as_ref().expect("Ada");
        assert_eq!((parent.id, parent.name.as_str()), (ada.id, "Ada"));
    }

    // Children with a nil foreign key get `None`; no key is asked for them.
    let mut all = d
        .read(Ticket::query().sort(Ticket::subject().asc()))
        .await?;
    fx.reads.clear();
    d.load(&mut all, Ticket::representative()).await?;
    assert_eq!(fx.reads.count(), 1);
    assert_eq!(partition_keys(&fx.reads.all()[0]), [Value::from(ada.id)]);
    let owners: Vec<(&str, Option<&str>)> = all
        .iter()
        .map(|t| {
            let owner = t.representative.get()?.as_ref();
            Ok((t.subject.as_str(), owner.map(|r| r.name.as_str())))
        })
        .collect::<ashore::Result<_>>()?;
    assert_eq!(
        owners,
        [
            ("a0", Some("Ada")),
            ("a1", Some("Ada")),
            ("a2", Some("Ada")),
            ("a3", Some("Ada")),
            ("orphan 1", None),
            ("orphan 2", None),
        ]
    );

    // Only nil foreign keys: every child gets `None` (loaded), and there is
    // nothing to read.
    let mut orphans = d
        .read(Ticket::query().filter(expr!(is_nil(representative_id))))
        .await?;
    fx.reads.clear();
    d.load(&mut orphans, Ticket::representative()).await?;
    assert_eq!(fx.reads.count(), 0);
    assert_eq!(orphans.len(), 2);
    for t in &orphans {
        assert_eq!(t.representative, Loaded::new(None), "{}", t.subject);
    }
    Ok(())
}

layers!(belongs_to_reads_a_parent_shared_by_many_children_once);

async fn source_and_destination_attribute_options_key_the_relationship(
    run: Run,
) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    rep(d, "Ada", 0).await;
    rep(d, "Ada", 5).await; // another representative of the same name
    let bob = rep(d, "Bob", 0).await;
    let t = ticket(d, Some(&bob), "t", "open", None, 0).await;
    authored(d, &t, "second", "Ada").await;
    authored(d, &t, "first", "Ada").await;
    authored(d, &t, "by bob", "Bob").await;
    authored(d, &t, "by nobody", "Zed").await;
    comment(d, &t, "anonymous").await;

    // has_many from `name` to `author`: both Adas get Ada's comments, and the
    // name is asked for once.
    fx.reads.clear();
    let reps = d
        .read(
            Representative::query()
                .sort([
                    Representative::name().asc(),
                    Representative::priority_threshold().asc(),
                ])
                .load(Representative::authored_comments().sort(Comment::body().asc())),
        )
        .await?;
    let comment_reads = fx.reads.of("Comment");
    assert_eq!(comment_reads.len(), 1);
    let mut keys = partition_keys(&comment_reads[0]);
    keys.sort_by_key(ToString::to_string);
    assert_eq!(
        keys,
        [Value::from("Ada".to_owned()), Value::from("Bob".to_owned())]
    );
    let got: Vec<(&str, i64, Vec<&str>)> = reps
        .iter()
        .map(|r| {
            let bodies = r.authored_comments.get()?.iter().map(|c| c.body.as_str());
            Ok((r.name.as_str(), r.priority_threshold, bodies.collect()))
        })
        .collect::<ashore::Result<_>>()?;
    assert_eq!(
        got,
        [
            ("Ada", 0, vec!["first", "second"]),
            ("Ada", 5, vec!["first", "second"]),
            ("Bob", 0, vec!["by bob"]),
        ]
    );

    // belongs_to from `author` to `name`: a name nobody has, or none, is `None`.
    let comments = d
        .read(
            Comment::query()
                .filter(expr!(is_nil(author) or author != "Ada"))
                .sort(Comment::body().asc())
                .load(Comment::author_rep()),
        )
        .await?;
    let got: Vec<(&str, Option<Uuid>)> = comments
        .iter()
        .map(|c| Ok((c.body.as_str(), c.author_rep.get()?.as_ref().map(|r| r.id))))
        .collect::<ashore::Result<_>>()?;
    assert_eq!(
        got,
        [
            ("anonymous", None),
            ("by bob", Some(bob.id)),
            ("by nobody", None)
        ]
    );

    // Filters through them.
    let found = d
        .read(Representative::query().filter(expr!(exists(authored_comments, body == "by bob"))))
        .await?;
    assert_eq!(names(&found), ["Bob"]);
    let found = d
        .read(
            Comment::query()
                .filter(expr!(is_nil(author_rep.id)))
                .sort(Comment::body().asc()),
        )
        .await?;
    let bodies: Vec<&str> = found.iter().map(|c| c.body.as_str()).collect();
    assert_eq!(bodies, ["anonymous", "by nobody"]);
    Ok(())
}

layers!(source_and_destination_attribute_options_key_the_relationship);

async fn sort_offset_and_limit_apply_per_parent(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    seed_windows(&fx).await;
    let reps = fx
        .domain
        .read(
            Representative::query().load(
                Representative::tickets()
                    .sort(Ticket::priority().desc())
                    .offset(1)
                    .limit(2),
            ),
        )
        .await?;
    assert_eq!(
        window_of(&reps, |r| &r.tickets),
        [
            ("Ada".to_owned(), vec![Some(5), Some(4)]),
            ("Bob".to_owned(), vec![Some(20), Some(10)]),
            ("Cy".to_owned(), vec![]),
            ("Dee".to_owned(), vec![]),
        ]
    );

    // The top 3 of each, ascending.
    let reps = fx
        .domain
        .read(
            Representative::query().load(
                Representative::tickets()
                    .sort(Ticket::priority().asc())
                    .limit(3),
            ),
        )
        .await?;
    assert_eq!(
        window_of(&reps, |r| &r.tickets),
        [
            ("Ada".to_owned(), vec![Some(1), Some(2), Some(3)]),
            ("Bob".to_owned(), vec![Some(10), Some(20), Some(30)]),
            ("Cy".to_owned(), vec![Some(7)]),
            ("Dee".to_owned(), vec![]),
        ]
    );
    Ok(())
}

layers!(sort_offset_and_limit_apply_per_parent);

async fn sort_offset_and_limit_apply_per_parent_for_manual_has_many(
    run: Run,
) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    seed_windows(&fx).await;
    let tenant = new_tenant();
    let reps = fx
        .domain
        .read(
            Representative::query()
                .load(
                    Representative::manual_tickets()
                        .sort(Ticket::priority().desc())
                        .offset(1)
                        .limit(2),
                )
                .load(
                    Representative::tickets_above_threshold()
                        .sort(Ticket::priority().desc())
                        .offset(1)
                        .limit(2),
                ),
        )
        .tenant(tenant)
        .await?;
    assert_eq!(
        window_of(&reps, |r| &r.manual_tickets),
        [
            ("Ada".to_owned(), vec![Some(5), Some(4)]),
            ("Bob".to_owned(), vec![Some(20), Some(10)]),
            ("Cy".to_owned(), vec![]),
            ("Dee".to_owned(), vec![]),
        ]
    );
    // Above threshold: Ada (2) has 6,5,4,3; Bob (15) has 30,20; Cy (0) has 7.
    assert_eq!(
        window_of(&reps, |r| &r.tickets_above_threshold),
        [
            ("Ada".to_owned(), vec![Some(5), Some(4)]),
            ("Bob".to_owned(), vec![Some(20)]),
            ("Cy".to_owned(), vec![]),
            ("Dee".to_owned(), vec![]),
        ]
    );
    // The loader itself saw neither limit nor offset.
    let call = &calls_of(tenant, "manual_tickets")[0];
    assert_eq!((call.limit, call.offset), (None, 0));
    Ok(())
}

layers!(sort_offset_and_limit_apply_per_parent_for_manual_has_many);

async fn relationship_filter_and_sort_options_apply_to_every_load(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let ada = rep(d, "Ada", 0).await;
    let bob = rep(d, "Bob", 0).await;
    ticket(d, Some(&ada), "a2 open", "open", Some(2), 1).await;
    ticket(d, Some(&ada), "a9 closed", "closed", Some(9), 2).await;
    ticket(d, Some(&ada), "a7 open", "open", Some(7), 3).await;
    ticket(d, Some(&ada), "a4 open", "open", Some(4), 4).await;
    let b1 = ticket(d, Some(&bob), "b1 closed", "closed", Some(1), 5).await;

    // Plain load: only open tickets, priority descending.
    let reps = d
        .read(
            Representative::query()
                .sort(Representative::name().asc())
                .load(Representative::open_tickets()),
        )
        .await?;
    assert_eq!(
        subjects(reps[0].open_tickets.get()?),
        ["a7 open", "a4 open", "a2 open"]
    );
    assert!(reps[1].open_tickets.get()?.is_empty());

    // The load's own filter and limit come on top of the options.
    let reps = d
        .read(
            Representative::query()
                .sort(Representative::name().asc())
                .load(
                    Representative::open_tickets()
                        .filter(expr!(priority < 5))
                        .limit(1),
                ),
        )
        .await?;
    assert_eq!(subjects(reps[0].open_tickets.get()?), ["a4 open"]);

    // Onto records in hand, and nested under another relationship.
    let mut in_hand = vec![ada.clone()];
    d.load(&mut in_hand, Representative::open_tickets().offset(1))
        .await?;
    assert_eq!(
        subjects(in_hand[0].open_tickets.get()?),
        ["a4 open", "a2 open"]
    );
    let b1_id = b1.id;
    let tickets = d
        .read(
            Ticket::query()
                .filter(expr!(id == ^b1_id))
                .load(Ticket::representative().load(Representative::open_tickets())),
        )
        .await?;
    let owner = tickets[0].representative.get()?.as_ref().expect("Bob");
    assert!(owner.open_tickets.get()?.is_empty());

    // has_one with `sort opened_at desc`, and with `filter status == "open"`
    // too: Ada's latest is a closed one, opened last; Bob has no open ticket.
    ticket(d, Some(&ada), "a5 closed", "closed", Some(5), 6).await;
    let reps = d
        .read(
            Representative::query()
                .sort(Representative::name().asc())
                .load(Representative::latest_ticket())
                .load(Representative::latest_open_ticket()),
        )
        .await?;
    let subject = |t: &Option<Ticket>| t.as_ref().map(|t| t.subject.clone());
    let got: Vec<(Option<String>, Option<String>)> = reps
        .iter()
        .map(|r| {
            Ok((
                subject(r.latest_ticket.get()?),
                subject(r.latest_open_ticket.get()?),
            ))
        })
        .collect::<ashore::Result<_>>()?;
    let s = |x: &str| Some(x.to_owned());
    assert_eq!(
        got,
        [(s("a5 closed"), s("a4 open")), (s("b1 closed"), None)]
    );

    // The load's own sort comes first; the relationship's sort breaks ties.
    ticket(d, Some(&ada), "a9 later", "closed", Some(9), 7).await;
    let mut in_hand = vec![ada.clone()];
    d.load(
        &mut in_hand,
        Representative::latest_ticket().sort(Ticket::priority().desc()),
    )
    .await?;
    assert_eq!(subject(in_hand[0].latest_ticket.get()?), s("a9 later"));
    Ok(())
}

layers!(relationship_filter_and_sort_options_apply_to_every_load);
