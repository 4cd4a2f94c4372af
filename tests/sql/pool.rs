//! Pool hygiene on the SQL layers: nothing waits forever, and a connection
//! given back dirty is cleaned before anyone else gets it.
//!
//! PostgreSQL: a server that accepts and never answers is a connect timeout
//! (against a listener the test opens itself, so it runs without a server); a
//! pool whose connections are all held is a pool-wait timeout; a statement past
//! the statement timeout is cancelled on the server and its connection closed,
//! after which the pool still serves; a connection lent by `client()` and given
//! back inside a transaction (even an aborted one) is rolled back; a
//! connection whose backend is terminated under a read or a create is not
//! handed out again. (SQLite's
//! side, a transaction `with_connection` leaves open, is tested in the
//! runtime's SQLite tests, on a pool of one connection.)
use std::time::{Duration, Instant};

use ashore::data_layer::sql::{Postgres, PostgresSettings};
use ashore::prelude::*;
use ashore::{DataLayer, Waiting};

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Note {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
        }
    }
}

async fn notes(layer: impl DataLayer) -> Domain {
    let domain = Domain::builder()
        .data_layer(layer)
        .resource::<Note>()
        .build()
        .expect("the domain builds");
    domain.migrate().await.expect("migrate");
    domain
}

async fn subjects(domain: &Domain) -> Vec<String> {
    let mut all: Vec<String> = domain
        .read(Note::query())
        .await
        .expect("read")
        .into_iter()
        .map(|n| n.subject)
        .collect();
    all.sort();
    all
}

/// Runs `work`, which must give up, soon after `after`, with a timeout
/// waiting for `waiting_for` whose message names the setting to raise. Fails
/// the test, rather than hanging it, if it is still waiting after 10 seconds.
async fn times_out<T: std::fmt::Debug>(
    work: impl std::future::IntoFuture<Output = Result<T>>,
    waiting_for: Waiting,
    after: Duration,
) -> Error {
    let started = Instant::now();
    let err = tokio::time::timeout(Duration::from_secs(10), work)
        .await
        .expect("still waiting after 10 seconds")
        .expect_err("a timeout");
    let setting = match waiting_for {
        Waiting::Connect => "PostgresSettings::connect_timeout",
        Waiting::Pool => "PostgresSettings::pool_wait_timeout",
        _ => "PostgresSettings::statement_timeout",
    };
    match err.kind() {
        ErrorKind::Timeout {
            waiting_for: w,
            after: a,
            setting: s,
        } => assert_eq!((*w, *a, *s), (waiting_for, after, setting), "{err}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(err.to_string().contains(setting), "{err}");
    let waited = started.elapsed();
    assert!(waited < after + Duration::from_secs(2), "{waited:?}");
    println!("{err}");
    err
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_connect_timeout() {
    // Accepts connections and holds them open, saying nothing (on a thread of
    // its own, blocked in `accept` until the test binary ends).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
    let port = listener.local_addr().expect("its address").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept() {
            held.push(socket);
        }
    });
    let url = format!("postgres://nobody@127.0.0.1:{port}/db");
    let after = Duration::from_millis(300);
    let mut settings = PostgresSettings::default();
    settings.connect_timeout = after;
    let connect = Postgres::connect_with(&url, settings.clone());
    times_out(connect, Waiting::Connect, after).await;
    settings.schema = Some("s".into());
    times_out(
        Postgres::connect_with(&url, settings),
        Waiting::Connect,
        after,
    )
    .await;
}

#[tokio::test]
async fn a_pool_whose_connections_are_all_held_is_a_wait_timeout() {
    let after = Duration::from_millis(200);
    let mut settings = PostgresSettings::default();
    settings.max_connections = 2;
    settings.pool_wait_timeout = after;
    let Some(db) = crate::common::pg_with("pool_wait", settings).await else {
        return;
    };
    let pg = db.postgres.clone();
    let domain = notes(pg.clone()).await;
    let held = [
        pg.client().await.expect("a first connection"),
        pg.client().await.expect("a second connection"),
    ];
    times_out(domain.read(Note::query()), Waiting::Pool, after).await;
    times_out(pg.client(), Waiting::Pool, after).await;
    drop(held);
    assert!(subjects(&domain).await.is_empty());

    // Eight tasks each holding a connection while reading, on a pool of two:
    // some time out, none waits forever, and the pool serves afterwards.
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (pg, domain) = (pg.clone(), domain.clone());
            tokio::spawn(async move {
                let _held = pg.client().await?;
                domain.read(Note::query()).await.map(|_| ())
            })
        })
        .collect();
    for task in tasks {
        let outcome = tokio::time::timeout(Duration::from_secs(10), task)
            .await
            .expect("still waiting after 10 seconds")
            .expect("no panic");
        if let Err(err) = outcome {
            assert!(matches!(err.kind(), ErrorKind::Timeout { .. }), "{err:?}");
        }
    }
    assert!(subjects(&domain).await.is_empty());
}

