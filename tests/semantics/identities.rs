//! Identities and upsert (issue 13, item 2), on every layer: a create that
//! repeats an identity's values is a unique `Constraint` naming the identity
//! and writes nothing (a batch is all or nothing); nils are distinct; on a
//! multitenant resource uniqueness holds within the tenant; an upsert creates
//! a record, then updates the one it finds (its primary key kept, attributes
//! the changeset leaves unset untouched), one at a time or in a batch, and
//! never reaches another tenant's record; migrating twice changes nothing.
//!
//! `Member` is multitenant (by `org`) with two identities, one of two keys;
//! `Label` is not multitenant and has an integer primary key
//! (`crate::common::identity_resources`: declared with `resource!` here, with
//! `#[derive(Resource)]` in `derive_parity`).

use ashore::Constraint;
use ashore::prelude::*;

use crate::common::identity_resources::{Label, Member};
use crate::common::*;

async fn fx(run: &Run) -> Fx {
    counted(run, |b| b.resource::<Member>().resource::<Label>()).await
}

fn member(email: Option<&str>, name: &str) -> Changeset<Member> {
    Member::changeset()
        .set(Member::email(), email.map(str::to_owned))
        .set(Member::name(), name)
        .set(Member::visits(), 1)
}

fn label(text: &str, uses: i64) -> Changeset<Label> {
    Label::changeset()
        .set(Label::text(), text)
        .set(Label::uses(), uses)
}

/// Asserts `err` is the unique-constraint error of `resource`'s `identity`.
fn assert_identity(err: &Error, resource: &str, identity: &str, attribute: Option<&str>) {
    match err.kind() {
        ErrorKind::Constraint {
            resource: r,
            identity: i,
            attribute: a,
            constraint: Constraint::Unique,
            ..
        } => assert_eq!(
            (*r, *i, *a),
            (resource, Some(identity), attribute),
            "{err:?}"
        ),
        _ => panic!("expected the unique constraint `{identity}`: {err:?}"),
    }
    assert_eq!(
        err.to_string(),
        format!("{resource}: unique constraint `{identity}` violated on {resource}")
    );
}

async fn members(d: &Domain, org: &str) -> ashore::Result<Vec<Member>> {
    d.read(Member::query().sort(Member::name()))
        .tenant(org)
        .await
}

async fn a_repeated_identity_is_a_constraint_naming_it(run: Run) -> ashore::Result<()> {
    let d = &fx(&run).await.domain;
    d.create(member(Some("ada@acme"), "Ada").set(Member::team(), "red".to_owned()))
        .tenant("acme")
        .await?;
    let err = d
        .create(member(Some("ada@acme"), "Ada Again"))
        .tenant("acme")
        .await
        .expect_err("the email is taken");
    // Two columns (the tenant's and the email): no one attribute is named.
    assert_identity(&err, "Member", "unique_email", None);
    let err = d
        .create(member(None, "Ada").set(Member::team(), "red".to_owned()))
        .tenant("acme")
        .await
        .expect_err("Ada of the red team is taken");
    assert_identity(&err, "Member", "unique_name_per_team", None);
    assert_eq!(members(d, "acme").await?.len(), 1);

    d.create(label("urgent", 1)).await?;
    let err = d.create(label("urgent", 2)).await.expect_err("taken");
    assert_identity(&err, "Label", "unique_text", Some("text"));
    Ok(())
}
layers!(a_repeated_identity_is_a_constraint_naming_it);

async fn a_batch_breaking_an_identity_creates_nothing(run: Run) -> ashore::Result<()> {
    let d = &fx(&run).await.domain;
    d.create(label("urgent", 1)).await?;
    let err = d
        .create_many([label("new", 1), label("urgent", 2)])
        .await
        .expect_err("urgent is taken");
    assert_identity(&err, "Label", "unique_text", Some("text"));
    let err = d
        .create_many([label("twice", 1), label("other", 1), label("twice", 2)])
        .await
        .expect_err("twice, twice");
    assert_identity(&err, "Label", "unique_text", Some("text"));
    let texts: Vec<String> = d
        .read(Label::query())
        .await?
        .into_iter()
        .map(|l| l.text)
        .collect();
    assert_eq!(texts, ["urgent"]);
    Ok(())
}
layers!(a_batch_breaking_an_identity_creates_nothing);

