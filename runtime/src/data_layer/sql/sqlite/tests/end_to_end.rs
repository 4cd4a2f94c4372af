//! The layer on the statements `build` makes: migrate, create, read with a filter,
//! a sort and a partition, and constraint violations, on hand-written resources.

use super::*;
use crate::data_layer::{Partition, PartitionBy};
use crate::domain::Domain;
use crate::expr::{CmpOp, Expr};
use crate::sort::{Order, Sort};

/// A migrated in-memory layer, through a domain as an application builds it.
async fn layer() -> (Domain, Sqlite) {
    let sqlite = Sqlite::memory().expect("memory");
    let domain = Domain::builder()
        .data_layer(sqlite.clone())
        .resource::<Rep>()
        .resource::<Tag>()
        .resource::<Ticket>()
        .build()
        .expect("domain");
    domain.migrate().await.expect("migrate");
    (domain, sqlite)
}

async fn create<R: Resource>(sqlite: &Sqlite, rows: Vec<Row>) -> Result<Vec<R>> {
    sqlite
        .create(R::schema(), crate::testing::flat(rows))
        .await?
        .into_vec()
}

async fn read<R: Resource>(sqlite: &Sqlite, request: ReadRequest) -> Result<Vec<R>> {
    sqlite.read(request).await?.records.into_vec()
}

fn rep(name: &str, threshold: Option<i64>) -> Row {
    vec![Value::Null, s(name), threshold.into()]
}

fn ticket(rep: Option<i64>, subject: &str, priority: i16) -> Row {
    vec![
        Value::Null,
        rep.into(),
        s(subject),
        priority.into(),
        Value::Null,
        false.into(),
        Value::Null,
        Value::Null,
    ]
}

