//! The SQL text of representative statements, on both dialects.

use super::*;
use crate::data_layer::sql::build::{count, read};

const TICKET: &str = r#"SELECT t0."id", t0."rep_id", t0."p", t0."status", t0."score", t0."urgent", t0."opened", t0."ext", t0."small" FROM "ticket" t0"#;
const REP: &str =
    r#"SELECT t0."id", t0."name", t0."threshold", t0."score", t0."active" FROM "rep" t0"#;
pub(super) const SQLITE_SEQ: &str = " ORDER BY t0.rowid";
pub(super) const PG_SEQ: &str = r#" ORDER BY t0."_ashore_seq""#;

/// The statement of `request` on `dialect`, checked for its placeholders.
pub(super) fn sql(dialect: Dialect, request: &ReadRequest) -> Statement {
    let statement = read(dialect, request).expect("read");
    check_placeholders(&statement, dialect);
    statement
}

/// The SQL of a read of `request`, without the common `SELECT … FROM` of
/// tickets or reps, on SQLite and PostgreSQL.
pub(super) fn both(request: &ReadRequest) -> (String, String) {
    let head = if request.schema.name == "Rep" {
        REP
    } else {
        TICKET
    };
    let strip = |s: Statement| {
        s.sql
            .strip_prefix(head)
            .expect("the common head")
            .to_owned()
    };
    (
        strip(sql(Dialect::Sqlite, request)),
        strip(sql(Dialect::Postgres, request)),
    )
}

#[test]
fn comparisons_and_logic() {
    let e = cmp(CmpOp::Eq, attr("p"), val(3_i64))
        .and(cmp(CmpOp::Ne, attr("status"), text("b")))
        .or(cmp(CmpOp::Lt, attr("score"), attr("p"))
            .and(cmp(CmpOp::Le, attr("opened"), val(at(1))))
            .not())
        .or(cmp(CmpOp::Gt, attr("ext"), val(uuid(1))).and(cmp(
            CmpOp::Ge,
            attr("urgent"),
            val(true),
        )))
        .and(is_nil(attr("small")).or(attr("urgent")));
    let request = filtered(Ticket::schema(), e);
    let (sqlite, pg) = both(&request);
    assert_eq!(
        sqlite,
        r#" WHERE ((((t0."p" = ?1) AND (t0."status" <> ?2)) OR (NOT ((t0."score" < CAST(t0."p" AS REAL)) AND (t0."opened" <= ?3)))) OR ((t0."ext" > ?4) AND (t0."urgent" >= 1))) AND ((t0."small" IS NULL) OR t0."urgent")"#
            .to_owned()
            + SQLITE_SEQ
    );
    assert_eq!(
        pg,
        r#" WHERE ((((t0."p" = $1::bigint) AND (t0."status" COLLATE "C" <> $2::text)) OR (NOT ((t0."score" < (t0."p")::float8) AND (t0."opened" <= $3::timestamptz)))) OR ((t0."ext" > $4::uuid) AND (t0."urgent" >= TRUE))) AND ((t0."small" IS NULL) OR t0."urgent")"#
            .to_owned()
            + PG_SEQ
    );
    assert_eq!(
        sql(Dialect::Postgres, &request).params,
        vec![
            Param::Value(Value::Int(3)),
            Param::Value(s("b")),
            Param::Value(Value::DateTime(at(1))),
            Param::Value(Value::Uuid(uuid(1))),
        ]
    );
    // Nil and values of another type: `NULL`, and no parameter left behind.
    let e = cmp(CmpOp::Eq, attr("p"), nil()).or(cmp(CmpOp::Lt, attr("p"), text("3")));
    let request = filtered(Ticket::schema(), e.not().or(nil().and(val(false))));
    let (sqlite, pg) = both(&request);
    assert_eq!(
        sqlite,
        " WHERE ((NOT (NULL OR NULL)) OR (NULL AND 0))".to_owned() + SQLITE_SEQ
    );
    assert_eq!(
        pg,
        " WHERE ((NOT (NULL OR NULL)) OR (NULL AND FALSE))".to_owned() + PG_SEQ
    );
    assert!(sql(Dialect::Postgres, &request).params.is_empty());
}

