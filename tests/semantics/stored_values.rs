//! Values the layers would store or compare differently, held to one
//! behaviour on every layer (issue 12, item 6): a NaN is refused on create and
//! as a filter value (PostgreSQL finds NaN equal to itself and above
//! infinity, memory finds it equal to nothing, SQLite cannot store it); text
//! holding a NUL is refused the same way (PostgreSQL cannot store it); a
//! belongs_to key that points at no record is a foreign-key `Constraint` in
//! memory as on SQL, a record created in the same `create_many` counting, also
//! past the rows one statement can take; a date or timestamp outside the
//! years 1 to 9999 is refused, and a timestamp keeps whole microseconds.
//! Each test runs on memory, SQLite and PostgreSQL (`layers!`).

use ashore::prelude::*;
use ashore::{CmpOp, Constraint, Expr, Value};

use crate::common::*;

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Gauge {
        attributes {
            uuid_primary_key id;
            attribute label: String;
            attribute reading: f64;
        }
        relationships {
            belongs_to parent: Gauge;
            has_many children: Gauge { destination_attribute parent_id; }
        }
    }
}

fn gauge(label: &str, reading: f64) -> Changeset<Gauge> {
    Gauge::changeset()
        .set(Gauge::label(), label)
        .set(Gauge::reading(), reading)
}

fn labels(gauges: &[Gauge]) -> Vec<&str> {
    let mut labels: Vec<&str> = gauges.iter().map(|g| g.label.as_str()).collect();
    labels.sort_unstable();
    labels
}

fn assert_invalid_value(err: &Error, attribute: &str) {
    assert!(
        matches!(
            err.kind(),
            ErrorKind::InvalidValue { resource: "Gauge", attribute: a, .. } if *a == attribute
        ),
        "{err:?}"
    );
}

fn assert_invalid_query(err: &Error, says: &str) {
    assert!(
        matches!(
            err.kind(),
            ErrorKind::InvalidQuery {
                resource: "Gauge",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains(says), "{err}");
}

async fn nan_is_refused_on_create_and_as_a_filter_value(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Gauge>()).await;
    let nan = f64::NAN;
    let inf = f64::INFINITY;
    let err = d.create(gauge("nan", nan)).await.expect_err("NaN stored");
    assert_invalid_value(&err, "reading");
    assert!(err.to_string().contains("NaN"), "{err}");
    let err = d
        .create_many(vec![gauge("fine", 1.0), gauge("nan", -nan)])
        .await
        .expect_err("NaN stored in a batch");
    assert_invalid_value(&err, "reading");
    assert!(d.read(Gauge::query()).await?.is_empty(), "nothing created");

    let one = d.create(gauge("one", 1.0)).await?;
    d.create(gauge("top", inf)).await?;
    d.create(gauge("bottom", -inf)).await?;
    let readings = vec![1.0, nan];
    for query in [
        Gauge::query().filter(expr!(reading == ^nan)),
        Gauge::query().filter(expr!(reading != ^nan)),
        Gauge::query().filter(expr!(reading < ^nan or label == "one")),
        Gauge::query().filter(expr!(reading in ^readings)),
    ] {
        let err = d.read(query).await.expect_err("a NaN filter value");
        assert_invalid_query(&err, "NaN");
    }
    // Deep in a filter built at run time, and in a load's filter.
    let mut deep = Expr::cmp(CmpOp::Eq, Expr::attr("reading"), Expr::value(nan));
    for _ in 0..50 {
        deep = Expr::cmp(CmpOp::Eq, Expr::attr("label"), Expr::value("x")).or(deep);
    }
    let err = d
        .read(Gauge::query().filter_expr(deep))
        .await
        .expect_err("a NaN deep in the filter");
    assert_invalid_query(&err, "NaN");
    let err = d
        .load(&mut [one], Gauge::children().filter(expr!(reading == ^nan)))
        .await
        .expect_err("a NaN in a load's filter");
    assert_invalid_query(&err, "NaN");

    // Infinities are numbers like any other, alike on every layer.
    let above = d
        .read(Gauge::query().filter(expr!(reading >= ^inf)))
        .await?;
    assert_eq!(labels(&above), ["top"]);
    let below = d.read(Gauge::query().filter(expr!(reading < ^inf))).await?;
    assert_eq!(labels(&below), ["bottom", "one"]);
    let sorted = d
        .read(Gauge::query().sort([Gauge::reading().desc()]))
        .await?;
    let order: Vec<&str> = sorted.iter().map(|g| g.label.as_str()).collect();
    assert_eq!(order, ["top", "one", "bottom"]);
    Ok(())
}

layers!(nan_is_refused_on_create_and_as_a_filter_value);

async fn nul_in_text_is_refused_on_create_and_as_a_filter_value(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Gauge>()).await;
    let err = d
        .create(gauge("a\0b", 1.0))
        .await
        .expect_err("a NUL stored");
    assert_invalid_value(&err, "label");
    assert!(err.to_string().contains("NUL"), "{err}");
    assert!(d.read(Gauge::query()).await?.is_empty(), "nothing created");

    d.create(gauge("a", 1.0)).await?;
    let nul = "a\0".to_owned();
    let err = d
        .read(Gauge::query().filter(expr!(label == ^nul)))
        .await
        .expect_err("a NUL filter value");
    assert_invalid_query(&err, "NUL");
    let list = vec!["a".to_owned(), nul.clone()];
    let err = d
        .read(Gauge::query().filter(expr!(label in ^list)))
        .await
        .expect_err("a NUL in a list");
    assert_invalid_query(&err, "NUL");
    Ok(())
}