async fn nils_are_distinct(run: Run) -> ashore::Result<()> {
    let d = &fx(&run).await.domain;
    // No email, twice, in one batch and one by one.
    d.create_many([
        member(None, "Ada").set(Member::team(), "red".to_owned()),
        member(None, "Bob").set(Member::team(), "red".to_owned()),
    ])
    .tenant("acme")
    .await?;
    // A nil in one key of two (no team): never the same identity.
    d.create(member(Some("x@acme"), "Cy"))
        .tenant("acme")
        .await?;
    d.create(member(None, "Cy")).tenant("acme").await?;
    assert_eq!(members(d, "acme").await?.len(), 4);
    Ok(())
}
layers!(nils_are_distinct);

async fn identities_hold_within_the_tenant(run: Run) -> ashore::Result<()> {
    let d = &fx(&run).await.domain;
    d.create(member(Some("boss@x"), "Boss"))
        .tenant("acme")
        .await?;
    d.create(member(Some("boss@x"), "Boss"))
        .tenant("globex")
        .await?;
    assert_eq!(members(d, "acme").await?.len(), 1);
    assert_eq!(members(d, "globex").await?.len(), 1);
    Ok(())
}
layers!(identities_hold_within_the_tenant);

async fn an_upsert_creates_then_updates(run: Run) -> ashore::Result<()> {
    let d = &fx(&run).await.domain;
    d.create(label("other", 7)).await?;
    let first = d
        .create(label("urgent", 1).set(Label::color(), "red".to_owned()))
        .upsert_on(Label::unique_text())
        .await?;
    assert_eq!((first.text.as_str(), first.uses), ("urgent", 1));
    let again = d
        .create(label("urgent", 5))
        .upsert_on(Label::unique_text())
        .await?;
    // The record found: its key kept, `uses` set, `color` (not set) kept.
    assert_eq!(again.id, first.id);
    assert_eq!(again.uses, 5);
    assert_eq!(again.color.as_deref(), Some("red"));
    let stored = d.read(Label::query().sort(Label::id())).await?;
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[1], again);
    // A uuid key given in the changeset does not replace the stored one.
    let ada = d
        .create(member(Some("ada@acme"), "Ada"))
        .tenant("acme")
        .upsert_on(Member::unique_email())
        .await?;
    let given = Uuid::new_v4();
    let found = d
        .create(
            member(Some("ada@acme"), "Ada Lovelace")
                .set(Member::id(), given)
                .set(Member::visits(), 2),
        )
        .tenant("acme")
        .upsert_on(Member::unique_email())
        .await?;
    assert_eq!(found.id, ada.id);
    assert_eq!((found.name.as_str(), found.visits), ("Ada Lovelace", 2));
    assert_eq!(members(d, "acme").await?, [found]);
    Ok(())
}
layers!(an_upsert_creates_then_updates);

async fn an_upsert_batch_updates_and_creates_in_order(run: Run) -> ashore::Result<()> {
    let fx = fx(&run).await;
    let d = &fx.domain;
    let ada = d
        .create(member(Some("ada@acme"), "Ada").set(Member::note(), "keep".to_owned()))
        .tenant("acme")
        .await?;
    let before = fx.store.statements();
    let got = d
        .create_many([
            member(Some("bob@acme"), "Bob"),
            member(Some("ada@acme"), "Ada").set(Member::note(), "new".to_owned()),
            member(Some("cy@acme"), "Cy"),
        ])
        .tenant("acme")
        .upsert_on(Member::unique_email())
        .await;
    // `note` is set by one changeset only: refused, nothing written.
    let err = got.expect_err("different attributes set");
    assert!(
        matches!(err.kind(), ErrorKind::InvalidQuery { .. }),
        "{err:?}"
    );
    assert_eq!(members(d, "acme").await?.len(), 1);

    let got = d
        .create_many([
            member(Some("bob@acme"), "Bob").set(Member::visits(), 3),
            member(Some("ada@acme"), "Ada").set(Member::visits(), 9),
            member(Some("cy@acme"), "Cy").set(Member::visits(), 4),
        ])
        .tenant("acme")
        .upsert_on(Member::unique_email())
        .await?;
    let names: Vec<(&str, i64)> = got.iter().map(|m| (m.name.as_str(), m.visits)).collect();
    assert_eq!(names, [("Bob", 3), ("Ada", 9), ("Cy", 4)]);
    assert_eq!(got[1].id, ada.id);
    assert_eq!(got[1].note.as_deref(), Some("keep"));
    if let (Some(before), Some(after)) = (before, fx.store.statements()) {
        // The refused batch ran nothing: the read after it, then one upsert.
        assert_eq!(after - before, 1 + 1, "one upsert statement");
    }
    assert_eq!(members(d, "acme").await?.len(), 3);

    // Two rows with one identity: refused before anything is written.
    let err = d
        .create_many([
            member(Some("dee@acme"), "Dee"),
            member(Some("dee@acme"), "Dee Two"),
        ])
        .tenant("acme")
        .upsert_on(Member::unique_email())
        .await
        .expect_err("dee twice");
    assert_identity(&err, "Member", "unique_email", None);
    assert_eq!(members(d, "acme").await?.len(), 3);
    Ok(())
}
layers!(an_upsert_batch_updates_and_creates_in_order);

