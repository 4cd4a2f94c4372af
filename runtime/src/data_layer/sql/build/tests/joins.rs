//! The SQL text of filters through paths that reach at most one record: joined
//! in the statement itself, while the other paths keep their `EXISTS`.

use super::text::{both, sql};
use super::*;
use crate::data_layer::Visibility;

const SQLITE_SEQ: &str = " ORDER BY t0.rowid";
const PG_SEQ: &str = r#" ORDER BY t0."_ashore_seq""#;

/// The text after the common head on SQLite and on PostgreSQL, unsorted.
fn texts(request: &ReadRequest, sqlite: &str, pg: &str) {
    assert_eq!(
        both(request),
        (sqlite.to_owned() + SQLITE_SEQ, pg.to_owned() + PG_SEQ)
    );
}

/// The same text on both dialects (no parameters, no text comparison).
fn same_text(request: &ReadRequest, expected: &str) {
    texts(request, expected, expected);
}

/// `p > representative.threshold`, the guide's comparison with the related
/// record.
fn above_threshold() -> Expr {
    cmp(
        CmpOp::Gt,
        attr("p"),
        through(&["representative"], "threshold"),
    )
}

#[test]
fn a_to_one_path_is_joined_and_its_conjuncts_are_plain_conditions() {
    // The guide's shape: a key list, and a comparison with the related record.
    let e = Expr::is_in(attr("rep_id"), vec![Value::Int(1), Value::Int(2)]).and(above_threshold());
    texts(
        &filtered(Ticket::schema(), e),
        r#" LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" WHERE (t0."rep_id" IN rarray(?1)) AND (t0."p" > t1."threshold")"#,
        r#" LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" WHERE (t0."rep_id" = ANY($1::bigint[])) AND (t0."p" > t1."threshold")"#,
    );
    // Two to-one hops (a belongs_to, then a has_one to the primary key), the
    // same binding for both references.
    let e = is_nil(through(&["representative", "twin"], "p")).or(cmp(
        CmpOp::Gt,
        through(&["representative", "twin"], "p"),
        attr("p"),
    ));
    same_text(
        &filtered(Ticket::schema(), e),
        r#" LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" LEFT JOIN "ticket" t2 ON t2."id" = t1."id" WHERE ((t2."p" IS NULL) OR (t2."p" > t0."p"))"#,
    );
}

#[test]
fn not_over_a_to_one_path_is_a_plain_condition() {
    // Nil when nothing is related: `NOT` keeps it nil, and WHERE drops the row,
    // as memory does (checked on the databases in `differential`).
    let e = above_threshold().not();
    same_text(
        &filtered(Ticket::schema(), e),
        r#" LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" WHERE (NOT (t0."p" > t1."threshold"))"#,
    );
}

#[test]
fn a_to_many_tail_keeps_its_exists_correlated_to_the_joined_prefix() {
    let e = cmp(
        CmpOp::Gt,
        through(&["representative", "tickets"], "p"),
        through(&["representative"], "threshold"),
    )
    .and(attr("urgent"));
    same_text(
        &filtered(Ticket::schema(), e),
        r#" LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" WHERE t0."urgent" AND EXISTS (SELECT 1 FROM (SELECT 1) AS d3 LEFT JOIN "ticket" t2 ON t2."rep_id" = t1."id" WHERE (t2."p" > t1."threshold"))"#,
    );
    // A to-one hop after a to-many one binds once per ticket: in the EXISTS.
    let e = cmp(
        CmpOp::Eq,
        through(&["tickets", "representative"], "id"),
        attr("id"),
    );
    same_text(
        &filtered(Rep::schema(), e),
        r#" WHERE EXISTS (SELECT 1 FROM (SELECT 1) AS d3 LEFT JOIN "ticket" t1 ON t1."rep_id" = t0."id" LEFT JOIN "rep" t2 ON t2."id" = t1."rep_id" WHERE (t2."id" = t0."id"))"#,
    );
}

