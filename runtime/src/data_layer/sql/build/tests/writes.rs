//! The SQL text of updates and deletes, on both dialects: one statement that
//! selects the records with the filter's conditions on the table itself, or,
//! where a path or a window needs the read's own statement, by primary key in
//! that subquery (filter, paths, visibility, window); every value a parameter,
//! returning the attributes and the insertion sequence.

use super::*;
use crate::changeset::Changes;
use crate::data_layer::sql::build::{delete, update};

const RETURNING: &str =
    r#" RETURNING "id", "rep_id", "p", "status", "score", "urgent", "opened", "ext", "small", "#;

/// `status = 'closed', p = nil`.
fn close() -> Changes {
    Changes(vec![(3, s("closed")), (2, Value::Null)])
}

#[test]
fn an_update_without_paths_or_window_is_one_statement_on_its_table() {
    let request = filtered(Ticket::schema(), cmp(CmpOp::Eq, attr("p"), val(3_i64)));
    let sqlite = update(Dialect::Sqlite, &request, &close()).expect("update");
    check_placeholders(&sqlite, Dialect::Sqlite);
    assert_eq!(
        sqlite.sql,
        r#"UPDATE "ticket" AS t0 SET "status" = ?2, "p" = NULL WHERE (t0."p" = ?1)"#.to_owned()
            + RETURNING
            + "rowid"
    );
    let pg = update(Dialect::Postgres, &request, &close()).expect("update");
    check_placeholders(&pg, Dialect::Postgres);
    assert_eq!(
        pg.sql,
        r#"UPDATE "ticket" AS t0 SET "status" = $2::text, "p" = NULL WHERE (t0."p" = $1::bigint)"#
            .to_owned()
            + RETURNING
            + r#""_ashore_seq""#
    );
    for statement in [sqlite, pg] {
        assert_eq!(
            statement.params,
            [Param::Value(Value::Int(3)), Param::Value(s("closed"))]
        );
        assert_eq!(statement.columns, Columns::AttributesAndSeq);
    }
}

#[test]
fn a_delete_without_paths_or_window_is_one_statement_on_its_table() {
    let request = filtered(Ticket::schema(), cmp(CmpOp::Eq, attr("p"), val(3_i64)));
    let sqlite = delete(Dialect::Sqlite, &request).expect("delete");
    assert_eq!(
        sqlite.sql,
        r#"DELETE FROM "ticket" AS t0 WHERE (t0."p" = ?1)"#.to_owned() + RETURNING + "rowid"
    );
    let pg = delete(Dialect::Postgres, &request).expect("delete");
    assert_eq!(
        pg.sql,
        r#"DELETE FROM "ticket" AS t0 WHERE (t0."p" = $1::bigint)"#.to_owned()
            + RETURNING
            + r#""_ashore_seq""#
    );
    for statement in [sqlite, pg] {
        assert_eq!(statement.params, [Param::Value(Value::Int(3))]);
        assert_eq!(statement.columns, Columns::AttributesAndSeq);
    }
}

#[test]
fn a_path_and_a_window_stay_in_the_subquery() {
    let mut request = filtered(
        Ticket::schema(),
        cmp(CmpOp::Eq, through(&["representative"], "name"), text("Ada")),
    );
    request.sort = vec![Sort::new("p", Order::Desc)];
    request.limit = Some(2);
    request.offset = 1;
    let sqlite = update(Dialect::Sqlite, &request, &close()).expect("update");
    check_placeholders(&sqlite, Dialect::Sqlite);
    assert!(
        sqlite.sql.starts_with(
            r#"UPDATE "ticket" SET "status" = ?4, "p" = NULL WHERE "id" IN (SELECT t0."id" FROM "ticket" t0 LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" WHERE (t1."name" = ?1) ORDER BY t0."p" DESC NULLS FIRST, t0.rowid LIMIT ?2 OFFSET ?3)"#
        ),
        "{}",
        sqlite.sql
    );
    let pg = delete(Dialect::Postgres, &request).expect("delete");
    check_placeholders(&pg, Dialect::Postgres);
    assert!(
        pg.sql.starts_with(
            r#"DELETE FROM "ticket" WHERE "id" IN (SELECT t0."id" FROM "ticket" t0 LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" WHERE (t1."name" COLLATE "C" = $1::text) ORDER BY t0."p" DESC NULLS FIRST, t0."_ashore_seq" LIMIT $2::bigint OFFSET $3::bigint)"#
        ),
        "{}",
        pg.sql
    );
    assert_eq!(
        sqlite.params,
        [
            Param::Value(s("Ada")),
            Param::Value(Value::Int(2)),
            Param::Value(Value::Int(1)),
            Param::Value(s("closed")),
        ]
    );
    // Without a window the keys are selected unordered, still by key for
    // the path's join.
    request.limit = None;
    request.offset = 0;
    let sql = delete(Dialect::Sqlite, &request).expect("delete").sql;
    assert!(!sql.contains("ORDER BY"), "{sql}");
    assert!(sql.contains(r#"WHERE "id" IN (SELECT t0."id""#), "{sql}");
}

#[test]
fn what_no_update_may_do_is_refused() {
    let request = ReadRequest::new(Ticket::schema());
    let refused = |changes: Changes| {
        update(Dialect::Postgres, &request, &changes)
            .expect_err("refused")
            .to_string()
    };
    let key = refused(Changes(vec![(0, Value::Int(9))]));
    assert!(key.contains("`id` of Ticket is the primary key"), "{key}");
    let twice = refused(Changes(vec![(3, s("a")), (3, s("b"))]));
    assert!(twice.contains("sets `status` twice"), "{twice}");
    let nothing = refused(Changes::default());
    assert!(nothing.contains("must set something"), "{nothing}");
    let beyond = refused(Changes(vec![(42, s("a"))]));
    assert!(beyond.contains("attribute 42"), "{beyond}");
    let mut partitioned = ReadRequest::new(Ticket::schema());
    partitioned.partition = Some(Partition {
        by: PartitionBy::Attribute("rep_id"),
        keys: vec![Value::Int(1)],
    });
    let err = delete(Dialect::Sqlite, &partitioned).expect_err("refused");
    assert!(
        matches!(err.kind(), ErrorKind::InvalidQuery { .. }),
        "{err:?}"
    );
}
