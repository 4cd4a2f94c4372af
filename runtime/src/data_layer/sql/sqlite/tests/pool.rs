//! Connection set-up, the shared in-memory database, raw SQL (with list
//! parameters), dropping the layer outside a runtime, transactions left open,
//! the wait for a free connection.

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

/// Memory-mapped reads are on by default and `set_mmap_size` reaches every
/// connection before its next use, those already set up included, and a
/// transaction's.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mmap_size_is_set_on_every_connection() {
    let file = TempDb::new("mmap");
    let sqlite = Sqlite::open(&file.0).expect("open");
    let default = DEFAULT_MMAP_SIZE.to_string();
    assert_eq!(pragma(&sqlite, "mmap_size").await, default);
    assert_eq!(sqlite.mmap_size(), DEFAULT_MMAP_SIZE);

    sqlite.set_mmap_size(0);
    assert_eq!(pragma(&sqlite.clone(), "mmap_size").await, "0");
    sqlite.set_mmap_size(1 << 20);
    let tx = sqlite.begin_now().await.expect("begin");
    drop(tx);
    assert_eq!(pragma(&sqlite, "mmap_size").await, (1 << 20).to_string());

    // Two connections at once: each is set up with the size in force.
    let (a, b) = tokio::join!(
        sqlite.with_connection(|c| {
            std::thread::sleep(Duration::from_millis(50));
            c.query_row("PRAGMA mmap_size", [], |r| r.get::<_, i64>(0))
        }),
        sqlite.with_connection(|c| {
            std::thread::sleep(Duration::from_millis(50));
            c.query_row("PRAGMA mmap_size", [], |r| r.get::<_, i64>(0))
        }),
    );
    assert_eq!((a.expect("a"), b.expect("b")), (1 << 20, 1 << 20));
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
    // Many writers and readers at once, on as many pooled connections; the
    // first two hold theirs until both have written, so at least two
    // connections are open at once however the tasks are scheduled.
    let both = std::sync::Arc::new(std::sync::Barrier::new(2));
    let tasks: Vec<_> = (0..32_i64)
        .map(|i| {
            let sqlite = sqlite.clone();
            let both = (i < 2).then(|| std::sync::Arc::clone(&both));
            tokio::spawn(async move {
                sqlite
                    .with_connection(move |c| {
                        c.execute("INSERT INTO t VALUES (?1)", [i])?;
                        if let Some(both) = &both {
                            both.wait();
                        }
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
    sqlite.pool().close_idle();
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_queries_bind_lists_through_rarray() {
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
    let ids = |reps: Vec<Rep>| reps.into_iter().map(|r| r.id).collect::<Vec<_>>();
    let ints = |v: &[i64]| Param::List(ValueType::I64, v.iter().map(|&i| Value::Int(i)).collect());
    let found = sqlite
        .query_params::<Rep>(
            "SELECT * FROM rep WHERE id IN rarray(?1) AND name <> ?2 ORDER BY id",
            vec![ints(&[3, 1, 2, 99]), Param::Value(s("cy"))],
        )
        .await
        .expect("ids");
    assert_eq!(ids(found), [1, 2]);
    let found = sqlite
        .query_params::<Rep>(
            "SELECT r.* FROM rarray(:names) n JOIN rep r ON r.name = n.value ORDER BY r.id",
            vec![Param::List(
                ValueType::String,
                vec![s("it's; --"), s("cy"), s("nobody")],
            )],
        )
        .await
        .expect("named");
    assert_eq!(ids(found), [2, 3]);
    for empty in [ints(&[]), Param::Value(Value::Null)] {
        let found = sqlite
            .query_params::<Rep>("SELECT * FROM rep WHERE id IN rarray(?1)", vec![empty])
            .await
            .expect("empty");
        assert!(found.is_empty());
    }
    assert_eq!(sqlite.statements(), 4);

    // What would crash in rarray, or silently read NULL, is an error; nothing ran.
    let refused = |sql: &'static str, params: Vec<Param>| {
        let sqlite = sqlite.clone();
        async move {
            let err = sqlite
                .query_params::<Rep>(sql, params)
                .await
                .expect_err(sql);
            assert!(
                matches!(err.kind(), ErrorKind::DataLayer { source: None, .. }),
                "{err:?}"
            );
            err.to_string()
        }
    };
    let err = refused(
        "SELECT * FROM rep WHERE id IN rarray(?1)",
        vec![Param::Value(Value::Int(1))],
    )
    .await;
    assert!(
        err.contains("a query for Rep: `rarray` is given parameter 1, bound to the value 1"),
        "{err}"
    );
    let err = refused("SELECT * FROM rep, rarray(rep.threshold)", vec![]).await;
    assert!(err.contains("`rarray(rep.threshold)`"), "{err}");
    let err = refused("SELECT * FROM rep WHERE id = ?1", vec![ints(&[1])]).await;
    assert!(err.contains("parameter 1 is a list"), "{err}");
    let err = refused(
        "SELECT * FROM rep WHERE id IN rarray(?1)",
        vec![Param::List(ValueType::I64, vec![s("1")])],
    )
    .await;
    assert!(err.contains("holds"), "{err}");
    // The simple form refuses a value for rarray too (it cannot bind a list).
    let err = sqlite
        .query::<Rep>(
            "SELECT * FROM rep WHERE id IN rarray(?1)",
            vec![Value::Int(7)],
        )
        .await
        .expect_err("a value for rarray");
    assert!(err.to_string().contains("takes a list"), "{err}");
    assert_eq!(sqlite.statements(), 4);
}

/// Builds a layer in a runtime, uses it there (so the pool holds connections),
/// drops the runtime, then drops the layer on this thread, outside any runtime.
fn drop_after_the_runtime(sqlite: impl FnOnce() -> Sqlite, capture_at_construction: bool) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("runtime");
    let sqlite = if capture_at_construction {
        let _entered = runtime.enter();
        sqlite()
    } else {
        sqlite()
    };
    let used = sqlite.clone();
    runtime.block_on(async move {
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let sqlite = used.clone();
                tokio::spawn(async move {
                    sqlite
                        .with_connection(|c| {
                            std::thread::sleep(Duration::from_millis(20));
                            c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))
                        })
                        .await
                })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.expect("task").expect("select"), 1);
        }
    });
    assert!(
        sqlite.pool().status().size > 0,
        "{:?}",
        sqlite.pool().status()
    );
    drop(runtime);
    assert!(tokio::runtime::Handle::try_current().is_err());
    drop(sqlite);
}

