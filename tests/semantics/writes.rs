//! Updates and destroys (issue 13, item 1) on every layer: `Domain::update` and
//! `Domain::destroy` of one record, `update_all` and `destroy_all` of what a
//! query selects. An update sets only what its changeset gives and returns
//! the records as stored after; a destroy returns them as they were; both in
//! insertion order, with the query's loads. A bulk write is one statement on
//! SQL whatever the number of records. A record that is gone is
//! `ErrorKind::NotFound`; a primary key is never changed; a belongs_to key
//! that names no record, and a destroy of a record another names, are
//! `Constraint::ForeignKey` and change nothing. The tenant side is in
//! `tenant_writes`.

use ashore::prelude::*;
use ashore::{Constraint, Value};

use crate::common::*;

/// Every ticket, in insertion order.
async fn all_tickets(d: &Domain) -> Result<Vec<Ticket>> {
    d.read(Ticket::query()).await
}

/// `ada_and_bob`, and its tickets in insertion order.
async fn ada_and_bob_tickets(run: &Run) -> Result<(Fx, Vec<Ticket>)> {
    let fx = ada_and_bob(run).await;
    let tickets = all_tickets(&fx.domain).await?;
    Ok((fx, tickets))
}

/// The ticket with `subject`.
fn the<'t>(tickets: &'t [Ticket], subject: &str) -> &'t Ticket {
    tickets
        .iter()
        .find(|t| t.subject == subject)
        .unwrap_or_else(|| panic!("no ticket {subject}"))
}

/// How many statements the SQL layer ran since `before` (`None` in memory).
fn ran_since(fx: &Fx, before: Option<u64>) -> Option<u64> {
    Some(fx.store.statements()? - before?)
}

/// Asserts `err` is the `NotFound` of `resource`.
fn assert_not_found(err: &Error, resource: &str) {
    assert!(
        matches!(err.kind(), ErrorKind::NotFound { resource: r, .. } if *r == resource),
        "{err:?}"
    );
}

layers!(an_update_changes_only_the_fields_given);
async fn an_update_changes_only_the_fields_given(run: Run) -> Result<()> {
    let (fx, before) = ada_and_bob_tickets(&run).await?;
    let d = &fx.domain;
    let a9 = the(&before, "a9");
    let statements = fx.store.statements();
    let updated = d
        .update(
            a9,
            Ticket::changeset()
                .set(Ticket::priority(), 7)
                .set(Ticket::status(), "closed"),
        )
        .await?;
    assert_eq!(ran_since(&fx, statements).unwrap_or(1), 1, "one statement");
    // The fields given changed, the others did not.
    let expected = Ticket {
        priority: Some(7),
        status: "closed".to_owned(),
        ..a9.clone()
    };
    assert_eq!(updated, expected);
    // What came back is what is stored; the other tickets are untouched.
    assert_eq!(d.get::<Ticket>(a9.id).await?, Some(updated.clone()));
    let after = all_tickets(d).await?;
    let others =
        |ts: &[Ticket]| -> Vec<Ticket> { ts.iter().filter(|t| t.id != a9.id).cloned().collect() };
    assert_eq!(others(&after), others(&before));
    // Setting an attribute to nil is a change like any other.
    let cleared = d
        .update(&updated, Ticket::changeset().set(Ticket::priority(), None))
        .await?;
    assert_eq!(cleared.priority, None);
    assert_eq!(cleared.status, "closed");
    Ok(())
}

layers!(a_destroy_returns_the_record_as_it_was_and_it_is_gone);
async fn a_destroy_returns_the_record_as_it_was_and_it_is_gone(run: Run) -> Result<()> {
    let (fx, before) = ada_and_bob_tickets(&run).await?;
    let d = &fx.domain;
    let b2 = the(&before, "b2");
    let statements = fx.store.statements();
    let gone = d.destroy(b2).await?;
    assert_eq!(ran_since(&fx, statements).unwrap_or(1), 1, "one statement");
    assert_eq!(&gone, b2);
    assert_eq!(d.get::<Ticket>(b2.id).await?, None);
    let left: Vec<Ticket> = before.iter().filter(|t| t.id != b2.id).cloned().collect();
    assert_eq!(all_tickets(d).await?, left, "the others, in their order");
    // Gone: destroying or updating it again is NotFound, naming it.
    let err = d.destroy(b2).await.unwrap_err();
    assert_not_found(&err, "Ticket");
    assert!(
        matches!(err.kind(), ErrorKind::NotFound { key, .. } if *key == Value::from(b2.id)),
        "{err:?}"
    );
    assert_eq!(err.path(), ["Ticket"]);
    let err = d
        .update(b2, Ticket::changeset().set(Ticket::priority(), 1))
        .await
        .unwrap_err();
    assert_not_found(&err, "Ticket");
    assert_eq!(all_tickets(d).await?, left);
    Ok(())
}

