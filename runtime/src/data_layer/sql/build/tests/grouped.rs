//! Aggregates grouped in a read's filter and sort keys (`filter::grouped`):
//! the text of the derived table on both dialects (keyed, linked by a
//! condition, restricted by the rest of the filter and the visibility
//! condition, `NOT INDEXED` on SQLite when every group is computed), where
//! the correlated subquery stays, and the answers against memory's on real
//! databases (`same_as_memory`, run by the `sqlite` and `postgres` tests).

use super::differential::{Db, same};
use super::text::both;
use super::*;
use crate::data_layer::Visibility;
use crate::expr::{Aggregate, AggregateKind};

fn agg(kind: AggregateKind, path: &[&'static str], field: Option<&'static str>) -> Expr {
    let a = Aggregate::new(kind, path.iter().copied());
    Expr::Aggregate {
        at: Vec::new(),
        aggregate: Box::new(match field {
            Some(f) => a.field(f),
            None => a,
        }),
    }
}

fn count(path: &[&'static str]) -> Expr {
    agg(AggregateKind::Count, path, None)
}

fn ids(ids: &[i64]) -> Expr {
    Expr::is_in(attr("id"), ids.iter().map(|&i| Value::Int(i)).collect())
}

#[test]
fn an_aggregate_over_a_keyed_hop_groups_by_the_destination_key() {
    let request = filtered(
        Rep::schema(),
        cmp(CmpOp::Gt, count(&["open_tickets"]), val(1_i64)),
    );
    let (sqlite, pg) = both(&request);
    // Every group computed: SQLite reads the tickets once (`NOT INDEXED`).
    assert_eq!(
        sqlite,
        concat!(
            r#" LEFT JOIN (SELECT t2."rep_id" AS k, (count(*)) AS v FROM "ticket" t2 NOT INDEXED WHERE (t2."status" = ?1) "#,
            r#"GROUP BY t2."rep_id") g3 ON g3.k = t0."id" WHERE (COALESCE(g3.v, 0) > ?2) ORDER BY t0.rowid"#
        )
    );
    assert_eq!(
        pg,
        concat!(
            r#" LEFT JOIN (SELECT t2."rep_id" AS k, (count(*)) AS v FROM "ticket" t2 WHERE (t2."status" COLLATE "C" = $1::text) "#,
            r#"GROUP BY t2."rep_id") g3 ON g3.k = t0."id" WHERE (COALESCE(g3.v, 0) > $2::bigint) ORDER BY t0."_ashore_seq""#
        )
    );
    // Through a many_to_many, by the join table's source-side attribute.
    let tag = filtered(
        Tag::schema(),
        cmp(CmpOp::Gt, count(&["tickets"]), val(1_i64)),
    );
    assert_eq!(
        super::text::sql(Dialect::Sqlite, &tag).sql,
        concat!(
            r#"SELECT t0."id", t0."label" FROM "tag" t0 LEFT JOIN (SELECT j2."tag_id" AS k, (count(*)) AS v "#,
            r#"FROM "ticket_tag" j2 NOT INDEXED JOIN "ticket" t3 ON t3."id" = j2."ticket_id" GROUP BY j2."tag_id") g4 "#,
            r#"ON g4.k = t0."id" WHERE (COALESCE(g4.v, 0) > ?1) ORDER BY t0.rowid"#
        )
    );
}

#[test]
fn a_count_the_linking_index_covers_stays_correlated() {
    // Nothing but the linking column read: each correlated count searches
    // the index alone.
    let request = filtered(
        Rep::schema(),
        cmp(CmpOp::Gt, count(&["tickets"]), val(1_i64)),
    );
    let (sqlite, pg) = both(&request);
    assert_eq!(
        sqlite,
        r#" WHERE ((SELECT count(*) FROM "ticket" t1 WHERE t1."rep_id" = t0."id") > ?1) ORDER BY t0.rowid"#
    );
    assert_eq!(
        pg,
        r#" WHERE ((SELECT count(*) FROM "ticket" t1 WHERE t1."rep_id" = t0."id") > $1::bigint) ORDER BY t0."_ashore_seq""#
    );
    // With a visibility condition on the tickets it reads more: grouped.
    let mut hidden = request.clone();
    hidden.visibility = Visibility::new(vec![(
        Ticket::schema(),
        cmp(CmpOp::Ne, attr("status"), text("secret")),
    )]);
    assert!(both(&hidden).0.contains("GROUP BY"));
}

#[test]
fn a_hop_linked_by_a_condition_groups_by_the_source_inside_the_table() {
    let request = filtered(
        Rep::schema(),
        cmp(
            CmpOp::Gt,
            agg(AggregateKind::Sum, &["above"], Some("p")),
            val(1_i64),
        ),
    );
    let (sqlite, pg) = both(&request);
    // Every group computed: SQLite reads the tickets once (`NOT INDEXED`),
    // each looking its representative up, as the hand-written join does.
    assert_eq!(
        sqlite,
        concat!(
            r#" LEFT JOIN (SELECT s1."id" AS k, (ashore_sum_or_nil(t2."p")) AS v FROM "rep" s1, "ticket" t2 NOT INDEXED "#,
            r#"WHERE ((t2."rep_id" = s1."id") AND (t2."p" > s1."threshold")) GROUP BY s1."id") g3 ON g3.k = t0."id" "#,
            r#"WHERE (g3.v > ?1) ORDER BY t0.rowid"#
        )
    );
    assert_eq!(
        pg,
        concat!(
            r#" LEFT JOIN (SELECT s1."id" AS k, (CASE WHEN sum(t2."p") BETWEEN -9223372036854775808 AND 9223372036854775807 THEN sum(t2."p") END)::int8 AS v "#,
            r#"FROM "rep" s1, "ticket" t2 WHERE ((t2."rep_id" = s1."id") AND (t2."p" > s1."threshold")) GROUP BY s1."id") g3 ON g3.k = t0."id" "#,
            r#"WHERE (g3.v > $1::bigint) ORDER BY t0."_ashore_seq""#
        )
    );
}

#[test]
fn the_table_is_restricted_to_the_records_the_rest_of_the_filter_selects() {
    let keyed = filtered(
        Rep::schema(),
        ids(&[1, 2]).and(cmp(CmpOp::Gt, count(&["open_tickets"]), val(0_i64))),
    );
    let (sqlite, _) = both(&keyed);
    assert_eq!(
        sqlite,
        concat!(
            r#" LEFT JOIN (SELECT t2."rep_id" AS k, (count(*)) AS v FROM "ticket" t2 WHERE (t2."status" = ?2) "#,
            r#"AND t2."rep_id" IN (SELECT s1."id" FROM "rep" s1 WHERE (s1."id" IN rarray(?3))) GROUP BY t2."rep_id") g3 "#,
            r#"ON g3.k = t0."id" WHERE (t0."id" IN rarray(?1)) AND (COALESCE(g3.v, 0) > ?4) ORDER BY t0.rowid"#
        )
    );
    let linked = filtered(
        Rep::schema(),
        ids(&[1, 2]).and(cmp(CmpOp::Gt, count(&["above"]), val(0_i64))),
    );
    let (_, pg) = both(&linked);
    assert_eq!(
        pg,
        concat!(
            r#" LEFT JOIN (SELECT s1."id" AS k, (count(*)) AS v FROM "rep" s1, "ticket" t2 "#,
            r#"WHERE ((t2."rep_id" = s1."id") AND (t2."p" > s1."threshold")) AND (s1."id" = ANY($2::bigint[])) GROUP BY s1."id") g3 "#,
            r#"ON g3.k = t0."id" WHERE (t0."id" = ANY($1::bigint[])) AND (COALESCE(g3.v, 0) > $3::bigint) ORDER BY t0."_ashore_seq""#
        )
    );
}

#[test]
fn a_sort_key_is_grouped_and_restricted_by_the_filter_and_visibility() {
    let mut request = filtered(Rep::schema(), cmp(CmpOp::Ne, attr("name"), text("bob")));
    request.sort = vec![Sort::aggregate(
        "n",
        Aggregate::new(AggregateKind::Avg, ["above"]).field("p"),
        Order::Desc,
    )];
    request.visibility = Visibility::new(vec![
        (Rep::schema(), cmp(CmpOp::Eq, attr("active"), val(true))),
        (
            Ticket::schema(),
            cmp(CmpOp::Ne, attr("status"), text("secret")),
        ),
    ]);
    let (_, pg) = both(&request);
    assert_eq!(
        pg,
        concat!(
            r#" LEFT JOIN (SELECT s1."id" AS k, ((sum(t2."p")::float8 / count(t2."p")))::float8 AS v FROM "rep" s1, "ticket" t2 "#,
            r#"WHERE ((t2."rep_id" = s1."id") AND (t2."p" > s1."threshold")) AND (t2."status" COLLATE "C" <> $1::text) "#,
            r#"AND (s1."name" COLLATE "C" <> $2::text) AND (s1."active" = TRUE) GROUP BY s1."id") g3 ON g3.k = t0."id" "#,
            r#"WHERE (t0."name" COLLATE "C" <> $3::text) AND (t0."active" = TRUE) ORDER BY g3.v DESC NULLS FIRST, t0."_ashore_seq""#
        )
    );
}

#[test]
fn the_table_of_a_value_the_filter_discards_is_dropped_with_its_parameters() {
    // `count == "x"` is nil (no integer equals a text): its text and the
    // parameters its table added are discarded, and so is the table.
    let request = filtered(
        Rep::schema(),
        cmp(
            CmpOp::Eq,
            agg(AggregateKind::Count, &["open_tickets"], None),
            text("x"),
        )
        .or(cmp(
            CmpOp::Gt,
            agg(AggregateKind::Max, &["tickets"], Some("score")),
            val(1.5),
        )),
    );
    let (sqlite, _) = both(&request);
    assert_eq!(
        sqlite,
        concat!(
            r#" LEFT JOIN (SELECT t5."rep_id" AS k, (max(t5."score")) AS v FROM "ticket" t5 NOT INDEXED GROUP BY t5."rep_id") g6 "#,
            r#"ON g6.k = t0."id" WHERE (NULL OR (g6.v > ?1)) ORDER BY t0.rowid"#
        )
    );
}

#[test]
fn exists_first_paths_and_nested_scopes_stay_correlated() {
    let request = filtered(
        Rep::schema(),
        agg(AggregateKind::Exists, &["tickets"], None).and(cmp(
            CmpOp::Gt,
            agg(AggregateKind::First, &["tickets"], Some("p")),
            val(1_i64),
        )),
    );
    let (sqlite, _) = both(&request);
    assert_eq!(
        sqlite,
        concat!(
            r#" WHERE EXISTS (SELECT 1 FROM "ticket" t1 WHERE t1."rep_id" = t0."id" AND 1) "#,
            r#"AND ((SELECT t2."p" FROM "ticket" t2 WHERE t2."rep_id" = t0."id" AND t2."p" IS NOT NULL ORDER BY t2.rowid LIMIT 1) > ?1) "#,
            r#"ORDER BY t0.rowid"#
        )
    );
    // Through a path, and inside `exists`: computed for other rows.
    let through = Expr::Aggregate {
        at: vec![Name::Borrowed("representative")],
        aggregate: Box::new(Aggregate::new(AggregateKind::Count, ["tickets"])),
    };
    for filter in [
        cmp(CmpOp::Gt, through, val(1_i64)),
        exists(&["tags"], cmp(CmpOp::Ge, count(&["tickets"]), val(2_i64))),
    ] {
        let (sqlite, _) = both(&filtered(Ticket::schema(), filter));
        assert!(!sqlite.contains("GROUP BY"), "{sqlite}");
        assert!(sqlite.contains("(SELECT count(*)"), "{sqlite}");
    }
}

#[test]
fn a_load_keeps_its_aggregates_correlated() {
    // A partitioned read (a load) computes for its parents' related records
    // alone: no table of every record's groups.
    let mut request = filtered(
        Ticket::schema(),
        cmp(CmpOp::Gt, count(&["tags"]), val(0_i64)),
    );
    request.partition = Some(Partition {
        by: PartitionBy::Attribute("rep_id"),
        keys: vec![Value::Int(1)],
    });
    let sql = super::text::sql(Dialect::Sqlite, &request).sql;
    assert!(!sql.contains("GROUP BY"), "{sql}");
    assert!(sql.contains("(SELECT count(*)"), "{sql}");
}

/// Grouped aggregates in filters and sort keys, through every kind of hop,
/// restricted or not, with visibility: `db` keeps memory's records in
/// memory's order.
pub(super) fn same_as_memory(db: &mut impl Db, memory: &Memory) {
    use AggregateKind::*;
    let r = Rep::schema();
    let values = [
        count(&["tickets"]),
        count(&["above"]),
        count(&["peers"]),
        count(&["remote_open_above"]),
        count(&["tickets", "tags"]),
        agg(Sum, &["above"], Some("p")),
        agg(Sum, &["tickets"], Some("small")),
        agg(Avg, &["vip_tickets"], Some("score")),
        agg(Min, &["peers"], Some("status")),
        agg(Max, &["tickets", "urgent_tags"], Some("label")),
    ];
    let mut kept = 0;
    for value in values {
        for rest in [
            None,
            Some(ids(&[1, 2, 3])),
            Some(cmp(CmpOp::Ne, attr("name"), text("bob"))),
        ] {
            let tests = [
                cmp(CmpOp::Gt, value.clone(), val(0_i64)),
                is_nil(value.clone()),
                cmp(CmpOp::Le, value.clone(), attr("threshold")).not(),
            ];
            for test in tests {
                let filter = match &rest {
                    Some(rest) => rest.clone().and(test),
                    None => test,
                };
                for hidden in [false, true] {
                    let mut request = filtered(r, filter.clone());
                    if hidden {
                        request.visibility = Visibility::new(vec![
                            (r, cmp(CmpOp::Ne, attr("name"), text("ann"))),
                            (
                                Ticket::schema(),
                                cmp(CmpOp::Ne, attr("status"), text("open")),
                            ),
                        ]);
                    }
                    let found = same(db, memory, &request).expect("a valid request");
                    kept += usize::from(!found.0.is_empty());
                    // As a sort key too, under the same filter.
                    if let Expr::Aggregate { aggregate, .. } = &value {
                        request.sort = vec![
                            Sort::aggregate("v", (**aggregate).clone(), Order::DescNilsLast),
                            Sort::new("name", Order::Asc),
                        ];
                        same(db, memory, &request).expect("a valid request");
                    }
                }
            }
        }
    }
    // Through a many_to_many, from its other side.
    for test in [
        cmp(CmpOp::Gt, count(&["tickets"]), val(1_i64)),
        cmp(CmpOp::Ge, agg(Sum, &["tickets"], Some("p")), val(3_i64)),
    ] {
        let found = same(db, memory, &filtered(Tag::schema(), test)).expect("a valid request");
        kept += usize::from(!found.0.is_empty());
    }
    // Not vacuous: about half the filters keep records (92 of 182).
    assert!(kept > 80, "{kept} filters keep records");
}