#[test]
fn dropping_the_layer_after_its_runtime_does_not_panic() {
    let file = TempDb::new("drop");
    drop_after_the_runtime(|| Sqlite::memory().expect("memory"), true);
    drop_after_the_runtime(|| Sqlite::memory().expect("memory"), false);
    drop_after_the_runtime(|| Sqlite::open(&file.0).expect("file"), true);
    // A pool that is only ever used through a runtime the layer never saw.
    let pool = deadpool_sqlite::Config::new(&file.0)
        .create_pool(deadpool_sqlite::Runtime::Tokio1)
        .expect("pool");
    drop_after_the_runtime(move || Sqlite::from_pool(pool), false);
    // The file's connections were closed: it can be opened and removed.
    let sqlite = Sqlite::open(&file.0).expect("reopen");
    drop(sqlite);
}

#[test]
fn dropping_the_layer_outside_a_runtime_it_never_saw_does_not_panic() {
    // Made and used in a runtime, dropped after it: then the connections are
    // closed in a runtime made for it.
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let sqlite = Sqlite::memory().expect("memory");
    let pool = sqlite.pool().clone();
    runtime.block_on(async {
        let object = pool.get().await.expect("connection");
        drop(object);
    });
    drop(runtime);
    drop(pool);
    assert_eq!(sqlite.pool().status().size, 1);
    drop(sqlite);
}

#[test]
fn the_layer_is_shareable() {
    fn shareable<T: Clone + fmt::Debug + Send + Sync + 'static>() {}
    shareable::<Sqlite>();
}

/// The layers a transaction test runs on, each with one connection, so the next
/// call gets the connection the last one gave back (if it is used again): the
/// layer's own pool, and a deadpool-sqlite pool handed to `from_pool`.
fn one_connection_layers(file: &TempDb) -> Vec<Sqlite> {
    let own = Sqlite::open(&file.0).expect("own");
    own.pool().resize(1);
    let pool = deadpool_sqlite::Config::new(&file.0)
        .builder(deadpool_sqlite::Runtime::Tokio1)
        .expect("builder")
        .max_size(1)
        .build()
        .expect("pool");
    vec![own, Sqlite::from_pool(pool)]
}