#[test]
fn in_lists() {
    let list = vec![Value::Int(1), Value::Float(2.5), Value::Null, s("x")];
    let request = filtered(Ticket::schema(), Expr::is_in(attr("p"), list));
    let (sqlite, pg) = both(&request);
    assert_eq!(
        sqlite,
        r#" WHERE NULLIF((t0."p" IN rarray(?1) OR CAST(t0."p" AS REAL) IN rarray(?2)), 0)"#
            .to_owned()
            + SQLITE_SEQ
    );
    assert_eq!(
        pg,
        r#" WHERE NULLIF((t0."p" = ANY($1::bigint[]) OR (t0."p")::float8 = ANY($2::float8[])), FALSE)"#
            .to_owned()
            + PG_SEQ
    );
    assert_eq!(
        sql(Dialect::Sqlite, &request).params,
        vec![
            Param::List(ValueType::I64, vec![Value::Int(1)]),
            Param::List(ValueType::F64, vec![Value::Float(2.5)]),
        ]
    );
    // A float compares with every number of the list as a float.
    let list = vec![Value::Int(1), Value::Float(2.5)];
    let request = filtered(Ticket::schema(), Expr::is_in(attr("score"), list));
    assert_eq!(
        both(&request).1,
        r#" WHERE (t0."score" = ANY($1::float8[]))"#.to_owned() + PG_SEQ
    );
    assert_eq!(
        sql(Dialect::Postgres, &request).params,
        vec![Param::List(
            ValueType::F64,
            vec![Value::Float(1.0), Value::Float(2.5)]
        )]
    );
    // Nothing that can match: false, or nil with a nil in the list.
    let request = filtered(Ticket::schema(), Expr::is_in(attr("status"), vec![]));
    let (sqlite, pg) = both(&request);
    assert_eq!(
        sqlite,
        r#" WHERE (CASE WHEN t0."status" IS NULL THEN NULL ELSE 0 END)"#.to_owned() + SQLITE_SEQ
    );
    assert_eq!(
        pg,
        r#" WHERE (CASE WHEN t0."status" IS NULL THEN NULL ELSE FALSE END)"#.to_owned() + PG_SEQ
    );
    let list = vec![Value::Int(1), Value::Null];
    let request = filtered(Ticket::schema(), Expr::is_in(attr("status"), list));
    assert_eq!(both(&request).0, " WHERE NULL".to_owned() + SQLITE_SEQ);
    let uuids = vec![Value::Uuid(uuid(1))];
    let request = filtered(Ticket::schema(), Expr::is_in(attr("ext"), uuids));
    assert_eq!(
        both(&request),
        (
            r#" WHERE (t0."ext" IN rarray(?1))"#.to_owned() + SQLITE_SEQ,
            r#" WHERE (t0."ext" = ANY($1::uuid[]))"#.to_owned() + PG_SEQ
        )
    );
}

