//! The SQL text of relationships with no attributes: the hop's ON condition
//! is its filter correlated with the source's alias, and a load joins the
//! source's rows of the partition's keys.

use super::text::{both, sql};
use super::*;

#[test]
fn a_hop_is_its_filter_on_the_source_alias() {
    let e = exists(&["above"], cmp(CmpOp::Eq, attr("status"), text("open")));
    let (sqlite, pg) = both(&filtered(Rep::schema(), e));
    assert_eq!(
        sqlite,
        r#" WHERE EXISTS (SELECT 1 FROM "ticket" t1 WHERE ((t1."rep_id" = t0."id") AND (t1."p" > t0."threshold")) AND (t1."status" = ?1)) ORDER BY t0.rowid"#
    );
    assert_eq!(
        pg,
        r#" WHERE EXISTS (SELECT 1 FROM "ticket" t1 WHERE ((t1."rep_id" = t0."id") AND (t1."p" > t0."threshold")) AND (t1."status" COLLATE "C" = $1::text)) ORDER BY t0."_ashore_seq""#
    );
}

#[test]
fn a_load_joins_the_parents_by_key() {
    let mut request = ReadRequest::new(Ticket::schema());
    request.partition = Some(Partition {
        by: PartitionBy::Parent {
            source: Rep::schema(),
            relationship: Rep::schema().relationship("above").expect("above"),
        },
        keys: vec![Value::Int(1), Value::Int(2)],
    });
    // The key is the parent's, selected after the attributes (PostgreSQL
    // orders an unsorted load by the sequence it selects).
    let sqlite = sql(Dialect::Sqlite, &request).sql;
    assert!(
        sqlite.ends_with(
            r#", p."id" FROM "ticket" t0 JOIN "rep" p ON p."id" IN rarray(?1) AND ((t0."rep_id" = p."id") AND (t0."p" > p."threshold")) ORDER BY p."id", t0.rowid"#
        ),
        "{sqlite}"
    );
    let pg = sql(Dialect::Postgres, &request).sql;
    assert!(
        pg.ends_with(
            r#", p."id", t0."_ashore_seq" FROM "ticket" t0 JOIN "rep" p ON p."id" = ANY($1::bigint[]) AND ((t0."rep_id" = p."id") AND (t0."p" > p."threshold"))"#
        ),
        "{pg}"
    );
}