/// Makes `t` anew, empty.
async fn empty_table(sqlite: &Sqlite) {
    sqlite
        .with_connection(|c| c.execute_batch("DROP TABLE IF EXISTS t; CREATE TABLE t (x INTEGER)"))
        .await
        .expect("create");
}

/// Inserts a row and counts the rows, on whatever connection the layer gives.
async fn insert_and_count(sqlite: &Sqlite) -> Result<(bool, i64)> {
    sqlite
        .with_connection(|c| {
            let clean = c.is_autocommit();
            c.execute("INSERT INTO t VALUES (1)", [])?;
            Ok((
                clean,
                c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?,
            ))
        })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_given_back_inside_a_transaction_is_not_used_as_it_is() {
    let file = TempDb::new("left-open");
    for sqlite in one_connection_layers(&file) {
        empty_table(&sqlite).await;
        // Left open by user code: the insert is never committed.
        sqlite
            .with_connection(|c| c.execute_batch("BEGIN IMMEDIATE; INSERT INTO t VALUES (0)"))
            .await
            .expect("begin");
        let (clean, count) = insert_and_count(&sqlite).await.expect("the next call");
        assert!(
            clean,
            "{sqlite:?}: the next call ran inside the transaction"
        );
        assert_eq!(count, 1, "{sqlite:?}: the uncommitted insert was kept");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_cancelled_inside_a_transaction_leaves_no_transaction_behind() {
    let file = TempDb::new("cancelled");
    for sqlite in one_connection_layers(&file) {
        empty_table(&sqlite).await;
        let (started, wait) = tokio::sync::oneshot::channel();
        let slow = sqlite.with_connection(move |c| {
            c.execute_batch("BEGIN IMMEDIATE; INSERT INTO t VALUES (0)")?;
            let _ = started.send(());
            std::thread::sleep(Duration::from_millis(300));
            Ok(())
        });
        // Cancelled once its transaction has begun, while its closure still runs.
        tokio::select! {
            _ = slow => panic!("not cancelled"),
            _ = wait => {}
        }
        let next = tokio::time::timeout(Duration::from_secs(3), insert_and_count(&sqlite))
            .await
            .expect("the next call waited for the cancelled one's lock");
        let (clean, count) = next.expect("the next call");
        assert!(
            clean,
            "{sqlite:?}: the next call ran inside the transaction"
        );
        assert_eq!(count, 1, "{sqlite:?}: the cancelled call's insert was kept");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pool_whose_connections_are_all_held_is_a_wait_timeout() {
    // The layer's own pool has no limit (a runtime without timers must read).
    let own = Sqlite::memory().expect("own");
    assert_eq!(own.pool().wait_timeout(), None);
    // A pool of one, its connection held by a call that waits for a signal.
    let file = TempDb::new("held");
    let wait = Duration::from_millis(200);
    let pool = deadpool_sqlite::Config::new(&file.0)
        .builder(deadpool_sqlite::Runtime::Tokio1)
        .expect("builder")
        .max_size(1)
        .wait_timeout(Some(wait))
        .build()
        .expect("pool");
    let sqlite = Sqlite::from_pool(pool);
    let (release, released) = std::sync::mpsc::channel::<()>();
    let holder = tokio::spawn({
        let sqlite = sqlite.clone();
        async move {
            sqlite
                .with_connection(move |_| {
                    let _ = released.recv();
                    Ok(())
                })
                .await
        }
    });
    while sqlite.pool().status().available > 0 || sqlite.pool().status().size == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let err = sqlite
        .with_connection(|_| Ok(()))
        .await
        .expect_err("no connection comes back");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Timeout {
                waiting_for: Waiting::Pool,
                after,
                ..
            } if *after == wait
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("Sqlite::from_pool"), "{err}");
    // Given back, the connection serves again.
    release.send(()).expect("the holder waits");
    holder.await.expect("joined").expect("the held call");
    sqlite
        .with_connection(|_| Ok(()))
        .await
        .expect("served again");
}
