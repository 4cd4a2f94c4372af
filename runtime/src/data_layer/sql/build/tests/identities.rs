//! The SQL text of identities: the unique index `migrate` makes for each (the
//! tenant attribute first on a multitenant resource, Ash's index name), and
//! the `ON CONFLICT .. DO UPDATE` of an upsert, on both dialects.

use super::*;
use crate::data_layer::sql::build::{identity_index, migrate, upsert};
use crate::data_layer::{Upsert, Visibility};
use crate::policy::Multitenancy;
use crate::resource::Identity;

static IDENTITIES: [Identity; 2] = [
    Identity {
        name: "unique_name",
        keys: &["name"],
    },
    Identity {
        name: "unique_name_score",
        keys: &["name", "score"],
    },
];

/// `Rep` with the identities above; multitenant by `threshold` when `tenant`.
fn rep(tenant: bool) -> &'static Schema {
    Box::leak(Box::new(Schema {
        identities: &IDENTITIES,
        multitenancy: tenant.then_some(Multitenancy {
            attribute: "threshold",
            global: false,
        }),
        ..*Rep::schema()
    }))
}

#[test]
fn migrate_makes_one_unique_index_per_identity() {
    let schema = rep(false);
    for dialect in [Dialect::Sqlite, Dialect::Postgres] {
        let ddl = migrate(dialect, &[schema]);
        assert_eq!(
            ddl[ddl.len() - 2..],
            [
                r#"CREATE UNIQUE INDEX IF NOT EXISTS "rep_unique_name_index" ON "rep" ("name")"#,
                r#"CREATE UNIQUE INDEX IF NOT EXISTS "rep_unique_name_score_index" ON "rep" ("name", "score")"#,
            ]
        );
    }
    // The tenant attribute first.
    let ddl = migrate(Dialect::Postgres, &[rep(true)]);
    assert_eq!(
        ddl.last().map(String::as_str),
        Some(
            r#"CREATE UNIQUE INDEX IF NOT EXISTS "rep_unique_name_score_index" ON "rep" ("threshold", "name", "score")"#
        )
    );
    assert_eq!(
        identity_index(Dialect::Sqlite, schema, &IDENTITIES[0]),
        "rep_unique_name_index"
    );
}

#[test]
fn upserts_update_on_conflict_with_the_identity() {
    let schema = rep(true);
    let rows = vec![vec![
        Value::Int(1),
        s("a"),
        Value::Int(3),
        Value::Float(1.5),
        Value::Null,
    ]];
    let returning = r#" RETURNING "id", "name", "threshold", "score", "active""#;
    let by_name = |update| Upsert {
        identity: &IDENTITIES[0],
        update,
        visibility: Default::default(),
    };
    let [sqlite] = &upsert(
        Dialect::Sqlite,
        schema,
        &crate::testing::flat(rows.clone()),
        &by_name(vec![3, 4]),
    )
    .expect("upsert")[..] else {
        panic!("one statement");
    };
    assert_eq!(
        sqlite.sql,
        r#"INSERT INTO "rep" ("id", "name", "threshold", "score", "active") VALUES (?1, ?2, ?3, ?4, NULL) ON CONFLICT ("threshold", "name") DO UPDATE SET "score" = excluded."score", "active" = excluded."active""#
            .to_owned()
            + returning
    );
    let statements = upsert(
        Dialect::Postgres,
        schema,
        &crate::testing::flat(rows.clone()),
        &by_name(vec![]),
    )
    .expect("upsert");
    // Nothing to update: the record found is set to itself, so it is returned.
    assert_eq!(
        statements.last().map(|s| s.sql.as_str()),
        Some(
            &*(r#"INSERT INTO "rep" ("id", "name", "threshold", "score", "active") VALUES ($1::bigint, $2::text, $3::bigint, $4::float8, NULL) ON CONFLICT ("threshold", "name") DO UPDATE SET "threshold" = excluded."threshold""#
                .to_owned()
                + returning)
        )
    );
    // Values are bound, never written into the text.
    assert!(statements.iter().all(|s| !s.sql.contains("'a'")));
}

/// An upsert whose records found are restricted (`Upsert::visibility`): the
/// table is read as `t0` and the condition is the `WHERE` of `DO UPDATE`, in
/// an `EXISTS` correlated to `t0` when it has a path, its parameters numbered
/// before the rows' values in every statement (each chunk has them).
#[test]
fn an_upsert_tests_the_record_found_in_its_do_update() {
    let schema = rep(true);
    let condition = cmp(CmpOp::Eq, attr("active"), val(true)).and(cmp(
        CmpOp::Eq,
        Expr::path_attr(["tickets"], "status"),
        text("open"),
    ));
    let restricted = Upsert {
        identity: &IDENTITIES[0],
        update: vec![3],
        visibility: Visibility::new(vec![(schema, condition)]),
    };
    let row = |id: i64| {
        vec![
            Value::Int(id),
            s("a"),
            Value::Int(3),
            Value::Float(1.5),
            Value::Null,
        ]
    };
    let [sqlite] = &upsert(
        Dialect::Sqlite,
        schema,
        &crate::testing::flat(vec![row(1)]),
        &restricted,
    )
    .expect("upsert")[..] else {
        panic!("one statement");
    };
    assert_eq!(
        sqlite.sql,
        concat!(
            r#"INSERT INTO "rep" AS t0 ("id", "name", "threshold", "score", "active") VALUES (?2, ?3, ?4, ?5, NULL) "#,
            r#"ON CONFLICT ("threshold", "name") DO UPDATE SET "score" = excluded."score" "#,
            r#"WHERE EXISTS (SELECT 1 FROM (SELECT 1) AS d2 LEFT JOIN "ticket" t1 ON t1."rep_id" = t0."id" "#,
            r#"WHERE ((t0."active" = 1) AND (t1."status" = ?1))) "#,
            r#"RETURNING "id", "name", "threshold", "score", "active""#
        )
    );
    assert_eq!(
        sqlite.params[..2],
        [Param::Value(s("open")), Param::Value(Value::Int(1))]
    );
    // Split at the parameter limit: every statement tests the record found.
    let rows: Vec<Vec<Value>> = (0..3).map(row).collect();
    let statements = super::super::insert::insert_chunked(
        Dialect::Postgres,
        schema,
        &crate::testing::flat(rows),
        Some(&restricted),
        1 + 4,
    )
    .expect("upsert");
    let inserts: Vec<_> = statements
        .iter()
        .filter(|s| s.sql.starts_with("INSERT"))
        .collect();
    assert_eq!(inserts.len(), 3, "one row each");
    for statement in inserts {
        assert!(
            statement.sql.starts_with(r#"INSERT INTO "rep" AS t0 "#)
                && statement
                    .sql
                    .contains(r#"DO UPDATE SET "score" = excluded."score" WHERE EXISTS ("#),
            "{}",
            statement.sql
        );
        assert_eq!(statement.params.len(), 1 + 4, "{}", statement.sql);
        assert_eq!(statement.params[0], Param::Value(s("open")));
    }
    // No condition (no policies, or authorization off): the statement is the
    // plain upsert.
    let plain = Upsert {
        visibility: Visibility::default(),
        ..restricted
    };
    let statements = upsert(
        Dialect::Postgres,
        schema,
        &crate::testing::flat(vec![row(1)]),
        &plain,
    )
    .expect("upsert");
    assert!(
        !statements[0].sql.contains(" AS t0") && !statements[0].sql.contains("WHERE"),
        "{}",
        statements[0].sql
    );
}
