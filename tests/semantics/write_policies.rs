//! Write policies on every layer: `action_type(..)` selects the actions a
//! policy governs, `always()` governs writes too, a create is checked against
//! its new records (paths read from the store), a forbidden write is
//! `ErrorKind::Forbidden` naming resource and action and writes nothing, and
//! authorization is on by default (`authorize(false)` turns it off).
//!
//! One organisation, `acme`: Ada (admin) and Bob write notes; `Memo` has one
//! `policy always()`, `Board` only a read policy. An update or destroy
//! touches only the records its policies' `expr(..)` checks select; one of a
//! record the actor may read but not change is `Forbidden` naming the record.

use std::future::IntoFuture;

use ashore::prelude::*;
use ashore::{Action, ErrorKind, Value};

use crate::common::write_policy_resources::{Board, Member, Memo, Note};
use crate::common::{Run, domain, layers};

struct World {
    domain: Domain,
    ada: Member,
    bob: Member,
}

async fn world(run: &Run) -> World {
    let domain = domain(run, |b| {
        b.resource::<Member>()
            .resource::<Note>()
            .resource::<Memo>()
            .resource::<Board>()
    })
    .await;
    let member = |name: &str, admin: bool| {
        domain
            .create(
                Member::changeset()
                    .set(Member::name(), name)
                    .set(Member::admin(), admin),
            )
            .tenant("acme")
    };
    let ada = member("Ada", true).await.expect("Ada");
    let bob = member("Bob", false).await.expect("Bob");
    World { domain, ada, bob }
}

fn note(body: &str, author: &Member) -> Changeset<Note> {
    Note::changeset()
        .set(Note::body(), body)
        .set(Note::locked(), false)
        .set(Note::author_id(), Some(author.id))
}

/// Every note of `acme`, policies off, by body.
async fn bodies(d: &Domain) -> Vec<String> {
    let notes = d
        .read(Note::query().sort(Note::body()))
        .authorize(false)
        .tenant("acme")
        .await
        .expect("notes");
    notes.into_iter().map(|n| n.body).collect()
}

fn assert_forbidden(err: &ashore::Error, resource: &str, action: Action) {
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Forbidden { resource: r, action: a, .. } if *r == resource && *a == action
        ),
        "expected forbidden {action} of {resource}: {err}"
    );
}

async fn creates_are_checked_by_actor_and_by_the_new_record(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.domain;
    // An admin creates a note for anyone; Bob his own.
    d.create(note("by ada for bob", &w.bob))
        .actor(&w.ada)
        .tenant("acme")
        .await?;
    d.create(note("bob's", &w.bob))
        .actor(&w.bob)
        .tenant("acme")
        .await?;
    // Bob may not write a note as Ada: her record says she is an admin, read
    // through the new note's `author`.
    let err = d
        .create(note("as ada", &w.ada))
        .actor(&w.bob)
        .tenant("acme")
        .await
        .unwrap_err();
    assert_forbidden(&err, "Note", Action::Create);
    // The key the note would have been given is no key the caller knows: the
    // message names the resource alone.
    assert_eq!(err.to_string(), "forbidden: the actor may not create Note");
    // A key the caller gave names the record.
    let id = Uuid::new_v4();
    let err = d
        .create(note("as ada, keyed", &w.ada).set(Note::id(), id))
        .actor(&w.bob)
        .tenant("acme")
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Forbidden { key: Some(k), .. } if *k == Value::from(id)),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        format!("forbidden: the actor may not create Note {id}")
    );
    // Without an actor no check holds.
    let err = d
        .create(note("nobody's", &w.bob))
        .tenant("acme")
        .await
        .unwrap_err();
    assert_forbidden(&err, "Note", Action::Create);
    assert_eq!(bodies(d).await, ["bob's", "by ada for bob"]);
    // `authorize(false)` turns the policies off.
    d.create(note("seeded", &w.ada))
        .authorize(false)
        .tenant("acme")
        .await?;
    assert_eq!(bodies(d).await, ["bob's", "by ada for bob", "seeded"]);
    Ok(())
}
layers!(creates_are_checked_by_actor_and_by_the_new_record);

