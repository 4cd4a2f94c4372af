//! The SQL layers under a manual relationship and under writes, on SQLite and
//! PostgreSQL:
//!
//! - a manual loader running raw SQL (the guide's "raw ecto query") through the
//!   layer's `query`, whose rows come back as resources, with sort and limit per
//!   parent and a nested load on its results;
//! - constraint violations on create (unique, not null; foreign key apart) as
//!   `ErrorKind::Constraint` naming resource, attribute and constraint, with the
//!   database's error as `source()`, and nothing of the batch written;
//! - `create_many` of 10,000 records in a few statements.
use std::collections::BTreeMap;
use std::error::Error as _;

use ashore::data_layer::sql::{Postgres, Sqlite};
use ashore::prelude::*;
use ashore::{Constraint, DataLayer, Value};

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            attribute priority_threshold: i64;
        }
        relationships {
            has_many tickets: Ticket;
            has_many tickets_above_threshold: Ticket {
                manual RawTicketsAboveThreshold;
            }
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
            attribute priority: Option<i64>;
        }
        relationships {
            belongs_to representative: Representative;
            has_many comments: Comment;
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Comment {
        attributes {
            uuid_primary_key id;
            attribute body: String;
        }
        relationships {
            belongs_to ticket: Ticket;
        }
    }
}

resource! {
    /// The `ticket` table seen by a resource that lets `subject` be nil, so a
    /// create reaches the database's NOT NULL (a `Ticket` changeset without a
    /// subject is refused before it reaches the data layer).
    #[derive(Debug, Clone, PartialEq)]
    pub struct LaxTicket {
        table "ticket";
        attributes {
            uuid_primary_key id;
            attribute subject: Option<String>;
            attribute priority: Option<i64>;
            attribute representative_id: Option<Uuid>;
        }
    }
}

/// The guide's loader as raw SQL: tickets above their representative's
/// threshold, through a join the query layer would write as a path. Each row is
/// a `Ticket` by column name (`t.*`); the extra `threshold` column is ignored.
struct RawTicketsAboveThreshold;

/// Keys per statement, below both databases' parameter limits.
const KEYS_PER_QUERY: usize = 30_000;

fn raw_sql(keys: usize, placeholder: fn(usize) -> String) -> String {
    let keys: Vec<String> = (1..=keys).map(placeholder).collect();
    format!(
        "SELECT t.*, r.priority_threshold AS threshold \
         FROM ticket t JOIN representative r ON r.id = t.representative_id \
         WHERE t.priority > r.priority_threshold AND t.representative_id IN ({}) \
         ORDER BY t.subject",
        keys.join(", ")
    )
}

impl ManualRelationship for RawTicketsAboveThreshold {
    type Source = Representative;
    type Destination = Ticket;

    async fn load(
        &self,
        reps: &[Representative],
        ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Representative, Ticket>> {
        let ids: Vec<Value> = reps.iter().map(|r| Value::from(r.id)).collect();
        let mut tickets = Vec::new();
        for ids in ids.chunks(KEYS_PER_QUERY) {
            if let Some(sqlite) = ctx.domain.data_layer_as::<Sqlite>() {
                let sql = raw_sql(ids.len(), |i| format!("?{i}"));
                tickets.extend(sqlite.query::<Ticket>(&sql, ids.to_vec()).await?);
            } else if let Some(postgres) = ctx.domain.data_layer_as::<Postgres>() {
                let sql = raw_sql(ids.len(), |i| format!("${i}"));
                tickets.extend(postgres.query::<Ticket>(&sql, ids.to_vec()).await?);
            } else {
                return Err(Error::loader("RawTicketsAboveThreshold needs a SQL layer"));
            }
        }
        Ok(Related::group_by(tickets, |t| t.representative_id))
    }
}

/// A SQL layer under test: the layer and its statement count.
#[derive(Clone)]
enum Sql {
    Sqlite(Sqlite),
    Postgres(Postgres),
}

impl Sql {
    fn statements(&self) -> u64 {
        match self {
            Sql::Sqlite(s) => s.statements(),
            Sql::Postgres(p) => p.statements(),
        }
    }

    fn layer(&self) -> std::sync::Arc<dyn DataLayer> {
        match self {
            Sql::Sqlite(s) => std::sync::Arc::new(s.clone()),
            Sql::Postgres(p) => std::sync::Arc::new(p.clone()),
        }
    }

