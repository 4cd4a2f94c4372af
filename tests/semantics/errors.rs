//! Errors (DESIGN "Semantics" 13): one `ashore::Error` with a kind and a path,
//! readable `Display`, sources kept, and no panics on bad input.
//! Each test runs on memory, SQLite and PostgreSQL (`layers!`) but the three
//! marked otherwise.

use std::error::Error as _;

use ashore::data_layer::{BoxFuture, DataLayer, ReadRequest, ReadResult, Records};
use ashore::prelude::*;
use ashore::{CmpOp, Constraint, Row, Rows, Schema, Value};

use crate::common::*;

resource! {
    /// A resource without relationships, for domains of one resource.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Label {
        attributes {
            integer_primary_key id;
            attribute name: String;
        }
    }
}

async fn create_without_a_required_attribute_names_the_resource_and_the_attribute(
    run: Run,
) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let err = d
        .create(
            Ticket::changeset()
                .set(Ticket::status(), "open")
                .set(Ticket::opened_at(), at(0)),
        )
        .await
        .expect_err("subject is required");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Required {
                resource: "Ticket",
                attribute: "subject"
            }
        ),
        "{err:?}"
    );
    let shown = err.to_string();
    assert!(
        shown.ends_with("attribute `subject` of Ticket is required but was not set"),
        "{shown}"
    );

    let err = d
        .create(
            Representative::changeset()
                .set(Representative::name(), "Ada")
                .set(Representative::admin(), false),
        )
        .await
        .expect_err("priority_threshold is required");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Required {
                resource: "Representative",
                attribute: "priority_threshold"
            }
        ),
        "{err:?}"
    );
    Ok(())
}

layers!(create_without_a_required_attribute_names_the_resource_and_the_attribute);

async fn create_many_with_one_bad_changeset_creates_nothing(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let good = Tag::changeset().set(Tag::name(), "fine");
    let err = d
        .create_many(vec![good.clone(), Tag::changeset(), good])
        .await
        .expect_err("the second tag has no name");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Required {
                resource: "Tag",
                attribute: "name"
            }
        ),
        "{err:?}"
    );
    assert!(d.read(Tag::query()).await?.is_empty());
    Ok(())
}

layers!(create_many_with_one_bad_changeset_creates_nothing);

async fn optional_attributes_and_generated_keys_may_be_left_out(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let t = d
        .create(
            Ticket::changeset()
                .set(Ticket::subject(), "untriaged")
                .set(Ticket::status(), "open")
                .set(Ticket::opened_at(), at(0)),
        )
        .await?;
    assert_eq!((t.priority, t.representative_id), (None, None));
    assert!(!t.representative.is_loaded() && !t.comments.is_loaded() && !t.tags.is_loaded());
    let tags = d
        .create_many(["a", "b", "c"].map(|n| Tag::changeset().set(Tag::name(), n)))
        .await?;
    let ids: Vec<i64> = tags.iter().map(|t| t.id).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "increasing integer keys: {ids:?}"
    );
    let reps = d
        .create_many((0..3).map(|i| {
            Representative::changeset()
                .set(Representative::name(), format!("r{i}"))
                .set(Representative::priority_threshold(), i)
                .set(Representative::admin(), false)
        }))
        .await?;
    assert!(reps[0].id != reps[1].id && reps[1].id != reps[2].id && reps[0].id != reps[2].id);
    Ok(())
}

layers!(optional_attributes_and_generated_keys_may_be_left_out);