async fn a_forbidden_record_fails_the_whole_batch(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.domain;
    let err = d
        .create_many([note("mine", &w.bob), note("hers", &w.ada)])
        .actor(&w.bob)
        .tenant("acme")
        .await
        .unwrap_err();
    assert_forbidden(&err, "Note", Action::Create);
    assert!(bodies(d).await.is_empty(), "nothing is written");
    let made = d
        .create_many([note("one", &w.bob), note("two", &w.bob)])
        .actor(&w.bob)
        .tenant("acme")
        .await?;
    assert_eq!(made.len(), 2);
    Ok(())
}
layers!(a_forbidden_record_fails_the_whole_batch);

async fn always_governs_writes_and_read_policies_do_not(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.domain;
    // `policy always()` governs the create: an actor is needed.
    let memo = || Memo::changeset().set(Memo::body(), "hello");
    let err = d.create(memo()).await.unwrap_err();
    assert_forbidden(&err, "Memo", Action::Create);
    d.create(memo()).actor(&w.bob).await?;
    // Board's only policy governs reads: no policy governs its creates, so
    // they are forbidden (as in Ash) until authorization is turned off.
    let board = || Board::changeset().set(Board::title(), "plans");
    let err = d.create(board()).actor(&w.ada).await.unwrap_err();
    assert_forbidden(&err, "Board", Action::Create);
    assert_eq!(err.to_string(), "forbidden: the actor may not create Board");
    d.create(board()).authorize(false).await?;
    assert_eq!(d.read(Board::query()).await?.len(), 1);
    Ok(())
}
layers!(always_governs_writes_and_read_policies_do_not);

async fn reads_authorize_by_default(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.domain;
    d.create(note("bob's", &w.bob))
        .authorize(false)
        .tenant("acme")
        .await?;
    // A read that never mentions authorization still runs the policies.
    assert!(d.read(Note::query()).tenant("acme").await?.is_empty());
    assert_eq!(d.read(Note::query()).tenant("acme").count().await?, 0);
    let seen = d.read(Note::query()).actor(&w.bob).tenant("acme").await?;
    assert_eq!(seen.len(), 1);
    let all = d
        .read(Note::query())
        .authorize(false)
        .tenant("acme")
        .await?;
    assert_eq!(all.len(), 1);
    Ok(())
}
layers!(reads_authorize_by_default);

/// Seeds `acme`'s notes, policies off: Ada's, Bob's and Bob's locked one.
async fn notes(w: &World) -> (Note, Note, Note) {
    let seed = |body: &str, author: &Member, locked: bool| {
        w.domain
            .create(note(body, author).set(Note::locked(), locked))
            .authorize(false)
            .tenant("acme")
    };
    let ada = seed("ada's", &w.ada, false).await.expect("seed");
    let bob = seed("bob's", &w.bob, false).await.expect("seed");
    let locked = seed("bob's locked", &w.bob, true).await.expect("seed");
    (ada, bob, locked)
}

async fn updates_touch_only_what_the_policies_allow(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.domain;
    let (adas, bobs, locked) = notes(&w).await;
    let edit = || Note::changeset().set(Note::body(), "edited");
    // In bulk, the policies' checks choose: Bob's own unlocked note only.
    let changed = d
        .update_all(Note::query(), edit())
        .actor(&w.bob)
        .tenant("acme")
        .await?;
    assert_eq!(changed.iter().map(|n| n.id).collect::<Vec<_>>(), [bobs.id]);
    // Ada, an admin: every unlocked note.
    let changed = d
        .update_all(Note::query(), edit().set(Note::body(), "by ada"))
        .actor(&w.ada)
        .tenant("acme")
        .await?;
    assert_eq!(changed.len(), 2);
    // One record Bob may read but not change: forbidden, naming it.
    let err = d
        .update(&adas, edit())
        .actor(&w.bob)
        .tenant("acme")
        .await
        .unwrap_err();
    assert_forbidden(&err, "Note", Action::Update);
    assert!(
        matches!(err.kind(), ErrorKind::Forbidden { key: Some(k), .. } if *k == Value::from(adas.id)),
        "{err}"
    );
    let err = d
        .update(&locked, edit())
        .actor(&w.ada)
        .tenant("acme")
        .await
        .unwrap_err();
    assert_forbidden(&err, "Note", Action::Update);
    assert_eq!(
        bodies(d).await,
        ["bob's locked", "by ada", "by ada"],
        "nothing else changed"
    );
    // Policies off: everything.
    let all = d
        .update_all(Note::query(), edit())
        .authorize(false)
        .tenant("acme")
        .await?;
    assert_eq!(all.len(), 3);
    Ok(())
}
layers!(updates_touch_only_what_the_policies_allow);