fn ids<R: Resource<PrimaryKey = i64>>(records: &[R]) -> Vec<i64> {
    records.iter().map(R::primary_key).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_create_and_read() {
    let (domain, sqlite) = layer().await;
    assert!(domain.data_layer_as::<Sqlite>().is_some());
    let migrated = sqlite.statements();
    assert!(migrated > 0, "migrate ran no DDL");
    domain.migrate().await.expect("migrate again");

    let reps: Vec<Rep> = create(
        &sqlite,
        vec![
            rep("ana", Some(3)),
            rep("it's; --", None),
            rep("cy", Some(9)),
        ],
    )
    .await
    .expect("reps");
    assert_eq!(ids(&reps), [1, 2, 3]);
    assert_eq!(reps[1].name, "it's; --");

    let tags: Vec<Tag> = create(&sqlite, vec![vec![Value::Null, s("billing")]])
        .await
        .expect("tags");
    let tag = tags[0].id;
    assert!(!tag.is_nil());

    let opened = micros(1_700_000_000, 123_456);
    let mut full = ticket(Some(1), "nul\0 é 😀 \"q\"", i16::MAX);
    full[4] = Value::Float(0.1 + 0.2);
    full[5] = true.into();
    full[6] = Value::DateTime(opened);
    full[7] = Value::Uuid(tag);
    let tickets: Vec<Ticket> = create(
        &sqlite,
        vec![
            full,
            ticket(Some(1), "a", 1),
            ticket(Some(2), "b", 5),
            ticket(Some(1), "c", 4),
            ticket(None, "d", 7),
            ticket(Some(2), "e", i16::MIN),
        ],
    )
    .await
    .expect("tickets");
    assert_eq!(ids(&tickets), [1, 2, 3, 4, 5, 6]);
    let expected_full = Ticket {
        id: 1,
        rep_id: Some(1),
        subject: "nul\0 é 😀 \"q\"".into(),
        priority: i16::MAX,
        score: Some(0.1 + 0.2),
        urgent: true,
        opened: Some(opened),
        tag_id: Some(tag),
    };
    assert_eq!(tickets[0], expected_full);

    // Everything, in insertion order.
    let before = sqlite.statements();
    let all: Vec<Ticket> = read(&sqlite, ReadRequest::new(Ticket::schema()))
        .await
        .expect("read");
    assert_eq!(all, tickets);
    assert_eq!(sqlite.statements(), before + 1);

    // A filter and a sort.
    let mut request = ReadRequest::new(Ticket::schema());
    request.filter = Some(Expr::cmp(
        CmpOp::Gt,
        Expr::attr("priority"),
        Expr::value(2_i64),
    ));
    request.sort = vec![Sort::new("priority", Order::Desc)];
    let found: Vec<Ticket> = read(&sqlite, request).await.expect("filtered");
    assert_eq!(ids(&found), [1, 5, 3, 4]);

    // A partition: each rep's tickets, highest priority first, two at most; a
    // key with no records gets none.
    let mut request = ReadRequest::new(Ticket::schema());
    request.sort = vec![Sort::new("priority", Order::Desc)];
    request.limit = Some(2);
    request.partition = Some(Partition {
        by: PartitionBy::Attribute("rep_id"),
        keys: vec![Value::Int(2), Value::Int(1), Value::Int(99)],
    });
    let before = sqlite.statements();
    let result = sqlite.read(request).await.expect("partitioned");
    assert_eq!(sqlite.statements(), before + 1);
    assert!(matches!(result.records, Records::Grouped(_)));
    let groups = result.into_groups::<Ticket>(3).expect("groups");
    let group_ids: Vec<Vec<i64>> = groups.iter().map(|g| ids(g)).collect();
    assert_eq!(group_ids, [vec![3, 6], vec![1, 4], vec![]]);

    // A filter on a related record.
    let mut request = ReadRequest::new(Ticket::schema());
    request.filter = Some(Expr::cmp(
        CmpOp::Eq,
        Expr::path_attr(["representative"], "name"),
        Expr::value("it's; --".to_owned()),
    ));
    let found: Vec<Ticket> = read(&sqlite, request).await.expect("through a path");
    assert_eq!(ids(&found), [3, 6]);

    // Text compares byte-wise with a value holding SQL.
    let mut request = ReadRequest::new(Rep::schema());
    request.filter = Some(Expr::cmp(
        CmpOp::Eq,
        Expr::attr("name"),
        Expr::value("ana' OR '1'='1".to_owned()),
    ));
    assert!(
        read::<Rep>(&sqlite, request)
            .await
            .expect("read")
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unique_violation_creates_nothing() {
    let (_, sqlite) = layer().await;
    create::<Rep>(&sqlite, vec![rep("ana", None)])
        .await
        .expect("first");
    let mut duplicate = rep("bo", None);
    duplicate[0] = Value::Int(1);
    let err = create::<Rep>(&sqlite, vec![rep("cy", None), duplicate])
        .await
        .expect_err("a duplicate key");
    match err.kind() {
        ErrorKind::Constraint {
            resource,
            attribute,
            constraint,
            source,
            ..
        } => {
            assert_eq!(
                (*resource, *attribute, *constraint),
                ("Rep", Some("id"), Constraint::Unique),
                "{err}"
            );
            assert!(source.downcast_ref::<rusqlite::Error>().is_some());
        }
        other => panic!("{other:?}"),
    }
    let all: Vec<Rep> = read(&sqlite, ReadRequest::new(Rep::schema()))
        .await
        .expect("read");
    assert_eq!(ids(&all), [1], "the batch was not rolled back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_null_and_foreign_key_violations() {
    let (_, sqlite) = layer().await;
    let mut no_subject = ticket(None, "x", 1);
    no_subject[2] = Value::Null;
    let err = create::<Ticket>(&sqlite, vec![no_subject])
        .await
        .expect_err("a nil subject");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Constraint {
                resource: "Ticket",
                attribute: Some("subject"),
                constraint: Constraint::NotNull,
                ..
            }
        ),
        "{err}"
    );
    let err = create::<Ticket>(&sqlite, vec![ticket(Some(99), "x", 1)])
        .await
        .expect_err("no rep 99");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Constraint {
                resource: "Ticket",
                attribute: Some("rep_id"),
                constraint: Constraint::ForeignKey,
                ..
            }
        ),
        "{err}"
    );
    let mut nan = ticket(None, "x", 1);
    nan[4] = Value::Float(f64::NAN);
    let err = create::<Ticket>(&sqlite, vec![nan]).await.expect_err("NaN");
    assert!(
        err.to_string().contains("`score` of Ticket is NaN"),
        "{err}"
    );
    assert!(
        create::<Ticket>(&sqlite, vec![])
            .await
            .expect("nothing")
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_before_migrating_says_so() {
    let sqlite = Sqlite::memory().expect("memory");
    let err = read::<Rep>(&sqlite, ReadRequest::new(Rep::schema()))
        .await
        .expect_err("no table");
    assert!(
        err.to_string().contains("has `Domain::migrate` run?"),
        "{err}"
    );
}

/// The constraint error of `err`: (resource, attribute, constraint, source).
fn constraint_of(err: &Error) -> (&str, Option<&str>, Constraint, String) {
    match err.kind() {
        ErrorKind::Constraint {
            resource,
            attribute,
            constraint,
            source,
            ..
        } => {
            assert!(
                source.downcast_ref::<rusqlite::Error>().is_some(),
                "{source:?}"
            );
            (resource, *attribute, *constraint, source.to_string())
        }
        other => panic!("not a constraint error: {other:?}"),
    }
}

/// A migrated layer over a pool of one connection, so every call sees the
/// connection the last one left.
async fn one_connection_layer() -> Sqlite {
    let uri = format!("file:/ashore-{}?vfs=memdb", Uuid::new_v4());
    let anchor = Connection::open(&uri).expect("anchor");
    let sqlite = Sqlite::build(PathBuf::from(&uri), uri, Some(Mutex::new(anchor))).expect("pool");
    sqlite.pool().resize(1);
    sqlite
        .migrate(vec![Rep::schema(), Tag::schema(), Ticket::schema()])
        .await
        .expect("migrate");
    sqlite
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_foreign_key_violation_names_the_attribute_and_creates_nothing() {
    let sqlite = one_connection_layer().await;
    let reps: Vec<Rep> = create(&sqlite, vec![rep("ana", None)]).await.expect("rep");
    let tags: Vec<Tag> = create(&sqlite, vec![vec![Value::Null, s("billing")]])
        .await
        .expect("tag");
    let (rep_id, tag_id) = (reps[0].id, tags[0].id);
    let with_tag = |rep, tag: Uuid| {
        let mut row = ticket(rep, "t", 1);
        row[7] = Value::Uuid(tag);
        row
    };

    // Alone, and in a batch where the others are fine: the key of each of the
    // table's two foreign keys is named.
    let err = create::<Ticket>(&sqlite, vec![ticket(Some(rep_id + 1), "x", 1)])
        .await
        .expect_err("no such rep");
    let (resource, attribute, constraint, source) = constraint_of(&err);
    assert_eq!(
        (resource, attribute, constraint),
        ("Ticket", Some("rep_id"), Constraint::ForeignKey)
    );
    assert!(source.contains("ticket.rep_id"), "{source}");
    assert!(source.contains("rep"), "{source}");
    assert!(err.to_string().contains("Ticket.rep_id"), "{err}");
    let err = create::<Ticket>(
        &sqlite,
        vec![
            ticket(Some(rep_id), "fine", 1),
            with_tag(Some(rep_id), tag_id),
            with_tag(None, Uuid::new_v4()),
            ticket(None, "fine too", 2),
        ],
    )
    .await
    .expect_err("no such tag");
    let (_, attribute, constraint, source) = constraint_of(&err);
    assert_eq!(
        (attribute, constraint),
        (Some("tag_id"), Constraint::ForeignKey)
    );
    assert!(source.contains("ticket.tag_id"), "{source}");
    let all: Vec<Ticket> = read(&sqlite, ReadRequest::new(Ticket::schema()))
        .await
        .expect("read");
    assert!(all.is_empty(), "the batch was not rolled back: {all:?}");

    // A unique or not-null violation in the same batch as a foreign-key one is
    // found first, at its insert, and maps as before.
    let mut duplicate = rep("bo", None);
    duplicate[0] = Value::Int(rep_id);
    let err = create::<Rep>(&sqlite, vec![rep("cy", None), duplicate])
        .await
        .expect_err("duplicate");
    let (_, attribute, constraint, _) = constraint_of(&err);
    assert_eq!((attribute, constraint), (Some("id"), Constraint::Unique));
    let mut no_subject = ticket(Some(rep_id), "x", 1);
    no_subject[2] = Value::Null;
    let err = create::<Ticket>(&sqlite, vec![ticket(Some(rep_id + 7), "x", 1), no_subject])
        .await
        .expect_err("a nil subject");
    let (_, attribute, constraint, _) = constraint_of(&err);
    assert_eq!(
        (attribute, constraint),
        (Some("subject"), Constraint::NotNull)
    );

    // The connection is left as it was: no transaction open, foreign keys
    // checked at once again, and creates work.
    let (autocommit, deferred) = sqlite
        .with_connection(|c| {
            let deferred: i64 = c.query_row("PRAGMA defer_foreign_keys", [], |r| r.get(0))?;
            Ok((c.is_autocommit(), deferred))
        })
        .await
        .expect("pragma");
    assert_eq!((autocommit, deferred), (true, 0));
    let err = sqlite
        .with_connection(|c| c.execute("INSERT INTO ticket (id, rep_id, subject, priority, urgent) VALUES (999, 999, 's', 1, 0)", []))
        .await
        .expect_err("checked at once");
    assert!(format!("{err:?}").contains("FOREIGN KEY"), "{err:?}");
    let created: Vec<Ticket> = create(
        &sqlite,
        vec![ticket(Some(rep_id), "ok", 1), with_tag(None, tag_id)],
    )
    .await
    .expect("valid tickets");
    assert_eq!(created.len(), 2);
    let all: Vec<Ticket> = read(&sqlite, ReadRequest::new(Ticket::schema()))
        .await
        .expect("read");
    assert_eq!(all, created);
}

/// A builder read decodes each column as its attribute's type. Text, UUIDs and
/// integers stored as such are read directly; anything else another program
/// stored falls back to the full decoding, which converts what fits and
/// reports what does not as a mismatch naming the attribute and the value.
/// (UUIDs in another form: `stored_uuids`.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_values_are_decoded_or_reported() {
    let (_domain, sqlite) = layer().await;
    create::<Ticket>(&sqlite, vec![ticket(None, "fits", 1)])
        .await
        .expect("create");
    // Written as another program would, past the foreign keys.
    let set = |sql: &'static str| {
        let sqlite = sqlite.clone();
        let batch = format!("PRAGMA foreign_keys = OFF; {sql}; PRAGMA foreign_keys = ON;");
        async move {
            sqlite
                .with_connection(move |c| c.execute_batch(&batch))
                .await
                .expect(sql);
        }
    };
    let [read_back] = &read::<Ticket>(&sqlite, ReadRequest::new(Ticket::schema()))
        .await
        .expect("read")[..]
    else {
        panic!("one ticket");
    };
    assert_eq!(read_back.subject, "fits");
    // What does not fit: a mismatch naming the value (text that is not
    // UTF-8 as its bytes).
    for (broken, found, restore) in [
        (
            "UPDATE ticket SET rep_id = 'seven'",
            s("seven"),
            "UPDATE ticket SET rep_id = NULL",
        ),
        (
            "UPDATE ticket SET priority = 70000",
            Value::Int(70_000),
            "UPDATE ticket SET priority = 1",
        ),
        (
            "UPDATE ticket SET subject = CAST(X'FF' AS TEXT)",
            Value::Bytes(vec![0xff]),
            "UPDATE ticket SET subject = 'fits'",
        ),
    ] {
        set(broken).await;
        let err = read::<Ticket>(&sqlite, ReadRequest::new(Ticket::schema()))
            .await
            .expect_err(broken);
        assert!(
            matches!(
                err.kind(),
                ErrorKind::TypeMismatch { resource: "Ticket", found: f, .. } if *f == found
            ),
            "{broken}: {err:?}"
        );
        set(restore).await;
    }
    assert_eq!(
        read::<Ticket>(&sqlite, ReadRequest::new(Ticket::schema()))
            .await
            .expect("all fit again")
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transaction_left_open_by_with_connection_is_rolled_back() {
    let sqlite = one_connection_layer().await;
    let insert = |id: i64, name: &str| {
        format!("BEGIN IMMEDIATE; INSERT INTO rep (id, name) VALUES ({id}, '{name}')")
    };
    let autocommit = || sqlite.with_connection(|c| Ok(c.is_autocommit()));

    // The closure returns inside the transaction.
    let sql = insert(101, "returned");
    sqlite
        .with_connection(move |c| c.execute_batch(&sql))
        .await
        .expect("insert");
    assert!(autocommit().await.expect("autocommit"));

    // It fails inside it.
    let sql = insert(102, "failed");
    sqlite
        .with_connection(move |c| {
            c.execute_batch(&sql)?;
            c.execute_batch("SELECT * FROM no_such_table")
        })
        .await
        .expect_err("no such table");
    assert!(autocommit().await.expect("autocommit"));

    // It panics inside it (the panic reaches the caller, here a task).
    let sql = insert(103, "panicked");
    let layer = sqlite.clone();
    let panicked = tokio::spawn(async move {
        layer
            .with_connection(move |c| -> rusqlite::Result<()> {
                c.execute_batch(&sql)?;
                panic!("the closure panics inside a transaction")
            })
            .await
    })
    .await;
    assert!(panicked.is_err());
    assert!(autocommit().await.expect("autocommit"));

    // Its caller stops waiting while it runs on inside it.
    let sql = insert(104, "cancelled");
    let cancelled = tokio::time::timeout(
        Duration::from_millis(50),
        sqlite.with_connection(move |c| {
            c.execute_batch(&sql)?;
            std::thread::sleep(Duration::from_millis(300));
            Ok(())
        }),
    )
    .await;
    assert!(cancelled.is_err(), "the caller stopped waiting");
    assert!(autocommit().await.expect("autocommit"));

    // None of them was committed, and the layer writes on.
    let reps: Vec<Rep> = create(&sqlite, vec![rep("committed", None)])
        .await
        .expect("create on the connection given back");
    let request = ReadRequest::new(Rep::schema());
    let all: Vec<Rep> = read(&sqlite, request).await.expect("read");
    assert_eq!(all, reps);
}
