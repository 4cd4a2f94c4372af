//! Manual relationships (DESIGN "Semantics" 6-9): one call per level with every
//! parent, the three ways to build `Related`, empty parents, stray keys and
//! has_one overflow, what `LoadContext` holds, errors from the loader (with the
//! whole path when nested, however deep), and the seed's "Using the Query"
//! variants.
//! Each test runs on memory, SQLite and PostgreSQL (`layers!`).

use ashore::prelude::*;
use ashore::{Actor, RelationshipKind, Value};

use crate::common::*;

/// Ada (threshold 3): 9 closed, 1 open, 5 open, nil open.
/// Bob (threshold 5): 9 open, 6 closed, 7 open.
/// Cy (threshold 0): nothing. An unassigned ticket of priority 8.
async fn seed(fx: &Fx) -> (Representative, Representative, Representative) {
    let d = &fx.domain;
    let ada = admin(d, "Ada", 3).await;
    let bob = rep(d, "Bob", 5).await;
    let cy = rep(d, "Cy", 0).await;
    ticket(d, Some(&ada), "a9", "closed", Some(9), 1).await;
    ticket(d, Some(&bob), "b9", "open", Some(9), 2).await;
    ticket(d, Some(&ada), "a1", "open", Some(1), 3).await;
    ticket(d, Some(&bob), "b6", "closed", Some(6), 4).await;
    ticket(d, Some(&ada), "a5", "open", Some(5), 5).await;
    ticket(d, Some(&ada), "anil", "open", None, 6).await;
    ticket(d, Some(&bob), "b7", "open", Some(7), 7).await;
    ticket(d, None, "orphan", "open", Some(8), 8).await;
    (ada, bob, cy)
}

fn by_subject() -> Sort {
    Ticket::subject().asc()
}

async fn load_is_called_once_per_level_with_every_parent(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let (ada, bob, cy) = seed(&fx).await;
    let tenant = new_tenant();
    fx.reads.clear();
    let reps = fx
        .domain
        .read(
            Representative::query()
                .sort(Representative::name().asc())
                .load(Representative::manual_tickets().load(Ticket::comments_manual())),
        )
        .tenant(tenant)
        .await?;
    let outer = calls_of(tenant, "manual_tickets");
    assert_eq!(outer.len(), 1);
    assert_eq!(
        outer[0].sources,
        [Value::from(ada.id), Value::from(bob.id), Value::from(cy.id)],
        "every parent, in the order read"
    );
    let inner = calls_of(tenant, "comments_manual");
    assert_eq!(inner.len(), 1);
    let found: Vec<Value> = reps
        .iter()
        .flat_map(|r| r.manual_tickets.get().expect("loaded"))
        .map(|t| Value::from(t.id))
        .collect();
    assert_eq!(found.len(), 7);
    let (mut got, mut want) = (inner[0].sources.clone(), found);
    got.sort_by_key(ToString::to_string);
    want.sort_by_key(ToString::to_string);
    assert_eq!(
        got, want,
        "the nested loader gets every ticket of every parent at once"
    );
    // Representative, one read by each loader.
    assert_eq!(
        fx.reads.resources(),
        ["Representative", "Ticket", "Comment"]
    );
    Ok(())
}

layers!(load_is_called_once_per_level_with_every_parent);

async fn group_by_from_map_and_by_position_attach_the_same_records(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    seed(&fx).await;
    let reps = fx
        .domain
        .read(
            Representative::query()
                .sort(Representative::name().asc())
                .load(Representative::tickets().sort(by_subject()))
                .load(Representative::manual_tickets().sort(by_subject()))
                .load(Representative::manual_tickets_from_map().sort(by_subject()))
                .load(Representative::manual_tickets_by_position().sort(by_subject())),
        )
        .await?;
    let want = [
        vec!["a1", "a5", "a9", "anil"],
        vec!["b6", "b7", "b9"],
        vec![],
    ];
    for (r, want) in reps.iter().zip(want) {
        assert_eq!(subjects(r.tickets.get()?), want, "{} tickets", r.name);
        assert_eq!(
            subjects(r.manual_tickets.get()?),
            want,
            "{} group_by",
            r.name
        );
        assert_eq!(
            subjects(r.manual_tickets_from_map.get()?),
            want,
            "{} from_map",
            r.name
        );
        assert_eq!(
            subjects(r.manual_tickets_by_position.get()?),
            want,
            "{} by_position",
            r.name
        );
    }
    Ok(())
}