/// An update is judged by the record as stored, not as the changeset would
/// leave it (as in Ash, README "Policies and tenants"): Bob may lock his own
/// note, though `forbid_if expr(locked == true)` then keeps him from it, and
/// may hand it to Ada, whose notes he may not change.
async fn updates_are_checked_against_the_stored_record(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.domain;
    let (_, bobs, _) = notes(&w).await;
    let bob = |n: &Note, change: Changeset<Note>| {
        d.update(n, change)
            .actor(&w.bob)
            .tenant("acme")
            .into_future()
    };
    let locked = bob(&bobs, Note::changeset().set(Note::locked(), true)).await?;
    assert!(locked.locked);
    let err = bob(&locked, Note::changeset().set(Note::locked(), false))
        .await
        .unwrap_err();
    assert_forbidden(&err, "Note", Action::Update);
    // Not even an admin's: the note is unlocked with policies off.
    let unlocked = d
        .update(&locked, Note::changeset().set(Note::locked(), false))
        .authorize(false)
        .tenant("acme")
        .await?;
    let handed = bob(
        &unlocked,
        Note::changeset().set(Note::author_id(), Some(w.ada.id)),
    )
    .await?;
    assert_eq!(handed.author_id, Some(w.ada.id));
    let err = bob(&handed, Note::changeset().set(Note::body(), "mine again"))
        .await
        .unwrap_err();
    assert_forbidden(&err, "Note", Action::Update);
    Ok(())
}
layers!(updates_are_checked_against_the_stored_record);

async fn destroys_touch_only_what_the_policies_allow(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.domain;
    let (adas, bobs, locked) = notes(&w).await;
    let err = d
        .destroy(&adas)
        .actor(&w.bob)
        .tenant("acme")
        .await
        .unwrap_err();
    assert_forbidden(&err, "Note", Action::Destroy);
    let gone = d
        .destroy_all(Note::query())
        .actor(&w.bob)
        .tenant("acme")
        .await?;
    assert_eq!(gone.iter().map(|n| n.id).collect::<Vec<_>>(), [bobs.id]);
    let err = d
        .destroy(&locked)
        .actor(&w.ada)
        .tenant("acme")
        .await
        .unwrap_err();
    assert_forbidden(&err, "Note", Action::Destroy);
    d.destroy(&adas).actor(&w.ada).tenant("acme").await?;
    assert_eq!(bodies(d).await, ["bob's locked"]);
    Ok(())
}
layers!(destroys_touch_only_what_the_policies_allow);

async fn a_write_no_policy_governs_is_forbidden(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.domain;
    let board = d
        .create(Board::changeset().set(Board::title(), "plans"))
        .authorize(false)
        .await?;
    let retitle = || Board::changeset().set(Board::title(), "new plans");
    let err = d
        .update_all(Board::query(), retitle())
        .actor(&w.ada)
        .await
        .unwrap_err();
    assert_forbidden(&err, "Board", Action::Update);
    let err = d.destroy(&board).actor(&w.ada).await.unwrap_err();
    assert_forbidden(&err, "Board", Action::Destroy);
    assert!(
        err.to_string()
            .ends_with("forbidden: the actor may not destroy Board 1"),
        "{err}"
    );
    // `policy always()` governs updates: an actor is needed.
    let memo = d
        .create(Memo::changeset().set(Memo::body(), "hello"))
        .actor(&w.bob)
        .await?;
    let err = d
        .update(&memo, Memo::changeset().set(Memo::body(), "bye"))
        .await
        .unwrap_err();
    assert_forbidden(&err, "Memo", Action::Update);
    d.update(&memo, Memo::changeset().set(Memo::body(), "bye"))
        .actor(&w.bob)
        .await?;
    assert_eq!(d.read(Board::query()).await?[0].title, "plans");
    Ok(())
}
layers!(a_write_no_policy_governs_is_forbidden);