async fn a_duplicate_primary_key_is_an_error_and_generated_keys_avoid_taken_ones(
    run: Run,
) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    d.create(Tag::changeset().set(Tag::id(), 7).set(Tag::name(), "seven"))
        .await?;
    let err = d
        .create(Tag::changeset().set(Tag::id(), 7).set(Tag::name(), "again"))
        .await
        .expect_err("7 is taken");
    assert_duplicate_key(run.layer, &err, "Tag", Value::Int(7));
    assert_eq!(d.read(Tag::query()).await?.len(), 1);

    // Generated keys come after the largest key taken, given or generated, on
    // every layer (PostgreSQL moves its identity sequence past given keys).
    let names = |names: &[&str]| {
        names
            .iter()
            .map(|n| Tag::changeset().set(Tag::name(), *n))
            .collect::<Vec<_>>()
    };
    let ids = |tags: Vec<Tag>| tags.into_iter().map(|t| t.id).collect::<Vec<_>>();
    assert_eq!(ids(d.create_many(names(&["x", "y"])).await?), [8, 9]);
    // A batch mixing both: generated keys come after the largest given in it.
    let mut mixed = names(&["a", "b"]);
    mixed.insert(
        1,
        Tag::changeset()
            .set(Tag::id(), 20)
            .set(Tag::name(), "twenty"),
    );
    assert_eq!(ids(d.create_many(mixed).await?), [21, 20, 22]);
    // A key given below the largest moves nothing back.
    d.create(Tag::changeset().set(Tag::id(), 3).set(Tag::name(), "three"))
        .await?;
    assert_eq!(ids(d.create_many(names(&["z"])).await?), [23]);
    assert_eq!(d.read(Tag::query()).await?.len(), 8);

    let ada = rep(d, "Ada", 0).await;
    let err = d
        .create(
            Representative::changeset()
                .set(Representative::id(), ada.id)
                .set(Representative::name(), "Impostor")
                .set(Representative::priority_threshold(), 0)
                .set(Representative::admin(), true),
        )
        .await
        .expect_err("the uuid is taken");
    assert_duplicate_key(run.layer, &err, "Representative", Value::from(ada.id));
    Ok(())
}

/// Checks that `err` says a `resource` with primary key `key` exists already: the
/// same error kind on every layer (a unique constraint on the key), the layer's
/// own error as the source (memory's names the key).
fn assert_duplicate_key(layer: Layer, err: &ashore::Error, resource: &str, key: Value) {
    assert_eq!(err.path(), [resource], "{err:?}");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Constraint {
                resource: r,
                attribute: Some("id"),
                constraint: Constraint::Unique,
                ..
            } if *r == resource
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .ends_with(&format!("unique constraint violated on {resource}.id")),
        "{err}"
    );
    let source = err.source().map(ToString::to_string).unwrap_or_default();
    if layer == Layer::Memory {
        assert_eq!(
            source,
            format!("a {resource} with primary key {key} already exists")
        );
    } else {
        assert!(!source.is_empty(), "{err:?}");
    }
}

layers!(a_duplicate_primary_key_is_an_error_and_generated_keys_avoid_taken_ones);

async fn using_an_unregistered_resource_is_a_not_registered_error(run: Run) -> ashore::Result<()> {
    let labels_only = domain(&run, |b| b.resource::<Label>()).await;
    let err = labels_only
        .read(Representative::query())
        .await
        .expect_err("Representative is not registered");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::NotRegistered {
                resource: "Representative"
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().ends_with(
            "resource `Representative` is not registered in this domain; add `.resource::<Representative>()` to the builder"
        ),
        "{err}"
    );

    let err = labels_only
        .create(Comment::changeset().set(Comment::body(), "hi"))
        .await
        .expect_err("Comment is not registered");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::NotRegistered {
                resource: "Comment"
            }
        ),
        "{err:?}"
    );

    let fx = helpdesk(&run).await;
    let mut reps = vec![rep(&fx.domain, "Ada", 0).await];
    let err = labels_only
        .load(&mut reps, Representative::tickets())
        .await
        .expect_err("loading onto a resource of another domain");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::NotRegistered {
                resource: "Representative"
            }
        ),
        "{err:?}"
    );
    assert!(!reps[0].tickets.is_loaded());
    Ok(())
}

layers!(using_an_unregistered_resource_is_a_not_registered_error);

// On no layer: `build` fails before any data layer is asked anything.
#[test]
fn building_a_domain_with_a_relationship_to_an_unregistered_resource_fails() {
    let err = Domain::builder()
        .resource::<Representative>()
        .build()
        .expect_err("Ticket is missing");
    assert!(
        matches!(err.kind(), ErrorKind::NotRegistered { resource: "Ticket" }),
        "{err:?}"
    );
    assert_eq!(err.path(), ["Representative", "tickets"]);
    assert_eq!(
        err.to_string(),
        "Representative.tickets: resource `Ticket` is not registered in this domain; add `.resource::<Ticket>()` to the builder"
    );

    let err = Domain::builder()
        .resource::<Representative>()
        .resource::<Ticket>()
        .resource::<Comment>()
        .resource::<Tag>()
        .build()
        .expect_err("the join resource is missing");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::NotRegistered {
                resource: "TicketTag"
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.path(), ["Ticket", "tags"]);
}

