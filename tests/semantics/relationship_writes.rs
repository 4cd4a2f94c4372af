//! Relationship writes (issue 13, item 5) on every layer: `Domain::relate`,
//! `unrelate` and `replace` on a many_to_many (`Ticket.tags`, join records of
//! `TicketTag`) and a has_many (`Representative.tickets`, the tickets'
//! `representative_id`), and `Create::with_related`. Relating twice creates
//! no duplicate; each call is all or nothing; and a call runs the same number
//! of statements for 2 related records as for 50. The tenant and policy side
//! is in `relationship_write_guards`.

use std::future::IntoFuture;

use ashore::prelude::*;
use ashore::{Constraint, Relinked};

use crate::common::*;

/// How many statements the SQL layer ran since `before` (`None` in memory).
fn ran_since(fx: &Fx, before: Option<u64>) -> Option<u64> {
    Some(fx.store.statements()? - before?)
}

/// The names of the tags on `ticket`, sorted.
async fn tags_of(d: &Domain, ticket: &Ticket) -> Result<Vec<String>> {
    let mut read = d
        .read(
            Ticket::query()
                .filter(expr!(id == ^ticket.id))
                .load(Ticket::tags().sort(Tag::name())),
        )
        .await?;
    let ticket = read.pop().expect("the ticket");
    Ok(ticket.tags.get()?.iter().map(|t| t.name.clone()).collect())
}

/// The subjects of `rep`'s tickets, sorted.
async fn tickets_of(d: &Domain, rep: &Representative) -> Result<Vec<String>> {
    let tickets = d
        .read(
            Ticket::query()
                .filter(expr!(representative_id == ^rep.id))
                .sort(Ticket::subject()),
        )
        .await?;
    Ok(tickets.into_iter().map(|t| t.subject).collect())
}

/// The ticket `a9` of `ada_and_bob`.
async fn a9(d: &Domain) -> Result<Ticket> {
    let mut a9 = d
        .read(Ticket::query().filter(expr!(subject == "a9")))
        .await?;
    Ok(a9.pop().expect("the ticket a9"))
}

/// Asserts `err` is a `Constraint::ForeignKey`.
pub(crate) fn assert_foreign_key(err: &Error) {
    let foreign_key = matches!(
        err.kind(),
        ErrorKind::Constraint { constraint, .. } if *constraint == Constraint::ForeignKey
    );
    assert!(foreign_key, "{err:?}");
}

/// An open ticket with `subject`, opened at `at(0)`.
fn open_ticket(subject: impl Into<String>) -> Changeset<Ticket> {
    Ticket::changeset()
        .set(Ticket::subject(), subject.into())
        .set(Ticket::status(), "open")
        .set(Ticket::opened_at(), at(0))
}

/// A new representative, Cy.
fn cy() -> Changeset<Representative> {
    Representative::changeset()
        .set(Representative::name(), "Cy")
        .set(Representative::priority_threshold(), 1)
        .set(Representative::admin(), false)
}

/// `Relinked { related, unrelated }`.
fn relinked(related: usize, unrelated: usize) -> Relinked {
    Relinked { related, unrelated }
}

layers!(many_to_many_relate_unrelate_and_replace);
async fn many_to_many_relate_unrelate_and_replace(run: Run) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let a9 = &a9(d).await?;
    let [vip, low, new, bug] = [
        tag(d, "vip").await,
        tag(d, "low").await,
        tag(d, "new").await,
        tag(d, "bug").await,
    ];
    let done = d
        .relate(a9, Ticket::tags(), &[vip.clone(), low.clone()])
        .await?;
    assert_eq!(done, relinked(2, 0));
    assert_eq!(tags_of(d, a9).await?, ["low", "vip"]);

    // Relating again is not an error and makes no duplicate.
    let done = d
        .relate(a9, Ticket::tags(), &[low.clone(), new.clone(), new.clone()])
        .await?;
    assert_eq!(done, relinked(1, 0));
    assert_eq!(tags_of(d, a9).await?, ["low", "new", "vip"]);
    assert_eq!(d.read(TicketTag::query()).count().await?, 3);

    let done = d
        .unrelate(a9, Ticket::tags(), &[vip.clone(), bug.clone()])
        .await?;
    assert_eq!(done, relinked(0, 1));
    assert_eq!(tags_of(d, a9).await?, ["low", "new"]);

    // Afterwards exactly those given are related.
    let done = d
        .replace(a9, Ticket::tags(), &[new.clone(), bug.clone()])
        .await?;
    assert_eq!(done, relinked(1, 1));
    assert_eq!(tags_of(d, a9).await?, ["bug", "new"]);
    // From the other side too, and other tickets untouched.
    let b2 = &d
        .read(Ticket::query().filter(expr!(subject == "b2")))
        .await?[0];
    d.relate(&bug, Tag::tickets(), std::slice::from_ref(b2))
        .await?;
    assert_eq!(tags_of(d, b2).await?, ["bug"]);
    d.replace(a9, Ticket::tags(), &[]).await?;
    assert!(tags_of(d, a9).await?.is_empty());
    assert_eq!(tags_of(d, b2).await?, ["bug"]);
    Ok(())
}

