//! The SQL text of relationships keyed by decimals and JSON documents
//! (`special::key`): on SQLite every key comparison goes through the
//! `ashore_decimal` collation (`ashore_json_key`), and loads group, sort and
//! number their keys by it; on PostgreSQL the text is that of any other key.
//! The answers on the databases are checked by `tests/semantics/decimal_keys.rs`.

use rust_decimal::Decimal;
use serde_json::Value as Json;

use super::text::sql;
use super::*;
use crate::expr::{Aggregate, AggregateKind};

test_resource!(Till in "till", id: i64 = Some(Generated::Integer), {
    amount: Option<Decimal>,
    doc: Option<Json>
} &[
    RelationshipInfo::new("slips", RelationshipKind::HasMany, Slip::schema, "amount", Some("amount")),
    RelationshipInfo::new("notes", RelationshipKind::HasMany, Slip::schema, "doc", Some("doc")),
    RelationshipInfo {
        through: Some(Through {
            resource: TillLabel::schema,
            source_attribute_on_join_resource: "till_amount",
            destination_attribute_on_join_resource: "label_code",
        }),
        ..RelationshipInfo::new("labels", RelationshipKind::ManyToMany, Label::schema, "amount", Some("code"))
    },
]);

test_resource!(Slip in "slip", id: i64 = Some(Generated::Integer), {
    amount: Option<Decimal>,
    doc: Option<Json>
} &[
    RelationshipInfo::new("till", RelationshipKind::BelongsTo, Till::schema, "amount", Some("amount")),
]);

test_resource!(TillLabel in "till_label", id: i64 = Some(Generated::Integer), {
    till_amount: Option<Decimal>,
    label_code: Option<Decimal>
} &[]);

test_resource!(Label in "label", id: i64 = Some(Generated::Integer), { code: Option<Decimal> } &[]);

const COLLATED: &str = "COLLATE ashore_decimal";

/// The statement of `request` on SQLite and on PostgreSQL.
fn texts(request: &ReadRequest) -> (String, String) {
    (
        sql(Dialect::Sqlite, request).sql,
        sql(Dialect::Postgres, request).sql,
    )
}

fn decimal(s: &str) -> Value {
    Value::Decimal(s.parse().expect("a decimal"))
}

#[test]
fn a_load_by_a_decimal_key_groups_its_records_by_value() {
    let mut request = ReadRequest::new(Slip::schema());
    request.partition = Some(Partition {
        by: PartitionBy::Attribute("amount"),
        keys: vec![decimal("1.5")],
    });
    let (sqlite, pg) = texts(&request);
    assert_eq!(
        sqlite,
        format!(
            r#"SELECT t0."id", t0."amount", t0."doc" FROM "slip" t0 WHERE t0."amount" {c} IN rarray(?1) ORDER BY t0."amount" {c}, t0.rowid"#,
            c = COLLATED
        )
    );
    assert_eq!(
        pg,
        r#"SELECT t0."id", t0."amount", t0."doc", t0."_ashore_seq" FROM "slip" t0 WHERE t0."amount" = ANY($1::numeric[])"#
    );
    // One window per key, whatever its records' scales.
    request.limit = Some(2);
    let (sqlite, _) = texts(&request);
    assert!(
        sqlite.contains(&format!(
            r#"ROW_NUMBER() OVER (PARTITION BY t0."amount" {COLLATED} ORDER BY t0.rowid)"#
        )),
        "{sqlite}"
    );
}

#[test]
fn a_many_to_many_load_by_decimal_keys_pairs_them_by_value() {
    let mut request = ReadRequest::new(Label::schema());
    request.partition = Some(Partition {
        by: PartitionBy::Through {
            join: TillLabel::schema(),
            source_attribute_on_join: "till_amount",
            destination_attribute_on_join: "label_code",
            destination_attribute: "code",
        },
        keys: vec![decimal("1.5")],
    });
    let (sqlite, pg) = texts(&request);
    // Grouped rather than `DISTINCT`: `1.5` and `1.50` are one key.
    assert_eq!(
        sqlite,
        format!(
            concat!(
                r#"SELECT t0."id", t0."code", jk."k" FROM "label" t0 JOIN (SELECT j."till_amount" AS "k", "#,
                r#"j."label_code" AS "d" FROM "till_label" j WHERE j."till_amount" {c} IN rarray(?1) "#,
                r#"GROUP BY j."till_amount" {c}, j."label_code" {c}) AS jk ON t0."code" {c} = jk."d" {c} "#,
                r#"ORDER BY jk."k" {c}, t0.rowid"#
            ),
            c = COLLATED
        )
    );
    assert_eq!(
        pg,
        concat!(
            r#"SELECT t0."id", t0."code", jk."k", t0."_ashore_seq" FROM "label" t0 JOIN (SELECT DISTINCT "#,
            r#"j."till_amount" AS "k", j."label_code" AS "d" FROM "till_label" j "#,
            r#"WHERE j."till_amount" = ANY($1::numeric[])) AS jk ON t0."code" = jk."d""#
        )
    );
}

