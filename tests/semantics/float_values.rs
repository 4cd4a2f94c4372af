//! Float arithmetic and number aggregates held to one answer on every layer,
//! where each database computes its own way: a NaN result is nil (SQLite
//! cannot hold one, PostgreSQL finds it equal to itself and above every number,
//! memory equal to nothing); floats are summed one after the other in creation
//! order (SQLite's own `sum` compensates for rounding); an `avg` is that sum
//! divided by the count (PostgreSQL's own sums squares too, and rounds integer
//! averages its own way); an aggregate through a path that reaches no record
//! is nil. Each test runs on memory, SQLite and PostgreSQL (`layers!`).
//!
//! A `Probe` has `Reading`s, each a float `value` and maybe integer `ticks`.

use ashore::Agg;
use ashore::prelude::*;

use crate::common::*;

resource! {
    /// A probe and what it read: float sums and means over its readings.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Probe {
        attributes {
            uuid_primary_key id;
            attribute name: String;
        }
        relationships {
            has_many readings: Reading;
        }
        aggregates {
            sum total: readings.value as f64;
            avg mean: readings.value;
            count n: readings;
            avg mean_ticks: readings.ticks;
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Reading {
        attributes {
            uuid_primary_key id;
            attribute value: f64;
            attribute ticks: Option<i64>;
        }
        relationships {
            belongs_to probe: Probe;
        }
    }
}

async fn fx(run: &Run) -> Domain {
    domain(run, |b| b.resource::<Probe>().resource::<Reading>()).await
}

/// Creates a reading of `value` (and `ticks`) by `probe`.
async fn reading(d: &Domain, probe: Option<&Probe>, value: f64, ticks: Option<i64>) {
    d.create(
        Reading::changeset()
            .set(Reading::probe_id(), probe.map(|p| p.id))
            .set(Reading::value(), value)
            .set(Reading::ticks(), ticks),
    )
    .await
    .expect("a reading");
}

/// Creates the probe `name` with a reading of each of `readings`, in order.
async fn probe(d: &Domain, name: &str, readings: &[(f64, Option<i64>)]) -> Probe {
    let probe = d
        .create(Probe::changeset().set(Probe::name(), name))
        .await
        .expect("a probe");
    for &(value, ticks) in readings {
        reading(d, Some(&probe), value, ticks).await;
    }
    probe
}

/// The values of two aggregates `a` and `b`, loaded on every probe, by name.
async fn loaded(
    d: &Domain,
    a: Agg<Probe, Option<f64>>,
    b: Agg<Probe, Option<f64>>,
    field_a: fn(&Probe) -> &Loaded<Option<f64>>,
    field_b: fn(&Probe) -> &Loaded<Option<f64>>,
) -> ashore::Result<Vec<(Option<f64>, Option<f64>)>> {
    let probes = d
        .read(Probe::query().sort(Probe::name()).load(a).load(b))
        .await?;
    probes
        .iter()
        .map(|p| Ok((*field_a(p).get()?, *field_b(p).get()?)))
        .collect()
}

fn values(readings: Vec<Reading>) -> Vec<f64> {
    readings.into_iter().map(|r| r.value).collect()
}

async fn a_float_result_that_is_nan_is_nil(run: Run) -> ashore::Result<()> {
    let d = fx(&run).await;
    probe(
        &d,
        "both",
        &[(f64::INFINITY, None), (f64::NEG_INFINITY, None)],
    )
    .await;
    probe(&d, "one", &[(1.0, None)]).await;
    macro_rules! q {
        ($($e:tt)*) => {
            d.read(Reading::query().filter(expr!($($e)*)).sort(Reading::value()))
        };
    }
    assert_eq!(
        values(q!(is_nil(value - value)).await?),
        [f64::NEG_INFINITY, f64::INFINITY]
    );
    assert_eq!(values(q!(value - value == value - value).await?), [1.0]);
    assert_eq!(values(q!(value - value != 0).await?), Vec::<f64>::new());
    assert_eq!(values(q!(value * 0 > 0 or value * 0 <= 0).await?), [1.0]);
    assert_eq!(values(q!(value / value >= 1).await?), [1.0]);

    // The sum of both infinities, and their mean.
    let got = loaded(&d, Probe::total(), Probe::mean(), |p| &p.total, |p| &p.mean).await?;
    assert_eq!(got, [(None, None), (Some(1.0), Some(1.0))]);
    let nil_total = d.read(Probe::query().filter(expr!(is_nil(total)))).await?;
    assert_eq!(nil_total.len(), 1);
    assert_eq!(nil_total[0].name, "both");
    let nil_mean = d.read(Probe::query().filter(expr!(is_nil(mean)))).await?;
    assert_eq!(nil_mean.len(), 1);
    Ok(())
}
layers!(a_float_result_that_is_nan_is_nil);

/// `0.1 + 0.2 + 0.3` is `0.6000000000000001` and `1e16 + 1 - 1e16` is `0` on
/// every layer (SQLite's own `sum` would give `0.6` and `1`).
async fn float_sums_add_in_creation_order_on_every_layer(run: Run) -> ashore::Result<()> {
    let d = fx(&run).await;
    probe(&d, "tenths", &[(0.1, None), (0.2, None), (0.3, None)]).await;
    probe(&d, "cancel", &[(1e16, None), (1.0, None), (-1e16, None)]).await;
    let got = loaded(&d, Probe::total(), Probe::mean(), |p| &p.total, |p| &p.mean).await?;
    let tenths = 0.1 + 0.2 + 0.3;
    assert_eq!(
        got,
        [(Some(0.0), Some(0.0)), (Some(tenths), Some(tenths / 3.0))]
    );
    // The same sums in a filter (SQL computes them in the statement).
    let above = d
        .read(Probe::query().filter(expr!(total > 0.6 and mean > 0.2)))
        .await?;
    assert_eq!(
        above.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["tenths"]
    );
    let none = d.read(Probe::query().filter(expr!(total == 1))).await?;
    assert!(none.is_empty(), "{none:?}");
    Ok(())
}
layers!(float_sums_add_in_creation_order_on_every_layer);

/// Integers are summed exactly and rounded once; floats need no sum of
/// squares (which overflowed PostgreSQL's own `avg` for values near 1e155).
async fn an_average_is_the_sum_divided_by_the_count(run: Run) -> ashore::Result<()> {
    let d = fx(&run).await;
    let big = 1_i64 << 53;
    probe(&d, "huge", &[(0.0, Some(big + 1)), (1e300, Some(big + 2))]).await;
    probe(&d, "odd", &[(1e155, Some(big + 1)), (1e155, Some(1))]).await;
    let got = loaded(
        &d,
        Probe::mean(),
        Probe::mean_ticks(),
        |p| &p.mean,
        |p| &p.mean_ticks,
    )
    .await?;
    let exact = |sum: i128| Some(sum as f64 / 2.0);
    assert_eq!(
        got,
        [
            (Some(5e299), exact(2 * i128::from(big) + 3)),
            (Some(1e155), exact(i128::from(big) + 2)),
        ]
    );
    // In a filter too (PostgreSQL failed the whole read).
    let above = d.read(Probe::query().filter(expr!(mean > 1e299))).await?;
    assert_eq!(above.len(), 1);
    Ok(())
}
layers!(an_average_is_the_sum_divided_by_the_count);

/// As an attribute there is (a reading with no probe), not the count of
/// nothing.
async fn an_aggregate_through_a_path_that_reaches_nothing_is_nil(run: Run) -> ashore::Result<()> {
    let d = fx(&run).await;
    let p = probe(&d, "p", &[]).await;
    reading(&d, Some(&p), 1.0, None).await;
    reading(&d, None, 2.0, None).await;
    let zero = d.read(Reading::query().filter(expr!(probe.n == 0))).await?;
    assert_eq!(values(zero), Vec::<f64>::new());
    let one = d.read(Reading::query().filter(expr!(probe.n == 1))).await?;
    assert_eq!(values(one), [1.0]);
    let nil = d
        .read(Reading::query().filter(expr!(is_nil(probe.n))))
        .await?;
    assert_eq!(values(nil), [2.0]);
    Ok(())
}
layers!(an_aggregate_through_a_path_that_reaches_nothing_is_nil);
