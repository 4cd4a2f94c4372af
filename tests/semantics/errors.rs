//! Errors (DESIGN "Semantics" 13): one `ashore::Error` with a kind and a path,
//! readable `Display`, sources kept, and no panics on bad input.
//! Each test runs on memory, SQLite and PostgreSQL (`layers!`) but the three
//! marked otherwise. The errors of creates are in `create_errors`.

use std::error::Error as _;

use ashore::data_layer::{BoxFuture, DataLayer, ReadRequest, ReadResult, Records};
use ashore::prelude::*;
use ashore::{CmpOp, Row, Rows, Schema, Value};

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