async fn an_upsert_never_reaches_another_tenant(run: Run) -> ashore::Result<()> {
    let d = &fx(&run).await.domain;
    let gil = d
        .create(member(Some("shared@x"), "Gil"))
        .tenant("globex")
        .await?;
    let ada = d
        .create(member(Some("shared@x"), "Ada").set(Member::visits(), 5))
        .tenant("acme")
        .upsert_on(Member::unique_email())
        .await?;
    assert_ne!(ada.id, gil.id);
    assert_eq!(ada.org, "acme");
    assert_eq!(members(d, "globex").await?, [gil]);
    assert_eq!(members(d, "acme").await?, [ada]);
    Ok(())
}
layers!(an_upsert_never_reaches_another_tenant);

async fn migrating_twice_keeps_the_identities(run: Run) -> ashore::Result<()> {
    let d = &fx(&run).await.domain;
    d.migrate().await?;
    d.create(label("urgent", 1)).await?;
    d.migrate().await?;
    let err = d.create(label("urgent", 1)).await.expect_err("taken");
    assert_identity(&err, "Label", "unique_text", Some("text"));
    Ok(())
}
layers!(migrating_twice_keeps_the_identities);

/// An update that gives a record another's identity values is refused as a
/// create is, on every layer, and changes nothing; a bulk update that would
/// give two records the same values is refused whole.
async fn an_update_breaking_an_identity_is_refused_naming_it(run: Run) -> ashore::Result<()> {
    let d = &fx(&run).await.domain;
    let ada = d
        .create(member(Some("ada@acme"), "Ada"))
        .tenant("acme")
        .await?;
    let bob = d
        .create(member(Some("bob@acme"), "Bob"))
        .tenant("acme")
        .await?;
    let err = d
        .update(
            &bob,
            Member::changeset().set(Member::email(), Some("ada@acme".to_owned())),
        )
        .tenant("acme")
        .await
        .expect_err("Ada's email is taken");
    assert_identity(&err, "Member", "unique_email", None);
    let err = d
        .update_all(
            Member::query(),
            Member::changeset().set(Member::email(), Some("same@acme".to_owned())),
        )
        .tenant("acme")
        .await
        .expect_err("two members, one email");
    assert_identity(&err, "Member", "unique_email", None);
    let emails: Vec<Option<String>> = members(d, "acme")
        .await?
        .into_iter()
        .map(|m| m.email)
        .collect();
    assert_eq!(
        emails,
        [Some("ada@acme".to_owned()), Some("bob@acme".to_owned())]
    );
    // Its own values again are no conflict.
    d.update(
        &ada,
        Member::changeset().set(Member::email(), Some("ada@acme".to_owned())),
    )
    .tenant("acme")
    .await?;
    Ok(())
}
layers!(an_update_breaking_an_identity_is_refused_naming_it);

/// An upsert batch is checked row by row, as the databases' unique indexes
/// check it: two rows that swap two records' values of another identity are
/// refused at the first, on every layer (memory checked only the end state),
/// and nothing is written.
async fn an_upsert_batch_is_checked_row_by_row(run: Run) -> ashore::Result<()> {
    let fx = fx(&run).await;
    let d = &fx.domain;
    let team = |c: Changeset<Member>| c.set(Member::team(), Some("t".to_owned()));
    for (email, name) in [("a@acme", "A"), ("b@acme", "B")] {
        d.create(team(member(Some(email), name)))
            .tenant("acme")
            .await?;
    }
    let err = d
        .create_many([
            team(member(Some("a@acme"), "B")),
            team(member(Some("b@acme"), "A")),
        ])
        .tenant("acme")
        .upsert_on(Member::unique_email())
        .await
        .expect_err("the names swapped");
    assert_identity(&err, "Member", "unique_name_per_team", None);
    let names: Vec<String> = members(d, "acme")
        .await?
        .into_iter()
        .map(|m| format!("{} {}", m.email.unwrap_or_default(), m.name))
        .collect();
    assert_eq!(names, ["a@acme A", "b@acme B"]);
    Ok(())
}
layers!(an_upsert_batch_is_checked_row_by_row);
