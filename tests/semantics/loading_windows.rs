//! Per-parent windows at their edges (DESIGN "Semantics" 2): limit 0 and an
//! offset past the end, for has_many, has_one, belongs_to, manual and
//! many_to_many loads; many_to_many windows where one record is linked to
//! several parents; windows of nested loads; and a manual has_one whose
//! loader finds several records, windowed to one.
//! Each test runs on memory, SQLite and PostgreSQL (`layers!`).

use ashore::Value;
use ashore::prelude::*;

use crate::common::*;

fn empty() -> Vec<Option<i64>> {
    Vec::new()
}

async fn limit_zero_gives_every_parent_an_empty_window(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    seed_windows(&fx).await;
    let d = &fx.domain;
    let tenant = new_tenant();
    let reps = d
        .read(
            Representative::query()
                .load(Representative::tickets().limit(0))
                .load(Representative::manual_tickets().limit(0))
                .load(Representative::tickets_above_threshold().limit(0))
                .load(Representative::latest_ticket().limit(0)),
        )
        .tenant(tenant)
        .await?;
    assert_eq!(names(&reps), ["Ada", "Bob", "Cy", "Dee"]);
    for r in &reps {
        // Loaded, and empty: not `NotLoaded`.
        assert_eq!(r.tickets, Loaded::new(vec![]), "{} tickets", r.name);
        assert_eq!(r.manual_tickets, Loaded::new(vec![]), "{} manual", r.name);
        assert_eq!(
            r.tickets_above_threshold,
            Loaded::new(vec![]),
            "{} above threshold",
            r.name
        );
        assert_eq!(r.latest_ticket, Loaded::new(None), "{} latest", r.name);
    }
    // The manual loader still ran, once, and was not given the limit.
    let manual = calls_of(tenant, "manual_tickets");
    assert_eq!(manual.len(), 1);
    assert_eq!((manual[0].sources.len(), manual[0].limit), (4, None));

    // belongs_to: every ticket's window of its representative is empty.
    let tickets = d
        .read(Ticket::query().load(Ticket::representative().limit(0)))
        .await?;
    assert_eq!(tickets.len(), 10);
    for t in &tickets {
        assert_eq!(t.representative, Loaded::new(None), "{}", t.subject);
    }

    // A top-level read, with and without a sort.
    assert!(d.read(Ticket::query().limit(0)).await?.is_empty());
    let sorted = Ticket::query().sort(Ticket::priority().desc()).limit(0);
    assert!(d.read(sorted).await?.is_empty());
    Ok(())
}

layers!(limit_zero_gives_every_parent_an_empty_window);

