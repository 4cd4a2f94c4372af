//! README claims at their edges, on every layer and both front ends: writes
//! that select nothing, an update with an empty changeset over many records,
//! batches of nothing, upserts whose identity holds a nil (nils are distinct,
//! so they never find a record), and a transaction begun inside a transaction
//! (refused alike on every layer, nothing of the outer block lost).

use ashore::prelude::*;

use crate::common::identity_resources::{Label, Member};
use crate::common::*;
use crate::writes::assert_foreign_key;

/// How many statements the SQL layer ran since `before` (`None` in memory).
fn ran_since(fx: &Fx, before: Option<u64>) -> Option<u64> {
    Some(fx.store.statements()? - before?)
}

layers!(writes_that_select_nothing_return_nothing);
async fn writes_that_select_nothing_return_nothing(run: Run) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let before = d.read(Ticket::query()).await?;
    let none = || Ticket::query().filter(expr!(priority > 100));
    let updated = d
        .update_all(none(), Ticket::changeset().set(Ticket::status(), "closed"))
        .await?;
    assert!(updated.is_empty(), "{updated:?}");
    let destroyed = d.destroy_all(none()).await?;
    assert!(destroyed.is_empty(), "{destroyed:?}");
    assert_eq!(d.read(Ticket::query()).await?, before);
    Ok(())
}

layers!(an_empty_changeset_over_many_records_gives_them_and_writes_nothing);
async fn an_empty_changeset_over_many_records_gives_them_and_writes_nothing(
    run: Run,
) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let before = d.read(Ticket::query()).await?;
    let open = Ticket::query().filter(expr!(status == "open"));
    let statements = fx.store.statements();
    let got = d.update_all(open, Ticket::changeset()).await?;
    let wrote = ran_since(&fx, statements);
    // The records selected, in insertion order, unchanged.
    assert_eq!(subjects(&got), ["a9", "b2", "bnil", "orphan"]);
    let unchanged: Vec<Ticket> = before
        .iter()
        .filter(|t| t.status == "open")
        .cloned()
        .collect();
    assert_eq!(got, unchanged);
    assert_eq!(d.read(Ticket::query()).await?, before);
    // At most the read that found them: no UPDATE.
    assert!(wrote.unwrap_or(1) <= 1, "{wrote:?} statements");
    Ok(())
}

layers!(a_batch_of_nothing_creates_nothing);
async fn a_batch_of_nothing_creates_nothing(run: Run) -> Result<()> {
    let fx = counted(&run, |b| b.resource::<Member>().resource::<Label>()).await;
    let d = &fx.domain;
    let none: Vec<Changeset<Label>> = Vec::new();
    assert!(d.create_many(none.clone()).await?.is_empty());
    let upserted = d.create_many(none).upsert_on(Label::unique_text()).await?;
    assert!(upserted.is_empty());
    assert!(d.read(Label::query()).await?.is_empty());
    Ok(())
}

/// A member of acme with `email`, `name` and `team`.
fn member(email: Option<&str>, name: &str, team: Option<&str>) -> Changeset<Member> {
    Member::changeset()
        .set(Member::email(), email.map(str::to_owned))
        .set(Member::name(), name)
        .set(Member::team(), team.map(str::to_owned))
        .set(Member::visits(), 1)
}

