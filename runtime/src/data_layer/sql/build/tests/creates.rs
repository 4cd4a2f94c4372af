//! The SQL text of inserts (one statement per chunk of rows, every value a
//! parameter) and of the DDL `migrate` plans, on both dialects.

use super::*;
use crate::data_layer::sql::build::{insert, migrate};
use crate::testing::flat;

#[test]
fn inserts() {
    let rows = vec![
        vec![
            Value::Null,
            s("a"),
            Value::Int(3),
            Value::Null,
            Value::Bool(true),
        ],
        vec![
            Value::Int(7),
            s("b"),
            Value::Null,
            Value::Float(1.5),
            Value::Null,
        ],
    ];
    let [sqlite] =
        &insert(Dialect::Sqlite, Rep::schema(), &flat(rows.clone())).expect("insert")[..]
    else {
        panic!("one statement");
    };
    let returning = r#" RETURNING "id", "name", "threshold", "score", "active""#;
    assert_eq!(
        sqlite.sql,
        r#"INSERT INTO "rep" ("id", "name", "threshold", "score", "active") VALUES ((SELECT max(COALESCE(MAX("id"), ?1), ?1) + 1 FROM "rep"), ?2, ?3, NULL, ?4), (?5, ?6, NULL, ?7, NULL)"#
            .to_owned()
            + returning
    );
    assert_eq!(sqlite.params[0], Param::Value(Value::Int(7)));
    assert_eq!(sqlite.columns, Columns::Attributes);
    // Given keys first move the identity sequence past them.
    let [sequence, pg] =
        &insert(Dialect::Postgres, Rep::schema(), &flat(rows.clone())).expect("insert")[..]
    else {
        panic!("two statements");
    };
    assert_eq!(
        sequence.sql,
        r#"SELECT setval(s, GREATEST($1::bigint, (SELECT MAX("id") FROM "rep"), pg_sequence_last_value(s)), true) FROM (SELECT pg_get_serial_sequence('"rep"', 'id')::regclass AS s) AS q"#
    );
    assert_eq!(sequence.params, [Param::Value(Value::Int(7))]);
    assert_eq!(sequence.columns, Columns::None);
    assert_eq!(
        pg.sql,
        r#"INSERT INTO "rep" ("id", "name", "threshold", "score", "active") VALUES (DEFAULT, $1::text, $2::bigint, NULL, $3::boolean), ($4::bigint, $5::text, NULL, $6::float8, NULL)"#
            .to_owned()
            + returning
    );
    assert!(
        insert(Dialect::Postgres, Rep::schema(), &flat(vec![]))
            .expect("insert")
            .is_empty()
    );
    let short = vec![vec![Value::Int(1)]];
    assert!(insert(Dialect::Sqlite, Rep::schema(), &flat(short)).is_err());
    let odd = insert(
        Dialect::Sqlite,
        Odd::schema(),
        &flat(vec![vec![Value::Int(1), Value::Null]]),
    );
    assert!(
        odd.expect("insert")[0]
            .sql
            .starts_with(r#"INSERT INTO "we""ird" ("id", "label")"#)
    );

    // Chunks at the parameter limits, rows in order.
    let rows: Vec<Row> = (0..20_000)
        .map(|i| {
            vec![
                Value::Int(i),
                s("n"),
                Value::Int(1),
                Value::Float(1.0),
                Value::Bool(false),
            ]
        })
        .collect();
    // PostgreSQL takes a plain insert as one array per column; a batch that
    // leaves an integer key to the identity and gives others takes VALUES.
    let statements: Vec<Statement> = insert(Dialect::Postgres, Rep::schema(), &flat(rows.clone()))
        .expect("insert")
        .into_iter()
        .filter(|s| s.columns != Columns::None)
        .collect();
    let [unnest] = &statements[..] else {
        panic!("one insert: {statements:?}");
    };
    assert_eq!(
        unnest.sql,
        r#"INSERT INTO "rep" ("id", "name", "threshold", "score", "active") SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::bigint[], $4::float8[], $5::boolean[])"#
            .to_owned()
            + returning
    );
    check_placeholders(unnest, Dialect::Postgres);
    let keys: Vec<Value> = (0..20_000).map(Value::Int).collect();
    assert_eq!(unnest.params[0], Param::List(ValueType::I64, keys));
    let mut mixed = rows.clone();
    mixed[19_999][0] = Value::Null;
    let chunks = insert(Dialect::Postgres, Rep::schema(), &flat(mixed.clone())).expect("insert");
    let mut values = chunks.iter().filter(|c| c.columns != Columns::None);
    assert!(values.all(|c| c.sql.contains(" VALUES (")));
    for (dialect, limit, count, rows) in [
        (Dialect::Sqlite, 32_766, 4, &rows),
        (Dialect::Postgres, 65_535, 2, &mixed),
    ] {
        let statements: Vec<Statement> = insert(dialect, Rep::schema(), &flat(rows.clone()))
            .expect("insert")
            .into_iter()
            .filter(|s| s.columns != Columns::None)
            .collect();
        assert_eq!(statements.len(), count);
        let mut first = 0;
        for statement in &statements {
            assert!(statement.params.len() <= limit);
            check_placeholders(statement, dialect);
            assert_eq!(statement.params[0], Param::Value(Value::Int(first)));
            first += statement.params.len().div_ceil(5) as i64;
        }
        assert_eq!(first, 20_000);
    }
}

#[test]
fn ddl() {
    let sqlite = migrate(Dialect::Sqlite, &schemas());
    assert_eq!(
        sqlite,
        [
            r#"CREATE TABLE IF NOT EXISTS "rep" ("id" INT PRIMARY KEY NOT NULL, "name" TEXT NOT NULL, "threshold" INTEGER, "score" REAL, "active" INTEGER)"#,
            r#"CREATE TABLE IF NOT EXISTS "ticket" ("id" INT PRIMARY KEY NOT NULL, "rep_id" INTEGER, "p" INTEGER, "status" TEXT, "score" REAL, "urgent" INTEGER, "opened" TEXT, "ext" TEXT CONSTRAINT "ticket_ext_uuid" CHECK ("ext" GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'), "small" INTEGER, FOREIGN KEY ("rep_id") REFERENCES "rep" ("id"))"#,
            r#"CREATE TABLE IF NOT EXISTS "tag" ("id" INT PRIMARY KEY NOT NULL, "label" TEXT NOT NULL)"#,
            r#"CREATE TABLE IF NOT EXISTS "ticket_tag" ("id" INT PRIMARY KEY NOT NULL, "ticket_id" INTEGER NOT NULL, "tag_id" INTEGER NOT NULL)"#,
            r#"CREATE INDEX IF NOT EXISTS "ticket_rep_id_idx" ON "ticket" ("rep_id")"#,
            r#"CREATE INDEX IF NOT EXISTS "ticket_tag_ticket_id_idx" ON "ticket_tag" ("ticket_id")"#,
            r#"CREATE INDEX IF NOT EXISTS "ticket_tag_tag_id_idx" ON "ticket_tag" ("tag_id")"#,
        ]
    );
    let pg = migrate(Dialect::Postgres, &schemas());
    assert_eq!(
        pg[..2],
        [
            r#"CREATE TABLE IF NOT EXISTS "rep" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY NOT NULL, "name" TEXT NOT NULL, "threshold" BIGINT, "score" DOUBLE PRECISION, "active" BOOLEAN, "_ashore_seq" BIGSERIAL NOT NULL)"#,
            r#"CREATE TABLE IF NOT EXISTS "ticket" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY NOT NULL, "rep_id" BIGINT, "p" BIGINT, "status" TEXT, "score" DOUBLE PRECISION, "urgent" BOOLEAN, "opened" TIMESTAMPTZ, "ext" UUID, "small" SMALLINT, "_ashore_seq" BIGSERIAL NOT NULL)"#,
        ]
    );
    assert_eq!(
        pg[4],
        r#"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'ticket_rep_id_fkey' AND connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())) THEN ALTER TABLE "ticket" ADD CONSTRAINT "ticket_rep_id_fkey" FOREIGN KEY ("rep_id") REFERENCES "rep" ("id") DEFERRABLE INITIALLY IMMEDIATE; END IF; END $$"#
    );
    assert_eq!(pg[5..], sqlite[4..]);
    // Without the destination, no foreign key; each schema once.
    let alone = migrate(Dialect::Sqlite, &[Ticket::schema(), Ticket::schema()]);
    assert_eq!(alone.len(), 2);
    assert!(!alone[0].contains("FOREIGN KEY"));
    // Long names are shortened for PostgreSQL, quotes are doubled.
    let long = migrate(Dialect::Postgres, &[Long::schema(), Rep::schema()]);
    let fkey = &long[2];
    let name = "a_table_with_a_name_long_enough_to_overflow_postgres_n_";
    assert!(fkey.contains(&format!("conname = '{name}")), "{fkey}");
    let quoted = fkey.split('"').nth(3).expect("the constraint's name");
    assert_eq!(quoted.len(), 63);
    assert!(fkey.contains(&format!("'{quoted}'")));
    assert_eq!(long[3].split('"').nth(1).map(str::len), Some(63));
}

test_resource!(Long in "a_table_with_a_name_long_enough_to_overflow_postgres_names", id: i64 = Some(Generated::Integer), {
    rep_id: i64
} &[RelationshipInfo::new("rep", RelationshipKind::BelongsTo, Rep::schema, "rep_id", None)]);
