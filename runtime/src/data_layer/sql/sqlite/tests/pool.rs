//! Connection set-up, the shared in-memory database, raw SQL.

use super::*;

/// A file next to the others of this test run, removed (with its WAL files) on drop.
struct TempDb(PathBuf);

impl TempDb {
    fn new(name: &str) -> TempDb {
        TempDb(std::env::temp_dir().join(format!("ashore-{name}-{}.db", Uuid::new_v4())))
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

async fn pragma(sqlite: &Sqlite, name: &'static str) -> String {
    sqlite
        .with_connection(move |c| {
            c.query_row(&format!("PRAGMA {name}"), [], |r| {
                r.get::<_, rusqlite::types::Value>(0)
            })
        })
        .await
        .map(|v| match v {
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Text(t) => t,
            other => format!("{other:?}"),
        })
        .expect("pragma")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_connection_is_set_up() {
    let file = TempDb::new("setup");
    let url = format!("sqlite:{}", file.0.display());
    for sqlite in [
        Sqlite::memory().expect("memory"),
        Sqlite::from_url(&url).expect("file"),
    ] {
        assert_eq!(pragma(&sqlite, "foreign_keys").await, "1");
        assert_eq!(pragma(&sqlite, "busy_timeout").await, "5000");
        let n: i64 = sqlite
            .with_connection(|c| {
                c.query_row(
                    "SELECT count(*) FROM rarray(?1)",
                    [Rc::new(vec![1_i64.into()]) as rusqlite::vtab::array::Array],
                    |r| r.get(0),
                )
            })
            .await
            .expect("rarray");
        assert_eq!(n, 1);
    }
    assert!(file.0.exists());
    let file_layer = Sqlite::open(&file.0).expect("open again");
    assert_eq!(pragma(&file_layer, "journal_mode").await, "wal");
    let memory = Sqlite::memory().expect("memory");
    assert_eq!(pragma(&memory, "journal_mode").await, "memory");

    // A pool built elsewhere gets the same set-up on first use.
    let other = TempDb::new("from-pool");
    let pool = deadpool_sqlite::Config::new(&other.0)
        .create_pool(deadpool_sqlite::Runtime::Tokio1)
        .expect("pool");
    let sqlite = Sqlite::from_pool(pool);
    assert_eq!(pragma(&sqlite, "foreign_keys").await, "1");
    assert_eq!(pragma(&sqlite, "journal_mode").await, "wal");
    assert!(format!("{sqlite:?}").contains("statements: 0"));

    let missing = std::env::temp_dir()
        .join("ashore-no-such-dir")
        .join("x")
        .join("y.db");
    let err = Sqlite::open(&missing).expect_err("no directory");
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
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn memory_is_shared_by_connections_and_private_to_the_layer() {
    let sqlite = Sqlite::memory().expect("memory");
    sqlite
        .with_connection(|c| c.execute_batch("CREATE TABLE t (x INTEGER)"))
        .await
        .expect("create");
    // Many writers and readers at once, on as many pooled connections.
    let tasks: Vec<_> = (0..32_i64)
        .map(|i| {
            let sqlite = sqlite.clone();
            tokio::spawn(async move {
                sqlite
                    .with_connection(move |c| {
                        c.execute("INSERT INTO t VALUES (?1)", [i])?;
                        c.query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0))
                    })
                    .await
            })
        })
        .collect();
    for task in tasks {
        assert!(task.await.expect("task").expect("insert") >= 1);
    }
    assert!(
        sqlite.pool().status().size > 1,
        "{:?}",
        sqlite.pool().status()
    );
    let count = |s: Sqlite| async move {
        s.with_connection(|c| c.query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0)))
            .await
    };
    assert_eq!(count(sqlite.clone()).await.expect("count"), 32);
    assert!(count(Sqlite::memory().expect("another")).await.is_err());

    // A panic in user code reaches the caller; the database survives every
    // pooled connection being closed.
    let panicking = sqlite.clone();
    let joined = tokio::spawn(async move {
        panicking
            .with_connection(|_| -> rusqlite::Result<()> { panic!("boom") })
            .await
    })
    .await;
    assert!(joined.expect_err("panicked").is_panic());
    sqlite.pool().retain(|_, _| false);
    assert_eq!(sqlite.pool().status().size, 0);
    assert_eq!(count(sqlite.clone()).await.expect("count"), 32);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_queries_map_columns_by_name() {
    let sqlite = Sqlite::memory().expect("memory");
    sqlite
        .with_connection(|c| {
            c.execute_batch(
                "CREATE TABLE rep (id INTEGER PRIMARY KEY, name TEXT NOT NULL, threshold INTEGER);
                 INSERT INTO rep VALUES (1, 'ana', 3), (2, 'it''s; --', NULL), (3, 'cy', 9);",
            )
        })
        .await
        .expect("fixture");
    assert_eq!(sqlite.statements(), 0);

    // Columns in another order, one in upper case, an extra one, params of
    // several types.
    let reps: Vec<Rep> = sqlite
        .query(
            "SELECT 'extra' AS junk, threshold, name AS NAME, id FROM rep
             WHERE id = ?1 OR name = ?2 OR threshold > ?3 ORDER BY id",
            vec![Value::Int(1), s("it's; --"), Value::Int(5)],
        )
        .await
        .expect("query");
    assert_eq!(
        reps,
        [
            Rep {
                id: 1,
                name: "ana".into(),
                threshold: Some(3)
            },
            Rep {
                id: 2,
                name: "it's; --".into(),
                threshold: None
            },
            Rep {
                id: 3,
                name: "cy".into(),
                threshold: Some(9)
            },
        ]
    );
    assert_eq!(sqlite.statements(), 1);

    let err = sqlite
        .query::<Rep>("SELECT id, name FROM rep", vec![])
        .await
        .expect_err("no threshold");
    assert_eq!(
        err.to_string(),
        "data layer: sqlite: the query returns no column `threshold` for that attribute of Rep (it returns id, name)"
    );
    let err = sqlite
        .query::<Rep>("SELECT id, 7 AS name, threshold FROM rep", vec![])
        .await
        .expect_err("a number for a name");
    assert!(matches!(
        err.kind(),
        ErrorKind::TypeMismatch {
            resource: "Rep",
            attribute: "name",
            ..
        }
    ));
    let err = sqlite
        .query::<Rep>("SELECT * FROM rep WHERE id = ?1", vec![])
        .await
        .expect_err("a missing parameter");
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
    let err = sqlite
        .query::<Rep>("SELECT * FROM rep WHERE", vec![])
        .await
        .expect_err("bad SQL");
    assert!(err.to_string().contains("running a query for Rep"), "{err}");
    // NULL in a column that may not be nil is from_row's error.
    let err = sqlite
        .query::<Rep>("SELECT id, NULL AS name, threshold FROM rep", vec![])
        .await
        .expect_err("nil name");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::TypeMismatch {
                attribute: "name",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn the_layer_is_shareable() {
    fn shareable<T: Clone + fmt::Debug + Send + Sync + 'static>() {}
    shareable::<Sqlite>();
}