layers!(an_upsert_whose_identity_holds_a_nil_always_creates);
async fn an_upsert_whose_identity_holds_a_nil_always_creates(run: Run) -> Result<()> {
    let fx = counted(&run, |b| b.resource::<Member>().resource::<Label>()).await;
    let d = &fx.domain;
    let acme = |d: &Domain| d.read(Member::query()).tenant("acme");
    // One at a time: a nil email shares its identity with no record.
    let first = d
        .create(member(None, "Ada", None))
        .tenant("acme")
        .upsert_on(Member::unique_email())
        .await?;
    let second = d
        .create(member(None, "Bob", None))
        .tenant("acme")
        .upsert_on(Member::unique_email())
        .await?;
    assert_ne!(first.id, second.id);
    assert_eq!(acme(d).await?, [first.clone(), second.clone()]);
    // Over two attributes, one of them nil: Ada of no team twice is two Adas.
    let third = d
        .create(member(Some("ada2@acme"), "Ada", None))
        .tenant("acme")
        .upsert_on(Member::unique_name_per_team())
        .await?;
    assert_ne!(third.id, first.id);
    assert_eq!(acme(d).await?.len(), 3);
    // In one batch, two rows with a nil email do not share an identity.
    let batch = d
        .create_many([
            member(None, "Cy", Some("x")),
            member(None, "Dee", Some("x")),
        ])
        .tenant("acme")
        .upsert_on(Member::unique_email())
        .await?;
    assert_eq!(batch.len(), 2);
    assert_ne!(batch[0].id, batch[1].id);
    assert_eq!(acme(d).await?.len(), 5);
    // A full identity still finds its record.
    let again = d
        .create(member(Some("ada2@acme"), "Ada", None).set(Member::visits(), 7))
        .tenant("acme")
        .upsert_on(Member::unique_email())
        .await?;
    assert_eq!((again.id, again.visits), (third.id, 7));
    assert_eq!(acme(d).await?.len(), 5);
    Ok(())
}

/// A ticket with `subject`, open, without a representative.
fn new_ticket(subject: &str) -> Changeset<Ticket> {
    Ticket::changeset()
        .set(Ticket::subject(), subject)
        .set(Ticket::status(), "open")
        .set(Ticket::opened_at(), at(9))
}

layers!(a_transaction_inside_a_transaction_is_refused_on_every_layer);
async fn a_transaction_inside_a_transaction_is_refused_on_every_layer(run: Run) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let kept = d
        .transaction(|tx| async move {
            let outer = tx.create(new_ticket("outer")).await?;
            let inner = tx
                .transaction(|inner| async move { inner.create(new_ticket("inner")).await })
                .await;
            let err = inner.expect_err("a transaction inside a transaction");
            assert!(matches!(err.kind(), ErrorKind::DataLayer { .. }), "{err:?}");
            assert!(
                err.to_string()
                    .contains("a transaction inside a transaction is not supported"),
                "{err}"
            );
            // The outer transaction goes on and commits.
            Ok::<_, Error>(outer)
        })
        .await?;
    let subjects_now = d.read(Ticket::query().sort(Ticket::subject())).await?;
    assert!(subjects_now.iter().any(|t| t.id == kept.id));
    assert!(!subjects_now.iter().any(|t| t.subject == "inner"));
    Ok(())
}

layers!(writes_keep_insertion_order);
async fn writes_keep_insertion_order(run: Run) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    // A write that picks its records by a sort returns them in insertion
    // order, not in the sort's.
    let urgent = Ticket::query()
        .sort(Ticket::priority().desc_nils_last())
        .limit(3);
    let got = d
        .update_all(urgent, Ticket::changeset().set(Ticket::status(), "triaged"))
        .await?;
    assert_eq!(subjects(&got), ["a9", "b2", "orphan"]);
    // An updated record keeps its place: ties still come in insertion order.
    let all = d.read(Ticket::query()).await?;
    assert_eq!(subjects(&all), ["a9", "a1", "b2", "bnil", "orphan"]);
    let by_status = d.read(Ticket::query().sort(Ticket::status())).await?;
    assert_eq!(subjects(&by_status), ["a1", "bnil", "a9", "b2", "orphan"]);
    let gone = d
        .destroy_all(
            Ticket::query()
                .filter(expr!(status == "triaged"))
                .sort(Ticket::subject().desc()),
        )
        .await?;
    assert_eq!(subjects(&gone), ["a9", "b2", "orphan"]);
    Ok(())
}

layers!(an_upserted_record_keeps_its_place);
async fn an_upserted_record_keeps_its_place(run: Run) -> Result<()> {
    let fx = counted(&run, |b| b.resource::<Member>().resource::<Label>()).await;
    let d = &fx.domain;
    for text in ["a", "b", "c"] {
        d.create(
            Label::changeset()
                .set(Label::text(), text)
                .set(Label::uses(), 1),
        )
        .await?;
    }
    d.create(
        Label::changeset()
            .set(Label::text(), "a")
            .set(Label::uses(), 2),
    )
    .upsert_on(Label::unique_text())
    .await?;
    let texts = |ls: &[Label]| ls.iter().map(|l| l.text.clone()).collect::<Vec<_>>();
    assert_eq!(texts(&d.read(Label::query()).await?), ["a", "b", "c"]);
    let by_uses = d.read(Label::query().sort(Label::uses())).await?;
    assert_eq!(texts(&by_uses), ["b", "c", "a"]);
    Ok(())
}

