//! `rust_decimal::Decimal` (feature `decimal`) and `serde_json::Value`
//! (feature `json`) attributes on every layer and through both front ends.
//! Decimals round-trip exactly, scale kept (`1.50` stays `1.50`), and compare
//! and sort as numbers on every layer (SQLite stores text, compared through
//! its `ashore_decimal` collation: `9.5 < 10`, `1.5 == 1.50`). JSON documents
//! round-trip and compare by equality only (`==`, `!=`, `in`: keys in any
//! order, numbers by value); a JSON `null` is a document, not nil; a
//! document holding a NUL is refused, and a JSON sort key is an error.

use ashore::prelude::*;
use ashore::rust_decimal::Decimal;
use ashore::serde_json::{Value as Json, json};

use crate::common::{Run, domain, layers};

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Invoice {
        attributes {
            integer_primary_key id;
            attribute title: String;
            attribute amount: Decimal;
            attribute discount: Option<Decimal>;
            attribute meta: Json;
            attribute extra: Option<Json>;
        }
    }
}

/// `Invoice` through `#[derive(Resource)]`.
#[derive(Debug, Clone, PartialEq, Resource)]
pub struct DerivedInvoice {
    #[resource(integer_primary_key)]
    pub id: i64,
    pub title: String,
    pub amount: Decimal,
    pub discount: Option<Decimal>,
    pub meta: Json,
    pub extra: Option<Json>,
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("a decimal")
}

/// The records of `$r` the filter selects, in insertion order.
macro_rules! q {
    ($d:ident, $r:ident; $($f:tt)*) => {
        $d.read($r::query().filter(expr!($($f)*))).await?
    };
}

/// The test body, for either front end's `$r`.
macro_rules! decimals_and_json {
    ($r:ident, $run:expr) => {{
        let d = domain(&$run, |b| b.resource::<$r>()).await;
        let make = |title: &str, amount: &str, meta: Json| {
            $r::changeset()
                .set($r::title(), title)
                .set($r::amount(), dec(amount))
                .set($r::meta(), meta)
        };
        let a = d
            .create(
                make("A", "1.50", json!({"tags": ["x", "y"], "n": 1}))
                    .set($r::discount(), Some(dec("0.10"))),
            )
            .await?;
        d.create(make("B", "10", json!({"n": 1.0, "tags": ["x", "y"]}))).await?;
        d.create(make("C", "9.5", json!(null)).set($r::extra(), Some(json!([1, 2]))))
            .await?;
        d.create(make("D", "-0.001", json!("text"))).await?;
        d.create(make("E", "1.5", json!({"n": 2}))).await?;

        let all = d.read($r::query()).await?;
        assert_eq!(all[0], a);
        assert_eq!(all[0].amount.to_string(), "1.50", "the scale is kept");
        assert_eq!(all[0].discount.map(|d| d.to_string()), Some("0.10".into()));
        assert_eq!(all[0].meta, json!({"tags": ["x", "y"], "n": 1}));
        assert_eq!(all[2].meta, Json::Null, "a JSON null is a document");
        assert_eq!(all[2].extra, Some(json!([1, 2])));

        let titles = |rs: &[$r]| rs.iter().map(|r| r.title.clone()).collect::<Vec<_>>();
        let one_and_half = dec("1.5");
        assert_eq!(titles(&q!(d, $r; amount == ^one_and_half)), ["A", "E"], "1.50 == 1.5");
        let ten = dec("9.99");
        assert_eq!(titles(&q!(d, $r; amount > ^ten)), ["B"], "10 > 9.99 as numbers");
        let zero = Decimal::ZERO;
        assert_eq!(titles(&q!(d, $r; amount < ^zero)), ["D"]);
        assert_eq!(titles(&q!(d, $r; amount <= ^one_and_half)), ["A", "D", "E"]);
        let some = vec![dec("10.00"), dec("-0.0010")];
        assert_eq!(titles(&q!(d, $r; amount in ^some)), ["B", "D"]);
        let cheap = dec("0.1");
        assert_eq!(titles(&q!(d, $r; discount == ^cheap)), ["A"]);
        assert_eq!(titles(&q!(d, $r; discount != ^cheap)), Vec::<String>::new(), "nil is unknown");
        let by_amount = d.read($r::query().sort($r::amount().desc())).await?;
        assert_eq!(titles(&by_amount), ["B", "C", "A", "E", "D"]);
        let by_discount = d.read($r::query().sort([$r::discount().asc(), $r::id().asc()])).await?;
        assert_eq!(titles(&by_discount), ["A", "B", "C", "D", "E"]);

        let doc = json!({"n": 1, "tags": ["x", "y"]});
        assert_eq!(titles(&q!(d, $r; meta == ^doc)), ["A", "B"], "key order and 1 == 1.0");
        assert_eq!(titles(&q!(d, $r; meta != ^doc)), ["C", "D", "E"]);
        let null = Json::Null;
        assert_eq!(titles(&q!(d, $r; meta == ^null)), ["C"]);
        let docs = vec![json!("text"), json!({"n": 2.0})];
        assert_eq!(titles(&q!(d, $r; meta in ^docs)), ["D", "E"]);
        let pair = json!([1, 2]);
        assert_eq!(titles(&q!(d, $r; extra == ^pair)), ["C"]);
        assert_eq!(titles(&q!(d, $r; is_nil(extra))), ["A", "B", "D", "E"]);

        let changed = d
            .update(&a, $r::changeset().set($r::amount(), dec("2.000")).set($r::extra(), Some(json!({}))))
            .await?;
        assert_eq!(changed.amount.to_string(), "2.000");
        assert_eq!(d.read($r::query()).await?[0], changed);

        let err = d
            .create(make("F", "1", json!({"k": "a\u{0}b"})))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("NUL"), "{err}");
        let sort = Sort::new("meta", Order::Asc);
        let err = d.read($r::query().sort(sort)).await.unwrap_err();
        assert!(err.to_string().contains("no sort key"), "{err}");
        Ok(())
    }};
}

