//! Tests of the PostgreSQL data layer against a real server, on hand-written
//! resources.
//!
//! They need `ASHORE_PG_URL` (e.g. `postgres://postgres@127.0.0.1:5432/test`):
//! without it each test prints one line and passes; with it, a server that cannot
//! be reached fails the tests. Each test works in a schema of its own, dropped at
//! its end.

use std::sync::atomic::AtomicU32;

use super::connect::{escape_option, quote_ident};
use super::*;
use crate::data_layer::sql::{Columns, Param};
use crate::error::{Error, ErrorKind};
use crate::resource::{Generated, Row};
use crate::value::ValueType;

mod constraints;
mod end_to_end;
mod stream;
mod values;

/// A resource in table `$table` with an `i64` primary key `id` (generated as
/// `$generated`), `fields` and relationships (none when left out).
macro_rules! pg_resource {
    ($name:ident $table:literal $generated:expr, { $($field:ident : $ty:ty),* $(,)? } $($rels:expr)?) => {
        crate::testing::test_resource!(
            pub(super) $name in $table, id: i64 = $generated, { $($field: $ty),* } $($rels)?
        );
    };
}
use pg_resource;

/// A layer in a schema of its own, or `None` (after saying why) when
/// `ASHORE_PG_URL` is not set. Panics when the server cannot be reached.
async fn layer(test: &str) -> Option<TestDb> {
    let Ok(url) = std::env::var("ASHORE_PG_URL") else {
        // Straight to stderr, once per test binary: the test harness captures
        // `println!`, and the skip must be visible in a plain `cargo test`.
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "skipping PostgreSQL tests: ASHORE_PG_URL is not set"
            );
        });
        return None;
    };
    let schema = unique_schema(test);
    let pg = Postgres::connect_in_schema(&url, &schema)
        .await
        .unwrap_or_else(|e| panic!("ASHORE_PG_URL is set but {url} cannot be used: {e}"));
    Some(TestDb { pg, schema, url })
}

/// A schema name no other run uses.
fn unique_schema(test: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "ashore_{test}_{}_{nanos}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

struct TestDb {
    pg: Postgres,
    schema: String,
    url: String,
}

impl TestDb {
    /// Runs DDL (or any statements) as they are.
    async fn execute(&self, sql: &str) {
        self.pg
            .client()
            .await
            .expect("client")
            .batch_execute(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
    }

    /// Drops the test's schema, best-effort.
    async fn drop(self) {
        let sql = format!(
            "DROP SCHEMA IF EXISTS {} CASCADE",
            quote_ident(&self.schema)
        );
        if let Ok(client) = self.pg.client().await {
            let _ = client.batch_execute(&sql).await;
        }
    }
}

/// A statement as the builder would make it.
fn stmt(sql: &str, params: Vec<Param>, columns: Columns) -> Statement {
    Statement {
        sql: sql.to_owned(),
        params,
        columns,
    }
}

/// Runs a read-shaped statement through the read path's run and decode, and
/// gives the records back as rows, each with the position of its key among
/// `keys` (for a partitioned read: a partition through a join, so the key
/// column is decoded), grouped by key in the order of `keys`.
async fn fetch<R: Resource>(
    pg: &Postgres,
    statement: &Statement,
    keys: &[Value],
) -> Result<(Vec<Row>, Vec<usize>)> {
    let partition = (!keys.is_empty()).then(|| crate::data_layer::Partition {
        by: crate::data_layer::PartitionBy::Through {
            join: R::schema(),
            source_attribute_on_join: "id",
            destination_attribute_on_join: "id",
            destination_attribute: "id",
        },
        keys: keys.to_vec(),
    });
    let records = pg
        .read_records(R::schema(), statement, partition.as_ref())
        .await?;
    let row = |r: &R| -> Row {
        (0..R::schema().attributes.len())
            .map(|i| r.get(i))
            .collect()
    };
    if partition.is_none() {
        return Ok((
            records.into_vec::<R>()?.iter().map(row).collect(),
            Vec::new(),
        ));
    }
    let groups = crate::data_layer::ReadResult::new(records).into_groups::<R>(keys.len())?;
    Ok(groups
        .iter()
        .enumerate()
        .flat_map(|(g, records)| records.iter().map(move |r| (row(r), g)))
        .unzip())
}

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

#[tokio::test]
async fn unreachable_server_is_an_error() {
    // Port 1 on loopback: nothing listens there, the connection is refused.
    let err = Postgres::connect("postgres://postgres@127.0.0.1:1/test")
        .await
        .expect_err("nothing listens on port 1");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::DataLayer {
                source: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("connect"), "{err}");
    let err = Postgres::connect_in_schema("postgres://postgres@127.0.0.1:1/test", "s")
        .await
        .expect_err("nothing listens on port 1");
    assert!(matches!(err.kind(), ErrorKind::DataLayer { .. }), "{err:?}");
}

#[tokio::test]
async fn bad_urls_and_schema_names_are_errors() {
    let err = Postgres::connect("postgres://[::1")
        .await
        .expect_err("not a URL");
    assert!(err.to_string().contains("URL"), "{err}");
    for name in ["", "a\0b"] {
        let err = Postgres::connect_in_schema("postgres://postgres@127.0.0.1:1/test", name)
            .await
            .expect_err("not a schema name");
        assert!(err.to_string().contains("schema"), "{err}");
    }
}

#[test]
fn options_are_escaped() {
    assert_eq!(quote_ident(r#"a "b""#), r#""a ""b""""#);
    assert_eq!(escape_option(r#""a b\c""#), r#""a\ b\\c""#);
}

#[tokio::test]
async fn schema_is_created_and_searched() {
    let Some(db) = layer("schema").await else {
        return;
    };
    // A name that needs quoting, with a space, a quote and a backslash.
    let odd = format!("{} x \"y\" \\z", db.schema);
    let pg = Postgres::connect_in_schema(&db.url, &odd)
        .await
        .expect("odd schema");
    let client = pg.client().await.expect("client");
    client
        .batch_execute("CREATE TABLE here (id bigint)")
        .await
        .expect("create table");
    let row = client
        .query_one(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = 'here' \
             AND table_schema = current_schema()",
            &[],
        )
        .await
        .expect("found the table");
    assert_eq!(row.get::<_, String>(0), odd);
    // Connecting again to an existing schema is fine.
    let again = Postgres::connect_in_schema(&db.url, &odd)
        .await
        .expect("existing schema");
    let n = again
        .client()
        .await
        .expect("client")
        .query_one("SELECT count(*) FROM here", &[])
        .await
        .expect("table visible")
        .get::<_, i64>(0);
    assert_eq!(n, 0);
    let _ = client
        .batch_execute(&format!("DROP SCHEMA {} CASCADE", quote_ident(&odd)))
        .await;
    assert_eq!(pg.name(), "postgres");
    assert!(format!("{pg:?}").starts_with("Postgres {"));
    db.drop().await;
}