    /// Whether `source` is this database's driver error.
    fn is_driver_error(&self, source: &(dyn std::error::Error + 'static)) -> bool {
        match self {
            Sql::Sqlite(_) => source.downcast_ref::<rusqlite::Error>().is_some(),
            Sql::Postgres(_) => source.downcast_ref::<tokio_postgres::Error>().is_some(),
        }
    }
}

/// A representative to create.
fn rep(name: &str, threshold: i64) -> Changeset<Representative> {
    Representative::changeset()
        .set(Representative::name(), name)
        .set(Representative::priority_threshold(), threshold)
}

/// The Helpdesk domain on `sql`, migrated.
async fn helpdesk(sql: &Sql) -> Domain {
    let domain = Domain::builder()
        .shared_data_layer(sql.layer())
        .resource::<Representative>()
        .resource::<Ticket>()
        .resource::<Comment>()
        .build()
        .expect("the domain builds");
    domain.migrate().await.expect("migrate");
    domain
}

/// (name, threshold, [(subject, priority, [comment])])
type Seed = Vec<(
    &'static str,
    i64,
    Vec<(&'static str, Option<i64>, Vec<&'static str>)>,
)>;

fn seed() -> Seed {
    vec![
        (
            "Ada",
            3,
            vec![
                (
                    "Printer on fire",
                    Some(9),
                    vec!["Fire is out", "Extinguisher"],
                ),
                ("Password reset", Some(2), vec!["Done"]),
                ("VPN drops", Some(5), vec!["Cannot reproduce"]),
                ("Coffee machine", None, vec![]),
                ("Laptop won't boot", Some(7), vec![]),
                ("It's 'quoted'; -- really", Some(8), vec!["a 'comment'"]),
            ],
        ),
        (
            "Grace",
            6,
            vec![
                (
                    "Mail server down",
                    Some(10),
                    vec!["Restarted", "Down again"],
                ),
                ("New monitor", Some(4), vec![]),
                ("Badge not working", Some(6), vec![]),
            ],
        ),
        ("Linus", 0, vec![]),
        ("Margaret", 8, vec![("Keyboard sticky", Some(1), vec![])]),
    ]
}

async fn create_seed(domain: &Domain, seed: &Seed) {
    for (name, threshold, tickets) in seed {
        let rep = domain
            .create(rep(name, *threshold))
            .await
            .expect("create a representative");
        for (subject, priority, comments) in tickets {
            let ticket = domain
                .create(
                    Ticket::changeset()
                        .set(Ticket::subject(), *subject)
                        .set(Ticket::priority(), *priority)
                        .set(Ticket::representative_id(), rep.id),
                )
                .await
                .expect("create a ticket");
            domain
                .create_many(comments.iter().map(|body| {
                    Comment::changeset()
                        .set(Comment::body(), *body)
                        .set(Comment::ticket_id(), ticket.id)
                }))
                .await
                .expect("create comments");
        }
    }
}

async fn raw_manual_load(sql: Sql) {
    let domain = helpdesk(&sql).await;
    let seed = seed();
    create_seed(&domain, &seed).await;

    // The top 2 above threshold per representative, by priority, with each
    // ticket's comments and representative loaded on the raw loader's results.
    let before = sql.statements();
    let reps = domain
        .read(
            Representative::query().sort(Representative::name()).load(
                Representative::tickets_above_threshold()
                    .sort(Ticket::priority().desc())
                    .limit(2)
                    .load(Ticket::comments().sort(Comment::body()))
                    .load(Ticket::representative()),
            ),
        )
        .await
        .expect("load through raw SQL");
    assert_eq!(
        sql.statements() - before,
        4,
        "the read, the raw query, and one statement per nested relationship"
    );

    let mut want: BTreeMap<&str, Vec<(&str, Vec<&str>)>> = BTreeMap::new();
    for (name, threshold, tickets) in &seed {
        let mut above: Vec<_> = tickets
            .iter()
            .filter(|(_, p, _)| p.is_some_and(|p| p > *threshold))
            .collect();
        above.sort_by_key(|(_, p, _)| std::cmp::Reverse(*p));
        let above = above
            .into_iter()
            .take(2)
            .map(|(s, _, comments)| {
                let mut comments = comments.clone();
                comments.sort();
                (*s, comments)
            })
            .collect();
        want.insert(name, above);
    }
    let mut got: BTreeMap<&str, Vec<(&str, Vec<&str>)>> = BTreeMap::new();
    for rep in &reps {
        let tickets = rep.tickets_above_threshold.get().expect("loaded");
        for t in tickets {
            let owner = t.representative.get().expect("nested belongs_to loaded");
            assert_eq!(
                owner.as_ref().map(|r| r.id),
                Some(rep.id),
                "owner of {}",
                t.subject
            );
            assert!(t.priority.expect("above threshold") > rep.priority_threshold);
        }
        got.insert(
            &rep.name,
            tickets
                .iter()
                .map(|t| {
                    let comments = t.comments.get().expect("nested has_many loaded");
                    (
                        t.subject.as_str(),
                        comments.iter().map(|c| c.body.as_str()).collect(),
                    )
                })
                .collect(),
        );
    }
    assert_eq!(got, want);
    assert_eq!(
        want["Ada"],
        vec![
            ("Printer on fire", vec!["Extinguisher", "Fire is out"]),
            ("It's 'quoted'; -- really", vec!["a 'comment'"]),
        ]
    );

    // Loading onto records in hand, for a subset, gives the same.
    let mut grace = domain
        .read(Representative::query().filter(expr!(name == "Grace")))
        .await
        .expect("read Grace");
    domain
        .load(&mut grace, Representative::tickets_above_threshold())
        .await
        .expect("load onto records in hand");
    let subjects: Vec<&str> = grace[0]
        .tickets_above_threshold
        .get()
        .expect("loaded")
        .iter()
        .map(|t| t.subject.as_str())
        .collect();
    assert_eq!(subjects, ["Mail server down"]);

    // A raw query without a column the resource needs is an error naming it.
    let err = match &sql {
        Sql::Sqlite(s) => {
            s.query::<Ticket>("SELECT id, subject FROM ticket", vec![])
                .await
        }
        Sql::Postgres(p) => {
            p.query::<Ticket>("SELECT id, subject FROM ticket", vec![])
                .await
        }
    }
    .expect_err("no priority column");
    assert!(err.to_string().contains("priority"), "{err}");
}

/// The error is a `Constraint` of this kind on this resource and attribute,
/// with the driver's error as its source.
fn assert_constraint(
    sql: &Sql,
    err: &Error,
    resource: &str,
    attribute: &str,
    constraint: Constraint,
) {
    println!("{constraint}: {err}");
    match err.kind() {
        ErrorKind::Constraint {
            resource: r,
            attribute: a,
            constraint: c,
            ..
        } => {
            assert_eq!((*r, *c), (resource, constraint), "{err:?}");
            assert_eq!(*a, Some(attribute), "the attribute of {err:?}");
        }
        _ => panic!("expected a {constraint} constraint error, got {err:?}"),
    }
    let source = err.source().expect("the database error is the source");
    assert!(sql.is_driver_error(source), "source: {source:?}");
    assert!(
        err.to_string().contains(&format!("{resource}.{attribute}")),
        "the message names the attribute: {err}"
    );
}

async fn constraints(sql: Sql) {
    let domain = helpdesk(&sql).await;
    let ada = domain.create(rep("Ada", 3)).await.expect("create Ada");

    // Unique: a primary key that exists, alone and inside a batch.
    let err = domain
        .create(
            Representative::changeset()
                .set(Representative::id(), ada.id)
                .set(Representative::name(), "Ada again")
                .set(Representative::priority_threshold(), 1),
        )
        .await
        .expect_err("duplicate primary key");
    assert_constraint(&sql, &err, "Representative", "id", Constraint::Unique);
    let err = domain
        .create_many([
            rep("Grace", 6),
            Representative::changeset()
                .set(Representative::id(), ada.id)
                .set(Representative::name(), "Ada again")
                .set(Representative::priority_threshold(), 1),
        ])
        .await
        .expect_err("duplicate primary key in a batch");
    assert_constraint(&sql, &err, "Representative", "id", Constraint::Unique);

    // Not null: the table's NOT NULL, reached through a laxer resource.
    let lax = Domain::builder()
        .shared_data_layer(sql.layer())
        .resource::<LaxTicket>()
        .build()
        .expect("the lax domain builds");
    let err = lax
        .create(LaxTicket::changeset().set(LaxTicket::priority(), 1))
        .await
        .expect_err("no subject");
    assert_constraint(&sql, &err, "LaxTicket", "subject", Constraint::NotNull);

    // Nothing of a refused batch was written; the layer still works.
    let reps = domain
        .read(Representative::query())
        .await
        .expect("read representatives");
    assert_eq!(reps, vec![ada.clone()]);
    let tickets = domain.read(Ticket::query()).await.expect("read tickets");
    assert_eq!(tickets, vec![]);
    let ok = lax
        .create(
            LaxTicket::changeset()
                .set(LaxTicket::subject(), Some("Fine".to_owned()))
                .set(LaxTicket::representative_id(), Some(ada.id)),
        )
        .await
        .expect("a valid create after the errors");
    assert_eq!(ok.subject.as_deref(), Some("Fine"));
}

/// Foreign key: a ticket of a representative that does not exist, alone and in
/// a batch. SQLite's message ("FOREIGN KEY constraint failed") names no column,
/// so the layer has to find the attribute another way.
async fn foreign_key(sql: Sql) {
    let domain = helpdesk(&sql).await;
    let ada = domain.create(rep("Ada", 3)).await.expect("create Ada");
    let err = domain
        .create(
            Ticket::changeset()
                .set(Ticket::subject(), "Orphan")
                .set(Ticket::representative_id(), Uuid::new_v4()),
        )
        .await
        .expect_err("no such representative");
    assert_constraint(
        &sql,
        &err,
        "Ticket",
        "representative_id",
        Constraint::ForeignKey,
    );
    let err = domain
        .create_many([
            Ticket::changeset()
                .set(Ticket::subject(), "Fine")
                .set(Ticket::representative_id(), ada.id),
            Ticket::changeset()
                .set(Ticket::subject(), "Orphan")
                .set(Ticket::representative_id(), Uuid::new_v4()),
        ])
        .await
        .expect_err("no such representative in a batch");
    assert_constraint(
        &sql,
        &err,
        "Ticket",
        "representative_id",
        Constraint::ForeignKey,
    );
    let tickets = domain.read(Ticket::query()).await.expect("read tickets");
    assert_eq!(tickets, vec![], "nothing of the refused batch was written");
}

async fn bulk_create(sql: Sql) {
    let domain = helpdesk(&sql).await;
    let rep = domain.create(rep("Ada", 3)).await.expect("create Ada");
    let before = sql.statements();
    let created = domain
        .create_many((0..10_000).map(|i| {
            Ticket::changeset()
                .set(Ticket::subject(), format!("ticket {i}"))
                .set(Ticket::priority(), (i % 7 != 0).then_some(i % 11))
                .set(Ticket::representative_id(), rep.id)
        }))
        .await
        .expect("create 10,000 tickets");
    let statements = sql.statements() - before;
    println!("create_many of 10,000 tickets: {statements} statements");
    // 10,000 rows of 3 or 4 parameters: 2 statements on SQLite (32,766
    // parameters each), 1 on PostgreSQL (65,535).
    assert!(statements <= 3, "{statements} statements for 10,000 rows");
    assert_eq!(created.len(), 10_000);
    for (i, t) in created.iter().enumerate() {
        assert_eq!(t.subject, format!("ticket {i}"), "created in order");
    }
    let read = domain
        .read(Ticket::query().filter(expr!(representative_id == ^rep.id)))
        .await
        .expect("read them back");
    assert_eq!(read, created);
}

fn sqlite() -> Sql {
    Sql::Sqlite(Sqlite::memory().expect("SQLite in memory"))
}

#[tokio::test]
async fn sqlite_raw_manual_load() {
    raw_manual_load(sqlite()).await;
}

#[tokio::test]
async fn sqlite_constraints() {
    constraints(sqlite()).await;
}

#[tokio::test]
async fn sqlite_foreign_key() {
    foreign_key(sqlite()).await;
}

#[tokio::test]
async fn sqlite_bulk_create() {
    bulk_create(sqlite()).await;
}

#[tokio::test]
async fn postgres_raw_manual_load() {
    let Some(db) = crate::common::pg("manual_raw").await else {
        return;
    };
    raw_manual_load(Sql::Postgres(db.postgres.clone())).await;
}

#[tokio::test]
async fn postgres_constraints() {
    let Some(db) = crate::common::pg("constraints").await else {
        return;
    };
    constraints(Sql::Postgres(db.postgres.clone())).await;
}

#[tokio::test]
async fn postgres_foreign_key() {
    let Some(db) = crate::common::pg("foreign_key").await else {
        return;
    };
    foreign_key(Sql::Postgres(db.postgres.clone())).await;
}

#[tokio::test]
async fn postgres_bulk_create() {
    let Some(db) = crate::common::pg("bulk_create").await else {
        return;
    };
    bulk_create(Sql::Postgres(db.postgres.clone())).await;
}
