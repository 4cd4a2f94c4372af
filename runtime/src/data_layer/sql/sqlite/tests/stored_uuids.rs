//! A UUID has one stored form on SQLite, lowercase hyphenated text, the form
//! every bound UUID takes: a filter, a has_many load or a path comparing with
//! one would silently miss a UUID stored uppercase, in braces or as a blob.
//! `migrate`'s `CHECK` refuses the other forms; a table made without it is
//! read as an error naming the table, the column and the row.

use super::*;

/// The UUID of these tests, in its stored form.
const STORED: &str = "a1a2a3a4-b1b2-c1c2-d1d2-d3d4d5d6d7d8";

/// The same UUID in forms SQLite would keep as they are, as SQL literals.
const OTHER_FORMS: [&str; 4] = [
    "'A1A2A3A4-B1B2-C1C2-D1D2-D3D4D5D6D7D8'",
    "'{a1a2a3a4-b1b2-c1c2-d1d2-d3d4d5d6d7d8}'",
    "'a1a2a3a4b1b2c1c2d1d2d3d4d5d6d7d8'",
    "X'A1A2A3A4B1B2C1C2D1D2D3D4D5D6D7D8'",
];

async fn run(sqlite: &Sqlite, sql: String) -> Result<()> {
    sqlite.with_connection(move |c| c.execute_batch(&sql)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_migrated_table_refuses_every_other_form() {
    let sqlite = migrated_memory().await;
    for form in OTHER_FORMS {
        let err = run(
            &sqlite,
            format!("INSERT INTO tag (id, label) VALUES ({form}, 'x')"),
        )
        .await
        .expect_err(form);
        assert!(
            err.to_string()
                .contains("CHECK constraint failed: tag_id_uuid"),
            "{form}: {err}"
        );
        // A foreign key too (the key checks are off: the CHECK alone refuses it).
        let err = run(
            &sqlite,
            format!(
                "PRAGMA foreign_keys = OFF; INSERT INTO ticket (id, subject, priority, urgent, \
                 tag_id) VALUES (1, 's', 1, 0, {form})"
            ),
        )
        .await
        .expect_err(form);
        assert!(
            err.to_string()
                .contains("CHECK constraint failed: ticket_tag_id_uuid"),
            "{form}: {err}"
        );
    }
    // The stored form is accepted, and nil where the column allows it.
    run(
        &sqlite,
        format!(
            "INSERT INTO tag (id, label) VALUES ('{STORED}', 'x'); INSERT INTO ticket \
             (id, subject, priority, urgent, tag_id) VALUES (1, 's', 1, 0, '{STORED}'), \
             (2, 's', 1, 0, NULL)"
        ),
    )
    .await
    .expect("the stored form");
    let tickets: Vec<Ticket> = sqlite
        .read(ReadRequest::new(Ticket::schema()))
        .await
        .and_then(|r| r.records.into_vec())
        .expect("read");
    let expected = Uuid::parse_str(STORED).expect("uuid");
    assert_eq!(
        tickets.iter().map(|t| t.tag_id).collect::<Vec<_>>(),
        [Some(expected), None]
    );
}

/// Tables as another program made them, without the `CHECK`.
const UNCHECKED: &str = "CREATE TABLE rep (id INT PRIMARY KEY, name TEXT NOT NULL, threshold INTEGER); \
     CREATE TABLE tag (id TEXT PRIMARY KEY, label TEXT NOT NULL); \
     CREATE TABLE ticket (id INT PRIMARY KEY, rep_id INTEGER, subject TEXT NOT NULL, \
     priority INTEGER NOT NULL, score REAL, urgent INTEGER NOT NULL, opened TEXT, tag_id TEXT)";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_form_in_an_unchecked_table_is_an_error_naming_table_column_and_row() {
    for form in OTHER_FORMS {
        let sqlite = Sqlite::memory().expect("memory");
        run(&sqlite, UNCHECKED.to_owned()).await.expect("tables");
        // As a primary key: the row is named by the key as stored.
        run(
            &sqlite,
            format!("INSERT INTO tag (id, label) VALUES ({form}, 'x')"),
        )
        .await
        .expect("unchecked");
        let err = sqlite
            .read(ReadRequest::new(Tag::schema()))
            .await
            .and_then(|r| r.records.into_vec::<Tag>())
            .expect_err(form);
        let message = err.to_string();
        let key = if form.starts_with('X') {
            format!("x'{}'", STORED.replace('-', ""))
        } else {
            form.to_owned()
        };
        for part in ["table `tag`", "column `id`", &format!("`id` is {key}")] {
            assert!(message.contains(part), "{form}: {part} in {message}");
        }
        // As a foreign key: the row is named by its own key.
        run(
            &sqlite,
            format!(
                "INSERT INTO ticket (id, subject, priority, urgent, tag_id) \
                 VALUES (7, 's', 1, 0, {form})"
            ),
        )
        .await
        .expect("unchecked");
        let err = sqlite
            .read(ReadRequest::new(Ticket::schema()))
            .await
            .and_then(|r| r.records.into_vec::<Ticket>())
            .expect_err(form);
        let message = err.to_string();
        for part in ["table `ticket`", "column `tag_id`", "`id` is 7"] {
            assert!(message.contains(part), "{form}: {part} in {message}");
        }
    }
}