layers!(update_all_changes_what_the_filter_selects_in_one_statement);
async fn update_all_changes_what_the_filter_selects_in_one_statement(run: Run) -> Result<()> {
    let (fx, before) = ada_and_bob_tickets(&run).await?;
    let d = &fx.domain;
    let statements = fx.store.statements();
    // Through a path: Bob's open tickets.
    let closed = d
        .update_all(
            Ticket::query().filter(expr!(status == "open" and representative.name == "Bob")),
            Ticket::changeset().set(Ticket::status(), "closed"),
        )
        .await?;
    assert_eq!(ran_since(&fx, statements).unwrap_or(1), 1, "one statement");
    assert_eq!(subjects(&closed), ["b2", "bnil"], "insertion order");
    assert!(closed.iter().all(|t| t.status == "closed"));
    let after = all_tickets(d).await?;
    for (old, new) in before.iter().zip(&after) {
        match closed.iter().find(|c| c.id == old.id) {
            Some(c) => {
                assert_eq!(c, new, "returned as stored");
                assert_eq!(
                    new,
                    &Ticket {
                        status: "closed".to_owned(),
                        ..old.clone()
                    }
                );
            }
            None => assert_eq!(old, new, "untouched"),
        }
    }
    // Nothing selected: nothing changed, nothing returned.
    let none = d
        .update_all(
            Ticket::query().filter(expr!(subject == "nothing")),
            Ticket::changeset().set(Ticket::priority(), 1),
        )
        .await?;
    assert!(none.is_empty());
    assert_eq!(all_tickets(d).await?, after);
    Ok(())
}

layers!(a_bulk_write_is_one_statement_whatever_the_number_of_records);
async fn a_bulk_write_is_one_statement_whatever_the_number_of_records(run: Run) -> Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    seed_many(d, 60).await;
    let statements = fx.store.statements();
    let raised = d
        .update_all(
            Ticket::query().filter(expr!(priority == 8)),
            Ticket::changeset().set(Ticket::priority(), 9),
        )
        .await?;
    assert_eq!(raised.len(), 60);
    assert_eq!(ran_since(&fx, statements).unwrap_or(1), 1, "one UPDATE");
    let expected: Vec<String> = (0..60).map(|i| format!("t {i}.1")).collect();
    assert_eq!(subjects(&raised), expected, "insertion order");
    let statements = fx.store.statements();
    let removed = d.destroy_all(Comment::query()).await?;
    assert_eq!(removed.len(), 120);
    assert_eq!(ran_since(&fx, statements).unwrap_or(1), 1, "one DELETE");
    assert_eq!(removed[0].body, "c 0.0");
    assert_eq!(removed[119].body, "c 59.1");
    assert_eq!(d.read(Comment::query()).count().await?, 0);
    Ok(())
}

layers!(destroy_all_removes_what_a_path_selects);
async fn destroy_all_removes_what_a_path_selects(run: Run) -> Result<()> {
    let (fx, before) = ada_and_bob_tickets(&run).await?;
    let d = &fx.domain;
    let statements = fx.store.statements();
    let gone = d
        .destroy_all(Ticket::query().filter(expr!(representative.name == "Ada")))
        .await?;
    assert_eq!(ran_since(&fx, statements).unwrap_or(1), 1, "one statement");
    assert_eq!(subjects(&gone), ["a9", "a1"]);
    assert_eq!(gone, before[..2].to_vec(), "as they were");
    assert_eq!(subjects(&all_tickets(d).await?), ["b2", "bnil", "orphan"]);
    Ok(())
}

layers!(a_window_chooses_which_records_a_bulk_write_touches);
async fn a_window_chooses_which_records_a_bulk_write_touches(run: Run) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    // The two most urgent: a9 (9) and orphan (5), returned in insertion order.
    let top = d
        .update_all(
            Ticket::query()
                .sort(Ticket::priority().desc_nils_last())
                .limit(2),
            Ticket::changeset().set(Ticket::status(), "urgent"),
        )
        .await?;
    assert_eq!(subjects(&top), ["a9", "orphan"]);
    // The next one after them: b2 (2).
    let next = d
        .destroy_all(
            Ticket::query()
                .sort(Ticket::priority().desc_nils_last())
                .offset(2)
                .limit(1),
        )
        .await?;
    assert_eq!(subjects(&next), ["b2"]);
    let urgent = d
        .read(Ticket::query().filter(expr!(status == "urgent")))
        .await?;
    assert_eq!(subjects(&urgent), ["a9", "orphan"]);
    assert_eq!(
        subjects(&all_tickets(d).await?),
        ["a9", "a1", "bnil", "orphan"]
    );
    Ok(())
}