#[test]
fn paths_and_exists_through_decimal_and_json_keys_compare_by_value() {
    let till = r#"SELECT t0."id", t0."amount", t0."doc" FROM "till" t0"#;
    let id = || cmp(CmpOp::Eq, attr("id"), val(1_i64));
    let (sqlite, pg) = texts(&filtered(Till::schema(), exists(&["slips"], id())));
    assert_eq!(
        sqlite,
        format!(
            r#"{till} WHERE EXISTS (SELECT 1 FROM "slip" t1 WHERE t1."amount" {c} = t0."amount" {c} AND (t1."id" = ?1)) ORDER BY t0.rowid"#,
            c = COLLATED
        )
    );
    assert_eq!(
        pg,
        format!(
            r#"{till} WHERE EXISTS (SELECT 1 FROM "slip" t1 WHERE t1."amount" = t0."amount" AND (t1."id" = $1::bigint)) ORDER BY t0."_ashore_seq""#
        )
    );
    let (sqlite, _) = texts(&filtered(Till::schema(), exists(&["labels"], id())));
    assert_eq!(
        sqlite,
        format!(
            concat!(
                r#"{till} WHERE EXISTS (SELECT 1 FROM "till_label" j1 JOIN "label" t2 ON t2."code" {c} = "#,
                r#"j1."label_code" {c} WHERE j1."till_amount" {c} = t0."amount" {c} AND (t2."id" = ?1)) "#,
                r#"ORDER BY t0.rowid"#
            ),
            till = till,
            c = COLLATED
        )
    );
    // A path's join (the belongs_to is not to a primary key: it joins the
    // first till its key finds).
    let path = cmp(CmpOp::Eq, through(&["till"], "id"), val(1_i64));
    let (sqlite, _) = texts(&filtered(Slip::schema(), path));
    assert!(
        sqlite.contains(&format!(
            r#" LEFT JOIN "till" t2 ON t2."id" = (SELECT t1."id" FROM "till" t1 WHERE t1."amount" {COLLATED} = t0."amount" {COLLATED} ORDER BY t1.rowid LIMIT 1) WHERE"#
        )),
        "{sqlite}"
    );
    let (sqlite, pg) = texts(&filtered(Till::schema(), exists(&["notes"], id())));
    assert_eq!(
        sqlite,
        format!(
            r#"{till} WHERE EXISTS (SELECT 1 FROM "slip" t1 WHERE ashore_json_key(t1."doc") = ashore_json_key(t0."doc") AND (t1."id" = ?1)) ORDER BY t0.rowid"#
        )
    );
    assert_eq!(
        pg,
        format!(
            r#"{till} WHERE EXISTS (SELECT 1 FROM "slip" t1 WHERE t1."doc" = t0."doc" AND (t1."id" = $1::bigint)) ORDER BY t0."_ashore_seq""#
        )
    );
}

#[test]
fn a_grouped_aggregate_over_decimal_keys_groups_them_by_value() {
    let count = Expr::Aggregate {
        at: Vec::new(),
        aggregate: Box::new(Aggregate::new(AggregateKind::Count, ["labels"])),
    };
    let some = cmp(CmpOp::Gt, count, val(0_i64));
    let restricted = Expr::is_in(attr("id"), vec![Value::Int(1)]).and(some.clone());
    let (sqlite, pg) = texts(&filtered(Till::schema(), some));
    assert_eq!(
        sqlite,
        format!(
            concat!(
                r#"SELECT t0."id", t0."amount", t0."doc" FROM "till" t0 LEFT JOIN (SELECT j2."till_amount" AS k, "#,
                r#"(count(*)) AS v FROM "till_label" j2 NOT INDEXED JOIN "label" t3 ON t3."code" {c} = "#,
                r#"j2."label_code" {c} GROUP BY j2."till_amount" {c}) g4 ON g4.k {c} = t0."amount" {c} "#,
                r#"WHERE (COALESCE(g4.v, 0) > ?1) ORDER BY t0.rowid"#
            ),
            c = COLLATED
        )
    );
    assert_eq!(
        pg,
        concat!(
            r#"SELECT t0."id", t0."amount", t0."doc" FROM "till" t0 LEFT JOIN (SELECT j2."till_amount" AS k, "#,
            r#"(count(*)) AS v FROM "till_label" j2 JOIN "label" t3 ON t3."code" = j2."label_code" "#,
            r#"GROUP BY j2."till_amount") g4 ON g4.k = t0."amount" WHERE (COALESCE(g4.v, 0) > $1::bigint) "#,
            r#"ORDER BY t0."_ashore_seq""#
        )
    );
    let (sqlite, _) = texts(&filtered(Till::schema(), restricted));
    assert!(
        sqlite.contains(&format!(
            r#"WHERE j2."till_amount" {c} IN (SELECT s1."amount" {c} FROM "till" s1 WHERE"#,
            c = COLLATED
        )),
        "{sqlite}"
    );
}
