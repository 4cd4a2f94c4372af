//! The SQL text of sorts through relationships: a `LEFT JOIN` per hop that
//! reaches at most one record (its relationship filter and the destination's
//! visibility in the ON condition), the first record alone (its key from a
//! scalar subquery) for a has_one that may reach several, in plain reads, windows and
//! partitions; and the errors, the same as memory's.

use super::text::{both, invalid_message, sql};
use super::*;
use crate::data_layer::Visibility;
use crate::data_layer::sql::build::count;

fn sorted(schema: &'static Schema, sort: Vec<Sort>) -> ReadRequest {
    let mut request = ReadRequest::new(schema);
    request.sort = sort;
    request
}

fn key(path: &[&'static str], field: &'static str, order: Order) -> Sort {
    Sort::path(path.iter().copied(), field, order)
}

#[test]
fn a_to_one_path_is_left_joined_and_ordered_by_the_joined_column() {
    let request = sorted(
        Ticket::schema(),
        vec![
            key(&["representative"], "name", Order::Asc),
            key(&[], "p", Order::Desc),
        ],
    );
    let (sqlite, pg) = both(&request);
    assert_eq!(
        sqlite,
        r#" LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" ORDER BY t1."name" ASC NULLS LAST, t0."p" DESC NULLS FIRST, t0.rowid"#
    );
    assert_eq!(
        pg,
        r#" LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" ORDER BY t1."name" COLLATE "C" ASC NULLS LAST, t0."p" DESC NULLS FIRST, t0."_ashore_seq""#
    );
    // Two hops, the has_one's filter in its ON condition; the filter has its
    // own join (the sort's aliases come first: its names are checked first).
    let mut request = sorted(
        Rep::schema(),
        vec![key(
            &["open_twin", "representative"],
            "threshold",
            Order::DescNilsLast,
        )],
    );
    request.filter = Some(cmp(CmpOp::Gt, through(&["twin"], "p"), val(1_i64)));
    let (sqlite, _) = both(&request);
    assert_eq!(
        sqlite,
        r#" LEFT JOIN "ticket" t3 ON t3."id" = t0."id" LEFT JOIN "ticket" t1 ON t1."id" = t0."id" AND (t1."status" = ?1) LEFT JOIN "rep" t2 ON t2."id" = t1."rep_id" WHERE (t3."p" > ?2) ORDER BY t2."threshold" DESC NULLS LAST, t0.rowid"#
    );
}

#[test]
fn a_has_one_that_may_reach_several_reads_its_first_in_a_subquery() {
    // Joined as a filter's path is: the first ticket's key in a subquery.
    let request = sorted(Rep::schema(), vec![key(&["latest"], "p", Order::Desc)]);
    let (sqlite, pg) = both(&request);
    assert_eq!(
        sqlite,
        r#" LEFT JOIN "ticket" t2 ON t2."id" = (SELECT t1."id" FROM "ticket" t1 WHERE t1."rep_id" = t0."id" ORDER BY t1.rowid LIMIT 1) ORDER BY t2."p" DESC NULLS FIRST, t0.rowid"#
    );
    assert_eq!(
        pg,
        r#" LEFT JOIN "ticket" t2 ON t2."id" = (SELECT t1."id" FROM "ticket" t1 WHERE t1."rep_id" = t0."id" ORDER BY t1."_ashore_seq" LIMIT 1) ORDER BY t2."p" DESC NULLS FIRST, t0."_ashore_seq""#
    );
    // The rest of the path is joined after it.
    let request = sorted(
        Rep::schema(),
        vec![key(&["latest", "representative"], "name", Order::Asc)],
    );
    let (sqlite, _) = both(&request);
    assert_eq!(
        sqlite,
        r#" LEFT JOIN "ticket" t2 ON t2."id" = (SELECT t1."id" FROM "ticket" t1 WHERE t1."rep_id" = t0."id" ORDER BY t1.rowid LIMIT 1) LEFT JOIN "rep" t3 ON t3."id" = t2."rep_id" ORDER BY t3."name" ASC NULLS LAST, t0.rowid"#
    );
}

#[test]
fn visibility_joins_the_on_condition_of_every_hop() {
    let mut request = sorted(
        Ticket::schema(),
        vec![key(&["representative"], "name", Order::Desc)],
    );
    request.visibility = Visibility::new(vec![(
        Rep::schema(),
        cmp(CmpOp::Eq, attr("active"), val(true)),
    )]);
    let (sqlite, _) = both(&request);
    assert_eq!(
        sqlite,
        r#" LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" AND (t1."active" = 1) ORDER BY t1."name" DESC NULLS FIRST, t0.rowid"#
    );
}

#[test]
fn windows_and_partitions_order_by_the_joined_column() {
    let mut request = sorted(
        Ticket::schema(),
        vec![key(&["representative"], "threshold", Order::Asc)],
    );
    request.partition = Some(Partition {
        by: PartitionBy::Attribute("rep_id"),
        keys: vec![Value::Int(1), Value::Int(2)],
    });
    request.limit = Some(2);
    let statement = sql(Dialect::Postgres, &request);
    assert!(
        statement.sql.contains(r#"ROW_NUMBER() OVER (PARTITION BY t0."rep_id" ORDER BY t1."threshold" ASC NULLS LAST, t0."_ashore_seq") AS "_ashore_rn" FROM "ticket" t0 LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" WHERE"#),
        "{}",
        statement.sql
    );
    request.limit = None;
    let statement = sql(Dialect::Sqlite, &request);
    assert!(
        statement.sql.ends_with(r#"FROM "ticket" t0 LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" WHERE t0."rep_id" IN rarray(?1) ORDER BY t0."rep_id", t1."threshold" ASC NULLS LAST, t0.rowid"#),
        "{}",
        statement.sql
    );
    // A count orders nothing, so it joins nothing for the sort.
    request.partition = None;
    assert_eq!(
        count(Dialect::Sqlite, &request).expect("count").sql,
        r#"SELECT count(*) FROM "ticket" t0"#
    );
}

#[test]
fn a_to_many_or_manual_hop_is_refused_with_memorys_message() {
    let message = |request: &ReadRequest| invalid_message(Dialect::Postgres, request);
    let many = sorted(Rep::schema(), vec![key(&["tickets"], "p", Order::Asc)]);
    assert_eq!(
        message(&many),
        "Rep: relationship `tickets` of Rep is to-many (HasMany); a sort key goes through \
         belongs_to and has_one relationships only (in `tickets.p asc`)"
    );
    let manual = sorted(Rep::schema(), vec![key(&["remote"], "id", Order::Asc)]);
    assert!(message(&manual).contains("to-many"), "{}", message(&manual));
    let unknown = sorted(
        Ticket::schema(),
        vec![key(&["representative"], "nope", Order::Asc)],
    );
    assert_eq!(
        message(&unknown),
        "Ticket: no attribute named `nope` on Rep to sort by (in `representative.nope asc`)"
    );
    let memory = memory();
    for request in [many, unknown] {
        let memory_error = memory_answer(&memory, &request).expect_err("invalid");
        assert!(memory_error.contains(&message(&request)), "{memory_error}");
    }
}