layers!(the_querys_loads_run_on_what_was_written);
async fn the_querys_loads_run_on_what_was_written(run: Run) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let updated = d
        .update_all(
            Ticket::query()
                .filter(expr!(priority > 4))
                .load(Ticket::representative()),
            Ticket::changeset().set(Ticket::priority(), 4),
        )
        .await?;
    assert_eq!(subjects(&updated), ["a9", "orphan"]);
    let reps: Vec<Option<String>> = updated
        .iter()
        .map(|t| Ok(t.representative.get()?.as_ref().map(|r| r.name.clone())))
        .collect::<Result<_>>()?;
    assert_eq!(reps, [Some("Ada".to_owned()), None]);
    Ok(())
}

layers!(a_primary_key_is_never_changed);
async fn a_primary_key_is_never_changed(run: Run) -> Result<()> {
    let (fx, before) = ada_and_bob_tickets(&run).await?;
    let d = &fx.domain;
    let a9 = the(&before, "a9");
    let statements = fx.store.statements();
    let err = d
        .update(
            a9,
            Ticket::changeset()
                .set(Ticket::id(), Uuid::new_v4())
                .set(Ticket::priority(), 1),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::InvalidValue {
                resource: "Ticket",
                attribute: "id",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("primary key"), "{err}");
    let err = d
        .update_all(
            Ticket::query(),
            Ticket::changeset().set(Ticket::id(), Uuid::new_v4()),
        )
        .await
        .unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::InvalidValue {
            attribute: "id",
            ..
        }
    ));
    assert_eq!(ran_since(&fx, statements).unwrap_or(0), 0, "nothing sent");
    assert_eq!(all_tickets(d).await?, before);
    Ok(())
}

layers!(a_belongs_to_key_that_names_no_record_changes_nothing);
async fn a_belongs_to_key_that_names_no_record_changes_nothing(run: Run) -> Result<()> {
    let (fx, before) = ada_and_bob_tickets(&run).await?;
    let d = &fx.domain;
    let nobody = Some(Uuid::new_v4());
    let err = d
        .update(
            the(&before, "b2"),
            Ticket::changeset().set(Ticket::representative_id(), nobody),
        )
        .await
        .unwrap_err();
    assert_foreign_key(&err, "Ticket", Some("representative_id"));
    let err = d
        .update_all(
            Ticket::query().filter(expr!(status == "open")),
            Ticket::changeset()
                .set(Ticket::priority(), 3)
                .set(Ticket::representative_id(), nobody),
        )
        .await
        .unwrap_err();
    assert_foreign_key(&err, "Ticket", Some("representative_id"));
    assert_eq!(all_tickets(d).await?, before, "all or nothing");
    // A key of a record that exists is fine.
    let ada = d
        .read(Representative::query().filter(expr!(name == "Ada")))
        .first()
        .await?
        .expect("Ada");
    let moved = d
        .update(
            the(&before, "orphan"),
            Ticket::changeset().set(Ticket::representative_id(), Some(ada.id)),
        )
        .await?;
    assert_eq!(moved.representative_id, Some(ada.id));
    Ok(())
}

layers!(a_record_another_names_is_not_destroyed);
async fn a_record_another_names_is_not_destroyed(run: Run) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let reps = d.read(Representative::query()).await?;
    let ada = named(&reps, "Ada");
    let err = d.destroy(ada).await.unwrap_err();
    assert_foreign_key(&err, "Representative", None);
    // Its source names the record still named and, as far as the layer
    // tells, by which key (memory and SQLite: `representative_id`).
    let source = format!("{:?}", std::error::Error::source(&err));
    assert!(source.contains(&ada.id.to_string()), "{source}");
    if run.layer != Layer::Postgres {
        assert!(source.contains("representative_id"), "{source}");
    }
    // So inside a transaction (SQLite: a savepoint), which goes on.
    let ada_again = ada.clone();
    let inside = d
        .transaction(|tx| async move { Ok::<_, Error>(tx.destroy(&ada_again).await.unwrap_err()) })
        .await?;
    assert_foreign_key(&inside, "Representative", None);
    let source = format!("{:?}", std::error::Error::source(&inside));
    assert!(source.contains(&ada.id.to_string()), "{source}");
    let err = d.destroy_all(Representative::query()).await.unwrap_err();
    assert_foreign_key(&err, "Representative", None);
    assert_eq!(
        d.read(Representative::query()).await?,
        reps,
        "nothing destroyed"
    );
    // Once her tickets are gone, she can go.
    d.destroy_all(Ticket::query().filter(expr!(representative_id == ^ada.id)))
        .await?;
    assert_eq!(&d.destroy(ada).await?, ada);
    assert_eq!(names(&d.read(Representative::query()).await?), ["Bob"]);
    Ok(())
}