layers!(nul_in_text_is_refused_on_create_and_as_a_filter_value);

async fn a_belongs_to_key_pointing_at_no_record_is_a_foreign_key_constraint(
    run: Run,
) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Gauge>()).await;
    let err = d
        .create(gauge("orphan", 1.0).set(Gauge::parent_id(), Some(Uuid::new_v4())))
        .await
        .expect_err("a key of no record");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Constraint {
                resource: "Gauge",
                attribute: Some("parent_id"),
                constraint: Constraint::ForeignKey,
                ..
            }
        ),
        "{err:?}"
    );
    // All or nothing: a batch with one such key creates nothing.
    let err = d
        .create_many(vec![
            gauge("fine", 1.0),
            gauge("orphan", 1.0).set(Gauge::parent_id(), Some(Uuid::new_v4())),
        ])
        .await
        .expect_err("a key of no record in a batch");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Constraint {
                constraint: Constraint::ForeignKey,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(d.read(Gauge::query()).await?.is_empty(), "nothing created");

    // A key of a record the same batch creates, before or after it, is kept,
    // as the databases check a create's keys once all its rows are written.
    let (first, last) = (Uuid::new_v4(), Uuid::new_v4());
    let created = d
        .create_many(vec![
            gauge("first", 1.0).set(Gauge::id(), first),
            gauge("middle", 2.0).set(Gauge::parent_id(), Some(first)),
            gauge("early", 3.0).set(Gauge::parent_id(), Some(last)),
            gauge("last", 4.0).set(Gauge::id(), last),
        ])
        .await?;
    assert_eq!(created.len(), 4);
    let mut roots = d
        .read(Gauge::query().filter(expr!(is_nil(parent_id))))
        .await?;
    d.load(&mut roots, Gauge::children()).await?;
    let children: Vec<(&str, Vec<&str>)> = {
        let mut c: Vec<_> = roots
            .iter()
            .map(|g| (g.label.as_str(), labels(g.children.get().expect("loaded"))))
            .collect();
        c.sort();
        c
    };
    assert_eq!(
        children,
        [("first", vec!["middle"]), ("last", vec!["early"])]
    );
    Ok(())
}

layers!(a_belongs_to_key_pointing_at_no_record_is_a_foreign_key_constraint);

/// More rows than one INSERT can take on any SQL layer: PostgreSQL's 65,535
/// parameters over the three each row without a parent binds (its generated
/// key, label and reading; a nil is written as `NULL`). The create is then
/// several statements.
const PAST_ONE_STATEMENT: usize = 65_535 / 3 + 2;

layers!(a_key_of_the_same_create_many_counts_past_one_statement);

/// A key naming a record of the same batch counts wherever the record stands,
/// also when the batch is split into several statements (PostgreSQL checked
/// each INSERT's keys at its end).
async fn a_key_of_the_same_create_many_counts_past_one_statement(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Gauge>()).await;
    let last = Uuid::new_v4();
    let batch: Vec<Changeset<Gauge>> = (0..PAST_ONE_STATEMENT)
        .map(|i| match i {
            0 => gauge("early", 0.0).set(Gauge::parent_id(), Some(last)),
            i if i == PAST_ONE_STATEMENT - 1 => gauge("last", 1.0).set(Gauge::id(), last),
            _ => gauge("filler", 2.0),
        })
        .collect();
    assert_eq!(d.create_many(batch).await?.len(), PAST_ONE_STATEMENT);
    let early = d
        .read(Gauge::query().filter(expr!(parent_id == ^last)))
        .await?;
    assert_eq!(labels(&early), ["early"]);
    // And a key of no record still fails the whole batch.
    let batch: Vec<Changeset<Gauge>> = (0..PAST_ONE_STATEMENT)
        .map(|i| match i {
            0 => gauge("orphan", 0.0).set(Gauge::parent_id(), Some(Uuid::new_v4())),
            _ => gauge("more", 2.0),
        })
        .collect();
    let err = d.create_many(batch).await.expect_err("a key of no record");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Constraint {
                resource: "Gauge",
                constraint: Constraint::ForeignKey,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(d.read(Gauge::query()).await?.len(), PAST_ONE_STATEMENT);
    Ok(())
}