layers!(group_by_from_map_and_by_position_attach_the_same_records);

async fn the_relationship_sort_orders_manual_results(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    seed(&fx).await;
    // The loader reads with `ctx.query`, which carries the relationship's sort
    // (priority desc, nils first): with no sort of its own, the load keeps it.
    let reps = reps_loading(&fx, Representative::manual_open_tickets()).await?;
    assert_eq!(
        subjects(reps[0].manual_open_tickets.get()?),
        ["anil", "a5", "a1"]
    );
    assert_eq!(subjects(reps[1].manual_open_tickets.get()?), ["b9", "b7"]);
    Ok(())
}

layers!(the_relationship_sort_orders_manual_results);

async fn parents_with_nothing_get_an_empty_vec_or_none(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let solo = rep(d, "Solo", 0).await;
    let idle = rep(d, "Idle", 0).await;
    ticket(d, Some(&solo), "only one", "open", None, 1).await;
    let mut reps = vec![solo, idle];
    let tenant = new_tenant();
    d.load(&mut reps, Representative::manual_sole_ticket())
        .load(Representative::manual_tickets_from_map())
        .load(Representative::manual_tickets_by_position())
        .tenant(tenant)
        .await?;
    let has_one = &calls_of(tenant, "manual_sole_ticket")[0];
    assert_eq!(
        (has_one.kind, has_one.resource),
        (RelationshipKind::HasOne, "Ticket")
    );
    let only: &Option<Ticket> = reps[0].manual_sole_ticket.get()?;
    assert_eq!(only.as_ref().map(|t| t.subject.as_str()), Some("only one"));
    assert_eq!(reps[1].manual_sole_ticket, Loaded::new(None));
    assert_eq!(reps[1].manual_tickets_from_map, Loaded::new(vec![]));
    assert_eq!(reps[1].manual_tickets_by_position, Loaded::new(vec![]));
    Ok(())
}

layers!(parents_with_nothing_get_an_empty_vec_or_none);

async fn a_key_of_no_parent_is_an_error_naming_the_relationship_and_the_key(
    run: Run,
) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    seed(&fx).await;
    let err = fx
        .domain
        .read(Representative::query().load(Representative::manual_stray()))
        .await
        .expect_err("tickets filed under a key nobody has");
    assert!(
        matches!(err.kind(), ErrorKind::KeyOfNoParent { key } if *key == Value::from(STRAY)),
        "{err:?}"
    );
    assert_eq!(err.path(), ["Representative", "manual_stray"]);
    let shown = err.to_string();
    assert!(
        shown.starts_with("Representative.manual_stray: "),
        "{shown}"
    );
    assert!(shown.contains(&STRAY.to_string()), "{shown}");
    Ok(())
}

layers!(a_key_of_no_parent_is_an_error_naming_the_relationship_and_the_key);

