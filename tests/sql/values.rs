//! Strings full of SQL metacharacters, on memory, SQLite and PostgreSQL: each
//! round-trips through create and read unchanged, and matches exactly, only
//! itself, in `==` filters, `in` lists and raw queries' parameters. A NUL,
//! which PostgreSQL's `text` cannot hold, is refused alike on every layer: a
//! create holding one is `ErrorKind::InvalidValue` and writes nothing, a filter
//! value `ErrorKind::InvalidQuery`; in a raw PostgreSQL query's parameters it is
//! the driver's `Err`, never a panic, after which the layer keeps working.
use ashore::data_layer::sql::{Postgres, Sqlite};
use ashore::prelude::*;
use ashore::{DataLayer, Value};

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Note {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
            attribute remark: Option<String>;
        }
    }
}

/// Distinct strings, each a way to break SQL that splices values into its text.
fn nasty() -> Vec<String> {
    let mut strings: Vec<String> = [
        "'",
        "''",
        "'''",
        "\"",
        "\"\"",
        "`",
        "';",
        "'; DROP TABLE note; --",
        "\"; DROP TABLE note; --",
        "' OR '1'='1",
        "' OR 1=1 --",
        "x' UNION SELECT id, subject, remark FROM note --",
        "Robert'); DROP TABLE note;--",
        ";",
        ";;",
        "--",
        "-- a comment",
        "/*",
        "*/",
        "/* unterminated",
        "a/*b*/c",
        "\\",
        "\\\\",
        "\\'",
        "\\\"",
        "\\0",
        "\\n",
        "E'\\x41'",
        "%",
        "_",
        "%_%",
        "[abc]",
        "$1",
        "$$",
        "$tag$ body $tag$",
        "?",
        "?1",
        ":name",
        "@name",
        "{}",
        "{\"json\": [1, 2]}",
        "NULL",
        "null",
        "",
        " ",
        "a",
        "A",
        "a ",
        " a",
        "\t\n\r",
        "tab\tnew\nline\r\nend",
        "Ünïcödé",
        "日本語のテキスト",
        "עברית",
        "مرحبا",
        "é",
        "e\u{301}",
        "🎫🔥",
        "👩‍💻",
        "🏳️‍🌈",
        "\u{feff}byte order mark",
        "zero\u{200b}width",
        "\u{fffd}",
        "\u{7f}\u{1}\u{1f}",
        "\u{10ffff}",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    strings.push("'".repeat(10_000));
    strings.push("\\".repeat(10_001));
    strings.push("';--/*\"\\".repeat(5_000));
    strings.push(format!("{}🎫", "long ".repeat(200_000)));
    strings
}

/// Strings with NUL, which PostgreSQL's `text` cannot store.
fn with_nul() -> Vec<String> {
    ["\0", "a\0b", "\0'\0", "nul at the end\0"]
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// A short form of a string for messages.
fn short(s: &str) -> String {
    let mut shown: String = s.chars().take(40).collect();
    if shown.len() < s.len() {
        shown.push_str(&format!(".. ({} bytes)", s.len()));
    }
    format!("{shown:?}")
}

fn domain(layer: impl DataLayer) -> Domain {
    Domain::builder()
        .data_layer(layer)
        .resource::<Note>()
        .build()
        .expect("the domain builds")
}

/// Runs raw SQL with one parameter, on the SQL layers.
enum Raw {
    None,
    Sqlite(Sqlite),
    Postgres(Postgres),
}

impl Raw {
    async fn by_subject(&self, s: &str) -> Option<Result<Vec<Note>>> {
        let param = vec![Value::String(s.to_owned())];
        Some(match self {
            Raw::None => return None,
            Raw::Sqlite(sqlite) => {
                sqlite
                    .query::<Note>("SELECT * FROM note WHERE subject = ?1", param)
                    .await
            }
            Raw::Postgres(postgres) => {
                postgres
                    .query::<Note>("SELECT * FROM note WHERE subject = $1", param)
                    .await
            }
        })
    }
}

/// Creates one note per string (its remark the string reversed, and nil for
/// the first), then reads them back every way.
async fn round_trips(domain: &Domain, raw: &Raw, strings: &[String]) {
    let remark = |i: usize, s: &str| (i > 0).then(|| s.chars().rev().collect::<String>());
    let created = domain
        .create_many(strings.iter().enumerate().map(|(i, s)| {
            Note::changeset()
                .set(Note::subject(), s.as_str())
                .set(Note::remark(), remark(i, s))
        }))
        .await
        .expect("create every string");
    for (note, s) in created.iter().zip(strings) {
        assert_eq!(&note.subject, s, "created {}", short(s));
    }

    // Read back, unchanged.
    let all = domain.read(Note::query()).await.expect("read every note");
    assert_eq!(all.len(), strings.len());
    for ((note, s), i) in all.iter().zip(strings).zip(0..) {
        assert_eq!(&note.subject, s, "read back {}", short(s));
        assert_eq!(note.remark, remark(i, s), "remark of {}", short(s));
    }

    // `==` finds exactly that note; `!=` everything else.
    for (i, s) in strings.iter().enumerate() {
        let found = domain
            .read(Note::query().filter(expr!(subject == ^s)))
            .await
            .unwrap_or_else(|e| panic!("filter by {}: {e}", short(s)));
        assert_eq!(found, vec![created[i].clone()], "subject == {}", short(s));
        if let Some(raw) = raw.by_subject(s).await {
            let found = raw.unwrap_or_else(|e| panic!("raw query for {}: {e}", short(s)));
            assert_eq!(
                found,
                vec![created[i].clone()],
                "raw query for {}",
                short(s)
            );
        }
        if let Some(r) = remark(i, s) {
            let found = domain
                .read(Note::query().filter(expr!(remark == ^r)))
                .await
                .expect("filter by remark");
            assert_eq!(found.len(), 1, "remark == {}", short(&r));
        }
    }
    let first = &strings[0];
    let others = domain
        .read(Note::query().filter(expr!(subject != ^first)))
        .await
        .expect("filter with !=");
    assert_eq!(others.len(), strings.len() - 1);

    // `in` lists: every string, every other string, and strings near them that
    // are not stored.
    let found = domain
        .read(Note::query().filter(expr!(subject in ^strings)))
        .await
        .expect("in: every string");
    assert_eq!(found, created);
    let every_other: Vec<String> = strings.iter().step_by(2).cloned().collect();
    let found = domain
        .read(Note::query().filter(expr!(subject in ^every_other)))
        .await
        .expect("in: every other string");
    assert_eq!(
        found,
        created.iter().step_by(2).cloned().collect::<Vec<_>>()
    );
    let near: Vec<String> = strings
        .iter()
        .flat_map(|s| {
            [
                format!("{s}'"),
                format!("'{s}"),
                format!("{s}\\"),
                format!("{s} "),
            ]
        })
        .filter(|s| !strings.contains(s))
        .collect();
    let found = domain
        .read(Note::query().filter(expr!(subject in ^near)))
        .await
        .expect("in: strings that are not stored");
    assert_eq!(found, vec![], "no note matches a near miss");

    // Sorted as Rust sorts strings: byte-wise.
    let sorted = domain
        .read(Note::query().sort(Note::subject()))
        .await
        .expect("sort by subject");
    let mut want: Vec<&String> = strings.iter().collect();
    want.sort();
    let got: Vec<&String> = sorted.iter().map(|n| &n.subject).collect();
    assert!(got == want, "sort by subject is not byte-wise");

    // The empty string is not nil.
    let empty = domain
        .read(Note::query().filter(expr!(is_nil(remark))))
        .await
        .expect("is_nil");
    assert_eq!(empty, vec![created[0].clone()]);
}

/// NUL is refused on every layer, before the data layer: in a create (a batch
/// with one writes nothing) and as a filter value. The layer keeps working.
async fn nul_is_refused(domain: &Domain) {
    let fine = domain
        .create(Note::changeset().set(Note::subject(), "fine"))
        .await
        .expect("create without NUL");
    for s in with_nul() {
        let err = domain
            .create_many([
                Note::changeset().set(Note::subject(), "before"),
                Note::changeset()
                    .set(Note::subject(), "fine too")
                    .set(Note::remark(), Some(s.clone())),
            ])
            .await
            .expect_err("a NUL stored");
        assert!(
            matches!(
                err.kind(),
                ErrorKind::InvalidValue {
                    resource: "Note",
                    attribute: "remark",
                    ..
                }
            ),
            "{}: {err:?}",
            short(&s)
        );
        assert!(err.to_string().contains("NUL"), "{err}");
        let list = vec!["fine".to_owned(), s.clone()];
        for query in [
            Note::query().filter(expr!(subject == ^s)),
            Note::query().filter(expr!(subject in ^list)),
        ] {
            let err = domain.read(query).await.expect_err("a NUL filter value");
            assert!(
                matches!(
                    err.kind(),
                    ErrorKind::InvalidQuery {
                        resource: "Note",
                        ..
                    }
                ),
                "{}: {err:?}",
                short(&s)
            );
            assert!(err.to_string().contains("NUL"), "{err}");
        }
    }
    let all = domain.read(Note::query()).await.expect("read after errors");
    assert_eq!(all, vec![fine]);
}

#[tokio::test]
async fn memory_keeps_every_string() {
    round_trips(&domain(Memory::new()), &Raw::None, &nasty()).await;
    nul_is_refused(&domain(Memory::new())).await;
}

#[tokio::test]
async fn sqlite_keeps_every_string() {
    let sqlite = Sqlite::memory().expect("SQLite in memory");
    let notes = domain(sqlite.clone());
    notes.migrate().await.expect("migrate");
    round_trips(&notes, &Raw::Sqlite(sqlite), &nasty()).await;

    let notes = domain(Sqlite::memory().expect("SQLite in memory"));
    notes.migrate().await.expect("migrate");
    nul_is_refused(&notes).await;
}

#[tokio::test]
async fn postgres_keeps_every_string() {
    let Some(db) = crate::common::pg("values").await else {
        return;
    };
    let notes = domain(db.postgres.clone());
    notes.migrate().await.expect("migrate");
    round_trips(&notes, &Raw::Postgres(db.postgres.clone()), &nasty()).await;
}

#[tokio::test]
async fn postgres_refuses_nul_with_an_error() {
    let Some(db) = crate::common::pg("values_nul").await else {
        return;
    };
    let notes = domain(db.postgres.clone());
    notes.migrate().await.expect("migrate");
    nul_is_refused(&notes).await;
    for s in with_nul() {
        // In a raw query's parameters, which ashore does not look into: the
        // driver's error.
        let err = Raw::Postgres(db.postgres.clone())
            .by_subject(&s)
            .await
            .expect("a SQL layer")
            .expect_err("a NUL parameter");
        assert_clear(&err, &s);
    }
    // The layer still works.
    let all = notes.read(Note::query()).await.expect("read after errors");
    assert_eq!(all.len(), 1);
}

/// A data-layer error that says what went wrong (the database's or the
/// driver's message), with the cause as its source.
fn assert_clear(err: &Error, s: &str) {
    println!("NUL in {s:?}: {err}");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::DataLayer {
                source: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("0x00") || text.contains("NUL") || text.contains("nul"),
        "the message should say a NUL is the problem: {text}"
    );
}