async fn an_offset_past_the_end_empties_only_the_parents_it_passes(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    seed_windows(&fx).await;
    let d = &fx.domain;
    let asc = || Ticket::priority().asc();
    let reps = d
        .read(
            Representative::query()
                .load(Representative::tickets().sort(asc()).offset(4))
                .load(Representative::manual_tickets().sort(asc()).offset(4))
                .load(Representative::tickets_above_threshold().offset(usize::MAX))
                .load(Representative::open_tickets().offset(3).limit(usize::MAX)),
        )
        .await?;
    let want = |ada: Vec<Option<i64>>| {
        vec![
            ("Ada".to_owned(), ada),
            ("Bob".to_owned(), empty()),
            ("Cy".to_owned(), empty()),
            ("Dee".to_owned(), empty()),
        ]
    };
    // Ada has six tickets, so offset 4 leaves two; Bob's three, Cy's one and
    // Dee's none are all passed.
    assert_eq!(
        window_of(&reps, |r| &r.tickets),
        want(vec![Some(5), Some(6)])
    );
    assert_eq!(
        window_of(&reps, |r| &r.manual_tickets),
        want(vec![Some(5), Some(6)])
    );
    assert_eq!(
        window_of(&reps, |r| &r.tickets_above_threshold),
        want(vec![])
    );
    // open_tickets sorts by priority desc.
    assert_eq!(
        window_of(&reps, |r| &r.open_tickets),
        want(vec![Some(3), Some(2), Some(1)])
    );

    // has_one: offset 1 is the second latest; past the end it is None.
    let reps = d
        .read(
            Representative::query()
                .sort(Representative::name().asc())
                .load(Representative::latest_ticket().offset(1)),
        )
        .await?;
    let second: Vec<Option<&str>> = reps
        .iter()
        .map(|r| {
            let latest = r.latest_ticket.get()?;
            Ok(latest.as_ref().map(|t| t.subject.as_str()))
        })
        .collect::<ashore::Result<_>>()?;
    assert_eq!(second, [Some("Ada p2"), Some("Bob p10"), None, None]);

    // A manual has_one past the end: None, not an error.
    let mut cy = d
        .read(Representative::query().filter(expr!(name == "Cy")))
        .await?;
    d.load(&mut cy, Representative::manual_sole_ticket().offset(1))
        .await?;
    assert_eq!(cy[0].manual_sole_ticket, Loaded::new(None));

    // A top-level read: ten tickets.
    let all = || Ticket::query().sort(asc());
    assert_eq!(priorities(&d.read(all().offset(9)).await?), [Some(30)]);
    assert!(d.read(all().offset(10)).await?.is_empty());
    assert!(d.read(Ticket::query().offset(usize::MAX)).await?.is_empty());
    Ok(())
}

layers!(an_offset_past_the_end_empties_only_the_parents_it_passes);

/// t1: a, b, c. t2: b, c, d. t3: c. t4: no tag. (Subjects t1..t4, tags a..d.)
async fn seed_tags(fx: &Fx) -> (Vec<Ticket>, Vec<Tag>) {
    let d = &fx.domain;
    let mut tickets = Vec::new();
    for (i, subject) in ["t1", "t2", "t3", "t4"].into_iter().enumerate() {
        tickets.push(ticket(d, None, subject, "open", None, i as i64).await);
    }
    let mut tags = Vec::new();
    for name in ["a", "b", "c", "d"] {
        tags.push(tag(d, name).await);
    }
    for (t, names) in [(0, "abc"), (1, "bcd"), (2, "c")] {
        for n in names.bytes() {
            label(d, &tickets[t], &tags[usize::from(n - b'a')]).await;
        }
    }
    (tickets, tags)
}

/// The tag names of each ticket, in order.
fn tag_names(tickets: &[Ticket]) -> Vec<Vec<String>> {
    tickets
        .iter()
        .map(|t| {
            let tags = t.tags.get().expect("tags loaded");
            tags.iter().map(|g| g.name.clone()).collect()
        })
        .collect()
}

fn strings<const N: usize>(groups: [&[&str]; N]) -> Vec<Vec<String>> {
    groups
        .iter()
        .map(|g| g.iter().map(|s| (*s).to_owned()).collect())
        .collect()
}