layers!(updates_and_destroys_inside_a_transaction_fail_when_written);
async fn updates_and_destroys_inside_a_transaction_fail_when_written(run: Run) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let before = d.read(Ticket::query()).await?;
    let reps = d.read(Representative::query()).await?;
    d.transaction(|tx| {
        let before = before.clone();
        let ada = named(&reps, "Ada").clone();
        async move {
            // A key naming no record: refused by the update itself, as outside.
            let err = tx
                .update(
                    &before[0],
                    Ticket::changeset().set(Ticket::representative_id(), Some(Uuid::new_v4())),
                )
                .await
                .unwrap_err();
            assert_foreign_key(&err, "Ticket", Some("representative_id"));
            // So is a create's, alone or in a batch.
            let err = tx
                .create(
                    new_ticket("ghost's").set(Ticket::representative_id(), Some(Uuid::new_v4())),
                )
                .await
                .unwrap_err();
            assert_foreign_key(&err, "Ticket", Some("representative_id"));
            let err = tx
                .create_many([
                    new_ticket("fine"),
                    new_ticket("ghost's").set(Ticket::representative_id(), Some(Uuid::new_v4())),
                ])
                .await
                .unwrap_err();
            assert_foreign_key(&err, "Ticket", Some("representative_id"));
            // A record another names: refused by the destroy itself.
            let err = tx.destroy(&ada).await.unwrap_err();
            assert_foreign_key(&err, "Representative", None);
            let err = tx.destroy_all(Representative::query()).await.unwrap_err();
            assert_foreign_key(&err, "Representative", None);
            // The block goes on: nothing of the failed writes is kept.
            assert_eq!(tx.read(Ticket::query()).await?, before);
            assert_eq!(tx.read(Representative::query()).count().await?, 2);
            tx.update(&before[1], Ticket::changeset().set(Ticket::priority(), 4))
                .await?;
            Ok::<_, Error>(())
        }
    })
    .await?;
    let after = d.read(Ticket::query()).await?;
    assert_eq!(after[1].priority, Some(4));
    assert_eq!(after[0], before[0]);
    assert_eq!(d.read(Representative::query()).count().await?, 2);
    Ok(())
}

layers!(relationship_writes_to_records_that_are_gone);
async fn relationship_writes_to_records_that_are_gone(run: Run) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let reps = d.read(Representative::query()).await?;
    let ada = named(&reps, "Ada");
    let tickets = d.read(Ticket::query()).await?;
    let orphan = tickets.iter().find(|t| t.subject == "orphan").unwrap();
    let gone = d.create(new_ticket("gone")).await?;
    d.destroy(&gone).await?;
    // A has_many write leaves a record that does not exist alone.
    let done = d
        .relate(
            ada,
            Representative::tickets(),
            &[gone.clone(), orphan.clone()],
        )
        .await?;
    assert_eq!((done.related, done.unrelated), (1, 0));
    assert!(d.get::<Ticket>(gone.id).await?.is_none());
    let ada_id = Some(ada.id);
    let ada_tickets = d
        .read(Ticket::query().filter(expr!(representative_id == ^ada_id)))
        .await?;
    assert_eq!(subjects(&ada_tickets), ["a9", "a1", "orphan"]);
    // A many_to_many relate to one is a foreign-key error, and joins none.
    let vip = tag(d, "vip").await;
    let old = tag(d, "old").await;
    d.destroy(&old).await?;
    let err = d
        .relate(orphan, Ticket::tags(), &[vip, old])
        .await
        .unwrap_err();
    assert_foreign_key(&err, "TicketTag", Some("tag_id"));
    assert_eq!(d.read(TicketTag::query()).count().await?, 0);
    Ok(())
}
