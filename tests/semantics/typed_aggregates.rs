//! Aggregates over the built-in types of dates, bytes, decimals and JSON, on
//! every layer: `max` of decimals compares them as numbers (SQLite's text
//! through the `ashore_decimal` collation, in the aggregate, in a filter on it
//! and in a sort by it), `min` of dates as dates, `first` of a JSON document
//! and `list` of bytes read back as they were written. Of equal decimals
//! (`1.5`, `1.50`), `min` and `max` give the earliest created, scale and all.

use ashore::prelude::*;
use ashore::rust_decimal::Decimal;
use ashore::serde_json::{Value as Json, json};

use crate::common::{Run, domain, layers};

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Customer {
        attributes {
            integer_primary_key id;
            attribute name: String;
        }
        relationships {
            has_many orders: Order;
        }
        aggregates {
            max biggest: orders.amount as Decimal;
            min least: orders.amount as Decimal;
            min first_day: orders.placed as NaiveDate;
            first some_meta: orders.meta as Json;
            list scans: orders.scan as Vec<u8>;
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Order {
        attributes {
            integer_primary_key id;
            attribute amount: Decimal;
            attribute placed: NaiveDate;
            attribute meta: Json;
            attribute scan: Vec<u8>;
        }
        relationships {
            belongs_to customer: Customer;
        }
    }
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("a decimal")
}

async fn aggregates_read_the_new_types_alike(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Customer>().resource::<Order>()).await;
    let ada = d
        .create(Customer::changeset().set(Customer::name(), "Ada"))
        .await?;
    let bob = d
        .create(Customer::changeset().set(Customer::name(), "Bob"))
        .await?;
    let _nobody = d
        .create(Customer::changeset().set(Customer::name(), "Cy"))
        .await?;
    for (customer, amount, day, scan) in [
        (ada.id, "9.5", 3, vec![1_u8]),
        (ada.id, "10", 1, vec![2]),
        (bob.id, "9.75", 2, vec![]),
    ] {
        d.create(
            Order::changeset()
                .set(Order::amount(), dec(amount))
                .set(
                    Order::placed(),
                    NaiveDate::from_ymd_opt(2024, 5, day).expect("a day"),
                )
                .set(Order::meta(), json!({"day": day}))
                .set(Order::scan(), scan)
                .set(Order::customer_id(), Some(customer)),
        )
        .await?;
    }
    let read = d
        .read(
            Customer::query()
                .sort([Customer::biggest().desc_nils_last(), Customer::id().asc()])
                .load(Customer::biggest())
                .load(Customer::first_day())
                .load(Customer::some_meta())
                .load(Customer::scans()),
        )
        .await?;
    let names: Vec<&str> = read.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Ada", "Bob", "Cy"], "10 > 9.75 as numbers");
    assert_eq!(
        read[0].biggest.get()?.map(|d| d.to_string()),
        Some("10".into())
    );
    assert_eq!(
        *read[0].first_day.get()?,
        NaiveDate::from_ymd_opt(2024, 5, 1)
    );
    assert_eq!(read[0].some_meta.get()?.clone(), Some(json!({"day": 3})));
    assert_eq!(*read[0].scans.get()?, [vec![1_u8], vec![2]]);
    assert_eq!(*read[1].scans.get()?, [Vec::<u8>::new()]);
    assert_eq!(*read[2].biggest.get()?, None);
    assert_eq!(read[2].some_meta.get()?.clone(), None::<Json>);

    let limit = dec("9.8");
    let big = d
        .read(Customer::query().filter(expr!(biggest > ^limit)))
        .await?;
    assert_eq!(big.iter().map(|c| c.id).collect::<Vec<_>>(), [ada.id]);
    Ok(())
}
layers!(aggregates_read_the_new_types_alike);

/// Of equal decimals that differ in scale, `min` and `max` give the earliest
/// created on every layer (the databases' own `min`/`max` kept whichever they
/// met first or last).
async fn min_and_max_of_equal_decimals_give_the_earliest(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Customer>().resource::<Order>()).await;
    let day = NaiveDate::from_ymd_opt(2024, 5, 1).expect("a day");
    for (name, amounts) in [
        ("a", ["1.5", "1.50", "0.100", "1.500"]),
        ("b", ["1.500", "0.1", "1.50", "0.10"]),
    ] {
        let customer = d
            .create(Customer::changeset().set(Customer::name(), name))
            .await?;
        for amount in amounts {
            d.create(
                Order::changeset()
                    .set(Order::amount(), dec(amount))
                    .set(Order::placed(), day)
                    .set(Order::meta(), json!({}))
                    .set(Order::scan(), Vec::new())
                    .set(Order::customer_id(), Some(customer.id)),
            )
            .await?;
        }
    }
    let read = d
        .read(
            Customer::query()
                .load(Customer::biggest())
                .load(Customer::least()),
        )
        .await?;
    let got: Vec<(String, String)> = read
        .iter()
        .map(|c| {
            let text = |d: &Option<Decimal>| d.map(|d| d.to_string()).unwrap_or_default();
            Ok((text(c.biggest.get()?), text(c.least.get()?)))
        })
        .collect::<ashore::Result<_>>()?;
    let expected = [("1.5", "0.100"), ("1.500", "0.1")];
    let expected = expected.map(|(max, min)| (max.to_owned(), min.to_owned()));
    assert_eq!(got, expected);
    Ok(())
}
layers!(min_and_max_of_equal_decimals_give_the_earliest);