/// An update is held to what a create is (issue 13, item 1): NaN is refused,
/// and so is text with a NUL; a destroy of a gauge its child names fails,
/// while the two destroyed together (a self-reference) go at once.
async fn updates_and_destroys_hold_to_the_same_values_and_keys(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Gauge>()).await;
    let top = d.create(gauge("top", 1.0)).await?;
    let child = d
        .create(gauge("child", 2.0).set(Gauge::parent_id(), Some(top.id)))
        .await?;
    let err = d
        .update(&top, Gauge::changeset().set(Gauge::reading(), f64::NAN))
        .await
        .expect_err("NaN stored");
    assert_invalid_value(&err, "reading");
    let err = d
        .update_all(
            Gauge::query(),
            Gauge::changeset().set(Gauge::label(), "a\0b"),
        )
        .await
        .expect_err("NUL stored");
    assert_invalid_value(&err, "label");
    let inf = d
        .update(
            &top,
            Gauge::changeset().set(Gauge::reading(), f64::INFINITY),
        )
        .await?;
    assert_eq!(inf.reading, f64::INFINITY);

    let err = d.destroy(&top).await.expect_err("the child names it");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Constraint {
                resource: "Gauge",
                attribute: None,
                constraint: Constraint::ForeignKey,
                ..
            }
        ),
        "{err:?}"
    );
    let err = d
        .update(
            &child,
            Gauge::changeset().set(Gauge::parent_id(), Some(Uuid::new_v4())),
        )
        .await
        .expect_err("no such parent");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Constraint {
                resource: "Gauge",
                attribute: Some("parent_id"),
                constraint: Constraint::ForeignKey,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(labels(&d.read(Gauge::query()).await?), ["child", "top"]);
    let gone = d.destroy_all(Gauge::query()).await?;
    assert_eq!(labels(&gone), ["child", "top"]);
    assert!(d.read(Gauge::query()).await?.is_empty());
    Ok(())
}
layers!(updates_and_destroys_hold_to_the_same_values_and_keys);

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Sample {
        attributes {
            uuid_primary_key id;
            attribute taken_at: DateTime<Utc>;
            attribute value: f64;
        }
    }
}

/// What a create returns is what reading the record back gives, to the bit:
/// SQLite stores `-0.0` as `0.0`, and so does every layer (a float becomes a
/// value with its zero's sign dropped), one record or many.
async fn a_created_record_is_what_reading_it_back_gives(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Sample>()).await;
    let at = DateTime::<Utc>::from_timestamp(1_700_000_000, 123_456_789).expect("a timestamp");
    let sample = |value: f64| {
        Sample::changeset()
            .set(Sample::taken_at(), at)
            .set(Sample::value(), value)
    };
    let mut created = vec![d.create(sample(-0.0)).await?];
    created.extend(d.create_many(vec![sample(-0.0), sample(2.5)]).await?);
    let read = d.read(Sample::query()).await?;
    assert_eq!(read, created);
    for (c, r) in created.iter().zip(&read) {
        assert_eq!(c.value.to_bits(), r.value.to_bits(), "{c:?} / {r:?}");
    }
    assert_eq!(created[2].value, 2.5);
    assert!(
        created[..2]
            .iter()
            .all(|s| s.value.to_bits() == 0.0_f64.to_bits())
    );
    Ok(())
}
layers!(a_created_record_is_what_reading_it_back_gives);

/// A timestamp keeps whole microseconds on every layer, rounded down: memory
/// no longer keeps nanoseconds the SQL layers drop, and PostgreSQL no longer
/// rounds a time before 2000 up (into the next second, even the next year).
/// Filter values are rounded alike, so they compare with what is stored.
async fn timestamps_keep_whole_microseconds_on_every_layer(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Sample>()).await;
    let at = |rfc3339: &str| -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339)
            .expect("a timestamp")
            .with_timezone(&Utc)
    };
    let cases = [
        (
            "2024-05-06T07:08:09.123456789Z",
            "2024-05-06T07:08:09.123456Z",
        ),
        (
            "1999-12-31T23:59:59.9999999Z",
            "1999-12-31T23:59:59.999999Z",
        ),
        ("1969-12-31T23:59:59.0000005Z", "1969-12-31T23:59:59Z"),
    ];
    for (given, kept) in cases {
        let taken = at(given);
        let created = d
            .create(
                Sample::changeset()
                    .set(Sample::taken_at(), taken)
                    .set(Sample::value(), 1.0),
            )
            .await?;
        assert_eq!(created.taken_at, at(kept), "{given}");
        let found = d
            .read(Sample::query().filter(expr!(taken_at == ^taken)))
            .await?;
        assert_eq!(found, std::slice::from_ref(&created), "{given}");
        let before = d
            .read(Sample::query().filter(expr!(taken_at < ^taken)))
            .await?;
        assert!(before.iter().all(|s| s.id != created.id), "{given}");
        d.destroy(&created).await?;
    }
    Ok(())
}
layers!(timestamps_keep_whole_microseconds_on_every_layer);

