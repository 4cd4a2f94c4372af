//! Writes refused by unique, foreign-key and not-null constraints become
//! `ErrorKind::Constraint` naming the attribute, with the database's error as
//! the source; the whole write is rolled back.

use super::*;
use crate::error::Constraint;

pg_resource!(CRep "rep" None, { email: String });
pg_resource!(CTicket "ticket" None, {
    rep_id: Option<i64>,
    title: Option<String>,
    code: Option<String>,
});

const DDL: &str = "
    CREATE TABLE rep (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);
    CREATE TABLE ticket (
        id bigint PRIMARY KEY,
        rep_id bigint REFERENCES rep (id),
        title text NOT NULL,
        code text,
        CONSTRAINT named_unlike_postgres UNIQUE (code)
    );";

fn insert_rep(id: i64, email: &str) -> Statement {
    stmt(
        "INSERT INTO rep (id, email) VALUES ($1::bigint, $2::text) RETURNING id, email",
        vec![Param::Value(Value::Int(id)), Param::Value(s(email))],
        Columns::Attributes,
    )
}

fn insert_ticket(id: i64, rep: Option<i64>, title: Option<&str>, code: Option<&str>) -> Statement {
    let mut params = vec![Param::Value(Value::Int(id))];
    let mut sql = vec!["$1::bigint".to_owned()];
    for (value, cast) in [
        (Value::from(rep), "bigint"),
        (Value::from(title.map(str::to_owned)), "text"),
        (Value::from(code.map(str::to_owned)), "text"),
    ] {
        if value.is_null() {
            sql.push("NULL".into());
        } else {
            params.push(Param::Value(value));
            sql.push(format!("${}::{cast}", params.len()));
        }
    }
    stmt(
        &format!(
            "INSERT INTO ticket (id, rep_id, title, code) VALUES ({}) \
             RETURNING id, rep_id, title, code",
            sql.join(", ")
        ),
        params,
        Columns::Attributes,
    )
}

fn assert_constraint(err: &Error, resource: &str, constraint: Constraint, attribute: Option<&str>) {
    match err.kind() {
        ErrorKind::Constraint {
            resource: r,
            attribute: a,
            constraint: c,
            source,
            ..
        } => {
            assert_eq!((*r, *c, *a), (resource, constraint, attribute), "{err}");
            assert!(source.downcast_ref::<tokio_postgres::Error>().is_some());
        }
        _ => panic!("expected a {constraint} constraint error, got {err:?}"),
    }
}

#[tokio::test]
async fn constraint_violations_name_the_attribute() {
    let Some(db) = layer("constraints").await else {
        return;
    };
    db.execute(DDL).await;
    let (rep, ticket) = (CRep::schema(), CTicket::schema());
    let reps = db
        .pg
        .write(
            rep,
            &[
                insert_rep(1, "a@example.com"),
                insert_rep(2, "b@example.com"),
            ],
        )
        .await
        .expect("reps");
    assert_eq!(reps.into_vec::<CRep>().expect("reps").len(), 2);
    db.pg
        .write(
            ticket,
            &[insert_ticket(1, Some(1), Some("first"), Some("T-1"))],
        )
        .await
        .expect("ticket");

    // Primary key (`rep_pkey`).
    let err = db
        .pg
        .write(rep, &[insert_rep(1, "c@example.com")])
        .await
        .expect_err("duplicate id");
    assert_constraint(&err, "CRep", Constraint::Unique, Some("id"));
    assert_eq!(err.to_string(), "unique constraint violated on CRep.id");
    // Unique column (`rep_email_key`).
    let err = db
        .pg
        .write(rep, &[insert_rep(3, "a@example.com")])
        .await
        .expect_err("duplicate email");
    assert_constraint(&err, "CRep", Constraint::Unique, Some("email"));
    // Unique constraint with a name of its own: the column comes from the detail.
    let err = db
        .pg
        .write(
            ticket,
            &[insert_ticket(2, Some(1), Some("second"), Some("T-1"))],
        )
        .await
        .expect_err("duplicate code");
    assert_constraint(&err, "CTicket", Constraint::Unique, Some("code"));
    // Foreign key (`ticket_rep_id_fkey`).
    let err = db
        .pg
        .write(ticket, &[insert_ticket(3, Some(99), Some("orphan"), None)])
        .await
        .expect_err("no such rep");
    assert_constraint(&err, "CTicket", Constraint::ForeignKey, Some("rep_id"));
    // Not null.
    let err = db
        .pg
        .write(ticket, &[insert_ticket(4, Some(1), None, None)])
        .await
        .expect_err("no title");
    assert_constraint(&err, "CTicket", Constraint::NotNull, Some("title"));

    // A failing statement rolls back the ones before it.
    let err = db
        .pg
        .write(
            ticket,
            &[
                insert_ticket(5, Some(2), Some("kept?"), None),
                insert_ticket(6, Some(2), Some("also kept?"), None),
                insert_ticket(5, Some(2), Some("duplicate"), None),
            ],
        )
        .await
        .expect_err("duplicate in the batch");
    assert_constraint(&err, "CTicket", Constraint::Unique, Some("id"));
    let tickets = db
        .pg
        .query::<CTicket>("SELECT * FROM ticket ORDER BY id", vec![])
        .await
        .expect("tickets");
    assert_eq!(
        tickets,
        vec![CTicket {
            id: 1,
            rep_id: Some(1),
            title: Some("first".into()),
            code: Some("T-1".into()),
        }]
    );
    // Other errors are data-layer errors carrying the database's message.
    let err = db
        .pg
        .write(
            rep,
            &[stmt(
                "INSERT INTO missing_table (id) VALUES ($1::bigint) RETURNING id",
                vec![Param::Value(Value::Int(1))],
                Columns::Attributes,
            )],
        )
        .await
        .expect_err("no such table");
    assert!(matches!(err.kind(), ErrorKind::DataLayer { .. }), "{err:?}");
    assert!(err.to_string().contains("missing_table"), "{err}");
    db.drop().await;
}
