//! Writes leave a connection's cached statements prepared. Setting a pragma
//! such as `defer_foreign_keys` expires every statement the connection holds,
//! so a write that set it before every statement made each cached read
//! compile again on its next run. Each write is probed: a create, an
//! upsert, an update and a destroy.

use super::*;
use crate::changeset::Changes;
use crate::data_layer::Upsert;
use crate::resource::Identity;
use crate::testing::flat;
use rusqlite::StatementStatus;

/// A statement of the test's own, cached on the connection like the layer's.
const PROBE: &str = "SELECT count(*) FROM rep WHERE name <> 'probe'";

/// Runs the probe from the cache of the connection the layer hands out:
/// that connection's handle (to tell connections apart) and how many times the
/// cached statement has been compiled again.
async fn probe(sqlite: &Sqlite) -> (usize, i32) {
    sqlite
        .with_connection(|c| {
            let mut statement = c.prepare_cached(PROBE)?;
            statement.query_row([], |r| r.get::<_, i64>(0))?;
            // SAFETY: only the pointer's value is read, to compare connections.
            let handle = unsafe { c.handle() } as usize;
            Ok((handle, statement.get_status(StatementStatus::RePrepare)))
        })
        .await
        .expect("probe")
}

/// An in-memory layer with the test resources' tables and `index`, the unique
/// index of the identity a test upserts on (the test resources declare none).
async fn migrated(index: &'static str) -> Sqlite {
    let sqlite = migrated_memory().await;
    sqlite
        .with_connection(move |c| c.execute_batch(index))
        .await
        .expect("the identity's index");
    sqlite
}

/// The identity the upsert finds representatives by; its unique index is
/// made by hand (the test resources declare no identities).
static BY_NAME: Identity = Identity {
    name: "by_name",
    keys: &["name"],
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_upserts_updates_and_destroys_leave_cached_statements_prepared() {
    let sqlite = migrated("CREATE UNIQUE INDEX rep_by_name ON rep (name)").await;
    let (connection, before) = probe(&sqlite).await;
    assert_eq!(before, 0);
    // After each write, the probe is still the statement compiled first.
    let after = |write: &'static str| {
        let sqlite = &sqlite;
        async move {
            let (again, recompiled) = probe(sqlite).await;
            assert_eq!(again, connection, "the {write} ran on another connection");
            assert_eq!(recompiled, 0, "the {write} expired the cached statements");
        }
    };
    sqlite
        .create(
            Rep::schema(),
            flat(vec![vec![Value::Null, s("ana"), 3_i64.into()]]),
        )
        .await
        .expect("create");
    after("create").await;
    let upserted = sqlite
        .upsert(
            Rep::schema(),
            flat(vec![
                vec![Value::Int(7), s("ana"), 4_i64.into()],
                vec![Value::Int(8), s("bo"), 1_i64.into()],
            ]),
            Upsert {
                identity: &BY_NAME,
                update: vec![2],
                visibility: Default::default(),
            },
        )
        .await
        .expect("upsert")
        .into_vec::<Rep>()
        .expect("reps");
    assert_eq!(upserted.len(), 2, "one record updated, one created");
    after("upsert").await;
    sqlite
        .update(
            ReadRequest::new(Rep::schema()),
            Changes(vec![(2, Value::Int(5))]),
        )
        .await
        .expect("update");
    after("update").await;
    sqlite
        .destroy(ReadRequest::new(Rep::schema()))
        .await
        .expect("destroy");
    after("destroy").await;
}

/// The identity the upsert finds tickets by (its index made by hand).
static BY_SUBJECT: Identity = Identity {
    name: "by_subject",
    keys: &["subject"],
};

/// A ticket of representative `rep_id`.
fn ticket(subject: &str, rep_id: i64) -> Row {
    vec![
        Value::Null,
        Value::Int(rep_id),
        s(subject),
        Value::Int(1),
        Value::Null,
        Value::Bool(false),
        Value::Null,
        Value::Null,
    ]
}

/// Foreign keys deferred only once a statement breaks one still end as if
/// deferred from the start: an upsert naming no record fails naming the
/// attribute and writes nothing, and one naming a representative it does not
/// break keeps every cached statement.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upsert_breaking_a_foreign_key_names_it_and_writes_nothing() {
    let sqlite = migrated("CREATE UNIQUE INDEX ticket_by_subject ON ticket (subject)").await;
    sqlite
        .create(
            Rep::schema(),
            flat(vec![vec![Value::Int(1), s("ana"), Value::Null]]),
        )
        .await
        .expect("create");
    let upsert = || Upsert {
        identity: &BY_SUBJECT,
        update: vec![1],
        visibility: Default::default(),
    };
    let err = sqlite
        .upsert(
            Ticket::schema(),
            flat(vec![ticket("fine", 1), ticket("orphan", 99)]),
            upsert(),
        )
        .await
        .expect_err("a key of no record");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Constraint {
                attribute: Some("rep_id"),
                constraint: Constraint::ForeignKey,
                ..
            }
        ),
        "{err:?}"
    );
    let stored = sqlite
        .read(ReadRequest::new(Ticket::schema()))
        .await
        .expect("read")
        .records
        .into_vec::<Ticket>()
        .expect("tickets");
    assert!(stored.is_empty(), "the failed upsert wrote {stored:?}");

    let (connection, _) = probe(&sqlite).await;
    let upserted = sqlite
        .upsert(Ticket::schema(), flat(vec![ticket("fine", 1)]), upsert())
        .await
        .expect("upsert")
        .into_vec::<Ticket>()
        .expect("tickets");
    assert_eq!(upserted.len(), 1);
    let (again, recompiled) = probe(&sqlite).await;
    assert_eq!(again, connection, "the upsert ran on another connection");
    assert_eq!(recompiled, 0, "the upsert expired the cached statements");
}