async fn data_layer_errors_keep_their_source_and_get_a_path(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    rep(d, "Ada", 0).await;
    fx.fail.fail_reads_of("Ticket");

    let err = d
        .read(Ticket::query())
        .await
        .expect_err("reads of Ticket fail");
    assert!(matches!(err.kind(), ErrorKind::DataLayer { .. }), "{err:?}");
    assert_eq!(err.path(), ["Ticket"]);
    assert_eq!(err.to_string(), "Ticket: data layer: reading Ticket");
    let source = err.source().expect("the database error is kept");
    let io = source
        .downcast_ref::<std::io::Error>()
        .expect("an io::Error");
    assert_eq!(io.kind(), std::io::ErrorKind::ConnectionReset);

    let err = d
        .read(Representative::query().load(Representative::tickets()))
        .await
        .expect_err("the load's read fails");
    assert_eq!(err.path(), ["Representative", "tickets"]);
    assert_eq!(
        err.to_string(),
        "Representative.tickets: data layer: reading Ticket"
    );
    assert!(err.source().is_some());

    // A read inside a manual loader: the path names the manual relationship.
    let err = d
        .read(Representative::query().load(Representative::manual_tickets()))
        .await
        .expect_err("the loader's read fails");
    assert_eq!(err.path(), ["Representative", "manual_tickets"]);
    assert!(matches!(err.kind(), ErrorKind::DataLayer { .. }), "{err:?}");
    Ok(())
}

layers!(data_layer_errors_keep_their_source_and_get_a_path);

async fn loader_errors_show_as_they_are_after_the_whole_path(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let ada = rep(d, "Ada", 0).await;
    ticket(d, Some(&ada), "t", "open", None, 0).await;
    let err = d
        .read(
            Representative::query()
                .load(Representative::tickets().load(Ticket::comments_failing())),
        )
        .await
        .expect_err("the comments loader fails");
    assert!(matches!(err.kind(), ErrorKind::Loader(_)), "{err:?}");
    assert_eq!(
        err.path(),
        ["Representative", "tickets", "comments_failing"]
    );
    assert_eq!(
        err.to_string(),
        "Representative.tickets.comments_failing: comment store offline"
    );
    Ok(())
}

layers!(loader_errors_show_as_they_are_after_the_whole_path);

async fn invalid_run_time_filters_and_sorts_are_errors_not_panics(run: Run) -> ashore::Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let ada = rep(d, "Ada", 0).await;
    ticket(d, Some(&ada), "t", "open", Some(1), 0).await;

    let unknown_attribute = Expr::cmp(CmpOp::Eq, Expr::attr("nope"), Expr::value(1_i64));
    let unknown_relationship = Expr::cmp(
        CmpOp::Eq,
        Expr::path_attr(["nope"], "name"),
        Expr::value(1_i64),
    );
    for filter in [unknown_attribute, unknown_relationship] {
        let err = d
            .read(Ticket::query().filter_expr(filter.clone()))
            .await
            .expect_err("no such field");
        assert!(
            matches!(
                err.kind(),
                ErrorKind::InvalidQuery {
                    resource: "Ticket",
                    ..
                }
            ),
            "{filter}: {err:?}"
        );
        assert_eq!(err.path(), ["Ticket"]);
    }

    let err = d
        .read(Ticket::query().sort(Sort::new("nope", Order::Asc)))
        .await
        .expect_err("no such sort field");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::InvalidQuery {
                resource: "Ticket",
                ..
            }
        ),
        "{err:?}"
    );

    let err = d
        .read(
            Representative::query()
                .load(Representative::tickets().sort(Sort::new("nope", Order::Desc))),
        )
        .await
        .expect_err("no such sort field in a load");
    assert!(
        matches!(err.kind(), ErrorKind::InvalidQuery { .. }),
        "{err:?}"
    );
    assert_eq!(err.path(), ["Representative", "tickets"]);

    let err = d
        .read(
            Representative::query()
                .load(Representative::manual_tickets().sort(Sort::new("nope", Order::Desc))),
        )
        .await
        .expect_err("no such sort field in a manual load");
    assert_eq!(err.path(), ["Representative", "manual_tickets"]);

    // Comparing a number with text at run time: no match or InvalidQuery, never a panic.
    let mismatched = Expr::cmp(
        CmpOp::Gt,
        Expr::attr("priority"),
        Expr::value("high".to_owned()),
    );
    match d.read(Ticket::query().filter_expr(mismatched)).await {
        Ok(tickets) => assert!(tickets.is_empty()),
        Err(err) => assert!(
            matches!(err.kind(), ErrorKind::InvalidQuery { .. }),
            "{err:?}"
        ),
    }
    Ok(())
}

