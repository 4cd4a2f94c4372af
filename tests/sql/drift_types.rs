//! Schema drift for the built-in types of dates, bytes, decimals and JSON on
//! both SQL layers: a table `migrate` made for them is what the drift check
//! expects (migrating again plans nothing), and reading one of their columns
//! as another type is `ErrorKind::SchemaDrift` naming the column and the
//! type it has. Also: a decimal written by hand on SQLite (text the layer did
//! not write) still compares as a number through the `ashore_decimal`
//! collation that every connection of the layer has. An identity over a
//! decimal is refused on SQLite, whose unique index would compare the text.

use ashore::data_layer::sql::Sqlite;
use ashore::prelude::*;
use ashore::rust_decimal::Decimal;
use ashore::serde_json::Value as Json;

use crate::drift::domain_of;

resource! {
    /// Every new type, required and optional.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ledger {
        attributes {
            integer_primary_key id;
            attribute day: NaiveDate;
            attribute scan: Vec<u8>;
            attribute amount: Decimal;
            attribute meta: Json;
            attribute note: Option<Json>;
        }
    }
}

resource! {
    /// A decimal in an identity: refused on SQLite.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Price {
        attributes {
            integer_primary_key id;
            attribute amount: Decimal;
        }
        identities {
            identity unique_amount [amount];
        }
    }
}

mod later {
    use ashore::prelude::*;

    resource! {
        /// The same table with the bytes read as text.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Ledger {
            table "ledger";
            attributes {
                integer_primary_key id;
                attribute day: NaiveDate;
                attribute scan: String;
            }
        }
    }

    resource! {
        /// The same table with the decimal read as a float.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Floating {
            table "ledger";
            attributes {
                integer_primary_key id;
                attribute amount: f64;
            }
        }
    }
}

/// `migrate` twice plans nothing the second time; `later` reading `column`
/// as another type is drift.
async fn no_drift_then_drift(first: Domain, again: Domain, wrong: Domain, column: &str) {
    first.migrate().await.expect("made");
    let plan = again.migration_plan().await.expect("a plan");
    assert!(plan.is_empty(), "nothing left to do: {plan:#?}");
    again.migrate().await.expect("nothing to do");
    let err = wrong.migrate().await.expect_err("another type");
    assert!(
        matches!(err.kind(), ErrorKind::SchemaDrift { table: "ledger", column: c, .. } if c == column),
        "{err:?}"
    );
}

#[tokio::test]
async fn sqlite_tables_of_the_new_types_do_not_drift() {
    let dir = std::env::temp_dir().join(format!("ashore-drift-types-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ledger.db");
    let open = || Sqlite::open(&path).expect("the file");
    no_drift_then_drift(
        domain_of::<Ledger>(open()),
        domain_of::<Ledger>(open()),
        domain_of::<later::Ledger>(open()),
        "scan",
    )
    .await;

    // Text written by hand, in other forms of the same numbers.
    let sqlite = open();
    sqlite
        .with_connection(|c| {
            c.execute_batch(
                "INSERT INTO ledger (id, day, scan, amount, meta) VALUES \
                 (1, '2024-01-02', x'00', '10.0', 'null'), \
                 (2, '2024-01-03', x'01', '9.50', '{}')",
            )
        })
        .await
        .expect("rows by hand");
    let d = domain_of::<Ledger>(sqlite);
    let limit: Decimal = "9.6".parse().unwrap();
    let above = d
        .read(Ledger::query().filter(expr!(amount > ^limit)))
        .await
        .expect("a read");
    assert_eq!(above.iter().map(|l| l.id).collect::<Vec<_>>(), [1]);
    let sorted = d
        .read(Ledger::query().sort(Ledger::amount().asc()))
        .await
        .expect("a read");
    assert_eq!(sorted.iter().map(|l| l.id).collect::<Vec<_>>(), [2, 1]);
    assert_eq!(sorted[1].amount.to_string(), "10.0", "as written");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn sqlite_refuses_an_identity_over_a_decimal() {
    let err = Domain::builder()
        .data_layer(Sqlite::memory().expect("a database"))
        .resource::<Price>()
        .build()
        .expect_err("text compared");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::InvalidQuery {
                resource: "Price",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("identity `unique_amount` holds `amount`, a decimal"),
        "{err}"
    );
    // Memory compares decimals as numbers, as PostgreSQL does.
    let d = Domain::builder()
        .resource::<Price>()
        .build()
        .expect("memory");
    let amount = |s: &str| Price::changeset().set(Price::amount(), s.parse::<Decimal>().unwrap());
    d.create(amount("1.5")).await.expect("one");
    d.create(amount("1.50")).await.expect_err("the same number");
}

#[tokio::test]
async fn postgres_tables_of_the_new_types_do_not_drift() {
    let Some(db) = crate::common::pg("drift_types").await else {
        return;
    };
    no_drift_then_drift(
        domain_of::<Ledger>(db.postgres.clone()),
        domain_of::<Ledger>(db.postgres.clone()),
        domain_of::<later::Floating>(db.postgres.clone()),
        "amount",
    )
    .await;
    // PostgreSQL's unique index compares the number, as memory does.
    let d = domain_of::<Price>(db.postgres.clone());
    d.migrate().await.expect("made");
    let amount = |s: &str| Price::changeset().set(Price::amount(), s.parse::<Decimal>().unwrap());
    d.create(amount("1.5")).await.expect("one");
    let err = d.create(amount("1.50")).await.expect_err("the same number");
    assert!(
        matches!(err.kind(), ErrorKind::Constraint { .. }),
        "{err:?}"
    );
}