layers!(has_many_relate_unrelate_and_replace);
async fn has_many_relate_unrelate_and_replace(run: Run) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let reps = d
        .read(Representative::query().sort(Representative::name()))
        .await?;
    let (ada, bob) = (&reps[0], &reps[1]);
    let all = d.read(Ticket::query()).await?;
    let the = |s: &str| all.iter().find(|t| t.subject == s).unwrap().clone();

    let done = d
        .relate(ada, Representative::tickets(), &[the("b2"), the("orphan")])
        .await?;
    assert_eq!(done, relinked(2, 0));
    assert_eq!(tickets_of(d, ada).await?, ["a1", "a9", "b2", "orphan"]);
    assert_eq!(tickets_of(d, bob).await?, ["bnil"]);

    // Already related: nothing changes.
    let done = d
        .relate(ada, Representative::tickets(), &[the("a9")])
        .await?;
    assert_eq!(done, relinked(0, 0));

    // Unrelating another's ticket leaves it alone.
    let done = d
        .unrelate(ada, Representative::tickets(), &[the("a1"), the("bnil")])
        .await?;
    assert_eq!(done, relinked(0, 1));
    let a1 = d.get::<Ticket>(the("a1").id).await?.unwrap();
    assert_eq!(a1.representative_id, None);
    assert_eq!(tickets_of(d, bob).await?, ["bnil"]);

    let done = d
        .replace(bob, Representative::tickets(), &[the("a9"), the("a1")])
        .await?;
    assert_eq!(done, relinked(2, 1));
    assert_eq!(tickets_of(d, bob).await?, ["a1", "a9"]);
    assert_eq!(tickets_of(d, ada).await?, ["b2", "orphan"]);
    let bnil = d.get::<Ticket>(the("bnil").id).await?.unwrap();
    assert_eq!(bnil.representative_id, None);
    Ok(())
}

layers!(other_relationships_are_refused);
async fn other_relationships_are_refused(run: Run) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let ada = &d.read(Representative::query()).await?[0];
    let tickets = d.read(Ticket::query()).await?;
    let err = d
        .relate(
            &tickets[0],
            Ticket::representative(),
            std::slice::from_ref(ada),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::InvalidQuery { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("representative"), "{err}");
    let err = d
        .relate(ada, Representative::manual_tickets(), &tickets)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("manual"), "{err}");
    let err = d
        .create(Representative::changeset().set(Representative::name(), "Cy"))
        .with_related(Representative::latest_ticket(), [Ticket::changeset()])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("has_one"), "{err}");
    Ok(())
}

layers!(a_record_is_created_with_its_related_records);
async fn a_record_is_created_with_its_related_records(run: Run) -> Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let carol = d
        .create(cy())
        .with_related(
            Representative::tickets(),
            [open_ticket("c1"), open_ticket("c2")],
        )
        .await?;
    assert_eq!(subjects(carol.tickets.get()?), ["c1", "c2"]);
    assert_eq!(tickets_of(d, &carol).await?, ["c1", "c2"]);

    let vip = tag(d, "vip").await;
    let ticket = d
        .create(open_ticket("tagged"))
        .with_related(
            Ticket::tags(),
            [
                Tag::changeset().set(Tag::name(), "fresh"),
                Tag::changeset().set(Tag::name(), "also"),
            ],
        )
        .await?;
    let names: Vec<&str> = ticket.tags.get()?.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["fresh", "also"]);
    d.relate(&ticket, Ticket::tags(), &[vip]).await?;
    assert_eq!(tags_of(d, &ticket).await?, ["also", "fresh", "vip"]);
    Ok(())
}

