//! Aggregates computed for records given by their primary keys (`keyed`): on
//! PostgreSQL, for UUID keys, the source table read one key at a time, the
//! rest of the filter and the visibility still applied; its answers are
//! memory's on real databases (`same_as_memory`, run by the `sqlite` and
//! `postgres` tests), keys repeated, missing, nil or of another type, records
//! hidden included.

use super::aggregates::compare;
use super::differential::Db;
use super::*;
use crate::data_layer::Visibility;
use crate::data_layer::sql::build::{aggregate, aggregate_list, insert, migrate};
use crate::expr::{Aggregate, AggregateKind};

// A bin of tickets, keyed by a UUID: its tickets are those whose `ext` is
// its key.
test_resource!(Bin in "bin", id: Uuid = None, { label: String, open: Option<bool> } &[
    RelationshipInfo::new("tickets", RelationshipKind::HasMany, Ticket::schema, "id", Some("ext")),
]);

/// The bins: the tickets' `ext` are `uuid(1)`, `uuid(2)` and `uuid(3)`.
fn bins() -> Vec<Row> {
    let bin = |n: u8, label: &str, open: Option<bool>| vec![uuid(n).into(), s(label), open.into()];
    vec![
        bin(2, "b", Some(true)),
        bin(1, "a", Some(false)),
        bin(4, "", Some(true)),
        bin(3, "c", None),
    ]
}

/// `id in keys`.
fn keys(keys: Vec<Value>) -> Expr {
    Expr::is_in(attr("id"), keys)
}

/// Bins that are not `open` hidden, and tickets that are open.
fn hiding_closed(filter: Expr) -> ReadRequest {
    let mut request = ReadRequest::new(Bin::schema());
    request.filter = Some(filter);
    request.visibility = Visibility::new(vec![
        (Bin::schema(), cmp(CmpOp::Eq, attr("open"), val(true))),
        (
            Ticket::schema(),
            cmp(CmpOp::Ne, attr("status"), text("open")),
        ),
    ]);
    request
}