#[test]
fn arithmetic() {
    let e = cmp(
        CmpOp::Lt,
        arith(
            ArithOp::Div,
            attr("p"),
            arith(ArithOp::Add, attr("small"), val(1_i64)),
        ),
        arith(ArithOp::Mul, attr("score"), val(2_i64)),
    );
    let (sqlite, pg) = both(&filtered(Ticket::schema(), e));
    // SQLite: an overflow turns the integer tree into a REAL, nil where used.
    assert_eq!(
        sqlite,
        r#" WHERE (CAST((CASE WHEN typeof((t0."p" / NULLIF((t0."small" + ?1), 0))) = 'integer' THEN (t0."p" / NULLIF((t0."small" + ?1), 0)) END) AS REAL) < (t0."score" * CAST(?2 AS REAL)))"#
            .to_owned()
            + SQLITE_SEQ
    );
    // PostgreSQL: exact numeric, nil outside bigint at every step.
    let clamp = |x: &str| {
        format!(
            "NULLIF(NULLIF(GREATEST(LEAST({x}, 9223372036854775808), -9223372036854775809), 9223372036854775808), -9223372036854775809)"
        )
    };
    let sum = clamp(r#"((t0."small")::numeric + ($1::bigint)::numeric)"#);
    let quotient = clamp(&format!(r#"div((t0."p")::numeric, NULLIF({sum}, 0))"#));
    assert_eq!(
        pg,
        // A float NaN is nil (`NULLIF`).
        format!(
            r#" WHERE (({quotient})::float8 < NULLIF((t0."score" * ($2::bigint)::float8), 'NaN'::float8))"#
        ) + PG_SEQ
    );
    // Arithmetic on text is nil.
    let e = is_nil(arith(ArithOp::Sub, attr("status"), val(1_i64)));
    let request = filtered(Ticket::schema(), e);
    assert_eq!(
        both(&request).1,
        " WHERE (NULL IS NULL)".to_owned() + PG_SEQ
    );
    assert!(sql(Dialect::Postgres, &request).params.is_empty());
}

#[test]
fn relationship_paths() {
    // To-one: joined in the statement itself, each top-level conjunct a
    // condition of its own (more in `joins`).
    let e = is_nil(through(&["representative"], "name")).and(attr("urgent"));
    let (sqlite, pg) = both(&filtered(Ticket::schema(), e));
    let expected =
        r#" LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" WHERE (t1."name" IS NULL) AND t0."urgent""#;
    assert_eq!(sqlite, expected.to_owned() + SQLITE_SEQ);
    assert_eq!(pg, expected.to_owned() + PG_SEQ);
    // To-many: both references read the same ticket.
    let e = cmp(CmpOp::Gt, through(&["tickets"], "p"), attr("threshold")).and(cmp(
        CmpOp::Eq,
        through(&["tickets"], "status"),
        text("open"),
    ));
    let (sqlite, pg) = both(&filtered(Rep::schema(), e));
    assert_eq!(
        sqlite,
        r#" WHERE EXISTS (SELECT 1 FROM (SELECT 1) AS d2 LEFT JOIN "ticket" t1 ON t1."rep_id" = t0."id" WHERE (t1."p" > t0."threshold") AND (t1."status" = ?1))"#
            .to_owned()
            + SQLITE_SEQ
    );
    assert_eq!(
        pg,
        r#" WHERE EXISTS (SELECT 1 FROM (SELECT 1) AS d2 LEFT JOIN "ticket" t1 ON t1."rep_id" = t0."id" WHERE (t1."p" > t0."threshold") AND (t1."status" COLLATE "C" = $1::text))"#
            .to_owned()
            + PG_SEQ
    );
    // many_to_many with a relationship filter, and a nested path: to-one,
    // then to-many.
    let e = cmp(CmpOp::Eq, through(&["urgent_tags"], "label"), text("x"))
        .or(is_nil(through(&["representative", "tickets"], "id")));
    let (sqlite, _) = both(&filtered(Ticket::schema(), e));
    assert_eq!(
        sqlite,
        r#" LEFT JOIN "rep" t3 ON t3."id" = t0."rep_id" WHERE EXISTS (SELECT 1 FROM (SELECT 1) AS d5 LEFT JOIN ("ticket_tag" j1 JOIN "tag" t2 ON t2."id" = j1."tag_id" AND (t2."label" = ?1)) ON j1."ticket_id" = t0."id" LEFT JOIN "ticket" t4 ON t4."rep_id" = t3."id" WHERE ((t2."label" = ?2) OR (t4."id" IS NULL)))"#
            .to_owned()
            + SQLITE_SEQ
    );
}

#[test]
fn exists_paths() {
    let e = exists(
        &["tickets", "tags"],
        cmp(CmpOp::Eq, attr("label"), text("vip")),
    );
    let (sqlite, pg) = both(&filtered(Rep::schema(), e));
    assert_eq!(
        sqlite,
        r#" WHERE EXISTS (SELECT 1 FROM "ticket" t1 JOIN "ticket_tag" j2 ON j2."ticket_id" = t1."id" JOIN "tag" t3 ON t3."id" = j2."tag_id" WHERE t1."rep_id" = t0."id" AND (t3."label" = ?1))"#
            .to_owned()
            + SQLITE_SEQ
    );
    assert_eq!(
        pg,
        r#" WHERE EXISTS (SELECT 1 FROM "ticket" t1 JOIN "ticket_tag" j2 ON j2."ticket_id" = t1."id" JOIN "tag" t3 ON t3."id" = j2."tag_id" WHERE t1."rep_id" = t0."id" AND (t3."label" COLLATE "C" = $1::text))"#
            .to_owned()
            + PG_SEQ
    );
    // The relationship's filter (itself a path) on the first hop.
    let (_, pg) = both(&filtered(
        Rep::schema(),
        exists(&["vip_tickets"], val(true)).not(),
    ));
    assert_eq!(
        pg,
        r#" WHERE (NOT EXISTS (SELECT 1 FROM "ticket" t1 WHERE t1."rep_id" = t0."id" AND EXISTS (SELECT 1 FROM (SELECT 1) AS d4 LEFT JOIN ("ticket_tag" j2 JOIN "tag" t3 ON t3."id" = j2."tag_id") ON j2."ticket_id" = t1."id" WHERE (t3."label" COLLATE "C" = $1::text)) AND TRUE))"#
            .to_owned()
            + PG_SEQ
    );
}

#[test]
fn sort_and_window() {
    let mut request = ReadRequest::new(Ticket::schema());
    request.sort = vec![
        Sort::new("p", Order::Asc),
        Sort::new("status", Order::Desc),
        Sort::new("score", Order::AscNilsFirst),
        Sort::new("id", Order::DescNilsLast),
    ];
    request.offset = 2;
    request.limit = Some(5);
    let (sqlite, pg) = both(&request);
    let order = r#" ORDER BY t0."p" ASC NULLS LAST, t0."status" DESC NULLS FIRST, t0."score" ASC NULLS FIRST, t0."id" DESC NULLS LAST"#;
    assert_eq!(sqlite, format!("{order}, t0.rowid LIMIT ?1 OFFSET ?2"));
    let pg_order = order.replace(r#""status""#, r#""status" COLLATE "C""#);
    assert_eq!(
        pg,
        format!(r#"{pg_order}, t0."_ashore_seq" LIMIT $1::bigint OFFSET $2::bigint"#)
    );
    request.limit = None;
    let (sqlite, pg) = both(&request);
    assert_eq!(sqlite, format!("{order}, t0.rowid LIMIT -1 OFFSET ?1"));
    assert_eq!(
        pg,
        format!(r#"{pg_order}, t0."_ashore_seq" OFFSET $1::bigint"#)
    );
    request.offset = 0;
    request.sort.clear();
    assert_eq!(both(&request), (SQLITE_SEQ.to_owned(), PG_SEQ.to_owned()));
}

#[test]
fn partitions() {
    let mut request = ReadRequest::new(Ticket::schema());
    request.partition = Some(Partition {
        by: PartitionBy::Attribute("rep_id"),
        keys: vec![Value::Int(1), Value::Int(2)],
    });
    request.filter = Some(attr("urgent"));
    let statement = sql(Dialect::Sqlite, &request);
    // The key is an attribute: it is not selected twice.
    assert_eq!(
        statement.sql,
        TICKET.to_owned()
            + r#" WHERE t0."rep_id" IN rarray(?1) AND t0."urgent" ORDER BY t0."rep_id", t0.rowid"#
    );
    assert_eq!(statement.columns, Columns::Attributes);
    assert_eq!(
        statement.params,
        vec![Param::List(
            ValueType::I64,
            vec![Value::Int(1), Value::Int(2)]
        )]
    );
    // Unsorted on PostgreSQL: no ORDER BY, the sequence after the attributes.
    let statement = sql(Dialect::Postgres, &request);
    assert_eq!(
        statement.sql,
        TICKET.replace(" FROM", r#", t0."_ashore_seq" FROM"#)
            + r#" WHERE t0."rep_id" = ANY($1::bigint[]) AND t0."urgent""#
    );
    assert_eq!(statement.columns, Columns::AttributesAndSeq);
    // Sorted: the key first on SQLite; sort then sequence on PostgreSQL.
    request.sort = vec![Sort::new("p", Order::Desc)];
    let (sqlite, postgres) = (
        sql(Dialect::Sqlite, &request),
        sql(Dialect::Postgres, &request),
    );
    assert!(
        sqlite
            .sql
            .ends_with(r#" ORDER BY t0."rep_id", t0."p" DESC NULLS FIRST, t0.rowid"#),
        "{}",
        sqlite.sql
    );
    assert_eq!(
        postgres.sql,
        TICKET.to_owned()
            + r#" WHERE t0."rep_id" = ANY($1::bigint[]) AND t0."urgent" ORDER BY t0."p" DESC NULLS FIRST, t0."_ashore_seq""#
    );
    assert_eq!(postgres.columns, Columns::Attributes);
    // Offset and limit per key.
    request.sort = vec![Sort::new("p", Order::Desc)];
    request.offset = 1;
    request.limit = Some(2);
    let statement = sql(Dialect::Postgres, &request);
    let columns = r#"t0."id", t0."rep_id", t0."p", t0."status", t0."score", t0."urgent", t0."opened", t0."ext", t0."small""#;
    let inner = r#"t0."id" AS "id", t0."rep_id" AS "rep_id", t0."p" AS "p", t0."status" AS "status", t0."score" AS "score", t0."urgent" AS "urgent", t0."opened" AS "opened", t0."ext" AS "ext", t0."small" AS "small""#;
    assert_eq!(
        statement.sql,
        format!(
            r#"SELECT {columns} FROM (SELECT {inner}, t0."rep_id" AS "_ashore_key", ROW_NUMBER() OVER (PARTITION BY t0."rep_id" ORDER BY t0."p" DESC NULLS FIRST, t0."_ashore_seq") AS "_ashore_rn" FROM "ticket" t0 WHERE t0."rep_id" = ANY($1::bigint[]) AND t0."urgent") AS t0 WHERE t0."_ashore_rn" > $2::bigint AND t0."_ashore_rn" <= $3::bigint ORDER BY t0."_ashore_rn""#
        )
    );
    assert_eq!(
        statement.params[1..],
        [Param::Value(Value::Int(1)), Param::Value(Value::Int(3))]
    );

    // Through a join resource: one row per (key, record).
    let mut request = ReadRequest::new(Tag::schema());
    request.partition = Some(tags_of_tickets(vec![Value::Int(1), Value::Null]));
    let statement = sql(Dialect::Postgres, &request);
    assert_eq!(
        statement.sql,
        r#"SELECT t0."id", t0."label", jk."k", t0."_ashore_seq" FROM "tag" t0 JOIN (SELECT DISTINCT j."ticket_id" AS "k", j."tag_id" AS "d" FROM "ticket_tag" j WHERE j."ticket_id" = ANY($1::bigint[])) AS jk ON t0."id" = jk."d""#
    );
    assert_eq!(
        sql(Dialect::Sqlite, &request).sql,
        r#"SELECT t0."id", t0."label", jk."k" FROM "tag" t0 JOIN (SELECT DISTINCT j."ticket_id" AS "k", j."tag_id" AS "d" FROM "ticket_tag" j WHERE j."ticket_id" IN rarray(?1)) AS jk ON t0."id" = jk."d" ORDER BY jk."k", t0.rowid"#
    );
    assert_eq!(
        statement.params,
        vec![Param::List(ValueType::I64, vec![Value::Int(1)])]
    );
    request.limit = Some(1);
    assert_eq!(
        sql(Dialect::Sqlite, &request).sql,
        r#"SELECT t0."id", t0."label", t0."_ashore_key" FROM (SELECT t0."id" AS "id", t0."label" AS "label", jk."k" AS "_ashore_key", ROW_NUMBER() OVER (PARTITION BY jk."k" ORDER BY t0.rowid) AS "_ashore_rn" FROM "tag" t0 JOIN (SELECT DISTINCT j."ticket_id" AS "k", j."tag_id" AS "d" FROM "ticket_tag" j WHERE j."ticket_id" IN rarray(?1)) AS jk ON t0."id" = jk."d") AS t0 WHERE t0."_ashore_rn" <= ?2 ORDER BY t0."_ashore_rn""#
    );
}

/// `<resource>: <message>` of the `InvalidQuery` a read of `request` is on
/// `dialect`.
pub(super) fn invalid_message(dialect: Dialect, request: &ReadRequest) -> String {
    match read(dialect, request) {
        Err(e) => match e.kind() {
            ErrorKind::InvalidQuery { resource, message } => format!("{resource}: {message}"),
            other => panic!("{other:?}"),
        },
        Ok(s) => panic!("{}", s.sql),
    }
}

#[test]
fn invalid_requests() {
    let message = |request: &ReadRequest| invalid_message(Dialect::Sqlite, request);
    let t = Ticket::schema();
    assert_eq!(
        message(&filtered(t, attr("p"))),
        "Ticket: `p` is not a condition"
    );
    assert_eq!(
        message(&filtered(t, through(&["representative"], "nope"))),
        "Ticket: no attribute named `nope` on Rep (in `representative.nope`)"
    );
    let manual = is_nil(through(&["remote"], "id"));
    assert_eq!(
        message(&filtered(Rep::schema(), manual)),
        "Rep: relationship `remote` of Rep is manual; a filter cannot go through it"
    );
    let mut request = ReadRequest::new(t);
    request.sort = vec![Sort::new("nope", Order::Asc)];
    assert_eq!(
        message(&request),
        "Ticket: no attribute named `nope` to sort by"
    );
}

#[test]
fn counts_fetch_and_order_nothing() {
    let mut request = filtered(Ticket::schema(), cmp(CmpOp::Eq, attr("p"), val(3_i64)));
    let counted = |r: &ReadRequest, d| count(d, r).expect("count").sql;
    assert_eq!(
        counted(&request, Dialect::Postgres),
        r#"SELECT count(*) FROM "ticket" t0 WHERE (t0."p" = $1::bigint)"#
    );
    // A window is counted over its rows, in no order.
    request.offset = 1;
    request.limit = Some(2);
    assert_eq!(
        counted(&request, Dialect::Sqlite),
        r#"SELECT count(*) FROM (SELECT 1 FROM "ticket" t0 WHERE (t0."p" = ?1) LIMIT ?2 OFFSET ?3) AS c"#
    );
}

#[test]
fn identifiers_and_literals_double_their_quotes() {
    use crate::data_layer::sql::build::text::{column, ident, literal};
    assert_eq!(ident("rep"), r#""rep""#);
    assert_eq!(ident(r#"a"b""c"#), r#""a""b""""c""#);
    assert_eq!(ident(r#"""#), r#""""""#);
    assert_eq!(ident(""), r#""""#);
    assert_eq!(column("t0", r#"x"y"#), r#"t0."x""y""#);
    assert_eq!(literal("it's 'q'"), "'it''s ''q'''");
    assert_eq!(literal("é'ü"), "'é''ü'");
}
