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
    assert!(again.is_empty(), "nothing left to do: {again:#?}");

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

/// A column's type altered outside `migrate` under statements a pooled
/// connection prepared ("cached plan must not change result type" from the
/// server): a read prepares its statement again, once, and reads.
#[tokio::test]
async fn postgres_reads_again_after_a_column_type_changes_under_a_prepared_read() {
    let Some(db) = crate::common::pg("plan_changed").await else {
        return;
    };
    let domain = domain_of::<Patron>(db.postgres.clone());
    domain.migrate().await.expect("migrated");
    domain
        .create(Patron::changeset().set(Patron::name(), "Ada"))
        .await
        .expect("Ada");
    // Prepared and cached on every connection the pool has.
    for _ in 0..8 {
        domain.read(Patron::query()).await.expect("reads");
    }
    let client = db.postgres.client().await.expect("a client");
    client
        .batch_execute("ALTER TABLE patron ALTER COLUMN name TYPE varchar(100)")
        .await
        .expect("altered by hand");
    drop(client);
    for _ in 0..8 {
        let patrons = domain.read(Patron::query()).await.expect("reads again");
        assert_eq!(patrons[0].name, "Ada");
        assert_eq!(
            domain.read(Patron::query()).count().await.expect("counts"),
            1
        );
    }
    // A write cannot run again (it may be inside a transaction): the first
    // on a connection that prepared it before fails, and every connection
    // prepares its statements again from then on.
    let mut failed = 0;
    for name in ["Bob", "Cy", "Di"] {
        match domain
            .create(Patron::changeset().set(Patron::name(), name))
            .await
        {
            Ok(_) => {}
            Err(e) => {
                assert!(matches!(e.kind(), ErrorKind::DataLayer { .. }), "{e:?}");
                failed += 1;
            }
        }
    }
    assert!(failed <= 1, "{failed} writes failed");
    let count = domain.read(Patron::query()).count().await.expect("counts");
    assert_eq!(count, 4 - failed);
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

mod shelves {
    use ashore::prelude::*;

    resource! {
        /// A shelf: its books are looked up by `shelf_id` (an index).
        #[derive(Debug, Clone)]
        pub struct Shelf {
            attributes {
                integer_primary_key id;
                attribute label: String;
            }
            relationships {
                has_many books: Book;
            }
        }
    }

    resource! {
        /// A book on a shelf (a foreign key), its code unique (an identity).
        #[derive(Debug, Clone)]
        pub struct Book {
            attributes {
                integer_primary_key id;
                attribute code: String;
                attribute shelf_id: Option<i64>;
            }
            relationships {
                belongs_to shelf: Shelf;
            }
            identities {
                identity unique_code [code];
            }
        }
    }
}

/// Once `migrate` has run, the plan is empty: the foreign keys and indexes it
/// makes are looked up by name rather than listed again; one dropped by hand
/// is planned again, alone.
async fn nothing_left_to_plan(domain: Domain, drop_index: impl AsyncFnOnce(&str)) {
    let first = domain.migration_plan().await.expect("a plan");
    assert!(
        first.iter().any(|s| s.contains("\"book_shelf_id_idx\"")),
        "{first:#?}"
    );
    assert!(
        first
            .iter()
            .any(|s| s.contains("\"book_unique_code_index\"")),
        "{first:#?}"
    );
    domain.migrate().await.expect("made");
    let after = domain.migration_plan().await.expect("a plan");
    assert!(after.is_empty(), "nothing left to do: {after:#?}");

    drop_index("book_shelf_id_idx").await;
    let again = domain.migration_plan().await.expect("a plan");
    assert_eq!(again.len(), 1, "{again:#?}");
    assert!(again[0].starts_with("CREATE INDEX IF NOT EXISTS \"book_shelf_id_idx\""));
    domain.migrate().await.expect("made again");
    let after = domain.migration_plan().await.expect("a plan");
    assert!(after.is_empty(), "nothing left to do: {after:#?}");
}

fn shelves(layer: impl ashore::DataLayer) -> Domain {
    Domain::builder()
        .data_layer(layer)
        .resource::<shelves::Shelf>()
        .resource::<shelves::Book>()
        .build()
        .expect("a domain")
}

#[tokio::test]
async fn sqlite_plans_nothing_once_migrated() {
    let dir = std::env::temp_dir().join(format!("ashore-drift-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = Sqlite::open(dir.join("library.db")).expect("the file");
    let by_hand = sqlite.clone();
    nothing_left_to_plan(shelves(sqlite), async |index| {
        let sql = format!("DROP INDEX \"{index}\"");
        by_hand
            .with_connection(move |c| c.execute_batch(&sql))
            .await
            .expect("dropped");
    })
    .await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn postgres_plans_nothing_once_migrated() {
    // A schema whose name must be quoted (capitals, a space): the lookups by
    // name compare it as text, never parse it again.
    let Some(db) = crate::common::pg("Odd Name").await else {
        return;
    };
    let first = shelves(db.postgres.clone())
        .migration_plan()
        .await
        .expect("a plan");
    assert!(
        first.iter().any(|s| s.contains("\"book_shelf_id_fkey\"")),
        "{first:#?}"
    );
    let by_hand = db.postgres.clone();
    nothing_left_to_plan(shelves(db.postgres.clone()), async |index| {
        let client = by_hand.client().await.expect("a client");
        client
            .batch_execute(&format!("DROP INDEX \"{index}\""))
            .await
            .expect("dropped");
    })
    .await;
}