#[test]
fn a_has_one_not_to_the_primary_key_joins_its_first_record() {
    // `latest` links by the tickets' `rep_id`: several tickets may match, and
    // the path reads the first (its sort, then insertion order) alone, as
    // memory and a load do: one joined row per record.
    let e = cmp(CmpOp::Gt, through(&["latest"], "p"), attr("threshold")).and(cmp(
        CmpOp::Gt,
        through(&["twin"], "p"),
        attr("threshold"),
    ));
    texts(
        &filtered(Rep::schema(), e),
        r#" LEFT JOIN "ticket" t2 ON t2."id" = (SELECT t1."id" FROM "ticket" t1 WHERE t1."rep_id" = t0."id" ORDER BY t1.rowid LIMIT 1) LEFT JOIN "ticket" t3 ON t3."id" = t0."id" WHERE (t2."p" > t0."threshold") AND (t3."p" > t0."threshold")"#,
        r#" LEFT JOIN "ticket" t2 ON t2."id" = (SELECT t1."id" FROM "ticket" t1 WHERE t1."rep_id" = t0."id" ORDER BY t1."_ashore_seq" LIMIT 1) LEFT JOIN "ticket" t3 ON t3."id" = t0."id" WHERE (t2."p" > t0."threshold") AND (t3."p" > t0."threshold")"#,
    );
}

#[test]
fn a_joined_hop_keeps_its_relationship_filter_and_visibility_in_on() {
    let mut request = filtered(Rep::schema(), is_nil(through(&["open_twin"], "id")).not());
    request.visibility = Visibility::new(vec![(
        Ticket::schema(),
        cmp(CmpOp::Ne, attr("p"), val(4_i64)),
    )]);
    texts(
        &request,
        r#" LEFT JOIN "ticket" t1 ON t1."id" = t0."id" AND (t1."status" = ?1) AND (t1."p" <> ?2) WHERE (NOT (t1."id" IS NULL))"#,
        r#" LEFT JOIN "ticket" t1 ON t1."id" = t0."id" AND (t1."status" COLLATE "C" = $1::text) AND (t1."p" <> $2::bigint) WHERE (NOT (t1."id" IS NULL))"#,
    );
    // The root's own visibility condition joins its to-one paths too, with
    // aliases of its own.
    let mut request = filtered(Ticket::schema(), above_threshold());
    request.visibility = Visibility::new(vec![(
        Ticket::schema(),
        through(&["representative"], "active"),
    )]);
    same_text(
        &request,
        r#" LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" LEFT JOIN "rep" t2 ON t2."id" = t0."rep_id" WHERE (t0."p" > t1."threshold") AND t2."active""#,
    );
}

#[test]
fn partitioned_and_windowed_reads_join_inside_the_numbered_rows() {
    let mut request = filtered(Ticket::schema(), above_threshold());
    request.partition = Some(Partition {
        by: PartitionBy::Attribute("rep_id"),
        keys: vec![Value::Int(1)],
    });
    // Unsorted on PostgreSQL: no ORDER BY, the sequence after the attributes.
    let statement = sql(Dialect::Postgres, &request);
    assert!(
        statement.sql.ends_with(
            r#", t0."_ashore_seq" FROM "ticket" t0 LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" WHERE t0."rep_id" = ANY($1::bigint[]) AND (t0."p" > t1."threshold")"#
        ),
        "{}",
        statement.sql
    );
    // Top 2 per rep: the join is inside the numbered subquery.
    request.limit = Some(2);
    let statement = sql(Dialect::Sqlite, &request);
    assert!(
        statement.sql.contains(
            r#"ROW_NUMBER() OVER (PARTITION BY t0."rep_id" ORDER BY t0.rowid) AS "_ashore_rn" FROM "ticket" t0 LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" WHERE t0."rep_id" IN rarray(?1) AND (t0."p" > t1."threshold")) AS t0 WHERE"#
        ),
        "{}",
        statement.sql
    );
}
