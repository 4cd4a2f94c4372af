//! Upserts under write policies, on every layer and both front ends: each row
//! is checked as a create would be, and each stored record a row finds as an
//! update of it would be. A record the policies governing updates do not let
//! the actor change (another member's pin, a locked one), or any record found
//! when no policy governs updates, is `ErrorKind::Forbidden` for `update`, and
//! nothing of the batch is written; rows that find nothing are creates.
//! `authorize(false)` turns both checks off. The records found are tested as
//! the data layer writes (`Upsert::visibility`): a record another writer
//! stores after the upsert was asked for is tested too.

use std::sync::{Arc, Mutex};

use ashore::data_layer::{BoxFuture, Changes, DataLayer, ReadRequest, ReadResult, Records, Upsert};
use ashore::prelude::*;
use ashore::{Action, ErrorKind, Rows, Schema};

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

layers!(an_admins_record_found_is_updated_by_no_other_admin);
/// The update condition reads a path (the pin's author), which the SQL
/// layers test on the record found within the upsert's statement.
async fn an_admins_record_found_is_updated_by_no_other_admin(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.domain;
    let cleo = d
        .create(
            Member::changeset()
                .set(Member::name(), "Cleo")
                .set(Member::admin(), true),
        )
        .tenant("acme")
        .await?;
    d.create_many([pin("ada", "hers", &w.ada), pin("bob", "his", &w.bob)])
        .authorize(false)
        .tenant("acme")
        .await?;
    let upsert = |cs: Changeset<Pin>, actor: &Member| {
        d.create_many([cs])
            .upsert_on(Pin::unique_slug())
            .actor(actor)
            .tenant("acme")
    };
    // Cleo, an admin, may not change Ada's pin (Ada is an admin too).
    let err = upsert(pin("ada", "cleo's", &cleo), &cleo)
        .await
        .unwrap_err();
    assert_forbidden_update(&err, "Pin");
    assert_eq!(pins(d).await, ["ada: hers", "bob: his"]);
    // Nor in a batch whose other rows she may write: nothing is written.
    let err = d
        .create_many([
            pin("cleo", "new", &cleo),
            pin("bob", "by cleo", &cleo),
            pin("ada", "cleo's", &cleo),
        ])
        .upsert_on(Pin::unique_slug())
        .actor(&cleo)
        .tenant("acme")
        .await
        .unwrap_err();
    assert_forbidden_update(&err, "Pin");
    assert_eq!(pins(d).await, ["ada: hers", "bob: his"]);
    // Bob's pin (not an admin's) she may, and Ada her own.
    upsert(pin("bob", "by cleo", &w.bob), &cleo).await?;
    upsert(pin("ada", "still hers", &w.ada), &w.ada).await?;
    assert_eq!(pins(d).await, ["ada: still hers", "bob: by cleo"]);
    Ok(())
}

layers!(a_forbidden_upsert_in_a_transaction_undoes_only_itself);
async fn a_forbidden_upsert_in_a_transaction_undoes_only_itself(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let d = &w.domain;
    d.create(pin("ada", "hers", &w.ada))
        .authorize(false)
        .tenant("acme")
        .await?;
    let (ada, bob) = (w.ada.clone(), w.bob.clone());
    d.transaction(|tx| async move {
        tx.create(pin("before", "kept", &bob))
            .actor(&bob)
            .tenant("acme")
            .await?;
        // Its first row would be created, its second finds Ada's pin.
        let err = tx
            .create_many([pin("new", "fresh", &bob), pin("ada", "taken", &bob)])
            .upsert_on(Pin::unique_slug())
            .actor(&bob)
            .tenant("acme")
            .await
            .unwrap_err();
        assert_forbidden_update(&err, "Pin");
        // The transaction goes on.
        tx.create(pin("after", "kept", &ada))
            .actor(&ada)
            .tenant("acme")
            .await?;
        Ok::<_, ashore::Error>(())
    })
    .await?;
    assert_eq!(pins(d).await, ["ada: hers", "before: kept", "after: kept"]);
    Ok(())
}