async fn several_records_for_a_manual_has_one_is_an_error(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let busy = rep(d, "Busy", 0).await;
    let calm = rep(d, "Calm", 0).await;
    ticket(d, Some(&busy), "one", "open", None, 1).await;
    ticket(d, Some(&busy), "two", "open", None, 2).await;
    ticket(d, Some(&calm), "three", "open", None, 3).await;
    let err = d
        .read(Representative::query().load(Representative::manual_sole_ticket()))
        .await
        .expect_err("two tickets for a has_one");
    assert!(
        matches!(err.kind(), ErrorKind::TooManyRecords { key, count: 2 } if *key == Value::from(busy.id)),
        "{err:?}"
    );
    assert_eq!(err.path(), ["Representative", "manual_sole_ticket"]);
    assert!(err.to_string().contains(&busy.id.to_string()), "{err}");

    // Without Busy the same load succeeds.
    let mut only_calm = vec![calm];
    d.load(&mut only_calm, Representative::manual_sole_ticket())
        .await
        .expect("one ticket for Calm");
    let sole = only_calm[0].manual_sole_ticket.get().expect("loaded");
    assert_eq!(sole.as_ref().map(|t| t.subject.as_str()), Some("three"));
    Ok(())
}

layers!(several_records_for_a_manual_has_one_is_an_error);

async fn by_position_with_the_wrong_number_of_groups_is_an_error(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    seed(&fx).await;
    let err = fx
        .domain
        .read(Representative::query().load(Representative::manual_tickets_short()))
        .await
        .expect_err("two groups for three representatives");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::PositionMismatch {
                groups: 2,
                records: 3
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.path(), ["Representative", "manual_tickets_short"]);
    Ok(())
}

layers!(by_position_with_the_wrong_number_of_groups_is_an_error);

async fn load_context_query_has_the_relationship_options_and_no_window_or_loads(
    run: Run,
) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    seed(&fx).await;
    let b7 = fx
        .domain
        .read(Ticket::query().filter(expr!(subject == "b7")))
        .await?;
    comment(&fx.domain, &b7[0], "on b7").await;
    let tenant = new_tenant();
    let reps = fx
        .domain
        .read(
            Representative::query()
                .sort(Representative::name().asc())
                .load(
                    Representative::manual_open_tickets()
                        .filter(expr!(priority > 1))
                        .sort(Ticket::subject().desc())
                        .offset(1)
                        .limit(1)
                        .load(Ticket::comments()),
                ),
        )
        .tenant(tenant)
        .await?;
    let calls = calls_of(tenant, "manual_open_tickets");
    assert_eq!(calls.len(), 1);
    let call = &calls[0];
    assert_eq!(call.resource, "Ticket");
    let filter = call.filter_text();
    assert!(
        filter.contains("status == \"open\""),
        "relationship filter in {filter}"
    );
    assert!(filter.contains("priority > 1"), "load filter in {filter}");
    assert!(
        call.sort.contains(&Sort::new("priority", Order::Desc)),
        "{:?}",
        call.sort
    );
    assert!(
        call.sort.contains(&Sort::new("subject", Order::Desc)),
        "{:?}",
        call.sort
    );
    assert_eq!(call.limit, None);
    assert_eq!(call.offset, 0);
    assert!(call.loads.is_empty(), "{:?}", call.loads);
    assert_eq!(call.relationship, "manual_open_tickets");
    assert_eq!(call.kind, RelationshipKind::HasMany);
    assert!(call.manual);

    // The window and the nested load still happen, per representative, after
    // the loader returns: open and above 1, by subject descending, second one.
    // (Subject order and priority order agree here.)
    assert!(
        reps[0].manual_open_tickets.get()?.is_empty(),
        "Ada has a5 only"
    );
    let window = reps[1].manual_open_tickets.get()?;
    assert_eq!(subjects(window), ["b7"]);
    assert_eq!(window[0].comments.get()?[0].body, "on b7");
    Ok(())
}

layers!(load_context_query_has_the_relationship_options_and_no_window_or_loads);

#[derive(Clone)]
struct User {
    name: String,
}