async fn many_to_many_windows_apply_per_parent_and_shared_records_count_for_each(
    run: Run,
) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let (tickets, tags) = seed_tags(&fx).await;
    let d = &fx.domain;
    let by_name = || Tag::name().asc();
    for (load, want) in [
        (
            Ticket::tags().sort(by_name()).limit(2),
            strings([&["a", "b"], &["b", "c"], &["c"], &[]]),
        ),
        (
            Ticket::tags().sort(Tag::name().desc()).offset(1).limit(1),
            strings([&["b"], &["c"], &[], &[]]),
        ),
        (
            Ticket::tags()
                .filter(expr!(name != "b"))
                .sort(by_name())
                .limit(1),
            strings([&["a"], &["c"], &["c"], &[]]),
        ),
        (
            Ticket::tags().sort(by_name()).offset(3),
            strings([&[], &[], &[], &[]]),
        ),
        (Ticket::tags().limit(0), strings([&[], &[], &[], &[]])),
    ] {
        let shown = format!("{load:?}");
        let mut in_hand = tickets.clone();
        fx.reads.clear();
        d.load(&mut in_hand, load).await?;
        assert_eq!(tag_names(&in_hand), want, "{shown}");
        assert_eq!(fx.reads.resources(), ["Tag"], "{shown}");
    }

    // The other side of the join: c is on three tickets, b and d on two.
    let mut in_hand = tags.clone();
    d.load(
        &mut in_hand,
        Tag::tickets().sort(Ticket::subject().desc()).limit(2),
    )
    .await?;
    let got: Vec<(String, Vec<&str>)> = in_hand
        .iter()
        .map(|g| Ok((g.name.clone(), subjects(g.tickets.get()?))))
        .collect::<ashore::Result<_>>()?;
    let s = |x: &str| x.to_owned();
    assert_eq!(
        got,
        [
            (s("a"), vec!["t1"]),
            (s("b"), vec!["t2", "t1"]),
            (s("c"), vec!["t3", "t2"]),
            (s("d"), vec!["t2"]),
        ]
    );
    Ok(())
}

layers!(many_to_many_windows_apply_per_parent_and_shared_records_count_for_each);

async fn nested_windows_apply_per_parent_at_every_level(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    seed_windows(&fx).await;
    let d = &fx.domain;
    let tickets = d.read(Ticket::query()).await?;
    for t in tickets
        .iter()
        .filter(|t| ["Ada p6", "Ada p5", "Bob p30"].contains(&t.subject.as_str()))
    {
        for k in 1..=3 {
            comment(d, t, &format!("{} c{k}", t.subject)).await;
        }
    }

    fx.reads.clear();
    let reps = d
        .read(
            Representative::query()
                .sort(Representative::name().asc())
                .load(
                    Representative::tickets()
                        .sort(Ticket::priority().desc())
                        .limit(2)
                        .load(
                            Ticket::comments()
                                .sort(Comment::body().desc())
                                .offset(1)
                                .limit(1),
                        ),
                )
                .load(
                    Representative::manual_tickets()
                        .sort(Ticket::priority().desc())
                        .limit(1)
                        .load(
                            Ticket::comments_manual()
                                .sort(Comment::body().asc())
                                .limit(1),
                        ),
                ),
        )
        .await?;
    let bodies = |t: &Ticket, f: fn(&Ticket) -> &Loaded<Vec<Comment>>| -> Vec<String> {
        f(t).get()
            .expect("comments loaded")
            .iter()
            .map(|c| c.body.clone())
            .collect()
    };
    let windows: Vec<Vec<(String, Vec<String>)>> = reps
        .iter()
        .map(|r| {
            let tickets = r.tickets.get().expect("tickets loaded");
            tickets
                .iter()
                .map(|t| (t.subject.clone(), bodies(t, |t| &t.comments)))
                .collect()
        })
        .collect();
    let s = |x: &str| x.to_owned();
    assert_eq!(
        windows,
        [
            vec![
                (s("Ada p6"), vec![s("Ada p6 c2")]),
                (s("Ada p5"), vec![s("Ada p5 c2")]),
            ],
            vec![
                (s("Bob p30"), vec![s("Bob p30 c2")]),
                (s("Bob p20"), vec![])
            ],
            vec![(s("Cy p7"), vec![])],
            vec![],
        ]
    );
    // The comments were read once, for the five tickets in the windows only.
    let comment_reads: Vec<_> = fx
        .reads
        .all()
        .into_iter()
        .filter(|r| r.schema.name == "Comment")
        .collect();
    assert_eq!(comment_reads.len(), 2, "comments and comments_manual");
    let mut keys = partition_keys(&comment_reads[0]);
    keys.sort_by_key(ToString::to_string);
    let mut want: Vec<Value> = reps
        .iter()
        .flat_map(|r| r.tickets.get().expect("loaded"))
        .map(|t| Value::from(t.id))
        .collect();
    want.sort_by_key(ToString::to_string);
    assert_eq!(keys, want);

    // Manual at both levels: each representative's top ticket, and its first
    // comment.
    let manual: Vec<Vec<(String, Vec<String>)>> = reps
        .iter()
        .map(|r| {
            let tickets = r.manual_tickets.get().expect("manual tickets loaded");
            tickets
                .iter()
                .map(|t| (t.subject.clone(), bodies(t, |t| &t.comments_manual)))
                .collect()
        })
        .collect();
    assert_eq!(
        manual,
        [
            vec![(s("Ada p6"), vec![s("Ada p6 c1")])],
            vec![(s("Bob p30"), vec![s("Bob p30 c1")])],
            vec![(s("Cy p7"), vec![])],
            vec![],
        ]
    );
    Ok(())
}

