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
            ..
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
    // Not a constraint ashore names: SQLite's reason is in the message.
    assert_eq!(
        err.to_string(),
        "data layer: sqlite: creating: CHECK constraint failed: priority >= 0"
    );
    let err = errors::database(
        "reading Nope",
        conn.prepare("SELECT * FROM nope").expect_err("no table"),
    );
    assert!(
        err.to_string().contains("has `Domain::migrate` run?"),
        "{err}"
    );
}

/// A create's transaction on `conn` as the layer runs it: foreign keys
/// deferred, `sql`, then `COMMIT`, whose error is returned with the transaction
/// still open.
fn failed_commit(conn: &Connection, sql: &str) -> rusqlite::Error {
    conn.execute_batch("BEGIN IMMEDIATE; PRAGMA defer_foreign_keys = ON;")
        .expect("begin");
    conn.execute_batch(sql).expect("deferred");
    let err = conn.execute_batch("COMMIT").expect_err("a violation");
    assert!(errors::is_foreign_key(&err), "{err:?}");
    assert!(!conn.is_autocommit(), "the transaction is still open");
    err
}

/// A schema of integer attributes `names` in `table`, for the error mapping only.
macro_rules! schema {
    ($table:literal, [$($name:literal),*]) => {
        Schema {
            name: $table,
            table: $table,
            attributes: &[$(AttributeInfo {
                name: $name,
                value_type: ValueType::I64,
                nullable: true,
                generated: None,
            }),*],
            primary_key: 0,
            relationships: &[],
            identities: &[],
            policies: &[],
            multitenancy: None,
            stored: true,
            new_table: crate::data_layer::store::new_table::<Rep>,
        }
    };
}

static PAIR: Schema = schema!("pair", ["id", "rep_id", "name"]);
static OTHER: Schema = schema!("other", ["id", "rep_id"]);
static GONE: Schema = schema!("gone\"; --", ["id"]);

#[test]
fn foreign_key_violations_are_looked_up_and_fall_back() {
    let conn = Connection::open_in_memory().expect("open");
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         CREATE TABLE rep (id INTEGER PRIMARY KEY, name TEXT NOT NULL, threshold INTEGER,
             UNIQUE (id, name));
         CREATE TABLE tag (id TEXT PRIMARY KEY, label TEXT NOT NULL);
         CREATE TABLE ticket (id INTEGER PRIMARY KEY, rep_id INTEGER REFERENCES rep (id),
             subject TEXT NOT NULL, priority INTEGER NOT NULL, score REAL,
             urgent INTEGER NOT NULL, opened TEXT, TAG_ID TEXT REFERENCES tag (id));
         INSERT INTO rep VALUES (1, 'ana', NULL);",
    )
    .expect("schema");
    let lookup = |sql: &str, schema| {
        let err = failed_commit(&conn, sql);
        let mapped = errors::foreign_key(&conn, schema, "creating", err);
        conn.execute_batch("ROLLBACK").expect("rollback");
        match mapped.kind() {
            ErrorKind::Constraint {
                attribute,
                constraint: Constraint::ForeignKey,
                source,
                ..
            } => {
                let source = source
                    .downcast_ref::<rusqlite::Error>()
                    .expect("a rusqlite error");
                assert!(errors::is_foreign_key(source), "{source:?}");
                (*attribute, source.to_string())
            }
            other => panic!("{other:?}"),
        }
    };
    // The column of the violated key, matched to the attribute ignoring case.
    let (attribute, message) = lookup(
        "INSERT INTO ticket VALUES (1, 1, 's', 1, NULL, 0, NULL, 'nope')",
        Ticket::schema(),
    );
    assert_eq!(attribute, Some("tag_id"));
    assert_eq!(
        message,
        "FOREIGN KEY constraint failed: ticket.TAG_ID (rowid 1) references no row of tag"
    );
    assert_eq!(
        lookup(
            "INSERT INTO ticket VALUES (1, 2, 's', 1, NULL, 0, NULL, NULL)",
            Ticket::schema()
        )
        .0,
        Some("rep_id")
    );
    // A column no attribute has, a key of several columns, no violation in the
    // table looked at: the violation without an attribute.
    assert_eq!(
        lookup(
            "INSERT INTO ticket VALUES (1, 2, 's', 1, NULL, 0, NULL, NULL)",
            Rep::schema()
        )
        .0,
        None,
        "rep's table has no violation"
    );
    conn.execute_batch(
        "CREATE TABLE pair (id INTEGER PRIMARY KEY, rep_id INTEGER, name TEXT,
             FOREIGN KEY (rep_id, name) REFERENCES rep (id, name));
         CREATE TABLE other (id INTEGER PRIMARY KEY, elsewhere INTEGER REFERENCES rep (id));",
    )
    .expect("more tables");
    assert_eq!(
        lookup("INSERT INTO pair VALUES (1, 1, 'bo')", &PAIR).0,
        None
    );
    assert_eq!(lookup("INSERT INTO other VALUES (1, 5)", &OTHER).0, None);
    // A table that does not exist: the lookup fails, the fallback stands.
    assert_eq!(lookup("INSERT INTO other VALUES (1, 5)", &GONE).0, None);
    assert!(conn.is_autocommit());
}