impl Actor for User {
    fn attribute(&self, name: &str) -> Option<Value> {
        (name == "name").then(|| Value::from(self.name.clone()))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

async fn load_context_carries_actor_authorize_tenant_and_domain_to_every_level(
    run: Run,
) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let (ada, ..) = seed(&fx).await;

    let tenant = new_tenant();
    fx.domain
        .read(
            Representative::query()
                .load(Representative::manual_tickets().load(Ticket::comments_manual())),
        )
        .actor(&ada)
        .authorize(true)
        .tenant(tenant)
        .await?;
    let seen = calls(tenant);
    assert_eq!(seen.len(), 2, "{seen:?}");
    for call in &seen {
        assert_eq!(
            call.actor_name,
            Some(Value::from("Ada".to_owned())),
            "{}",
            call.relationship
        );
        assert!(call.authorize, "{}", call.relationship);
        assert_eq!(call.tenant, Some(Value::from(tenant)));
        let want = ["Comment", "Representative", "Tag", "Ticket", "TicketTag"];
        assert_eq!(
            call.domain_resources.iter().copied().collect::<Vec<_>>(),
            want
        );
    }

    // A user type as the actor, through a load onto records in hand; the
    // nested manual load of a manual load sees it too.
    let tenant = new_tenant();
    let mut reps = vec![ada];
    fx.domain
        .load(
            &mut reps,
            Representative::manual_tickets().load(Ticket::comments_manual()),
        )
        .actor(&User {
            name: "Grace".into(),
        })
        .tenant(tenant)
        .await?;
    let seen = calls(tenant);
    assert_eq!(seen.len(), 2, "{seen:?}");
    for call in &seen {
        assert_eq!(call.actor_name, Some(Value::from("Grace".to_owned())));
        assert!(call.authorize, "authorize defaults to true");
    }
    Ok(())
}

layers!(load_context_carries_actor_authorize_tenant_and_domain_to_every_level);

async fn an_error_from_the_loader_reaches_the_caller_with_its_path(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    seed(&fx).await;
    let err = fx
        .domain
        .read(Representative::query().load(Representative::manual_failing()))
        .await
        .expect_err("the loader fails");
    assert!(matches!(err.kind(), ErrorKind::Loader(_)), "{err:?}");
    assert_eq!(err.path(), ["Representative", "manual_failing"]);
    assert_eq!(
        err.to_string(),
        "Representative.manual_failing: billing service is down"
    );

    // One level down, under a manual relationship.
    let err = fx
        .domain
        .read(
            Representative::query()
                .load(Representative::manual_tickets().load(Ticket::comments_failing())),
        )
        .await
        .expect_err("the nested loader fails");
    assert_eq!(
        err.path(),
        ["Representative", "manual_tickets", "comments_failing"]
    );
    assert_eq!(
        err.to_string(),
        "Representative.manual_tickets.comments_failing: comment store offline"
    );
    Ok(())
}

layers!(an_error_from_the_loader_reaches_the_caller_with_its_path);

async fn an_error_from_a_deeply_nested_loader_names_every_step_of_the_path(
    run: Run,
) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let (ada, ..) = seed(&fx).await;
    let mine = ticket(d, Some(&ada), "mine", "open", Some(9), 9).await;
    comment(d, &mine, "hello").await;
    let urgent = tag(d, "urgent").await;
    label(d, &mine, &urgent).await;

    let cases = [
        (
            // belongs_to, belongs_to, then the manual loader.
            d.read(
                Comment::query().load(
                    Comment::ticket()
                        .load(Ticket::representative().load(Representative::manual_failing())),
                ),
            )
            .await
            .map(|_| ()),
            "Comment.ticket.representative.manual_failing: billing service is down",
        ),
        (
            // many_to_many from the far side, then the manual loader.
            d.read(Tag::query().load(Tag::tickets().load(Ticket::comments_failing())))
                .await
                .map(|_| ()),
            "Tag.tickets.comments_failing: comment store offline",
        ),
        (
            // A manual loader under a manual loader under an ordinary has_many.
            d.read(
                Comment::query().load(Comment::ticket().load(Ticket::representative().load(
                    Representative::tickets_above_threshold().load(Ticket::comments_failing()),
                ))),
            )
            .await
            .map(|_| ()),
            "Comment.ticket.representative.tickets_above_threshold.comments_failing: \
             comment store offline",
        ),
    ];
    for (result, want) in cases {
        let err = result.expect_err(want);
        assert!(matches!(err.kind(), ErrorKind::Loader(_)), "{err:?}");
        assert_eq!(err.to_string(), want);
        let path = want.split(": ").next().expect("a path");
        assert_eq!(err.path().join("."), path);
    }

