//! The SQL of `DataLayer::aggregate`: the text of its one statement on both
//! dialects (a correlated subquery per aggregate loaded, the path's hops with their
//! relationship filters and visibility, values bound), its errors (the same
//! as memory's), and its answers against memory's on real databases
//! (`same_as_memory`, run by the `sqlite` and `postgres` tests).

use super::differential::{Db, same};
use super::text::{both, invalid_message};
use super::*;
use crate::data_layer::Visibility;
use crate::data_layer::sql::build::{aggregate, aggregate_list};
use crate::expr::{Aggregate, AggregateKind};

fn agg(kind: AggregateKind, path: &[&'static str], field: Option<&'static str>) -> Aggregate {
    let a = Aggregate::new(kind, path.iter().copied());
    match field {
        Some(f) => a.field(f),
        None => a,
    }
}

fn statement(dialect: Dialect, request: &ReadRequest, aggregates: &[Aggregate]) -> Statement {
    let statement = aggregate(dialect, request, aggregates).expect("aggregate");
    check_placeholders(&statement, dialect);
    statement
}

#[test]
fn each_aggregate_is_a_correlated_subquery_of_one_statement() {
    let mut request = ReadRequest::new(Rep::schema());
    request.filter = Some(Expr::is_in(attr("id"), vec![Value::Int(1), Value::Int(2)]));
    let aggregates = [
        agg(AggregateKind::Count, &["tickets"], None).filter(cmp(CmpOp::Gt, attr("p"), val(3_i64))),
        agg(AggregateKind::Sum, &["tickets"], Some("p")),
        agg(AggregateKind::Avg, &["open_tickets"], Some("p")),
        agg(AggregateKind::Min, &["tickets"], Some("status")),
        agg(AggregateKind::First, &["tickets"], Some("p")),
        agg(AggregateKind::Exists, &["tickets", "tags"], None),
    ];
    let sqlite = statement(Dialect::Sqlite, &request, &aggregates);
    assert_eq!(
        sqlite.sql,
        concat!(
            r#"SELECT t0."id", "#,
            r#"(SELECT count(*) FROM "ticket" t1 WHERE t1."rep_id" = t0."id" AND (t1."p" > ?1)), "#,
            r#"(SELECT ashore_sum(t2."p") FROM "ticket" t2 WHERE t2."rep_id" = t0."id"), "#,
            r#"(SELECT (ashore_isum(t3."p") / count(t3."p")) FROM "ticket" t3 WHERE t3."rep_id" = t0."id" AND (t3."status" = ?2)), "#,
            r#"(SELECT min(t4."status") FROM "ticket" t4 WHERE t4."rep_id" = t0."id"), "#,
            r#"(SELECT t5."p" FROM "ticket" t5 WHERE t5."rep_id" = t0."id" AND t5."p" IS NOT NULL ORDER BY t5.rowid LIMIT 1), "#,
            r#"EXISTS (SELECT 1 FROM "ticket" t6 JOIN "ticket_tag" j7 ON j7."ticket_id" = t6."id" JOIN "tag" t8 ON t8."id" = j7."tag_id" WHERE t6."rep_id" = t0."id" AND 1) "#,
            r#"FROM "rep" t0 WHERE (t0."id" IN rarray(?3)) ORDER BY t0.rowid"#
        )
    );
    assert_eq!(
        sqlite.columns,
        Columns::Values(vec![
            ValueType::I64,
            ValueType::I64,
            ValueType::I64,
            ValueType::F64,
            ValueType::String,
            ValueType::I64,
            ValueType::Bool,
        ])
    );
    // Integer sums exact (SQLite: the layer's `ashore_sum`; PostgreSQL:
    // cast back from numeric, an overflow its error), averages to float,
    // text compared byte-wise.
    let pg = statement(Dialect::Postgres, &request, &aggregates);
    assert_eq!(
        pg.sql,
        concat!(
            r#"SELECT t0."id", "#,
            r#"(SELECT count(*) FROM "ticket" t1 WHERE t1."rep_id" = t0."id" AND (t1."p" > $1::bigint)), "#,
            r#"(SELECT sum(t2."p") FROM "ticket" t2 WHERE t2."rep_id" = t0."id")::int8, "#,
            r#"(SELECT (sum(t3."p")::float8 / count(t3."p")) FROM "ticket" t3 WHERE t3."rep_id" = t0."id" AND (t3."status" COLLATE "C" = $2::text))::float8, "#,
            r#"(SELECT min(t4."status" COLLATE "C") FROM "ticket" t4 WHERE t4."rep_id" = t0."id"), "#,
            r#"(SELECT t5."p" FROM "ticket" t5 WHERE t5."rep_id" = t0."id" AND t5."p" IS NOT NULL ORDER BY t5."_ashore_seq" LIMIT 1), "#,
            r#"EXISTS (SELECT 1 FROM "ticket" t6 JOIN "ticket_tag" j7 ON j7."ticket_id" = t6."id" JOIN "tag" t8 ON t8."id" = j7."tag_id" WHERE t6."rep_id" = t0."id" AND TRUE) "#,
            r#"FROM "rep" t0 WHERE (t0."id" = ANY($3::bigint[])) ORDER BY t0."_ashore_seq""#
        )
    );
}

#[test]
fn a_list_is_a_row_per_value_ordered_by_record_then_record_reached() {
    let mut request = ReadRequest::new(Rep::schema());
    request.filter = Some(cmp(CmpOp::Ne, attr("name"), text("bob")));
    let list = agg(AggregateKind::List, &["tickets", "tags"], Some("label")).filter(cmp(
        CmpOp::Ne,
        attr("label"),
        text("x"),
    ));
    let sqlite = aggregate_list(Dialect::Sqlite, &request, &list).expect("list");
    check_placeholders(&sqlite, Dialect::Sqlite);
    assert_eq!(
        sqlite.sql,
        concat!(
            r#"SELECT t0."id", t3."label" FROM "rep" t0, "ticket" t1 JOIN "ticket_tag" j2 ON j2."ticket_id" = t1."id" JOIN "tag" t3 ON t3."id" = j2."tag_id" "#,
            r#"WHERE t1."rep_id" = t0."id" AND (t3."label" <> ?1) AND t3."label" IS NOT NULL AND (t0."name" <> ?2) "#,
            r#"ORDER BY t0.rowid, t3.rowid"#
        )
    );
    assert_eq!(
        sqlite.columns,
        Columns::Values(vec![ValueType::I64, ValueType::String])
    );
    // Another kind, or a list among others, is refused on both sides.
    let count = agg(AggregateKind::Count, &["tickets"], None);
    let memory = memory();
    let refused = "Rep: a `list` aggregate is read alone, with `DataLayer::aggregate_list`, and only \
                   it (in the aggregate `count(tickets)`)";
    assert_eq!(
        shown(&aggregate_list(Dialect::Postgres, &request, &count).unwrap_err()),
        refused
    );
    assert_eq!(
        shown(&block_on(memory.aggregate_list(request.clone(), count.clone())).unwrap_err()),
        refused
    );
    let both = [count, list.clone()];
    let refused = refused.replace("count(tickets)", &list.to_string());
    assert_eq!(
        shown(&aggregate(Dialect::Sqlite, &request, &both).unwrap_err()),
        refused
    );
    assert_eq!(
        shown(&block_on(memory.aggregate(request, both.to_vec())).unwrap_err()),
        refused
    );
}

#[test]
fn in_a_filter_an_aggregate_is_a_correlated_subquery_of_its_binding() {
    let mut request = ReadRequest::new(Ticket::schema());
    request.filter = Some(cmp(
        CmpOp::Gt,
        Expr::Aggregate {
            at: vec![Name::Borrowed("representative")],
            aggregate: Box::new(agg(AggregateKind::Sum, &["tickets"], Some("p")).filter(cmp(
                CmpOp::Eq,
                attr("status"),
                text("open"),
            ))),
        },
        val(3_i64),
    ));
    let (sqlite, pg) = both(&request);
    assert_eq!(
        sqlite,
        r#" LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" WHERE ((CASE WHEN t1."id" IS NULL THEN NULL ELSE (SELECT ashore_sum_or_nil(t2."p") FROM "ticket" t2 WHERE t2."rep_id" = t1."id" AND (t2."status" = ?1)) END) > ?2) ORDER BY t0.rowid"#
    );
    assert_eq!(
        pg,
        r#" LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" WHERE ((CASE WHEN t1."id" IS NULL THEN NULL ELSE (SELECT CASE WHEN sum(t2."p") BETWEEN -9223372036854775808 AND 9223372036854775807 THEN sum(t2."p") END FROM "ticket" t2 WHERE t2."rep_id" = t1."id" AND (t2."status" COLLATE "C" = $1::text))::int8 END) > $2::bigint) ORDER BY t0."_ashore_seq""#
    );
    // A `list` is no value; `count` is no condition: memory's errors.
    for (filter, message) in [
        (
            Expr::Aggregate {
                at: Vec::new(),
                aggregate: Box::new(agg(AggregateKind::List, &["tickets"], Some("p"))),
            },
            "Rep: a `list` aggregate is no value a filter can use (in `list(tickets.p)`)",
        ),
        (
            Expr::Aggregate {
                at: Vec::new(),
                aggregate: Box::new(agg(AggregateKind::Count, &["tickets"], None)),
            },
            "Rep: `count(tickets)` is not a condition",
        ),
    ] {
        let request = filtered(Rep::schema(), filter);
        assert_eq!(invalid_message(Dialect::Sqlite, &request), message);
        let memory = memory();
        let err = block_on(memory.read(request)).unwrap_err();
        assert_eq!(shown(&err), message);
    }
}

#[test]
fn a_sort_key_on_an_aggregate_is_its_grouped_table() {
    let mut request = ReadRequest::new(Rep::schema());
    request.sort = vec![crate::sort::Sort::aggregate(
        "open",
        agg(AggregateKind::Count, &["open_tickets"], None),
        Order::Desc,
    )];
    let (sqlite, pg) = both(&request);
    assert_eq!(
        sqlite,
        concat!(
            r#" LEFT JOIN (SELECT t2."rep_id" AS k, (count(*)) AS v FROM "ticket" t2 NOT INDEXED WHERE (t2."status" = ?1) "#,
            r#"GROUP BY t2."rep_id") g3 ON g3.k = t0."id" ORDER BY COALESCE(g3.v, 0) DESC NULLS FIRST, t0.rowid"#
        )
    );
    assert_eq!(
        pg,
        concat!(
            r#" LEFT JOIN (SELECT t2."rep_id" AS k, (count(*)) AS v FROM "ticket" t2 WHERE (t2."status" COLLATE "C" = $1::text) "#,
            r#"GROUP BY t2."rep_id") g3 ON g3.k = t0."id" ORDER BY COALESCE(g3.v, 0) DESC NULLS FIRST, t0."_ashore_seq""#
        )
    );
}

#[test]
fn visibility_holds_at_every_hop_and_on_the_records_computed_for() {
    let mut request = ReadRequest::new(Rep::schema());
    request.visibility = Visibility::new(vec![
        (
            Ticket::schema(),
            cmp(CmpOp::Ne, attr("status"), text("secret")),
        ),
        (Rep::schema(), cmp(CmpOp::Eq, attr("active"), val(true))),
    ]);
    let sqlite = statement(
        Dialect::Sqlite,
        &request,
        &[agg(AggregateKind::Count, &["tickets"], None)],
    );
    assert_eq!(
        sqlite.sql,
        r#"SELECT t0."id", (SELECT count(*) FROM "ticket" t1 WHERE t1."rep_id" = t0."id" AND (t1."status" <> ?1)) FROM "rep" t0 WHERE (t0."active" = 1) ORDER BY t0.rowid"#
    );
    assert_eq!(sqlite.params, [Param::Value(s("secret"))]);
}

#[test]
fn invalid_aggregates_are_the_errors_memory_gives() {
    let request = ReadRequest::new(Rep::schema());
    let memory = memory();
    for (one, message) in [
        (
            agg(AggregateKind::Count, &["tikets"], None),
            "Rep: no relationship named `tikets` on Rep (in the aggregate `count(tikets)`)",
        ),
        (
            agg(AggregateKind::Count, &["remote"], None),
            "Rep: relationship `remote` of Rep is manual; an aggregate cannot go through it \
             (in the aggregate `count(remote)`)",
        ),
        (
            agg(AggregateKind::Sum, &["tickets"], Some("status")),
            "Rep: `sum` cannot read a field of type String (in the aggregate \
             `sum(tickets.status)`)",
        ),
        (
            agg(AggregateKind::Max, &["tickets"], Some("nope")),
            "Rep: no attribute named `nope` on Ticket (in the aggregate `max(tickets.nope)`)",
        ),
        (
            agg(AggregateKind::Sum, &["tickets"], None),
            "Rep: `sum` reads a field of Ticket: name one (in the aggregate `sum(tickets)`)",
        ),
        (
            agg(AggregateKind::Count, &[], None),
            "Rep: an aggregate needs a relationship path (in the aggregate `count()`)",
        ),
    ] {
        let aggregates = [one];
        for dialect in [Dialect::Sqlite, Dialect::Postgres] {
            let err = aggregate(dialect, &request, &aggregates).unwrap_err();
            assert_eq!(shown(&err), message);
        }
        let err = block_on(memory.aggregate(request.clone(), aggregates.to_vec())).unwrap_err();
        assert_eq!(shown(&err), message);
    }
}

fn shown(err: &crate::error::Error) -> String {
    match err.kind() {
        ErrorKind::InvalidQuery { resource, message } => format!("{resource}: {message}"),
        other => panic!("{other:?}"),
    }
}

/// Every kind, through has_many, a relationship filter, many_to_many and two
/// hops, with and without a filter and visibility: `db` gives memory's
/// answers (floats within rounding).
pub(super) fn same_as_memory(db: &mut impl Db, memory: &Memory) {
    use AggregateKind::*;
    let r = Rep::schema();
    let aggregates = vec![
        agg(Count, &["tickets"], None),
        agg(Count, &["open_tickets"], None),
        agg(Count, &["tickets", "tags"], None),
        agg(Count, &["tickets", "urgent_tags"], None),
        agg(Count, &["tickets"], None).filter(cmp(CmpOp::Gt, attr("p"), val(2_i64))),
        agg(Exists, &["tickets"], None).filter(cmp(CmpOp::Eq, attr("urgent"), val(true))),
        agg(Exists, &["vip_tickets"], None),
        agg(Sum, &["tickets"], Some("p")),
        agg(Sum, &["tickets"], Some("small")),
        agg(Sum, &["tickets"], Some("score")),
        agg(Avg, &["tickets"], Some("p")),
        agg(Avg, &["tickets"], Some("score")),
        agg(Min, &["tickets"], Some("p")),
        agg(Max, &["tickets"], Some("opened")),
        agg(Min, &["tickets"], Some("status")),
        agg(Max, &["tickets"], Some("score")),
        agg(First, &["tickets"], Some("p")),
        agg(First, &["tickets"], Some("ext")),
        agg(First, &["tickets", "tags"], Some("label")),
        agg(Count, &["tickets", "representative", "tickets"], None),
    ];
    let mut requests = vec![ReadRequest::new(r)];
    let mut filtered = ReadRequest::new(r);
    filtered.filter = Some(cmp(CmpOp::Ne, attr("name"), text("bob")));
    requests.push(filtered);
    let mut hidden = ReadRequest::new(r);
    hidden.visibility = Visibility::new(vec![
        (
            Ticket::schema(),
            cmp(CmpOp::Ne, attr("status"), text("open")),
        ),
        (Tag::schema(), cmp(CmpOp::Ne, attr("label"), text("vip"))),
    ]);
    requests.push(hidden);
    for request in &requests {
        // One aggregate at a time, so that one that fails (an integer sum
        // past `i64`: rep 5's tickets) fails alone, on both sides.
        for one in &aggregates {
            compare(db, memory, request, std::slice::from_ref(one));
        }
    }
    // Lists: one row per value, in memory's order.
    for list in [
        agg(List, &["tickets"], Some("p")),
        agg(List, &["open_tickets"], Some("opened")),
        agg(List, &["tickets", "tags"], Some("label")),
        agg(List, &["tickets"], Some("score")).filter(cmp(CmpOp::Gt, attr("p"), val(1_i64))),
        agg(List, &["tickets", "representative"], Some("name")),
    ] {
        for request in &requests {
            let expected = block_on(memory.aggregate_list(request.clone(), list.clone()))
                .expect("memory list");
            let expected: Vec<Row> = expected.into_iter().map(|(k, v)| vec![k, v]).collect();
            let statement = aggregate_list(db.dialect(), request, &list).expect("statement");
            check_placeholders(&statement, db.dialect());
            let got = db
                .query(&statement, r)
                .unwrap_or_else(|e| panic!("{e}: {}", statement.sql));
            assert_eq!(got, expected, "{list} ({})", statement.sql);
        }
    }
    // In filters: the same records on both sides, nil rules included, for
    // the records read and through a path.
    let value = |a: Aggregate| Expr::Aggregate {
        at: Vec::new(),
        aggregate: Box::new(a),
    };
    let t = Ticket::schema();
    let filters = [
        (
            r,
            cmp(CmpOp::Gt, value(agg(Count, &["tickets"], None)), val(1_i64)),
        ),
        (
            r,
            cmp(
                CmpOp::Eq,
                value(agg(Count, &["open_tickets"], None)),
                val(0_i64),
            ),
        ),
        (r, value(agg(Exists, &["tickets", "tags"], None))),
        (r, value(agg(Exists, &["vip_tickets"], None)).not()),
        (
            r,
            cmp(
                CmpOp::Lt,
                value(agg(Avg, &["tickets"], Some("score"))),
                val(1.0),
            ),
        ),
        (r, is_nil(value(agg(Min, &["tickets"], Some("status"))))),
        // Rep 3's sum is past `i64` (-3 + i64::MIN): nil, as memory's, on
        // both databases (it was the database's error); rep 5's is i64::MAX.
        (r, is_nil(value(agg(Sum, &["tickets"], Some("p"))))),
        (
            r,
            cmp(
                CmpOp::Ge,
                value(agg(
                    Sum,
                    &["tickets", "representative", "tickets"],
                    Some("p"),
                )),
                val(0_i64),
            ),
        ),
        (
            r,
            cmp(
                CmpOp::Ne,
                value(agg(First, &["tickets"], Some("p"))),
                val(5_i64),
            )
            .not(),
        ),
        (
            r,
            cmp(
                CmpOp::Ge,
                value(agg(Count, &["tickets"], None).filter(cmp(CmpOp::Gt, attr("p"), val(1_i64)))),
                attr("threshold"),
            ),
        ),
        (
            t,
            cmp(
                CmpOp::Gt,
                Expr::Aggregate {
                    at: vec![Name::Borrowed("representative")],
                    aggregate: Box::new(agg(Count, &["tickets"], None)),
                },
                val(1_i64),
            ),
        ),
        (
            t,
            exists(
                &["tags"],
                cmp(CmpOp::Ge, value(agg(Count, &["tickets"], None)), val(2_i64)),
            ),
        ),
    ];
    let mut matching = 0;
    for (schema, filter) in filters {
        let mut request = ReadRequest::new(schema);
        request.filter = Some(filter.clone());
        let found = same(db, memory, &request).expect("a valid request").0;
        matching += usize::from(!found.is_empty());
        let mut hidden = hidden_request(schema);
        hidden.filter = Some(filter);
        same(db, memory, &hidden).expect("a valid request");
    }
    // A sum past `i64` is nil in a filter and a sort key on every layer.
    let overflowing = is_nil(value(agg(Sum, &["tickets"], Some("p"))));
    let found = same(db, memory, &super::filtered(r, overflowing)).expect("a valid request");
    assert_eq!(found.0, vec![3]);
    let mut by_sum = ReadRequest::new(r);
    by_sum.sort = vec![Sort::aggregate(
        "p",
        agg(Sum, &["tickets"], Some("p")),
        Order::AscNilsFirst,
    )];
    let sorted = same(db, memory, &by_sum).expect("a valid request");
    assert_eq!(sorted.0, vec![3, 4, 1, 2, 5]);
    // As sort keys: the same order on both sides, nils placed as the order
    // says, ties broken by the next key then insertion order, in windows.
    use crate::sort::Sort;
    for (keys, limit) in [
        (
            vec![Sort::aggregate(
                "n",
                agg(Count, &["tickets"], None),
                Order::Desc,
            )],
            None,
        ),
        (
            vec![Sort::aggregate(
                "s",
                agg(Sum, &["tickets"], Some("small")),
                Order::Asc,
            )],
            Some(3),
        ),
        (
            vec![Sort::aggregate(
                "p",
                agg(Sum, &["tickets"], Some("p")),
                Order::AscNilsFirst,
            )],
            None,
        ),
        (
            vec![
                Sort::aggregate(
                    "a",
                    agg(Avg, &["tickets"], Some("score")),
                    Order::DescNilsLast,
                ),
                Sort::new("name", Order::Asc),
            ],
            None,
        ),
        (
            vec![Sort::aggregate(
                "m",
                agg(Min, &["tickets", "tags"], Some("label")),
                Order::AscNilsFirst,
            )],
            Some(2),
        ),
    ] {
        for mut request in [ReadRequest::new(r), hidden_request(r)] {
            request.sort = keys.clone();
            request.limit = limit;
            same(db, memory, &request).expect("a valid request");
        }
    }
    // Not vacuous: most filters keep some records.
    assert!(matching >= 7, "{matching} filters keep records");
    // All at once, those that do not fail: one statement.
    let fine: Vec<Aggregate> = aggregates
        .into_iter()
        .filter(|a| block_on(memory.aggregate(requests[0].clone(), vec![a.clone()])).is_ok())
        .collect();
    assert!(fine.len() > 15);
    for request in &requests {
        compare(db, memory, request, &fine);
    }
}

/// A read of `schema` with tickets that are open, and tags labelled `vip`,
/// hidden.
fn hidden_request(schema: &'static Schema) -> ReadRequest {
    let mut hidden = ReadRequest::new(schema);
    hidden.visibility = Visibility::new(vec![
        (
            Ticket::schema(),
            cmp(CmpOp::Ne, attr("status"), text("open")),
        ),
        (Tag::schema(), cmp(CmpOp::Ne, attr("label"), text("vip"))),
    ]);
    hidden
}

/// `db`'s answer to `aggregates` for `request` is memory's: the same values
/// (floats within rounding), or an error on both.
pub(super) fn compare(
    db: &mut impl Db,
    memory: &Memory,
    request: &ReadRequest,
    aggregates: &[Aggregate],
) {
    let r = request.schema;
    let expected = block_on(memory.aggregate(request.clone(), aggregates.to_vec()));
    let statement = aggregate(db.dialect(), request, aggregates).expect("statement");
    check_placeholders(&statement, db.dialect());
    let got = db.query(&statement, r);
    let (got, expected) = match (got, expected) {
        (Ok(got), Ok(expected)) => (got, expected),
        (Err(_), Err(_)) => return,
        (got, expected) => panic!(
            "{aggregates:?}: {got:?} vs memory's {expected:?} ({})",
            statement.sql
        ),
    };
    assert_eq!(got.len(), expected.len(), "{}", statement.sql);
    for (g, e) in got.iter().zip(&expected) {
        for (i, (g, e)) in g.iter().zip(e).enumerate() {
            let same = match (g, e) {
                (Value::Float(a), Value::Float(b)) => (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                _ => g == e,
            };
            let what = i.checked_sub(1).map(|a| aggregates[a].to_string());
            assert!(
                same,
                "{what:?}: {g:?} vs memory's {e:?} ({})",
                statement.sql
            );
        }
    }
}
