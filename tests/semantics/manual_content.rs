//! What a manual loader returns is held to the caller's visibility by its
//! content, not by its key: a loader that returns a readable record's key with
//! content the caller may not read (another tenant's, a status the policy
//! refuses, an owner a path policy refuses) has that record left out, or
//! reported with `authorize_read_with error`. Path policies read from the
//! returned record's own foreign keys, as a read would.
//!
//! Desk `front`, with cases `c1`, `c2` (open, in `acme`) and tasks `t1`, `t2`
//! (owned by Olga, active) and `t3` (owned by Ivan, inactive).
//!
//! The resources are `common::content_resources`, declared with `resource!`
//! here and with `#[derive(Resource)]` in `derive_parity`, which runs this suite
//! too; the loaders they name are this file's.

use ashore::prelude::*;
use ashore::{ErrorKind, ManualRelationship};

use crate::common::content_resources::{Board, Case, Desk, Forecast, Owner, Task};
use crate::common::{Run, counted, layers};

/// Makes each desk three forecasts in code: public about `front`, private
/// about `front`, public about `back`.
pub struct Forecasts;

impl ManualRelationship for Forecasts {
    type Source = Desk;
    type Destination = Forecast;

    async fn load(
        &self,
        desks: &[Desk],
        ctx: &LoadContext<'_, Forecast>,
    ) -> ashore::Result<Related<Desk, Forecast>> {
        let all = ctx.domain.read(Desk::query()).await?;
        let named = |name: &str| all.iter().find(|d| d.name == name).map(|d| d.id);
        let mut forecasts = Vec::new();
        for (n, desk) in (0..).zip(desks) {
            let made = [
                ("sunny", true, named("front")),
                ("secret", false, named("front")),
                ("elsewhere", true, named("back")),
            ];
            for (k, (summary, public, about)) in (0..).zip(made) {
                forecasts.push(Forecast {
                    id: n * 3 + k,
                    summary: summary.into(),
                    public,
                    desk_id: Some(desk.id),
                    about_id: about,
                    ..Forecast::default()
                });
            }
        }
        Ok(Related::group_by(forecasts, |f| f.desk_id))
    }
}

/// The stored cases of `desks`, read in the caller's tenant without the actor
/// and its policies.
async fn cases(desks: &[Desk], ctx: &LoadContext<'_, Case>) -> ashore::Result<Vec<Case>> {
    let ids: Vec<Uuid> = desks.iter().map(|d| d.id).collect();
    let mut read = ctx
        .domain
        .read(Case::query().filter(expr!(desk_id in ^ids)))
        .authorize(false);
    if let Some(tenant) = ctx.tenant {
        read = read.tenant(tenant.clone());
    }
    read.await
}

/// The stored tasks of `desks`, read without the actor and its policies.
async fn tasks(desks: &[Desk], ctx: &LoadContext<'_, Task>) -> ashore::Result<Vec<Task>> {
    let ids: Vec<Uuid> = desks.iter().map(|d| d.id).collect();
    ctx.domain
        .read(Task::query().filter(expr!(desk_id in ^ids)))
        .authorize(false)
        .await
}

/// The owner whose `active` is `active`, read without the actor.
async fn owner<D: Resource>(
    ctx: &LoadContext<'_, D>,
    active: bool,
) -> ashore::Result<Option<Uuid>> {
    let owners = ctx
        .domain
        .read(Owner::query().filter(expr!(active == ^active)))
        .await?;
    Ok(owners.first().map(|o| o.id))
}