#[test]
fn given_uuid_keys_are_searched_one_at_a_time_on_postgres_visibility_kept() {
    let count = [Aggregate::new(AggregateKind::Count, ["tickets"])];
    let filter = cmp(CmpOp::Ne, attr("label"), text("b")).and(keys(vec![
        uuid(3).into(),
        Value::Null,
        uuid(1).into(),
        uuid(3).into(),
        Value::Int(1),
    ]));
    let request = hiding_closed(filter);
    let pg = aggregate(Dialect::Postgres, &request, &count).expect("aggregate");
    check_placeholders(&pg, Dialect::Postgres);
    assert_eq!(
        pg.sql,
        concat!(
            r#"SELECT t0."id", (SELECT count(*) FROM "ticket" t1 WHERE t1."ext" = t0."id" AND (t1."status" COLLATE "C" <> $1::text)) "#,
            r#"FROM unnest($2::uuid[]) AS k0(k) CROSS JOIN LATERAL (SELECT * FROM "bin" k1 WHERE k1."id" = k0.k OFFSET 0) t0 "#,
            r#"WHERE (t0."label" COLLATE "C" <> $3::text) AND (t0."open" = TRUE) ORDER BY t0."_ashore_seq""#
        )
    );
    // Each key once, in order; the nil and the integer left out.
    assert_eq!(
        pg.params[1],
        Param::List(ValueType::Uuid, vec![uuid(3).into(), uuid(1).into()])
    );
    // SQLite searches the key's index for `IN rarray(?n)`: unchanged.
    let sqlite = aggregate(Dialect::Sqlite, &request, &count).expect("aggregate");
    assert!(
        sqlite
            .sql
            .contains(r#"FROM "bin" t0 WHERE (t0."label" <> ?2) AND "#),
        "{}",
        sqlite.sql
    );
    // A list is read from the same source.
    let list = Aggregate::new(AggregateKind::List, ["tickets"]).field("p");
    let pg = aggregate_list(Dialect::Postgres, &request, &list).expect("list");
    check_placeholders(&pg, Dialect::Postgres);
    assert!(
        pg.sql.starts_with(concat!(
            r#"SELECT t0."id", t1."p" FROM unnest($2::uuid[]) AS k0(k) CROSS JOIN LATERAL (SELECT * FROM "bin" k1 WHERE k1."id" = k0.k OFFSET 0) t0, "ticket" t1 "#,
            r#"WHERE t1."ext" = t0."id" AND (t1."status" COLLATE "C" <> $1::text) AND t1."p" IS NOT NULL AND (t0."label" COLLATE "C" <> $3::text) AND (t0."open" = TRUE) "#
        )),
        "{}",
        pg.sql
    );
}

#[test]
fn other_filters_and_integer_keys_keep_the_table() {
    let count = [Aggregate::new(AggregateKind::Count, ["tickets"])];
    let bin = |filter: Expr| (Bin::schema(), filter);
    for (schema, filter) in [
        // Not the primary key, through a path, under `or`, nothing that can
        // be a key.
        bin(Expr::is_in(attr("label"), vec![s("a")])),
        bin(Expr::is_in(
            through(&["tickets"], "id"),
            vec![Value::Int(1)],
        )),
        bin(keys(vec![uuid(1).into()]).or(cmp(CmpOp::Eq, attr("label"), text("b")))),
        bin(keys(vec![Value::Null, Value::Int(1)])),
        bin(keys(Vec::new())),
        // Integer keys: PostgreSQL searches the index for `= ANY` itself.
        (Rep::schema(), keys(vec![Value::Int(1), Value::Int(2)])),
    ] {
        let mut request = ReadRequest::new(schema);
        request.filter = Some(filter);
        let pg = aggregate(Dialect::Postgres, &request, &count).expect("aggregate");
        assert!(pg.sql.contains(r#"" t0 WHERE"#), "{}", pg.sql);
        assert!(!pg.sql.contains("unnest"), "{}", pg.sql);
    }
}

/// Bins added to `db` and `memory` (after the shared data set), then keys
/// repeated, missing (`uuid(9)`), nil and of another type; alone, under
/// visibility that hides given bins (`uuid(1)`, not open; `uuid(3)`, open
/// nil) and open tickets, and with another conjunct: `db` gives memory's
/// answers, for several kinds and for a list. Without the visibility on the
/// bins given, `uuid(1)` and `uuid(3)` would come back.
pub(super) fn same_as_memory(db: &mut impl Db, memory: &Memory) {
    use AggregateKind::*;
    let schema = Bin::schema();
    for ddl in migrate(db.dialect(), &[schema]) {
        db.execute(&ddl);
    }
    for statement in
        insert(db.dialect(), schema, &crate::testing::flat(bins())).expect("insert statements")
    {
        db.query(&statement, schema).expect("insert");
    }
    memory.register(schema).expect("register");
    block_on(memory.create(schema, crate::testing::flat(bins()))).expect("insert");
    let given: Vec<Value> = vec![
        uuid(4).into(),
        uuid(1).into(),
        uuid(9).into(),
        Value::Null,
        uuid(2).into(),
        uuid(4).into(),
        uuid(3).into(),
        Value::Int(3),
    ];
    let mut requests = vec![hiding_closed(keys(given.clone()))];
    let mut plain = ReadRequest::new(schema);
    plain.filter = Some(keys(given.clone()));
    requests.push(plain.clone());
    plain.filter = Some(cmp(CmpOp::Ne, attr("label"), text("")).and(keys(given)));
    requests.push(plain);
    let aggregates = [
        Aggregate::new(Count, ["tickets"]),
        Aggregate::new(Count, ["tickets", "tags"]),
        Aggregate::new(Sum, ["tickets"]).field("small"),
        Aggregate::new(Max, ["tickets"]).field("status"),
        Aggregate::new(First, ["tickets"]).field("p"),
        Aggregate::new(Exists, ["tickets"]).filter(cmp(CmpOp::Gt, attr("p"), val(3_i64))),
    ];
    let mut returned = Vec::new();
    for request in &requests {
        compare(db, memory, request, &aggregates);
        let rows = block_on(memory.aggregate(request.clone(), aggregates.to_vec()))
            .expect("memory aggregate");
        returned.push(rows.len());
    }
    // Of the four bins given, the visibility hides two (not open, or open
    // nil), the other conjunct (label not empty) one.
    assert_eq!(returned, [2, 4, 3]);
    let list = Aggregate::new(List, ["tickets"]).field("p");
    for request in &requests {
        let expected =
            block_on(memory.aggregate_list(request.clone(), list.clone())).expect("memory list");
        let expected: Vec<Row> = expected.into_iter().map(|(k, v)| vec![k, v]).collect();
        let statement = aggregate_list(db.dialect(), request, &list).expect("statement");
        check_placeholders(&statement, db.dialect());
        let got = db
            .query(&statement, request.schema)
            .unwrap_or_else(|e| panic!("{e}: {}", statement.sql));
        assert_eq!(got, expected, "{list} ({})", statement.sql);
    }
}
