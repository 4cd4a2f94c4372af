//! `sqlite:` URLs and constraint errors.

use super::*;

#[test]
fn urls() {
    assert_eq!(
        parse_url("sqlite::memory:").expect("memory"),
        Target::Memory
    );
    assert_eq!(
        parse_url("sqlite://:memory:").expect("memory"),
        Target::Memory
    );
    let file = |p: &str| Target::File(PathBuf::from(p));
    assert_eq!(
        parse_url("sqlite:data.db").expect("relative"),
        file("data.db")
    );
    assert_eq!(
        parse_url("sqlite://data.db").expect("relative"),
        file("data.db")
    );
    assert_eq!(
        parse_url("sqlite:///var/x.db").expect("absolute"),
        file("/var/x.db")
    );
    assert_eq!(
        parse_url("sqlite:/var/x.db").expect("absolute"),
        file("/var/x.db")
    );
    assert_eq!(
        parse_url("sqlite:file:x.db?mode=ro").expect("uri"),
        file("file:x.db?mode=ro")
    );
    for bad in ["sqlite:", "sqlite://", "postgres://h/db", "data.db", ""] {
        let err = parse_url(bad).expect_err(bad);
        assert!(err.to_string().contains("sqlite::memory:"), "{err}");
    }
}

#[test]
fn constraint_messages_name_the_attribute() {
    let t = Ticket::schema();
    let at = |m| errors::attribute_in_message(t, m);
    assert_eq!(at("UNIQUE constraint failed: ticket.id"), Some("id"));
    assert_eq!(
        at("NOT NULL constraint failed: ticket.subject"),
        Some("subject")
    );
    assert_eq!(
        at("NOT NULL constraint failed: TICKET.Subject"),
        Some("subject")
    );
    assert_eq!(
        at("UNIQUE constraint failed: ticket.subject, ticket.rep_id"),
        None
    );
    assert_eq!(at("UNIQUE constraint failed: index 'ticket_subject'"), None);
    assert_eq!(at("UNIQUE constraint failed: rep.id"), None);
    assert_eq!(at("UNIQUE constraint failed: tickets.id"), None);
    assert_eq!(at("UNIQUE constraint failed: ticket.nope"), None);
    assert_eq!(at("FOREIGN KEY constraint failed"), None);
    assert_eq!(at(""), None);
}

#[test]
fn sqlite_constraint_errors_map_to_constraint_kinds() {
    let conn = Connection::open_in_memory().expect("open");
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         CREATE TABLE rep (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, threshold INTEGER);
         CREATE TABLE ticket (id INTEGER PRIMARY KEY, rep_id INTEGER REFERENCES rep (id),
             subject TEXT NOT NULL, priority INTEGER NOT NULL, score REAL,
             urgent INTEGER NOT NULL, opened TEXT, tag_id TEXT,
             CHECK (priority >= 0));
         INSERT INTO rep VALUES (1, 'ana', NULL);",
    )
    .expect("schema");
    let fail = |sql: &str, schema| {
        let err = conn.execute(sql, []).expect_err(sql);
        errors::write(schema, "creating", err)
    };
    let expect = |err: Error, constraint: Constraint, resource, attribute| match err.kind() {
        ErrorKind::Constraint {
            resource: r,
            attribute: a,
            constraint: c,
            source,
        } => {
            assert_eq!((*r, *a, *c), (resource, attribute, constraint), "{err}");
            assert!(source.downcast_ref::<rusqlite::Error>().is_some());
        }
        other => panic!("{other:?}"),
    };
    expect(
        fail("INSERT INTO rep VALUES (1, 'bo', NULL)", Rep::schema()),
        Constraint::Unique,
        "Rep",
        Some("id"),
    );
    expect(
        fail("INSERT INTO rep VALUES (2, 'ana', NULL)", Rep::schema()),
        Constraint::Unique,
        "Rep",
        Some("name"),
    );
    expect(
        fail("INSERT INTO rep VALUES (2, NULL, NULL)", Rep::schema()),
        Constraint::NotNull,
        "Rep",
        Some("name"),
    );
    expect(
        fail(
            "INSERT INTO ticket VALUES (1, 99, 's', 1, NULL, 0, NULL, NULL)",
            Ticket::schema(),
        ),
        Constraint::ForeignKey,
        "Ticket",
        None,
    );
    let err = fail(
        "INSERT INTO ticket VALUES (1, 1, 's', -1, NULL, 0, NULL, NULL)",
        Ticket::schema(),
    );
    assert!(
        matches!(
            err.kind(),
            ErrorKind::DataLayer {
                source: Some(_),
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(err.to_string(), "data layer: sqlite: creating");
    let err = errors::database(
        "reading Nope",
        conn.prepare("SELECT * FROM nope").expect_err("no table"),
    );
    assert!(
        err.to_string().contains("has `Domain::migrate` run?"),
        "{err}"
    );
}