/// A manual loader of `$dest`s returning what `$read` reads, each record
/// changed by `$change`, which sees `$given`, evaluated once.
macro_rules! loader {
    ($(#[$doc:meta])* $name:ident: $dest:ident from $read:ident,
     |$record:ident, $given:ident = $ctx:ident => $prepare:block| $change:block) => {
        $(#[$doc])*
        pub struct $name;

        impl ManualRelationship for $name {
            type Source = Desk;
            type Destination = $dest;

            async fn load(
                &self,
                desks: &[Desk],
                $ctx: &LoadContext<'_, $dest>,
            ) -> ashore::Result<Related<Desk, $dest>> {
                let mut records = $read(desks, $ctx).await?;
                let $given = $prepare;
                for $record in &mut records {
                    $change
                }
                Ok(Related::group_by(records, |r| r.desk_id))
            }
        }
    };
}

loader!(
    /// Returns the stored cases as they are.
    UntouchedCases: Case from cases,
    |_case, _given = _ctx => {}| {}
);
loader!(
    /// Returns each case with another tenant's `org`.
    OtherTenant: Case from cases,
    |case, _given = _ctx => {}| { case.org = "globex".into() }
);
loader!(
    /// Returns each case as closed.
    Closed: Case from cases,
    |case, _given = _ctx => {}| { case.status = "closed".into() }
);
loader!(
    /// Returns the stored tasks as they are.
    UntouchedTasks: Task from tasks,
    |_task, _given = _ctx => {}| {}
);
loader!(
    /// Returns each task as owned by the inactive owner.
    InactiveOwner: Task from tasks,
    |task, ivan = ctx => { owner(ctx, false).await? }| { task.owner_id = ivan }
);
loader!(
    /// Returns each task as owned by the active owner.
    ActiveOwner: Task from tasks,
    |task, olga = ctx => { owner(ctx, true).await? }| { task.owner_id = olga }
);

struct World {
    domain: Domain,
    reads: crate::common::Reads,
    ivan: Owner,
}

async fn world(run: &Run) -> World {
    let fx = counted(run, |b| {
        b.resource::<Desk>()
            .resource::<Case>()
            .resource::<Owner>()
            .resource::<Task>()
            .resource::<Forecast>()
    })
    .await;
    let d = &fx.domain;
    let owner = |name: &'static str, active: bool| {
        d.create(
            Owner::changeset()
                .set(Owner::name(), name)
                .set(Owner::active(), active),
        )
    };
    let olga = owner("Olga", true).await.expect("owner");
    let ivan = owner("Ivan", false).await.expect("owner");
    let front = d
        .create(Desk::changeset().set(Desk::name(), "front"))
        .await
        .expect("desk");
    d.create(Desk::changeset().set(Desk::name(), "back"))
        .await
        .expect("desk");
    for subject in ["c1", "c2"] {
        d.create(
            Case::changeset()
                .set(Case::subject(), subject)
                .set(Case::status(), "open")
                .set(Case::desk_id(), Some(front.id)),
        )
        .tenant("acme")
        // Seeding: Case's policies govern reads only, so creates need it off.
        .authorize(false)
        .await
        .expect("case");
    }
    for (subject, by) in [("t1", &olga), ("t2", &olga), ("t3", &ivan)] {
        d.create(
            Task::changeset()
                .set(Task::subject(), subject)
                .set(Task::desk_id(), Some(front.id))
                .set(Task::owner_id(), Some(by.id)),
        )
        .authorize(false)
        .await
        .expect("task");
    }
    World {
        domain: fx.domain,
        reads: fx.reads,
        ivan,
    }
}

impl World {
    /// The subjects of the records `load` brings onto the desk (into the field
    /// `field` gives), read in `acme` as Ivan with policies.
    async fn load<D: Resource + Subject>(
        &self,
        load: ashore::Rel<Desk, D>,
        field: fn(&Desk) -> &ashore::Loaded<Vec<D>>,
    ) -> ashore::Result<Vec<String>> {
        let desks = self
            .domain
            .read(Desk::query().filter(expr!(name == "front")).load(load))
            .actor(&self.ivan)
            .authorize(true)
            .tenant("acme")
            .await?;
        let mut subjects: Vec<String> = field(&desks[0])
            .get()?
            .iter()
            .map(|r| r.subject().to_owned())
            .collect();
        subjects.sort();
        Ok(subjects)
    }
}

/// What names a loaded record in these tests.
trait Subject {
    fn subject(&self) -> &str;
}

impl Subject for Case {
    fn subject(&self) -> &str {
        &self.subject
    }
}

impl Subject for Forecast {
    fn subject(&self) -> &str {
        &self.summary
    }
}

impl Subject for Task {
    fn subject(&self) -> &str {
        &self.subject
    }
}

async fn stored_content_passes_as_a_read_would(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let cases = w
        .load(Desk::untouched_cases(), |d| &d.untouched_cases)
        .await?;
    assert_eq!(cases, ["c1", "c2"]);
    // t3's owner is inactive: a read leaves it out, and so does the check.
    let read = w
        .domain
        .read(Task::query())
        .actor(&w.ivan)
        .authorize(true)
        .await?;
    assert_eq!(read.len(), 2);
    let tasks = w
        .load(Desk::untouched_tasks(), |d| &d.untouched_tasks)
        .await?;
    assert_eq!(tasks, ["t1", "t2"]);
    Ok(())
}
layers!(stored_content_passes_as_a_read_would);

async fn another_tenants_content_is_left_out(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    w.reads.clear();
    let cases = w.load(Desk::other_tenant(), |d| &d.other_tenant).await?;
    assert!(
        cases.is_empty(),
        "globex's content under acme's keys: {cases:?}"
    );
    // The desks and the loader's cases: a condition without paths needs no read.
    assert_eq!(w.reads.resources(), ["Desk", "Case"]);
    // With `authorize_read_with error` too: another tenant's record is out of
    // the read's scope, not forbidden, and its key is never told (as an
    // ordinary relationship leaves it out).
    let strict = w
        .load(Desk::other_tenant_strict(), |d| &d.other_tenant_strict)
        .await?;
    assert!(strict.is_empty(), "{strict:?}");
    Ok(())
}
layers!(another_tenants_content_is_left_out);

async fn content_the_policy_refuses_is_left_out_or_reported(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let cases = w.load(Desk::closed(), |d| &d.closed).await?;
    assert!(
        cases.is_empty(),
        "closed content under open keys: {cases:?}"
    );
    let err = w
        .load(Desk::closed_strict(), |d| &d.closed_strict)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Forbidden {
                resource: "Case",
                ..
            }
        ),
        "{err}"
    );
    Ok(())
}
layers!(content_the_policy_refuses_is_left_out_or_reported);

