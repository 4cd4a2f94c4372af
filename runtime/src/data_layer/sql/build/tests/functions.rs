//! The SQL text of the text functions of filters, on both dialects: values
//! and patterns are parameters (escaped for PostgreSQL's `LIKE`), SQLite
//! calls the functions the layer registers, and operands that are nil or not
//! text leave `NULL` and no parameter.

use super::text::{PG_SEQ, SQLITE_SEQ, both, sql};
use super::*;
use crate::data_layer::sql::build::read;

#[test]
fn tests_of_two_texts() {
    let status = || attr("status");
    let e = Expr::contains(status(), text("50%"))
        .and(Expr::starts_with(status(), text("it's")))
        .and(Expr::ends_with(
            status(),
            through(&["representative"], "name"),
        ));
    let request = filtered(Ticket::schema(), e);
    let (sqlite, pg) = both(&request);
    assert_eq!(
        sqlite,
        r#" LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" WHERE (instr(t0."status", ?1) > 0) AND (substr(t0."status", 1, length(?2)) = ?2) AND (substr(t0."status", length(t0."status") - length(t1."name") + 1) = t1."name")"#
            .to_owned()
            + SQLITE_SEQ
    );
    assert_eq!(
        pg,
        r#" LEFT JOIN "rep" t1 ON t1."id" = t0."rep_id" WHERE (strpos(t0."status", $1::text) > 0) AND starts_with(t0."status", $2::text) AND (right(t0."status", char_length(t1."name")) = t1."name")"#
            .to_owned()
            + PG_SEQ
    );
    // The values as given: `%` and quotes are data, bound.
    assert_eq!(
        sql(Dialect::Postgres, &request).params,
        vec![Param::Value(s("50%")), Param::Value(s("it's"))]
    );
}

#[test]
fn case_mapping_length_and_concat() {
    let status = || attr("status");
    let e = cmp(
        CmpOp::Eq,
        Expr::lower(Expr::concat(status(), text("-"))),
        Expr::upper(text("é")),
    )
    .and(cmp(CmpOp::Gt, Expr::length(status()), val(3_i64)));
    let request = filtered(Ticket::schema(), e);
    let (sqlite, pg) = both(&request);
    assert_eq!(
        sqlite,
        r#" WHERE (ashore_lower((t0."status" || ?1)) = ashore_upper(?2)) AND (length(t0."status") > ?3)"#
            .to_owned()
            + SQLITE_SEQ
    );
    assert_eq!(
        pg,
        r#" WHERE (lower((t0."status" || $1::text)) COLLATE "C" = upper($2::text)) AND (char_length(t0."status") > $3::bigint)"#
            .to_owned()
            + PG_SEQ
    );
}

#[test]
fn like_patterns_are_bound_escaped_for_postgres() {
    let status = || attr("status");
    let e = Expr::like(status(), "50\\%_x\\")
        .or(Expr::ilike(status(), "ÉCOLE%"))
        .or(Expr::like(status(), "a\\b"));
    let request = filtered(Ticket::schema(), e);
    let (sqlite, pg) = both(&request);
    assert_eq!(
        sqlite,
        r#" WHERE ((ashore_like(t0."status", ?1) OR ashore_ilike(t0."status", ?2)) OR ashore_like(t0."status", ?3))"#
            .to_owned()
            + SQLITE_SEQ
    );
    assert_eq!(
        pg,
        r#" WHERE (((t0."status" LIKE $1::text) OR (lower(t0."status") LIKE $2::text)) OR (t0."status" LIKE $3::text))"#
            .to_owned()
            + PG_SEQ
    );
    // SQLite's functions read the pattern as memory does; PostgreSQL gets it
    // with the trailing backslash escaped, an escape of a plain character
    // dropped, and lowered for `ilike`.
    assert_eq!(
        sql(Dialect::Sqlite, &request).params,
        vec![
            Param::Value(s("50\\%_x\\")),
            Param::Value(s("ÉCOLE%")),
            Param::Value(s("a\\b")),
        ]
    );
    assert_eq!(
        sql(Dialect::Postgres, &request).params,
        vec![
            Param::Value(s("50\\%_x\\\\")),
            Param::Value(s("école%")),
            Param::Value(s("ab")),
        ]
    );
}

#[test]
fn nil_and_other_types_are_null_without_parameters() {
    let e = Expr::contains(attr("p"), text("1"))
        .or(Expr::like(attr("p"), "1%"))
        .or(cmp(CmpOp::Eq, Expr::length(attr("urgent")), val(1_i64)))
        .or(Expr::ends_with(attr("status"), nil()))
        .or(cmp(
            CmpOp::Eq,
            Expr::concat(nil(), text("x")),
            Expr::lower(val(2_i64)),
        ))
        .or(Expr::TextOp(
            TextOp::Ilike,
            Box::new(attr("status")),
            Box::new(Expr::Value(Value::Null)),
        ));
    let request = filtered(Ticket::schema(), e);
    let (sqlite, pg) = both(&request);
    assert_eq!(
        sqlite,
        " WHERE (((((NULL OR NULL) OR NULL) OR NULL) OR NULL) OR NULL)".to_owned() + SQLITE_SEQ
    );
    assert_eq!(
        pg,
        " WHERE (((((NULL OR NULL) OR NULL) OR NULL) OR NULL) OR NULL)".to_owned() + PG_SEQ
    );
    assert!(sql(Dialect::Postgres, &request).params.is_empty());
}

#[test]
fn a_pattern_that_is_not_a_constant_is_refused() {
    let e = Expr::TextOp(
        TextOp::Like,
        Box::new(attr("status")),
        Box::new(attr("status")),
    );
    let Err(err) = read(Dialect::Sqlite, &filtered(Ticket::schema(), e)) else {
        panic!("a pattern that is not a constant must be refused");
    };
    assert!(
        err.to_string()
            .contains("the pattern of `like` must be a constant"),
        "{err}"
    );
    let e = Expr::upper(attr("status"));
    let Err(err) = read(Dialect::Postgres, &filtered(Ticket::schema(), e)) else {
        panic!("`upper` is no condition");
    };
    assert!(err.to_string().contains("is not a condition"), "{err}");
}
