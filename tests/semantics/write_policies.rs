//! Write policies on every layer: `action_type(..)` selects the actions a
//! policy governs, `always()` governs writes too, a create is checked against
//! its new records (paths read from the store), a forbidden write is
//! `ErrorKind::Forbidden` naming resource and action and writes nothing, and
//! authorization is on by default (`authorize(false)` turns it off).
//!
//! One organisation, `acme`: Ada (admin) and Bob write notes; `Memo` has one
//! `policy always()`, `Board` only a read policy.

use ashore::prelude::*;
use ashore::{Action, ErrorKind};

use crate::common::{Run, domain, layers};

resource! {
    /// A member of an organisation: the actor of these tests.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Member {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            attribute admin: bool;
            attribute org: String;
        }
        multitenancy {
            attribute org;
        }
    }
}

resource! {
    /// A note: anyone signed in reads; an admin creates any note, a member
    /// only its own, and never one by an admin.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Note {
        attributes {
            uuid_primary_key id;
            attribute body: String;
            attribute locked: bool;
            attribute org: String;
        }
        relationships {
            belongs_to author: Member;
        }
        policies {
            policy action_type(read) {
                authorize_if actor_present();
            }
            policy action_type(create) {
                authorize_if actor_attribute_equals(admin, true);
                authorize_if expr(author_id == ^actor(id) and author.admin == false);
            }
        }
        multitenancy {
            attribute org;
        }
    }
}

resource! {
    /// One policy for every action.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Memo {
        attributes {
            integer_primary_key id;
            attribute body: String;
        }
        policies {
            policy always() {
                authorize_if actor_present();
            }
        }
    }
}

resource! {
    /// Policies for reads only: no policy governs a write, which forbids it.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Board {
        attributes {
            integer_primary_key id;
            attribute title: String;
        }
        policies {
            policy action_type(read) {
                authorize_if always();
            }
        }
    }
}

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
    assert!(
        err.to_string()
            .starts_with("forbidden: the actor may not create Note"),
        "{err}"
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