layers!(a_record_stored_after_the_upsert_was_asked_for_is_checked_too);
/// Another writer stores Ada's pin after the domain has run every check of
/// Bob's upsert and before the data layer runs it (`Interloper`): the record
/// is found as the upsert writes, and it is not Bob's to change. (A check that
/// counted the records found before the write let the upsert update it.)
async fn a_record_stored_after_the_upsert_was_asked_for_is_checked_too(
    run: Run,
) -> ashore::Result<()> {
    let (inner, _store) = run.store().await;
    let next = Interloper::default();
    let domain = |layer: Arc<dyn DataLayer>| {
        Domain::builder()
            .shared_data_layer(layer)
            .resource::<Member>()
            .resource::<Pin>()
            .resource::<Stamp>()
            .build()
    };
    let d = domain(Arc::new(Interloping {
        inner: inner.clone(),
        next: next.clone(),
    }))?;
    d.migrate().await?;
    let other = domain(inner)?;
    let member = |name: &str, admin: bool| {
        d.create(
            Member::changeset()
                .set(Member::name(), name)
                .set(Member::admin(), admin),
        )
        .tenant("acme")
    };
    let (ada, bob) = (member("Ada", true).await?, member("Bob", false).await?);
    let stored = pin("ada", "hers", &ada);
    next.before_the_next_upsert(async move {
        other
            .create(stored)
            .authorize(false)
            .tenant("acme")
            .await
            .map(drop)
    });
    let err = d
        .create(pin("ada", "mine now", &bob))
        .upsert_on(Pin::unique_slug())
        .actor(&bob)
        .tenant("acme")
        .await
        .unwrap_err();
    assert!(next.ran(), "the other writer ran");
    assert_forbidden_update(&err, "Pin");
    assert_eq!(pins(&d).await, ["ada: hers"]);
    Ok(())
}

/// A write of another writer.
type Write = BoxFuture<'static, ashore::Result<()>>;

/// A write to run once, just before the next upsert reaches the data layer,
/// and whether it ran.
#[derive(Clone, Default)]
struct Interloper(Arc<Mutex<(Option<Write>, bool)>>);

impl Interloper {
    fn before_the_next_upsert(
        &self,
        write: impl std::future::Future<Output = ashore::Result<()>> + Send + 'static,
    ) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).0 = Some(Box::pin(write));
    }

    fn take(&self) -> Option<Write> {
        let mut next = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let write = next.0.take();
        next.1 |= write.is_some();
        write
    }

    fn ran(&self) -> bool {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).1
    }
}

/// `inner`, with the write `next` holds run before an upsert.
struct Interloping {
    inner: Arc<dyn DataLayer>,
    next: Interloper,
}

impl DataLayer for Interloping {
    fn name(&self) -> &'static str {
        self.inner.name()
    }
    fn register(&self, schema: &'static Schema) -> ashore::Result<()> {
        self.inner.register(schema)
    }
    fn read<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, ashore::Result<ReadResult>> {
        self.inner.read(request)
    }
    fn count<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, ashore::Result<usize>> {
        self.inner.count(request)
    }
    fn create<'a>(
        &'a self,
        schema: &'static Schema,
        rows: Rows,
    ) -> BoxFuture<'a, ashore::Result<Records>> {
        self.inner.create(schema, rows)
    }
    fn update<'a>(
        &'a self,
        request: ReadRequest,
        changes: Changes,
    ) -> BoxFuture<'a, ashore::Result<Records>> {
        self.inner.update(request, changes)
    }
    fn upsert<'a>(
        &'a self,
        schema: &'static Schema,
        rows: Rows,
        upsert: Upsert,
    ) -> BoxFuture<'a, ashore::Result<Records>> {
        Box::pin(async move {
            if let Some(write) = self.next.take() {
                write.await?;
            }
            self.inner.upsert(schema, rows, upsert).await
        })
    }
    fn migrate<'a>(&'a self, schemas: Vec<&'static Schema>) -> BoxFuture<'a, ashore::Result<()>> {
        self.inner.migrate(schemas)
    }
}
