//! Errors of creates (DESIGN "Semantics" 13, as `errors`): a required
//! attribute left out names the resource and the attribute, a batch with one
//! bad changeset creates nothing, optional attributes and generated keys may
//! be left out, and a duplicate primary key is a unique constraint error on
//! every layer, whose generated keys avoid the ones taken. On memory, SQLite
//! and PostgreSQL (`layers!`).

use std::error::Error as _;

use ashore::prelude::*;
use ashore::{Constraint, Value};

use crate::common::*;

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
    // As `Changeset`'s documentation shows it: the kind names the resource,
    // and the error adds no path before it.
    assert_eq!(
        err.to_string(),
        "attribute `subject` of Ticket is required but was not set"
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
    // Once the largest key there is is taken, none is left to generate (the
    // same error on every layer), yet a create that gives its key still works.
    d.create(
        Tag::changeset()
            .set(Tag::id(), i64::MAX)
            .set(Tag::name(), "last"),
    )
    .await?;
    let err = d
        .create(Tag::changeset().set(Tag::name(), "one too many"))
        .await
        .expect_err("no key is left");
    assert!(matches!(err.kind(), ErrorKind::DataLayer { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("no integer key is left for a new Tag"),
        "{err}"
    );
    d.create(Tag::changeset().set(Tag::id(), 4).set(Tag::name(), "four"))
        .await?;
    assert_eq!(d.read(Tag::query()).await?.len(), 10);

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
            format!("another {resource} record has primary key {key}")
        );
    } else {
        assert!(!source.is_empty(), "{err:?}");
    }
}

layers!(a_duplicate_primary_key_is_an_error_and_generated_keys_avoid_taken_ones);