resource! {
    /// Nothing but its generated key.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Tally {
        attributes {
            integer_primary_key id;
        }
    }
}

/// A resource whose only attribute is its generated integer key is created
/// alone and in batches (PostgreSQL's insert had no column to send).
async fn a_record_of_nothing_but_its_generated_key_is_created(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Tally>()).await;
    let one = d.create(Tally::changeset()).await?;
    let more = d
        .create_many(vec![Tally::changeset(), Tally::changeset()])
        .await?;
    let mut ids: Vec<i64> = std::iter::once(one.id)
        .chain(more.iter().map(|t| t.id))
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    assert_eq!(d.read(Tally::query()).await?.len(), 3);
    Ok(())
}
layers!(a_record_of_nothing_but_its_generated_key_is_created);

/// A timestamp outside the years 1 to 9999 is refused as a date is: SQLite's
/// text would order `+10000-..` before `2000-..`, and PostgreSQL cannot hold
/// chrono's earliest. The years 1 and 9999 themselves are kept and ordered.
async fn timestamps_outside_the_years_1_to_9999_are_refused(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Sample>()).await;
    let at = |rfc3339: &str| -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339)
            .expect("a timestamp")
            .with_timezone(&Utc)
    };
    let sample = |taken: DateTime<Utc>| {
        Sample::changeset()
            .set(Sample::taken_at(), taken)
            .set(Sample::value(), 1.0)
    };
    let first = d.create(sample(at("0001-01-01T00:00:00Z"))).await?;
    let last = d.create(sample(at("9999-12-31T23:59:59.999999Z"))).await?;
    let sorted = d
        .read(Sample::query().sort(Sample::taken_at().desc()))
        .await?;
    assert_eq!(sorted, [last.clone(), first]);

    let new_year = |year| {
        NaiveDate::from_ymd_opt(year, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("a timestamp")
            .and_utc()
    };
    for taken in [new_year(10000), new_year(0), DateTime::<Utc>::MIN_UTC] {
        let err = d.create(sample(taken)).await.unwrap_err();
        assert!(
            matches!(
                err.kind(),
                ErrorKind::InvalidValue {
                    attribute: "taken_at",
                    ..
                }
            ),
            "{err}"
        );
        assert!(
            err.to_string().contains("outside the years 1 to 9999"),
            "{err}"
        );
        let err = d
            .update(&last, Sample::changeset().set(Sample::taken_at(), taken))
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidValue { .. }),
            "{err}"
        );
        let err = d
            .read(Sample::query().filter(expr!(taken_at < ^taken)))
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidQuery { .. }),
            "{err}"
        );
    }
    assert_eq!(d.read(Sample::query()).count().await?, 2);
    Ok(())
}
layers!(timestamps_outside_the_years_1_to_9999_are_refused);

/// A timestamp built by hand as a `Value` with nanoseconds compares as the
/// whole microsecond every layer keeps, as a pinned `DateTime<Utc>` does.
async fn a_timestamp_value_built_by_hand_is_rounded_too(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Sample>()).await;
    let at = DateTime::<Utc>::from_timestamp(1_700_000_000, 1_000).expect("a timestamp");
    let created = d
        .create(
            Sample::changeset()
                .set(Sample::taken_at(), at)
                .set(Sample::value(), 1.0),
        )
        .await?;
    let finer = DateTime::<Utc>::from_timestamp(1_700_000_000, 1_500).expect("a timestamp");
    let by_hand = |op| {
        Expr::cmp(
            op,
            Expr::attr("taken_at"),
            Expr::Value(Value::DateTime(finer)),
        )
    };
    let equal = d
        .read(Sample::query().filter_expr(Some(by_hand(CmpOp::Eq))))
        .await?;
    assert_eq!(equal, std::slice::from_ref(&created));
    let before = d
        .read(Sample::query().filter_expr(Some(by_hand(CmpOp::Lt))))
        .await?;
    assert!(before.is_empty(), "{before:?}");
    Ok(())
}
layers!(a_timestamp_value_built_by_hand_is_rounded_too);
