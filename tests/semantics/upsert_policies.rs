//! Upserts under write policies, on every layer and both front ends: each row
//! is checked as a create would be, and each stored record a row finds as an
//! update of it would be. A record the policies governing updates do not let
//! the actor change (another member's pin, a locked one), or any record found
//! when no policy governs updates, is `ErrorKind::Forbidden` for `update`, and
//! nothing of the batch is written; rows that find nothing are creates.
//! `authorize(false)` turns both checks off.

use ashore::prelude::*;
use ashore::{Action, ErrorKind};

use crate::common::write_policy_resources::{Member, Pin, Stamp};
use crate::common::{Run, domain, layers};

struct World {
    domain: Domain,
    ada: Member,
    bob: Member,
}

/// Ada (admin) and Bob in acme.
async fn world(run: &Run) -> World {
    let domain = domain(run, |b| {
        b.resource::<Member>().resource::<Pin>().resource::<Stamp>()
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

/// A pin `slug` saying `body`, by `author`.
fn pin(slug: &str, body: &str, author: &Member) -> Changeset<Pin> {
    Pin::changeset()
        .set(Pin::slug(), slug)
        .set(Pin::body(), body)
        .set(Pin::locked(), false)
        .set(Pin::author_id(), Some(author.id))
}

/// Every pin of acme, policies off, as `slug: body`, in insertion order.
async fn pins(d: &Domain) -> Vec<String> {
    let pins = d
        .read(Pin::query())
        .authorize(false)
        .tenant("acme")
        .await
        .expect("pins");
    pins.iter()
        .map(|p| format!("{}: {}", p.slug, p.body))
        .collect()
}

fn assert_forbidden_update(err: &ashore::Error, resource: &str) {
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Forbidden { resource: r, action: Action::Update, key: None } if *r == resource
        ),
        "expected forbidden update of {resource}: {err:?}"
    );
    assert!(
        err.to_string()
            .starts_with(&format!("forbidden: the actor may not update {resource}")),
        "{err}"
    );
}

layers!(an_upsert_updates_only_what_the_actor_may_update);
async fn an_upsert_updates_only_what_the_actor_may_update(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.domain;
    let upsert = |cs: Changeset<Pin>, actor: &Member| {
        d.create(cs)
            .upsert_on(Pin::unique_slug())
            .actor(actor)
            .tenant("acme")
    };
    let locked = pin("door", "locked", &w.bob).set(Pin::locked(), true);
    d.create_many([pin("ada", "hers", &w.ada), locked])
        .authorize(false)
        .tenant("acme")
        .await?;
    // Bob's row passes the create policy (he is its author), but the record
    // it finds is Ada's: he may not take it over.
    let err = upsert(pin("ada", "mine now", &w.bob), &w.bob)
        .await
        .unwrap_err();
    assert_forbidden_update(&err, "Pin");
    // Nor change his own locked pin.
    let err = upsert(pin("door", "open", &w.bob), &w.bob)
        .await
        .unwrap_err();
    assert_forbidden_update(&err, "Pin");
    assert_eq!(pins(d).await, ["ada: hers", "door: locked"]);
    // A slug nobody has is a create; then Bob updates his own pin.
    let made = upsert(pin("bob", "first", &w.bob), &w.bob).await?;
    let again = upsert(pin("bob", "second", &w.bob), &w.bob).await?;
    assert_eq!((again.id, again.body.as_str()), (made.id, "second"));
    // Ada, an admin, updates Bob's unlocked pin.
    upsert(pin("bob", "by ada", &w.bob), &w.ada).await?;
    assert_eq!(pins(d).await, ["ada: hers", "door: locked", "bob: by ada"]);
    // Policies off, the upsert updates what it finds.
    d.create(pin("ada", "seeded", &w.bob))
        .upsert_on(Pin::unique_slug())
        .authorize(false)
        .tenant("acme")
        .await?;
    assert_eq!(
        pins(d).await,
        ["ada: seeded", "door: locked", "bob: by ada"]
    );
    Ok(())
}

layers!(a_batch_finding_a_record_it_may_not_update_writes_nothing);
async fn a_batch_finding_a_record_it_may_not_update_writes_nothing(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.domain;
    d.create(pin("ada", "hers", &w.ada))
        .authorize(false)
        .tenant("acme")
        .await?;
    let err = d
        .create_many([pin("new", "fresh", &w.bob), pin("ada", "taken", &w.bob)])
        .upsert_on(Pin::unique_slug())
        .actor(&w.bob)
        .tenant("acme")
        .await
        .unwrap_err();
    assert_forbidden_update(&err, "Pin");
    assert_eq!(pins(d).await, ["ada: hers"]);
    // Another tenant's pin of the same slug is not found: a create in globex.
    let carl = d
        .create(
            Member::changeset()
                .set(Member::name(), "Carl")
                .set(Member::admin(), false),
        )
        .tenant("globex")
        .await?;
    let made = d
        .create(pin("ada", "globex's", &carl))
        .upsert_on(Pin::unique_slug())
        .actor(&carl)
        .tenant("globex")
        .await?;
    assert_eq!(made.org, "globex");
    assert_eq!(pins(d).await, ["ada: hers"]);
    Ok(())
}

layers!(an_upsert_finding_a_record_when_no_policy_governs_updates_is_forbidden);
async fn an_upsert_finding_a_record_when_no_policy_governs_updates_is_forbidden(
    run: Run,
) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.domain;
    let stamp = |code: &str, uses: i64| {
        Stamp::changeset()
            .set(Stamp::code(), code)
            .set(Stamp::uses(), uses)
    };
    // Nothing found: a create, which the policies allow.
    let made = d
        .create(stamp("a", 1))
        .upsert_on(Stamp::unique_code())
        .actor(&w.bob)
        .await?;
    let err = d
        .create_many([stamp("b", 1), stamp("a", 2)])
        .upsert_on(Stamp::unique_code())
        .actor(&w.bob)
        .await
        .unwrap_err();
    assert_forbidden_update(&err, "Stamp");
    let stored = d.read(Stamp::query()).actor(&w.bob).await?;
    assert_eq!(stored, std::slice::from_ref(&made));
    let updated = d
        .create(stamp("a", 3))
        .upsert_on(Stamp::unique_code())
        .authorize(false)
        .await?;
    assert_eq!((updated.id, updated.uses), (made.id, 3));
    Ok(())
}
