//! Aggregates computed for records given by their primary keys (`keyed`): on
//! PostgreSQL the source table read one key at a time, the rest of the filter
//! and the visibility still applied; its answers are memory's on real
//! databases (`same_as_memory`, run by the `sqlite` and `postgres` tests),
//! keys repeated, missing, nil or of another type, records hidden included.

use super::aggregates::compare;
use super::differential::Db;
use super::*;
use crate::data_layer::Visibility;
use crate::data_layer::sql::build::{aggregate, aggregate_list};
use crate::expr::{Aggregate, AggregateKind};

/// `id in keys`.
fn keys(keys: Vec<Value>) -> Expr {
    Expr::is_in(attr("id"), keys)
}

/// Reps that are not `active` hidden, and tickets that are open.
fn hiding_inactive(filter: Expr) -> ReadRequest {
    let mut request = ReadRequest::new(Rep::schema());
    request.filter = Some(filter);
    request.visibility = Visibility::new(vec![
        (Rep::schema(), cmp(CmpOp::Eq, attr("active"), val(true))),
        (
            Ticket::schema(),
            cmp(CmpOp::Ne, attr("status"), text("open")),
        ),
    ]);
    request
}

#[test]
fn given_keys_are_searched_one_at_a_time_on_postgres_visibility_kept() {
    let count = [Aggregate::new(AggregateKind::Count, ["tickets"])];
    let filter = cmp(CmpOp::Ne, attr("name"), text("bob")).and(keys(vec![
        Value::Int(3),
        Value::Null,
        Value::Int(1),
        Value::Int(3),
        Value::String("1".to_owned()),
    ]));
    let request = hiding_inactive(filter);
    let pg = aggregate(Dialect::Postgres, &request, &count).expect("aggregate");
    check_placeholders(&pg, Dialect::Postgres);
    assert_eq!(
        pg.sql,
        concat!(
            r#"SELECT t0."id", (SELECT count(*) FROM "ticket" t1 WHERE t1."rep_id" = t0."id" AND (t1."status" COLLATE "C" <> $1::text)) "#,
            r#"FROM unnest($2::bigint[]) AS k0(k) CROSS JOIN LATERAL (SELECT * FROM "rep" k1 WHERE k1."id" = k0.k OFFSET 0) t0 "#,
            r#"WHERE (t0."name" COLLATE "C" <> $3::text) AND (t0."active" = TRUE) ORDER BY t0."_ashore_seq""#
        )
    );
    // Each key once, in order; the nil and the text left out.
    assert_eq!(
        pg.params[1],
        Param::List(ValueType::I64, vec![Value::Int(3), Value::Int(1)])
    );
    // SQLite searches the key's index for `IN rarray(?n)`: unchanged.
    let sqlite = aggregate(Dialect::Sqlite, &request, &count).expect("aggregate");
    assert!(
        sqlite
            .sql
            .contains(r#"FROM "rep" t0 WHERE (t0."name" <> ?2) AND NULLIF((t0."id" IN rarray(?3)), 0) AND (t0."active" = 1)"#),
        "{}",
        sqlite.sql
    );
    // A list is read from the same source.
    let list = Aggregate::new(AggregateKind::List, ["tickets"]).field("p");
    let pg = aggregate_list(Dialect::Postgres, &request, &list).expect("list");
    check_placeholders(&pg, Dialect::Postgres);
    assert!(
        pg.sql.starts_with(concat!(
            r#"SELECT t0."id", t1."p" FROM unnest($2::bigint[]) AS k0(k) CROSS JOIN LATERAL (SELECT * FROM "rep" k1 WHERE k1."id" = k0.k OFFSET 0) t0, "ticket" t1 "#,
            r#"WHERE t1."rep_id" = t0."id" AND (t1."status" COLLATE "C" <> $1::text) AND t1."p" IS NOT NULL AND (t0."name" COLLATE "C" <> $3::text) AND (t0."active" = TRUE) "#
        )),
        "{}",
        pg.sql
    );
}

#[test]
fn other_filters_keep_the_table() {
    let count = [Aggregate::new(AggregateKind::Count, ["tickets"])];
    for filter in [
        // Not the primary key, through a path, under `or`, nothing that can
        // be a key.
        Expr::is_in(attr("threshold"), vec![Value::Int(1)]),
        Expr::is_in(through(&["tickets"], "id"), vec![Value::Int(1)]),
        keys(vec![Value::Int(1)]).or(cmp(CmpOp::Eq, attr("name"), text("bob"))),
        keys(vec![Value::Null, Value::Float(1.0)]),
        keys(Vec::new()),
    ] {
        let mut request = ReadRequest::new(Rep::schema());
        request.filter = Some(filter);
        let pg = aggregate(Dialect::Postgres, &request, &count).expect("aggregate");
        assert!(pg.sql.contains(r#"FROM "rep" t0 WHERE"#), "{}", pg.sql);
        assert!(!pg.sql.contains("unnest"), "{}", pg.sql);
    }
}

/// Keys repeated, missing (9), nil and of another type; alone, under
/// visibility that hides given records (reps 2 and 4, not active; rep 3,
/// active nil) and open tickets, and with another conjunct: `db` gives
/// memory's answers, for several kinds and for a list. Without the
/// visibility on the records given, reps 2, 3 and 4 would come back.
pub(super) fn same_as_memory(db: &mut impl Db, memory: &Memory) {
    use AggregateKind::*;
    let given = vec![
        Value::Int(4),
        Value::Int(2),
        Value::Int(9),
        Value::Null,
        Value::Int(1),
        Value::Int(4),
        Value::Int(3),
        Value::String("5".to_owned()),
        Value::Int(5),
    ];
    let mut requests = vec![hiding_inactive(keys(given.clone()))];
    let mut plain = ReadRequest::new(Rep::schema());
    plain.filter = Some(keys(given.clone()));
    requests.push(plain.clone());
    plain.filter = Some(cmp(CmpOp::Ne, attr("name"), text("")).and(keys(given)));
    requests.push(plain);
    let aggregates = [
        Aggregate::new(Count, ["tickets"]),
        Aggregate::new(Count, ["tickets", "tags"]),
        Aggregate::new(Sum, ["tickets"]).field("small"),
        Aggregate::new(Max, ["tickets"]).field("status"),
        Aggregate::new(First, ["tickets"]).field("p"),
        Aggregate::new(Exists, ["open_tickets"]),
    ];
    let mut returned = Vec::new();
    for request in &requests {
        compare(db, memory, request, &aggregates);
        let rows = block_on(memory.aggregate(request.clone(), aggregates.to_vec()))
            .expect("memory aggregate");
        returned.push(rows.len());
    }
    // Of the five reps given, the visibility hides three (not active, or
    // active nil), the other conjunct (name not empty) one.
    assert_eq!(returned, [2, 5, 4]);
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
