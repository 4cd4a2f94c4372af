//! Schema drift on both SQL layers: `migrate` compares an existing table with
//! its resource before touching it. A table made by an older version of the
//! resource gets the optional column added since (and, on PostgreSQL, a table
//! made by hand gets the hidden sequence column), and reads work at once; a
//! required column added since, a column of another type, or an unknown
//! `NOT NULL` column without a default is `ErrorKind::SchemaDrift` naming
//! table, column, expected and found, and nothing changes.
//! `Domain::migration_plan` gives the statements without running them.

use ashore::data_layer::sql::Sqlite;
use ashore::prelude::*;

resource! {
    /// A patron as the first version of the application declared it.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Patron {
        attributes {
            uuid_primary_key id;
            attribute name: String;
        }
    }
}

mod later {
    use ashore::prelude::*;

    resource! {
        /// The same table, a version later: a phone number, optional.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Patron {
            table "patron";
            attributes {
                uuid_primary_key id;
                attribute name: String;
                attribute phone: Option<String>;
            }
        }
    }

    resource! {
        /// The same table with a required attribute added: cannot be mended.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Strict {
            table "patron";
            attributes {
                uuid_primary_key id;
                attribute name: String;
                attribute card: i64;
            }
        }
    }

    resource! {
        /// The same table with `name` read as a number.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Numbered {
            table "patron";
            attributes {
                uuid_primary_key id;
                attribute name: i64;
            }
        }
    }
}

/// A domain of `R` alone on `layer` (also `drift_types`'s).
pub(crate) fn domain_of<R: Resource>(layer: impl ashore::DataLayer) -> Domain {
    Domain::builder()
        .data_layer(layer)
        .resource::<R>()
        .build()
        .expect("a domain")
}

fn assert_drift(err: &Error, column: &str, says: &str) {
    assert!(
        matches!(err.kind(), ErrorKind::SchemaDrift { table: "patron", column: c, .. } if c == column),
        "{err:?}"
    );
    let shown = err.to_string();
    assert!(shown.contains(says), "{shown}");
}

/// The same story on any SQL layer whose first domain is `v1` and whose
/// later domains come from `layer()`.
async fn drift_story(layer: impl Fn() -> Domain, v1: Domain, later: impl Fn() -> Domain) {
    v1.migrate().await.expect("v1");
    v1.create(Patron::changeset().set(Patron::name(), "Ada"))
        .await
        .expect("Ada");

    // The plan says what migrate would do, and does nothing.
    let v2 = later();
    let plan = v2.migration_plan().await.expect("a plan");
    assert!(
        plan.iter()
            .any(|s| s.starts_with("ALTER TABLE \"patron\" ADD COLUMN \"phone\"")),
        "{plan:#?}"
    );
    assert!(
        v2.read(later::Patron::query()).await.is_err(),
        "not yet migrated"
    );

    v2.migrate().await.expect("adds the optional column");
    let patrons = v2
        .read(later::Patron::query())
        .await
        .expect("reads at once");
    assert_eq!(patrons.len(), 1);
    assert_eq!(
        (patrons[0].name.as_str(), patrons[0].phone.as_deref()),
        ("Ada", None)
    );
    v2.migrate().await.expect("idempotent");
    let again = v2.migration_plan().await.expect("a plan");
    assert!(!again.iter().any(|s| s.starts_with("ALTER")), "{again:#?}");

    let strict = layer();
    let err = strict.migrate().await.expect_err("a required column");
    assert_drift(&err, "card", "no such column");
    assert_drift(&err, "card", "make the attribute an Option");
    let err = strict
        .migration_plan()
        .await
        .expect_err("the same in a plan");
    assert_drift(&err, "card", "no such column");

    let numbered = layer();
    let err = numbered.migrate().await.expect_err("another type");
    assert_drift(&err, "name", "expected");
}

#[tokio::test]
async fn sqlite_mends_what_it_safely_can_and_reports_the_rest() {
    let dir = std::env::temp_dir().join(format!("ashore-drift-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("library.db");
    let open = || Sqlite::open(&path).expect("the file");
    let next = std::cell::Cell::new(0);
    drift_story(
        || {
            next.set(next.get() + 1);
            match next.get() {
                1 => domain_of::<later::Strict>(open()),
                _ => domain_of::<later::Numbered>(open()),
            }
        },
        domain_of::<Patron>(open()),
        || domain_of::<later::Patron>(open()),
    )
    .await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn postgres_mends_what_it_safely_can_and_reports_the_rest() {
    let Some(db) = crate::common::pg("drift").await else {
        return;
    };
    let next = std::cell::Cell::new(0);
    drift_story(
        || {
            next.set(next.get() + 1);
            match next.get() {
                1 => domain_of::<later::Strict>(db.postgres.clone()),
                _ => domain_of::<later::Numbered>(db.postgres.clone()),
            }
        },
        domain_of::<Patron>(db.postgres.clone()),
        || domain_of::<later::Patron>(db.postgres.clone()),
    )
    .await;
}

#[tokio::test]
async fn postgres_adds_the_sequence_column_to_a_table_made_by_hand() {
    let Some(db) = crate::common::pg("drift_by_hand").await else {
        return;
    };
    let client = db.postgres.client().await.expect("a client");
    client
        .batch_execute(
            "CREATE TABLE patron (id uuid PRIMARY KEY, name text NOT NULL); \
             INSERT INTO patron VALUES ('00000000-0000-0000-0000-000000000001', 'Ada')",
        )
        .await
        .expect("a table by hand");
    drop(client);
    let domain = domain_of::<Patron>(db.postgres.clone());
    let plan = domain.migration_plan().await.expect("a plan");
    assert!(
        plan.iter()
            .any(|s| s.contains("ADD COLUMN \"_ashore_seq\" BIGSERIAL")),
        "{plan:#?}"
    );
    domain.migrate().await.expect("mended");
    let patrons = domain.read(Patron::query()).await.expect("reads");
    assert_eq!(patrons.len(), 1);
    domain
        .create(Patron::changeset().set(Patron::name(), "Bob"))
        .await
        .expect("Bob");
    let names: Vec<String> = domain
        .read(Patron::query())
        .await
        .expect("reads")
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["Ada", "Bob"], "insertion order");
}

#[tokio::test]
async fn an_unknown_required_column_without_a_default_is_drift() {
    let dir = std::env::temp_dir().join(format!("ashore-drift-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = Sqlite::open(dir.join("library.db")).expect("the file");
    sqlite
        .with_connection(|c| {
            c.execute_batch(
                "CREATE TABLE patron (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, \
                 branch TEXT NOT NULL)",
            )
        })
        .await
        .expect("a table by hand");
    let err = domain_of::<Patron>(sqlite)
        .migrate()
        .await
        .expect_err("inserts would fail");
    assert_drift(&err, "branch", "NOT NULL without a default");
    let _ = std::fs::remove_dir_all(&dir);
}