async fn decimals_and_json_round_trip_and_compare_alike(run: Run) -> ashore::Result<()> {
    decimals_and_json!(Invoice, run)
}
layers!(decimals_and_json_round_trip_and_compare_alike);

async fn the_derive_takes_decimals_and_json_alike(run: Run) -> ashore::Result<()> {
    decimals_and_json!(DerivedInvoice, run)
}
layers!(the_derive_takes_decimals_and_json_alike);

/// A zero keeps its scale on every layer (`0.00` reads back as `0.00`, as
/// PostgreSQL's `numeric` keeps it), and equals every other zero.
macro_rules! zeros_keep_their_scale {
    ($r:ident, $run:expr) => {{
        let d = domain(&$run, |b| b.resource::<$r>()).await;
        for (title, amount) in [("a", "0.00"), ("b", "-0.000"), ("c", "0"), ("d", "0.10")] {
            d.create(
                $r::changeset()
                    .set($r::title(), title)
                    .set($r::amount(), dec(amount))
                    .set($r::meta(), json!({})),
            )
            .await?;
        }
        let all = d.read($r::query()).await?;
        let amounts: Vec<String> = all.iter().map(|r| r.amount.to_string()).collect();
        assert_eq!(amounts, ["0.00", "0.000", "0", "0.10"]);
        let zero = Decimal::ZERO;
        let zeros = d.read($r::query().filter(expr!(amount == ^zero))).await?;
        assert_eq!(zeros.len(), 3);
        Ok(())
    }};
}

async fn zeros_keep_their_scale(run: Run) -> ashore::Result<()> {
    zeros_keep_their_scale!(Invoice, run)
}
layers!(zeros_keep_their_scale);

async fn the_derive_keeps_the_scale_of_zeros(run: Run) -> ashore::Result<()> {
    zeros_keep_their_scale!(DerivedInvoice, run)
}
layers!(the_derive_keeps_the_scale_of_zeros);

resource! {
    /// A client and the first document of its bills.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Client {
        attributes {
            integer_primary_key id;
            attribute name: String;
        }
        relationships {
            has_many bills: Bill;
        }
        aggregates {
            first first_meta: bills.meta as Json;
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Bill {
        attributes {
            integer_primary_key id;
            attribute meta: Json;
        }
        relationships {
            belongs_to client: Client;
        }
    }
}

/// An aggregate whose value is a JSON document is no sort key either: the
/// same `InvalidQuery` on every layer (each database would order documents
/// its own way), where it loads as any other.
async fn a_json_aggregate_is_no_sort_key(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Client>().resource::<Bill>()).await;
    let ada = d
        .create(Client::changeset().set(Client::name(), "Ada"))
        .await?;
    d.create(
        Bill::changeset()
            .set(Bill::meta(), json!({"n": 1}))
            .set(Bill::client_id(), Some(ada.id)),
    )
    .await?;
    let loaded = d.read(Client::query().load(Client::first_meta())).await?;
    assert_eq!(loaded[0].first_meta.get()?, &Some(json!({"n": 1})));
    let err = d
        .read(Client::query().sort(Client::first_meta().desc()))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ashore::ErrorKind::InvalidQuery { .. })
            && err.to_string().contains("no sort key"),
        "{err}"
    );
    Ok(())
}
layers!(a_json_aggregate_is_no_sort_key);