    // The same load onto records in hand: the path starts at their resource.
    let mut tickets = vec![mine];
    let err = d
        .load(
            &mut tickets,
            Ticket::representative().load(Representative::manual_failing()),
        )
        .await
        .expect_err("the loader fails");
    assert_eq!(err.path(), ["Ticket", "representative", "manual_failing"]);
    assert!(!tickets[0].representative.is_loaded());
    Ok(())
}

layers!(an_error_from_a_deeply_nested_loader_names_every_step_of_the_path);

async fn the_seed_loader_finds_the_tickets_above_each_threshold(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    seed(&fx).await;
    let reps = reps_loading(
        &fx,
        Representative::tickets_above_threshold().sort(Ticket::priority().desc()),
    )
    .await?;
    // Ada (3): 9, 5 (nil and 1 are not above). Bob (5): 9, 7, 6. Cy: none.
    assert_eq!(
        subjects(reps[0].tickets_above_threshold.get()?),
        ["a9", "a5"]
    );
    assert_eq!(
        subjects(reps[1].tickets_above_threshold.get()?),
        ["b9", "b7", "b6"]
    );
    assert!(reps[2].tickets_above_threshold.get()?.is_empty());
    Ok(())
}

layers!(the_seed_loader_finds_the_tickets_above_each_threshold);

async fn using_the_query_variants_keep_filter_and_sort_and_window_per_parent(
    run: Run,
) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    seed(&fx).await;
    let reps = fx
        .domain
        .read(
            Representative::query()
                .sort(Representative::name().asc())
                .load(Representative::open_above_threshold_unset().sort(Ticket::priority().asc()))
                .load(
                    Representative::open_above_threshold_rebuilt().sort(Ticket::priority().asc()),
                ),
        )
        .await?;
    // Open and above the threshold (the relationship's filter reaches both
    // loaders through ctx.query): Ada: a5. Bob: b7, b9. Cy: none.
    let want = [vec!["a5"], vec!["b7", "b9"], vec![]];
    for (r, want) in reps.iter().zip(&want) {
        assert_eq!(
            &subjects(r.open_above_threshold_unset.get()?),
            want,
            "{} unset",
            r.name
        );
        assert_eq!(
            &subjects(r.open_above_threshold_rebuilt.get()?),
            want,
            "{} rebuilt",
            r.name
        );
    }

    // A load filter and a per-parent limit: each representative's lowest one
    // that is not b7.
    let reps = fx
        .domain
        .read(
            Representative::query()
                .sort(Representative::name().asc())
                .load(
                    Representative::open_above_threshold_unset()
                        .filter(expr!(subject != "b7"))
                        .sort(Ticket::priority().asc())
                        .limit(1),
                )
                .load(
                    Representative::open_above_threshold_rebuilt()
                        .filter(expr!(subject != "b7"))
                        .sort(Ticket::priority().asc())
                        .limit(1),
                ),
        )
        .await?;
    let want = [vec!["a5"], vec!["b9"], vec![]];
    for (r, want) in reps.iter().zip(&want) {
        assert_eq!(
            &subjects(r.open_above_threshold_unset.get()?),
            want,
            "{} unset",
            r.name
        );
        assert_eq!(
            &subjects(r.open_above_threshold_rebuilt.get()?),
            want,
            "{} rebuilt",
            r.name
        );
    }
    Ok(())
}

layers!(using_the_query_variants_keep_filter_and_sort_and_window_per_parent);