layers!(nested_windows_apply_per_parent_at_every_level);

async fn manual_results_are_sorted_before_the_window_whatever_the_loader_order(
    run: Run,
) -> ashore::Result<()> {
    // `manual_tickets_reversed` (`sort priority desc`) has a loader that hands
    // back each representative's tickets in the reverse of the order it read.
    let fx = helpdesk(&run).await;
    seed_windows(&fx).await;
    let reps = fx
        .domain
        .read(
            Representative::query()
                .load(Representative::manual_tickets_reversed().limit(2))
                .load(
                    Representative::manual_tickets()
                        .sort(Ticket::opened_at().desc())
                        .offset(1)
                        .limit(2),
                ),
        )
        .await?;
    let want = |ada: Vec<Option<i64>>, bob: Vec<Option<i64>>, cy: Vec<Option<i64>>| {
        vec![
            ("Ada".to_owned(), ada),
            ("Bob".to_owned(), bob),
            ("Cy".to_owned(), cy),
            ("Dee".to_owned(), empty()),
        ]
    };
    assert_eq!(
        window_of(&reps, |r| &r.manual_tickets_reversed),
        want(
            vec![Some(6), Some(5)],
            vec![Some(30), Some(20)],
            vec![Some(7)]
        )
    );
    // Opened last first (see `seed_windows`): Ada 4, 2, 5, 1, 6, 3; Bob 30, 10, 20.
    assert_eq!(
        window_of(&reps, |r| &r.manual_tickets),
        want(vec![Some(2), Some(5)], vec![Some(10), Some(20)], empty())
    );

    // The load's own sort comes before the relationship's.
    let reps = fx
        .domain
        .read(
            Representative::query().load(
                Representative::manual_tickets_reversed()
                    .sort(Ticket::subject().asc())
                    .limit(3),
            ),
        )
        .await?;
    assert_eq!(
        window_of(&reps, |r| &r.manual_tickets_reversed),
        want(
            vec![Some(1), Some(2), Some(3)],
            vec![Some(10), Some(20), Some(30)],
            vec![Some(7)]
        )
    );
    Ok(())
}

layers!(manual_results_are_sorted_before_the_window_whatever_the_loader_order);

async fn a_manual_has_one_windowed_to_one_record_picks_it(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let busy = rep(d, "Busy", 0).await;
    ticket(d, Some(&busy), "one", "open", None, 1).await;
    ticket(d, Some(&busy), "two", "open", None, 2).await;
    // Two tickets for a has_one are an error (`manual.rs`), unless the load
    // windows them to one: then that one, as for a has_one that is not manual.
    let windowed = d
        .read(
            Representative::query().load(
                Representative::manual_sole_ticket()
                    .sort(Ticket::opened_at().desc())
                    .limit(1),
            ),
        )
        .await?;
    let busy_now = windowed.iter().find(|r| r.id == busy.id).expect("Busy");
    let sole = busy_now.manual_sole_ticket.get().expect("loaded");
    assert_eq!(sole.as_ref().map(|t| t.subject.as_str()), Some("two"));
    Ok(())
}
layers!(a_manual_has_one_windowed_to_one_record_picks_it);