async fn a_path_policy_follows_the_returned_foreign_key(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    // t1 and t2 are stored with Olga, but returned with Ivan: left out.
    let tasks = w
        .load(Desk::inactive_owner(), |d| &d.inactive_owner)
        .await?;
    assert!(
        tasks.is_empty(),
        "returned with an inactive owner: {tasks:?}"
    );
    // t3 is stored with Ivan, but returned with Olga: what comes back may be
    // read. One read of owners follows the returned keys; none re-reads tasks.
    w.reads.clear();
    let tasks = w.load(Desk::active_owner(), |d| &d.active_owner).await?;
    assert_eq!(tasks, ["t1", "t2", "t3"]);
    // The desks, the loader's tasks and owner, then the check's owners.
    assert_eq!(w.reads.resources(), ["Desk", "Task", "Owner", "Owner"]);
    Ok(())
}
layers!(a_path_policy_follows_the_returned_foreign_key);

async fn records_a_loader_makes_are_held_to_their_policies(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    w.reads.clear();
    let forecasts = w.load(Desk::forecasts(), |d| &d.forecasts).await?;
    // "secret" fails the attribute, "elsewhere" the path to its desk.
    assert_eq!(forecasts, ["sunny"]);
    // The desk, the loader's desks, then the desks the forecasts are about.
    assert_eq!(w.reads.resources(), ["Desk", "Desk", "Desk"]);
    Ok(())
}
layers!(records_a_loader_makes_are_held_to_their_policies);

async fn a_resource_not_stored_has_no_table_and_no_reads(run: Run) -> ashore::Result<()> {
    let w = world(&run).await;
    let not_stored = |e: ashore::Error| {
        assert!(
            matches!(
                e.kind(),
                ErrorKind::NotStored {
                    resource: "Forecast"
                }
            ),
            "{e}"
        );
    };
    not_stored(w.domain.read(Forecast::query()).await.unwrap_err());
    let create = Forecast::changeset()
        .set(Forecast::summary(), "rain")
        .set(Forecast::public(), true);
    not_stored(w.domain.create(create).await.unwrap_err());
    // `migrate` made no table: the layer itself cannot read one.
    let direct = w
        .domain
        .data_layer()
        .read(ashore::data_layer::ReadRequest::new(Forecast::schema()))
        .await;
    assert!(direct.is_err(), "{:?}", direct.map(|r| r.records));
    Ok(())
}
layers!(a_resource_not_stored_has_no_table_and_no_reads);

#[test]
fn only_a_manual_relationship_leads_to_a_resource_not_stored() {
    let err = Domain::builder()
        .resource::<Desk>()
        .resource::<Case>()
        .resource::<Owner>()
        .resource::<Task>()
        .resource::<Forecast>()
        .resource::<Board>()
        .build()
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::NotStored {
                resource: "Forecast"
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("Board.forecast"), "{err}");
}