layers!(invalid_run_time_filters_and_sorts_are_errors_not_panics);

/// A data layer that answers every read with the rows it was given.
struct FixedRows(Vec<Row>);

impl DataLayer for FixedRows {
    fn name(&self) -> &'static str {
        "fixed rows"
    }
    fn register(&self, _schema: &'static Schema) -> ashore::Result<()> {
        Ok(())
    }
    fn read<'a>(&'a self, _request: ReadRequest) -> BoxFuture<'a, ashore::Result<ReadResult>> {
        let rows = self.0.clone();
        Box::pin(async move {
            Ok(ReadResult {
                records: Records::Rows(rows),
                partition_keys: Vec::new(),
            })
        })
    }
    fn create<'a>(&'a self, _: &'static Schema, _: Rows) -> BoxFuture<'a, ashore::Result<Records>> {
        Box::pin(async { Ok(Records::Rows(Vec::new())) })
    }
}

// Only on `FixedRows`, a data layer of this test that hands back rows no real
// layer would (a wrong type, a short row, a nil key): it tests how the domain
// checks what a layer returns, so there is no memory, SQLite or PostgreSQL
// version of it.
#[tokio::test]
async fn rows_that_do_not_fit_the_resource_are_errors() {
    let wrong_type = Domain::builder()
        .data_layer(FixedRows(vec![vec![Value::Int(1), Value::Int(5)]]))
        .resource::<Label>()
        .build()
        .expect("domain");
    let err = wrong_type
        .read(Label::query())
        .await
        .expect_err("name is not a String");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::TypeMismatch {
                resource: "Label",
                attribute: "name",
                key: Some(Value::Int(1)),
                expected: "String",
                found: Value::Int(5)
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .ends_with("attribute `name` of Label 1 expects String, found 5"),
        "{err}"
    );

    let short = Domain::builder()
        .data_layer(FixedRows(vec![vec![Value::Int(1)]]))
        .resource::<Label>()
        .build()
        .expect("domain");
    let err = short
        .read(Label::query())
        .await
        .expect_err("a row too short");
    assert!(matches!(err.kind(), ErrorKind::DataLayer { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "data layer: a row of Label has 1 value, expected 2 (one per attribute)"
    );

    let nil_key = Domain::builder()
        .data_layer(FixedRows(vec![vec![
            Value::Null,
            Value::from("x".to_owned()),
        ]]))
        .resource::<Label>()
        .build()
        .expect("domain");
    let err = nil_key
        .read(Label::query())
        .await
        .expect_err("a nil integer key");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::TypeMismatch {
                attribute: "id",
                key: None,
                ..
            }
        ),
        "{err:?}"
    );
}

// On no layer: `Loaded` alone.
#[test]
fn not_loaded_is_an_error_kind() {
    let never: Loaded<Vec<Ticket>> = Loaded::NotLoaded;
    let err = never.get().expect_err("not loaded");
    assert!(matches!(err.kind(), ErrorKind::NotLoaded), "{err:?}");
    assert!(err.to_string().contains("not loaded"), "{err}");
    assert!(never.into_inner().is_err());
}

async fn errors_are_std_errors_that_cross_threads(
    run: Run,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    fn assert_error<E: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<ashore::Error>();
    assert_error::<ErrorKind>();

    let fx = helpdesk(&run).await;
    rep(&fx.domain, "Ada", 0).await;
    let domain = fx.domain.clone();
    let err = tokio::spawn(async move {
        domain
            .read(Representative::query().load(Representative::manual_failing()))
            .await
    })
    .await?
    .expect_err("the loader fails");
    let boxed: Box<dyn std::error::Error + Send + Sync> = err.into();
    assert_eq!(
        boxed.to_string(),
        "Representative.manual_failing: billing service is down"
    );
    Ok(())
}

layers!(errors_are_std_errors_that_cross_threads);