layers!(a_failing_related_record_rolls_back_everything);
async fn a_failing_related_record_rolls_back_everything(run: Run) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    // The second ticket lacks its required subject.
    let err = d
        .create(cy())
        .with_related(
            Representative::tickets(),
            [
                open_ticket("kept?"),
                Ticket::changeset().set(Ticket::status(), "open"),
            ],
        )
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Required { .. }), "{err:?}");
    let cy = Representative::query().filter(expr!(name == "Cy"));
    assert_eq!(d.read(cy).count().await?, 0);
    let kept = Ticket::query().filter(expr!(subject == "kept?"));
    assert_eq!(d.read(kept).count().await?, 0);

    // A replace whose relating fails (a tag that does not exist) keeps the
    // links it would have removed.
    let a9 = &a9(d).await?;
    let vip = tag(d, "vip").await;
    d.relate(a9, Ticket::tags(), std::slice::from_ref(&vip))
        .await?;
    let ghost = Tag {
        id: vip.id + 1000,
        ..vip.clone()
    };
    let err = d.replace(a9, Ticket::tags(), &[ghost]).await.unwrap_err();
    assert_foreign_key(&err);
    assert_eq!(tags_of(d, a9).await?, ["vip"]);
    Ok(())
}

layers!(relationship_writes_join_an_open_transaction);
async fn relationship_writes_join_an_open_transaction(run: Run) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let a9 = a9(d).await?;
    let vip = tag(d, "vip").await;
    let outcome: Result<()> = d
        .transaction(|tx| async move {
            tx.relate(&a9, Ticket::tags(), &[vip]).await?;
            assert_eq!(tx.read(TicketTag::query()).count().await?, 1);
            Err(ashore::Error::loader("changed my mind"))
        })
        .await;
    assert!(outcome.is_err());
    assert_eq!(d.read(TicketTag::query()).count().await?, 0);
    Ok(())
}

layers!(a_call_of_several_writes_that_fails_inside_a_transaction_aborts_it);
async fn a_call_of_several_writes_that_fails_inside_a_transaction_aborts_it(
    run: Run,
) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let tickets = d.read(Ticket::query()).count().await?;
    let taken = a9(d).await?.id;
    // The parent and a first child are written, the second child fails (its
    // key is taken, which only the store can say): the block ignores the
    // error and commits, and nothing is kept, as outside.
    let committed: Result<()> = d
        .transaction(|tx| async move {
            tx.create(open_ticket("before")).await?;
            let err = tx
                .create(cy())
                .with_related(
                    Representative::tickets(),
                    [
                        open_ticket("c1"),
                        open_ticket("c2").set(Ticket::id(), taken),
                    ],
                )
                .await
                .unwrap_err();
            assert!(
                matches!(err.kind(), ErrorKind::Constraint { .. }),
                "{err:?}"
            );
            // Every later call says why it cannot run.
            let later = tx.read(Ticket::query()).count().await.unwrap_err();
            assert!(
                matches!(later.kind(), ErrorKind::TransactionAborted { .. }),
                "{later:?}"
            );
            assert!(
                later
                    .to_string()
                    .contains("after part of the call was written")
            );
            Ok(())
        })
        .await;
    let err = committed.expect_err("the commit of an aborted transaction fails");
    assert!(
        matches!(err.kind(), ErrorKind::TransactionAborted { .. }),
        "{err:?}"
    );
    let named_cy = Representative::query().filter(expr!(name == "Cy"));
    assert_eq!(d.read(named_cy.clone()).count().await?, 0);
    assert_eq!(d.read(Ticket::query()).count().await?, tickets);

    // A call that fails before writing anything (its parent refused, or a
    // child lacking a required attribute, which is checked before the parent
    // is written) leaves the transaction whole.
    d.transaction(|tx| async move {
        let err = tx
            .create(Representative::changeset())
            .with_related(Representative::tickets(), [open_ticket("c1")])
            .await
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Required { .. }), "{err:?}");
        let err = tx
            .create(cy())
            .with_related(
                Representative::tickets(),
                [Ticket::changeset().set(Ticket::status(), "open")],
            )
            .await
            .unwrap_err();
        assert!(
            matches!(
                err.kind(),
                ErrorKind::Required {
                    attribute: "subject",
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(err.path(), ["Representative", "tickets"]);
        tx.create(cy()).await?;
        Ok::<_, ashore::Error>(())
    })
    .await?;
    assert_eq!(d.read(named_cy).count().await?, 1);
    Ok(())
}