#[tokio::test]
async fn a_statement_past_its_timeout_is_cancelled_and_the_pool_serves_on() {
    let after = Duration::from_millis(300);
    let mut settings = PostgresSettings::default();
    settings.max_connections = 2;
    settings.statement_timeout = Some(after);
    let Some(db) = crate::common::pg_with("statement_timeout", settings).await else {
        return;
    };
    let pg = db.postgres.clone();
    let domain = notes(pg.clone()).await;
    domain
        .create(Note::changeset().set(Note::subject(), "kept"))
        .await
        .expect("create");

    // A raw query that sleeps: cancelled, it stops running on the server.
    let sleeps = pg.query::<Note>("SELECT n.* FROM note n, pg_sleep(30)", vec![]);
    times_out(sleeps, Waiting::Statement, after).await;
    let sleeping = "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() \
                    AND state = 'active' AND query LIKE '%pg_sleep(30)%' \
                    AND query NOT LIKE '%pg_stat_activity%'";
    soon_none(&pg, sleeping).await;

    // A read and a create stalled behind a lock another connection holds:
    // cancelled, they stop waiting for it.
    let mut locker = pg.client().await.expect("a connection");
    let lock = locker.transaction().await.expect("begin");
    let locking = lock.batch_execute("LOCK TABLE note IN ACCESS EXCLUSIVE MODE");
    tokio::time::timeout(Duration::from_secs(5), locking)
        .await
        .expect("nothing else holds the table")
        .expect("lock");
    times_out(domain.read(Note::query()), Waiting::Statement, after).await;
    let stalled = domain.create(Note::changeset().set(Note::subject(), "stalled"));
    times_out(stalled, Waiting::Statement, after).await;
    let waiting = "SELECT count(*) FROM pg_locks WHERE relation = 'note'::regclass AND NOT granted";
    soon_none(&pg, waiting).await;
    lock.rollback().await.expect("unlock");
    drop(locker);

    // The stalled create wrote nothing, and the pool (two connections, three
    // abandoned) still serves.
    assert_eq!(subjects(&domain).await, ["kept"]);
    domain
        .create(Note::changeset().set(Note::subject(), "after"))
        .await
        .expect("create after the timeouts");
    assert_eq!(subjects(&domain).await, ["after", "kept"]);
}

/// Waits (at most 5 seconds) until `count` (a `SELECT count(*)`) is 0.
async fn soon_none(pg: &Postgres, count: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let client = pg.client().await.expect("a connection");
        let n: i64 = client.query_one(count, &[]).await.expect(count).get(0);
        if n == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "{count}: still {n}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_postgres_connection_given_back_in_a_transaction_is_rolled_back() {
    let mut settings = PostgresSettings::default();
    // One connection, so every later use is on the one given back dirty.
    settings.max_connections = 1;
    let Some(db) = crate::common::pg_with("dirty", settings).await else {
        return;
    };
    let pg = db.postgres.clone();
    let domain = notes(pg.clone()).await;

    // An aborted transaction: every statement on it would fail.
    let client = pg.client().await.expect("a connection");
    client
        .batch_execute("BEGIN; SELECT 1/0")
        .await
        .expect_err("division by zero");
    drop(client);
    assert!(subjects(&domain).await.is_empty());

    // An open one with a write in it: rolled back, not committed by the next
    // user's `COMMIT`.
    let client = pg.client().await.expect("a connection");
    client
        .batch_execute(
            "BEGIN; INSERT INTO note (id, subject) VALUES (gen_random_uuid(), 'uncommitted')",
        )
        .await
        .expect("insert");
    drop(client);
    domain
        .create(Note::changeset().set(Note::subject(), "committed"))
        .await
        .expect("create on the connection given back");
    assert_eq!(subjects(&domain).await, ["committed"]);
}

/// The backend pid of the connection `pg`'s pool will hand out next, when one
/// other is held (a pool of two).
async fn next_pid(pg: &Postgres) -> i32 {
    let client = pg.client().await.expect("a connection");
    client
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .expect("its pid")
        .get(0)
}

#[tokio::test]
async fn a_connection_whose_backend_died_under_a_statement_is_not_handed_out_again() {
    let mut settings = PostgresSettings::default();
    settings.max_connections = 2;
    let Some(db) = crate::common::pg_with("terminated", settings).await else {
        return;
    };
    let pg = db.postgres.clone();
    let domain = notes(pg.clone()).await;
    domain
        .create(Note::changeset().set(Note::subject(), "kept"))
        .await
        .expect("create");

    // One connection held throughout, so every call below runs on the other.
    let mut locker = pg.client().await.expect("a connection");
    for create in [false, true] {
        let pid = next_pid(&pg).await;
        let lock = locker.transaction().await.expect("begin");
        lock.batch_execute("LOCK TABLE note IN ACCESS EXCLUSIVE MODE")
            .await
            .expect("lock");
        let stalled = tokio::spawn({
            let domain = domain.clone();
            async move {
                if create {
                    domain
                        .create(Note::changeset().set(Note::subject(), "lost"))
                        .await
                        .map(drop)
                } else {
                    domain.read(Note::query()).await.map(drop)
                }
            }
        });
        // Its backend, once it waits for the lock, is terminated.
        let deadline = Instant::now() + Duration::from_secs(10);
        let terminate = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                         WHERE pid = $1 AND wait_event_type = 'Lock'";
        while lock
            .query(terminate, &[&pid])
            .await
            .expect(terminate)
            .is_empty()
        {
            assert!(
                Instant::now() < deadline,
                "the call never waited for the lock"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        lock.rollback().await.expect("unlock");
        let err = stalled
            .await
            .expect("the call returns")
            .expect_err("its connection was terminated");
        assert!(matches!(err.kind(), ErrorKind::DataLayer { .. }), "{err:?}");
        // The next call gets a connection that works, not the dead one.
        assert_eq!(subjects(&domain).await, ["kept"], "after create: {create}");
    }
}
