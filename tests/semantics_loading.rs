//! Loading (DESIGN "Semantics" 1-3): one read per relationship per level for
//! any number of parents, duplicate keys asked once, sort/offset/limit per
//! parent (ordinary and manual), and the relationship's own filter and sort.

mod common;

use ashore::Value;
use ashore::prelude::*;
use common::*;

/// `n` representatives, each with two tickets (one comment and one tag each)
/// and two shifts.
async fn seed_many(fx: &Fx, n: usize) {
    let d = &fx.domain;
    let urgent = tag(d, "urgent").await;
    for i in 0..n {
        let r = rep(d, &format!("rep {i:04}"), 3).await;
        shift(d, &r, "late", 2).await;
        shift(d, &r, "early", 1).await;
        for (j, p) in [(0, 2), (1, 8)] {
            let t = ticket(d, Some(&r), &format!("t {i}.{j}"), "open", Some(p), j).await;
            comment(d, &t, &format!("c {i}.{j}")).await;
            label(d, &t, &urgent).await;
        }
    }
}

#[tokio::test]
async fn one_read_per_relationship_per_level_whatever_the_number_of_parents() -> ashore::Result<()>
{
    for n in [1, 2, 300] {
        let fx = helpdesk();
        seed_many(&fx, n).await;
        fx.reads.clear();
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
                    .load(Representative::current_shift())
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
            let current = r.current_shift.get()?.as_ref();
            assert_eq!(current.map(|s| s.desk.as_str()), Some("late"));
            assert_eq!(priorities(r.tickets_above_threshold.get()?), [Some(8)]);
        }
        // Representative, tickets, comments, tags, Ticket.representative,
        // current_shift, tickets_above_threshold: seven reads for 1 or 300 parents.
        let mut read = fx.reads.resources();
        read.sort_unstable();
        assert_eq!(
            read,
            [
                "Comment",
                "Representative",
                "Representative",
                "Shift",
                "Tag",
                "Ticket",
                "Ticket"
            ],
            "reads for {n} parents"
        );
    }
    Ok(())
}

#[tokio::test]
async fn duplicate_parent_keys_are_asked_for_once() -> ashore::Result<()> {
    let fx = helpdesk();
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

/// Ada: priorities 1..=6, Bob: 10, 20, 30, Cy: 7, Dee: nothing.
async fn seed_windows(fx: &Fx) {
    let d = &fx.domain;
    let ada = rep(d, "Ada", 2).await;
    let bob = rep(d, "Bob", 15).await;
    let cy = rep(d, "Cy", 0).await;
    rep(d, "Dee", 0).await;
    // Interleaved so that insertion order is no accidental help.
    for (i, (owner, p)) in [
        (&ada, 3),
        (&bob, 20),
        (&ada, 6),
        (&cy, 7),
        (&ada, 1),
        (&bob, 10),
        (&ada, 5),
        (&ada, 2),
        (&bob, 30),
        (&ada, 4),
    ]
    .into_iter()
    .enumerate()
    {
        ticket(
            d,
            Some(owner),
            &format!("{} p{p}", owner.name),
            "open",
            Some(p),
            i as i64,
        )
        .await;
    }
}

fn window_of(
    reps: &[Representative],
    f: impl Fn(&Representative) -> &Loaded<Vec<Ticket>>,
) -> Vec<(String, Vec<Option<i64>>)> {
    let mut out: Vec<_> = reps
        .iter()
        .map(|r| (r.name.clone(), priorities(f(r).get().expect("loaded"))))
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn sort_offset_and_limit_apply_per_parent() -> ashore::Result<()> {
    let fx = helpdesk();
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

#[tokio::test]
async fn sort_offset_and_limit_apply_per_parent_for_manual_has_many() -> ashore::Result<()> {
    let fx = helpdesk();
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

#[tokio::test]
async fn relationship_filter_and_sort_options_apply_to_every_load() -> ashore::Result<()> {
    let fx = helpdesk();
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

    // has_one with `sort starts_at desc`: the latest shift.
    shift(d, &ada, "north", 1).await;
    shift(d, &ada, "south", 3).await;
    shift(d, &ada, "east", 2).await;
    let reps = d
        .read(
            Representative::query()
                .sort(Representative::name().asc())
                .load(Representative::current_shift()),
        )
        .await?;
    let current = reps[0].current_shift.get()?.as_ref();
    assert_eq!(current.map(|s| s.desk.as_str()), Some("south"));
    assert_eq!(reps[1].current_shift, Loaded::new(None));
    Ok(())
}