layers!(a_call_that_fails_having_written_nothing_is_not_undone_by_a_write_beside_it);
async fn a_call_that_fails_having_written_nothing_is_not_undone_by_a_write_beside_it(
    run: Run,
) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let a9 = a9(d).await?;
    let vip = tag(d, "vip").await;
    // A tag that does not exist: the relate reads the links there are, then
    // its one write (the join record) is refused.
    let ghost = Tag {
        id: vip.id + 1000,
        ..vip
    };
    let gate = fx.gate.clone();
    d.transaction(|tx| async move {
        gate.hold_reads_of("TicketTag");
        let mut relate = tx.relate(&a9, Ticket::tags(), &[ghost]).into_future();
        // The relate runs up to its read, held there.
        tokio::select! {
            done = &mut relate => panic!("the relate waits for its read: {done:?}"),
            () = gate.reached() => {}
        }
        // Another call of the block writes meanwhile (as in a `join!`).
        tx.create(open_ticket("beside")).await?;
        gate.open();
        // The relate fails with its own error, having written nothing: the
        // transaction goes on.
        let err = relate.await.unwrap_err();
        assert_foreign_key(&err);
        assert_eq!(tx.read(TicketTag::query()).count().await?, 0);
        tx.create(open_ticket("after")).await?;
        Ok::<_, ashore::Error>(())
    })
    .await?;
    let kept = Ticket::query()
        .filter(expr!(subject == "beside" || subject == "after"))
        .sort(Ticket::subject());
    let kept: Vec<String> = d.read(kept).await?.into_iter().map(|t| t.subject).collect();
    assert_eq!(kept, ["after", "beside"]);
    assert_eq!(d.read(TicketTag::query()).count().await?, 0);
    Ok(())
}

/// The statements (`None` in memory) and data-layer reads each kind of
/// relationship write runs with `n` related records, on a fresh Helpdesk.
async fn statements_for(run: &Run, n: usize) -> Result<Vec<(Option<u64>, usize)>> {
    let fx = helpdesk(run).await;
    let d = &fx.domain;
    let owner = rep(d, "Ada", 1).await;
    let other = rep(d, "Bob", 1).await;
    let ticket = ticket(d, None, "t", "open", None, 0).await;
    let tags = d
        .create_many((0..n).map(|i| Tag::changeset().set(Tag::name(), format!("tag {i}"))))
        .await?;
    let tickets = d
        .create_many((0..n).map(|i| open_ticket(format!("t {i}"))))
        .await?;
    let mut counts = Vec::new();
    let mut measure = |before: Option<u64>, reads: usize| {
        counts.push((ran_since(&fx, before), fx.reads.count() - reads));
    };

    let (before, reads) = (fx.store.statements(), fx.reads.count());
    assert_eq!(d.relate(&ticket, Ticket::tags(), &tags).await?.related, n);
    measure(before, reads);
    let (before, reads) = (fx.store.statements(), fx.reads.count());
    assert_eq!(
        d.replace(&ticket, Ticket::tags(), &tags[..n / 2])
            .await?
            .unrelated,
        n - n / 2
    );
    measure(before, reads);
    let (before, reads) = (fx.store.statements(), fx.reads.count());
    assert_eq!(
        d.unrelate(&ticket, Ticket::tags(), &tags).await?.unrelated,
        n / 2
    );
    measure(before, reads);
    let (before, reads) = (fx.store.statements(), fx.reads.count());
    assert_eq!(
        d.relate(&owner, Representative::tickets(), &tickets)
            .await?
            .related,
        n
    );
    measure(before, reads);
    let (before, reads) = (fx.store.statements(), fx.reads.count());
    let done = d
        .replace(&other, Representative::tickets(), &tickets)
        .await?;
    assert_eq!(done.related, n);
    measure(before, reads);
    let (before, reads) = (fx.store.statements(), fx.reads.count());
    d.create(open_ticket("new"))
        .with_related(
            Ticket::tags(),
            (0..n).map(|i| Tag::changeset().set(Tag::name(), format!("new {i}"))),
        )
        .await?;
    measure(before, reads);
    assert_eq!(d.read(TicketTag::query()).count().await?, n);
    Ok(counts)
}

layers!(statements_do_not_grow_with_the_related_records);
async fn statements_do_not_grow_with_the_related_records(run: Run) -> Result<()> {
    let two = statements_for(&run, 2).await?;
    let fifty = statements_for(&run, 50).await?;
    assert_eq!(two, fifty);
    // many_to_many relate: one read of the links there are, one create.
    assert_eq!(two[0].1, 1, "{two:?}");
    if let (Some(relate), _) = two[0] {
        assert_eq!(relate, 2, "{two:?}");
    }
    Ok(())
}