layers!(an_empty_changeset_finds_the_record_and_writes_nothing);
async fn an_empty_changeset_finds_the_record_and_writes_nothing(run: Run) -> Result<()> {
    let (fx, before) = ada_and_bob_tickets(&run).await?;
    let d = &fx.domain;
    let a1 = the(&before, "a1");
    let same = d.update(a1, Ticket::changeset()).await?;
    assert_eq!(&same, a1);
    let open = d
        .update_all(
            Ticket::query()
                .filter(expr!(status == "open"))
                .sort(Ticket::priority().desc_nils_last())
                .limit(2),
            Ticket::changeset(),
        )
        .await?;
    assert_eq!(subjects(&open), ["a9", "orphan"], "insertion order");
    assert_eq!(all_tickets(d).await?, before);
    d.destroy(a1).await?;
    let err = d.update(a1, Ticket::changeset()).await.unwrap_err();
    assert_not_found(&err, "Ticket");
    Ok(())
}

layers!(values_no_layer_stores_alike_are_refused);
async fn values_no_layer_stores_alike_are_refused(run: Run) -> Result<()> {
    let (fx, before) = ada_and_bob_tickets(&run).await?;
    let d = &fx.domain;
    let statements = fx.store.statements();
    let err = d
        .update(
            the(&before, "a9"),
            Ticket::changeset().set(Ticket::subject(), "nul \0 inside"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::InvalidValue {
                resource: "Ticket",
                attribute: "subject",
                ..
            }
        ),
        "{err:?}"
    );
    let err = d
        .update_all(
            Ticket::query().filter(expr!(subject == "nul \0 inside")),
            Ticket::changeset().set(Ticket::priority(), 1),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::InvalidQuery { .. }),
        "{err:?}"
    );
    assert_eq!(ran_since(&fx, statements).unwrap_or(0), 0, "nothing sent");
    assert_eq!(all_tickets(d).await?, before);
    Ok(())
}

/// Asserts `err` is the foreign-key error of `resource` (and `attribute`).
pub(crate) fn assert_foreign_key(err: &Error, resource: &str, attribute: Option<&str>) {
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Constraint {
                resource: r,
                attribute: a,
                constraint: Constraint::ForeignKey,
                ..
            } if *r == resource && *a == attribute
        ),
        "{err:?}"
    );
}

/// A layer of one's own that implements only the required methods.
struct ReadsOnly(Memory);

impl ashore::DataLayer for ReadsOnly {
    fn name(&self) -> &'static str {
        "reads only"
    }
    fn register(&self, schema: &'static ashore::Schema) -> Result<()> {
        self.0.register(schema)
    }
    fn read<'a>(
        &'a self,
        request: ashore::data_layer::ReadRequest,
    ) -> ashore::BoxFuture<'a, Result<ashore::data_layer::ReadResult>> {
        self.0.read(request)
    }
    fn create<'a>(
        &'a self,
        schema: &'static ashore::Schema,
        rows: ashore::Rows,
    ) -> ashore::BoxFuture<'a, Result<ashore::data_layer::Records>> {
        self.0.create(schema, rows)
    }
}

// Only on a layer of the test's own: what the trait's defaults answer.
#[tokio::test]
async fn a_layer_without_writes_says_so() -> Result<()> {
    let d = Domain::builder()
        .data_layer(ReadsOnly(Memory::new()))
        .resource::<Representative>()
        .resource::<Ticket>()
        .resource::<Comment>()
        .resource::<Tag>()
        .resource::<TicketTag>()
        .build()?;
    let ada = rep(&d, "Ada", 1).await;
    let change = Representative::changeset().set(Representative::priority_threshold(), 2);
    let unsupported = |err: Error, operation: &str| {
        assert!(
            matches!(err.kind(), ErrorKind::Unsupported { layer: "reads only", operation: o }
                if *o == operation),
            "{err:?}"
        );
        assert_eq!(err.path(), ["Representative"]);
    };
    unsupported(d.update(&ada, change).await.unwrap_err(), "update");
    unsupported(d.destroy(&ada).await.unwrap_err(), "destroy");
    // Nor transactions.
    let err = d
        .transaction(|_tx| async { Ok::<_, Error>(()) })
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Unsupported {
                layer: "reads only",
                operation: "begin"
            }
        ),
        "{err:?}"
    );
    assert_eq!(d.read(Representative::query()).await?, [ada]);
    Ok(())
}
