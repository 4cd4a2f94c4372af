//! Values at the edges of what the layers store, held to one behaviour on
//! every layer: a leap second (chrono's `23:59:60.5`) is the instant
//! PostgreSQL reads it as, half a second into the next minute; a JSON document
//! nesting more arrays and objects than the SQL layers read back (127) is
//! refused, on create as `InvalidValue` and as a filter value as
//! `InvalidQuery`, where it was stored in memory, stored and then unreadable
//! on SQLite, and refused as a decoding error on PostgreSQL.

use ashore::chrono::{DateTime, NaiveDate, Utc};
use ashore::prelude::*;
use ashore::serde_json::{Value as Json, json};

use crate::common::{Run, domain, layers};

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Probe {
        attributes {
            integer_primary_key id;
            attribute at: Option<DateTime<Utc>>;
            attribute doc: Option<Json>;
        }
    }
}

async fn a_leap_second_is_one_instant_on_every_layer(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Probe>()).await;
    let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
        .and_then(|day| day.and_hms_nano_opt(23, 59, 59, 1_500_000_000))
        .expect("a leap second")
        .and_utc();
    let next: DateTime<Utc> = "2017-01-01T00:00:00.500Z".parse().expect("an instant");
    let created = d
        .create(Probe::changeset().set(Probe::at(), Some(leap)))
        .await?;
    assert_eq!(created.at, Some(next));
    assert_eq!(d.read(Probe::query()).await?[0].at, Some(next));
    let quarter: DateTime<Utc> = "2017-01-01T00:00:00.250Z".parse().expect("an instant");
    assert_eq!(
        d.read(Probe::query().filter(expr!(at > ^quarter)))
            .count()
            .await?,
        1
    );
    assert_eq!(
        d.read(Probe::query().filter(expr!(at == ^leap)))
            .count()
            .await?,
        1
    );
    Ok(())
}
layers!(a_leap_second_is_one_instant_on_every_layer);

/// A document nesting `depth` arrays and objects around a number.
fn nested(depth: usize) -> Json {
    let mut doc = json!(1);
    for i in 0..depth {
        doc = if i % 2 == 0 {
            json!([doc])
        } else {
            json!({ "k": doc })
        };
    }
    doc
}

async fn a_json_document_nested_too_deep_is_refused(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Probe>()).await;
    let deepest = nested(127);
    d.create(Probe::changeset().set(Probe::doc(), Some(deepest.clone())))
        .await?;
    assert_eq!(d.read(Probe::query()).await?[0].doc, Some(deepest.clone()));
    assert_eq!(
        d.read(Probe::query().filter(expr!(doc == ^deepest)))
            .count()
            .await?,
        1
    );

    let too_deep = nested(128);
    let err = d
        .create(Probe::changeset().set(Probe::doc(), Some(too_deep.clone())))
        .await
        .expect_err("deeper than the SQL layers read back");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::InvalidValue {
                resource: "Probe",
                attribute: "doc",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("more than 127"), "{err}");
    let err = d
        .read(Probe::query().filter(expr!(doc == ^too_deep)))
        .await
        .expect_err("as a filter value");
    assert!(
        matches!(err.kind(), ErrorKind::InvalidQuery { .. }),
        "{err:?}"
    );
    assert_eq!(err.path(), ["Probe"], "a read's error names the resource");
    assert_eq!(d.read(Probe::query()).await?.len(), 1, "nothing stored");
    Ok(())
}
layers!(a_json_document_nested_too_deep_is_refused);
