//! The Helpdesk of Ash's guide "Defining Manual Relationships", in Rust.
//!
//! Every part of the guide has its counterpart here, marked `// Guide:`. The
//! example seeds representatives and tickets of mixed priorities, loads the manual
//! relationship `tickets_above_threshold` in several ways, prints what it found,
//! and checks every result against an answer computed by hand from the same data:
//! it exits with status 1 if any result is wrong. Tickets carry policies, which
//! apply unless a call turns them off (a representative reads only its own
//! tickets unless it is an admin; only an admin writes them): the reads run as
//! Ada, an admin; step 6 loads the manual relationship as two different
//! actors, and step 7 writes (`helpdesk/writes.rs`): a ticket closed, tickets
//! reassigned, an update the policies forbid, a destroy in a transaction and a
//! transaction rolled back.
//!
//! Run it with `cargo run --example helpdesk` (in memory), or on a database:
//!
//! ```sh
//! cargo run --example helpdesk -- --database sqlite:/tmp/helpdesk.db
//! cargo run --example helpdesk -- --database postgres://postgres@127.0.0.1:5432/test
//! ```
//!
//! On a database the tables are made by `migrate()` first. The checks compare
//! results with answers computed from the seed, so the data must be exactly the
//! seed: an existing SQLite file is deleted first, and on PostgreSQL everything
//! lives in a new schema of its own (`helpdesk_<unique>`), dropped at the end.

#[path = "helpdesk/writes.rs"]
mod writes;

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Arc;

use ashore::data_layer::{Partition, PartitionBy, ReadRequest};
use ashore::prelude::*;
use ashore::{DataLayer, Value};

#[cfg(feature = "postgres")]
use ashore::data_layer::sql::Postgres;
#[cfg(feature = "sqlite")]
use ashore::data_layer::sql::Sqlite;

// Guide: "In the `Representative` resource, define a `has_many` relationship as
// `manual` and point to the module where it will be implemented."
resource! {
    /// A support representative.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            /// Tickets with a higher priority than this are "above threshold".
            attribute priority_threshold: i64;
            /// An admin reads every ticket; anyone else only their own.
            attribute admin: bool;
        }
        relationships {
            has_many tickets: Ticket;
            // Guide: has_many :tickets_above_threshold, Helpdesk.Support.Ticket do
            //          manual Helpdesk.Support.Ticket.Relationships.TicketsAboveThreshold
            //        end
            has_many tickets_above_threshold: Ticket {
                manual TicketsAboveThreshold;
            }
            // The guide's "Using the Query" section, as a loader of its own.
            has_many tickets_above_threshold_rebuilt: Ticket {
                manual TicketsAboveThresholdRebuiltQuery;
            }
            // Guide: "if you need to use a raw ecto query here, you can. As long as
            // you return the right structure."
            has_many tickets_above_threshold_raw: Ticket {
                manual RawTicketsAboveThreshold;
            }
        }
    }
}

resource! {
    /// A support ticket.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
            /// Nil when nobody has triaged the ticket yet.
            attribute priority: Option<i64>;
            /// "open" or "closed".
            attribute status: String;
        }
        relationships {
            belongs_to representative: Representative;
            has_many comments: Comment;
        }
        // Policies apply unless a call says `.authorize(false)`: a representative
        // reads only the tickets assigned to it, unless it is an admin (Ash's
        // "authorize like normal"); only an admin writes tickets.
        policies {
            policy action_type(read) {
                authorize_if actor_attribute_equals(admin, true);
                authorize_if expr(representative_id == ^actor(id));
            }
            policy action_type(create, update, destroy) {
                authorize_if actor_attribute_equals(admin, true);
            }
        }
    }
}

resource! {
    /// A comment on a ticket.
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

// Guide: defmodule Helpdesk.Support.Ticket.Relationships.TicketsAboveThreshold do
//          use Ash.Resource.ManualRelationship
/// The guide's loader. `&self` would carry options (Ash's `_opts`); this one has none.
struct TicketsAboveThreshold;

impl ManualRelationship for TicketsAboveThreshold {
    type Source = Representative;
    type Destination = Ticket;

    // Guide: def load(records, _opts, %{query: query, actor: actor, authorize?: authorize?}) do
    async fn load(
        &self,
        records: &[Representative],
        ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Representative, Ticket>> {
        // Guide: rep_ids = Enum.map(records, & &1.id)
        let rep_ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
        // Guide: query
        //        |> Ash.Query.filter(representative_id in ^rep_ids)
        //        |> Ash.Query.filter(priority > representative.priority_threshold)
        //        |> Helpdesk.Support.read!(actor: actor, authorize?: authorize?)
        // "Using Ash to get the destination records is ideal, so you can authorize
        // access like normal": `.read(ctx)` reads with the caller's domain, actor,
        // authorize flag and tenant.
        let tickets = ctx
            .query
            .clone()
            .filter(expr!(representative_id in ^rep_ids))
            .filter(expr!(priority > representative.priority_threshold))
            .read(ctx)
            .await?;
        // Guide: |> Enum.group_by(& &1.representative_id)
        // "Return the items grouped by the primary key of the source".
        Ok(Related::group_by(tickets, |t| t.representative_id))
    }
}

/// The guide's "Using the Query": a loader that builds its own fetch query from
/// the one it is given.
struct TicketsAboveThresholdRebuiltQuery;

impl ManualRelationship for TicketsAboveThresholdRebuiltQuery {
    type Source = Representative;
    type Destination = Ticket;

    async fn load(
        &self,
        records: &[Representative],
        ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Representative, Ticket>> {
        // Guide: fetch_query = Ash.Query.unset(query, [:limit, :offset])
        // (ashore already hands the loader a query without limit and offset, and
        // applies them per representative afterwards; unsetting is harmless.)
        let _unset = ctx.query.clone().unset([Unset::Limit, Unset::Offset]);
        // Guide: fetch_query = query.resource |> Ash.Query.filter(^query.filter)
        //                      |> Ash.Query.sort(query.sort)
        let fetch_query = Ticket::query()
            .filter_expr(ctx.query.get_filter().cloned())
            .sort(ctx.query.get_sort().to_vec());
        let rep_ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
        let tickets = fetch_query
            .filter(expr!(representative_id in ^rep_ids and priority > representative.priority_threshold))
            .read(ctx)
            .await?;
        Ok(Related::group_by(tickets, |t| t.representative_id))
    }
}

/// The guide's raw-query escape hatch: below queries and authorization, and the
/// right structure all the same. On SQLite and PostgreSQL it is raw SQL through
/// the layer's `query`, which maps each row back to a `Ticket` by column name; in
/// memory, a read straight from the data layer.
struct RawTicketsAboveThreshold;

/// The raw query, for `keys` representative ids bound as `placeholder(1)`,
/// `placeholder(2)`, ..: placeholders only, never values, in the SQL text.
fn raw_above_threshold_sql(keys: usize, placeholder: fn(usize) -> String) -> String {
    let keys: Vec<String> = (1..=keys).map(placeholder).collect();
    format!(
        "SELECT t.* FROM ticket t JOIN representative r ON r.id = t.representative_id \
         WHERE t.priority > r.priority_threshold AND t.representative_id IN ({})",
        keys.join(", ")
    )
}

/// Representative ids per raw query: below both databases' limits on parameters
/// (SQLite 32,766, PostgreSQL 65,535), so any number of representatives works.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
const RAW_KEYS_PER_QUERY: usize = 30_000;

impl ManualRelationship for RawTicketsAboveThreshold {
    type Source = Representative;
    type Destination = Ticket;

    async fn load(
        &self,
        records: &[Representative],
        ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Representative, Ticket>> {
        let rep_ids: Vec<Value> = records.iter().map(|r| Value::from(r.id)).collect();
        #[cfg(feature = "sqlite")]
        if let Some(sqlite) = ctx.domain.data_layer_as::<Sqlite>() {
            let mut tickets = Vec::new();
            for ids in rep_ids.chunks(RAW_KEYS_PER_QUERY) {
                let sql = raw_above_threshold_sql(ids.len(), |i| format!("?{i}"));
                tickets.extend(sqlite.query::<Ticket>(&sql, ids.to_vec()).await?);
            }
            return Ok(Related::group_by(tickets, |t| t.representative_id));
        }
        #[cfg(feature = "postgres")]
        if let Some(postgres) = ctx.domain.data_layer_as::<Postgres>() {
            let mut tickets = Vec::new();
            for ids in rep_ids.chunks(RAW_KEYS_PER_QUERY) {
                let sql = raw_above_threshold_sql(ids.len(), |i| format!("${i}"));
                tickets.extend(postgres.query::<Ticket>(&sql, ids.to_vec()).await?);
            }
            return Ok(Related::group_by(tickets, |t| t.representative_id));
        }
        // In memory: every ticket of these representatives, then the threshold test
        // in Rust.
        let mut request = ReadRequest::new(Ticket::schema());
        request.partition = Some(Partition {
            by: PartitionBy::Attribute("representative_id"),
            keys: rep_ids,
        });
        let tickets: Vec<Ticket> = ctx
            .domain
            .data_layer()
            .read(request)
            .await?
            .records
            .into_vec()?;
        let thresholds: BTreeMap<Uuid, i64> = records
            .iter()
            .map(|r| (r.id, r.priority_threshold))
            .collect();
        let above = tickets
            .into_iter()
            .filter(|t| {
                match (
                    t.priority,
                    t.representative_id.and_then(|id| thresholds.get(&id)),
                ) {
                    (Some(p), Some(threshold)) => p > *threshold,
                    _ => false,
                }
            })
            .collect();
        Ok(Related::group_by(above, |t| t.representative_id))
    }
}

/// The seed data: (name, threshold, [(subject, priority, comments)]).
type Seed = (
    &'static str,
    i64,
    Vec<(&'static str, Option<i64>, Vec<&'static str>)>,
);

fn seed() -> Vec<Seed> {
    vec![
        (
            "Ada",
            3,
            vec![
                (
                    "Printer on fire",
                    Some(9),
                    vec!["Extinguisher on its way", "Fire is out"],
                ),
                ("Password reset", Some(2), vec![]),
                ("VPN drops every hour", Some(5), vec!["Cannot reproduce"]),
                ("Coffee machine", None, vec![]),
                ("Laptop won't boot", Some(7), vec![]),
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
        (
            "Margaret",
            8,
            vec![
                ("Keyboard sticky", Some(1), vec![]),
                ("Untriaged", None, vec![]),
            ],
        ),
    ]
}

/// What `tickets_above_threshold` must hold for each representative, computed by
/// hand from the seed: subjects ordered by priority descending.
fn expected_above(
    seed: &[Seed],
    limit: Option<usize>,
) -> BTreeMap<&'static str, Vec<&'static str>> {
    seed.iter()
        .map(|(name, threshold, tickets)| {
            let mut above: Vec<_> = tickets
                .iter()
                .filter(|(_, p, _)| p.is_some_and(|p| p > *threshold))
                .collect();
            above.sort_by_key(|(_, p, _)| std::cmp::Reverse(*p));
            let subjects = above
                .iter()
                .map(|(s, _, _)| *s)
                .take(limit.unwrap_or(usize::MAX))
                .collect();
            (*name, subjects)
        })
        .collect()
}

struct Check {
    failures: Vec<String>,
}

impl Check {
    fn same<T: PartialEq + std::fmt::Debug>(&mut self, what: &str, got: T, want: T) {
        if got != want {
            self.failures
                .push(format!("{what}: got {got:?}, want {want:?}"));
        }
    }
}

fn subjects(tickets: &[Ticket]) -> Vec<&str> {
    tickets.iter().map(|t| t.subject.as_str()).collect()
}

/// A list for the table: comma-separated, `-` when empty.
fn shown(items: &[&str]) -> String {
    if items.is_empty() {
        "-".to_owned()
    } else {
        items.join(", ")
    }
}

const USAGE: &str = "usage: cargo run --example helpdesk [-- --database sqlite:PATH | --database postgres://USER@HOST:PORT/DB]";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!(
            "The Helpdesk of Ash's manual-relationships guide, in memory or on a database.\n{USAGE}"
        );
        return ExitCode::SUCCESS;
    }
    let database = match database_arg(args) {
        Ok(database) => database,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let store = match Store::open(database.as_deref()).await {
        Ok(store) => store,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = run(store.layer.clone()).await;
    store.close().await;
    match outcome {
        Ok(failures) if failures.is_empty() => {
            println!("\nall results match the hand-computed answers");
            ExitCode::SUCCESS
        }
        Ok(failures) => {
            eprintln!("\nWRONG RESULTS:");
            for f in failures {
                eprintln!("  - {f}");
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The value of `--database URL` (or `--database=URL`), if given.
fn database_arg(args: Vec<String>) -> Result<Option<String>, String> {
    let mut database = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        database = Some(match arg.strip_prefix("--database") {
            Some("") => args.next().ok_or("`--database` needs a URL")?,
            Some(rest) if rest.starts_with('=') => rest[1..].to_owned(),
            _ => return Err(format!("unknown argument `{arg}`")),
        });
    }
    Ok(database)
}

/// The data layer the example runs on, and what to clean up afterwards.
struct Store {
    layer: Arc<dyn DataLayer>,
    /// The PostgreSQL schema made for this run, dropped by `close`.
    #[cfg(feature = "postgres")]
    schema: Option<(Postgres, String)>,
}

impl Store {
    /// The in-memory layer without a URL; else the database the URL names, empty.
    async fn open(database: Option<&str>) -> ashore::Result<Store> {
        let layer: Arc<dyn DataLayer> = match database {
            None | Some("memory") => {
                println!("Data layer: memory\n");
                Arc::new(Memory::new())
            }
            #[cfg(feature = "sqlite")]
            Some(url) if url.starts_with("sqlite:") => Arc::new(open_sqlite(url)?),
            #[cfg(feature = "postgres")]
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                let schema = format!(
                    "helpdesk_{}",
                    Uuid::new_v4().simple().to_string().split_at(12).0
                );
                let postgres = Postgres::connect_in_schema(url, &schema).await?;
                println!(
                    "Data layer: postgres at {}, in the new schema {schema} (dropped at the end)\n",
                    without_password(url)
                );
                return Ok(Store {
                    layer: Arc::new(postgres.clone()),
                    schema: Some((postgres, schema)),
                });
            }
            Some(url) => {
                return Err(ashore::Error::new(ErrorKind::DataLayer {
                    message: format!(
                        "`--database {url}`: expected `sqlite:PATH` or `postgres://..` (with this build's features)"
                    ),
                    source: None,
                }));
            }
        };
        Ok(Store {
            layer,
            #[cfg(feature = "postgres")]
            schema: None,
        })
    }

    /// Drops the PostgreSQL schema made for the run (best-effort: says so when it
    /// cannot).
    async fn close(self) {
        #[cfg(feature = "postgres")]
        if let Some((postgres, schema)) = self.schema {
            let sql = format!("DROP SCHEMA \"{schema}\" CASCADE");
            let dropped = match postgres.client().await {
                Ok(client) => client.batch_execute(&sql).await.map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            if let Err(e) = dropped {
                eprintln!("could not drop schema {schema}: {e}");
            }
        }
    }
}

/// A SQLite database file with nothing in it: an existing file is deleted first
/// (with its `-wal` and `-shm` companions), since the checks need exactly the seed.
#[cfg(feature = "sqlite")]
fn open_sqlite(url: &str) -> ashore::Result<Sqlite> {
    let rest = &url["sqlite:".len()..];
    if rest == ":memory:" || rest == "//:memory:" {
        println!("Data layer: sqlite in memory\n");
        return Sqlite::memory();
    }
    let path = std::path::Path::new(rest.strip_prefix("//").unwrap_or(rest));
    let existed = path.exists();
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", path.display());
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(ashore::Error::new(ErrorKind::DataLayer {
                    message: format!("cannot delete {file} to start from the seed"),
                    source: Some(Box::new(e)),
                }));
            }
        }
    }
    println!(
        "Data layer: sqlite at {}{}\n",
        path.display(),
        if existed {
            " (the existing file was deleted: the checks need exactly the seed)"
        } else {
            ""
        }
    );
    Sqlite::open(path)
}

/// The URL with its password, if any, replaced by `***`, for printing.
#[cfg(feature = "postgres")]
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((user_info, host)) if user_info.contains(':') => {
            let user = user_info.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}{tail}")
        }
        _ => url.to_owned(),
    }
}

async fn run(layer: Arc<dyn DataLayer>) -> ashore::Result<Vec<String>> {
    let support = Domain::builder()
        .shared_data_layer(layer)
        .resource::<Representative>()
        .resource::<Ticket>()
        .resource::<Comment>()
        .build()?;
    // Makes the tables, foreign keys and indexes on a database; nothing in memory.
    support.migrate().await?;

    let seed = seed();
    for (name, threshold, tickets) in &seed {
        let rep = support
            .create(
                Representative::changeset()
                    .set(Representative::name(), *name)
                    .set(Representative::priority_threshold(), *threshold)
                    .set(Representative::admin(), *name == "Ada"),
            )
            .await?;
        for (subject, priority, comments) in tickets {
            let ticket = support
                .create(
                    Ticket::changeset()
                        .set(Ticket::subject(), *subject)
                        .set(Ticket::priority(), *priority)
                        .set(Ticket::status(), "open")
                        .set(Ticket::representative_id(), rep.id),
                )
                // Seeding runs as the system, with no actor: policies off.
                .authorize(false)
                .await?;
            let comments = comments.iter().map(|body| {
                Comment::changeset()
                    .set(Comment::body(), *body)
                    .set(Comment::ticket_id(), ticket.id)
            });
            support.create_many(comments).await?;
        }
    }
    let me = support
        .read(Representative::query().filter(expr!(name == "Ada")))
        .await?
        .remove(0);
    let mut check = Check {
        failures: Vec::new(),
    };
    // Every read below runs as Ada, an admin, so Ticket's read policy lets her
    // see every ticket; section 6 reads as Grace too.

    // 1. The guide's relationship, loaded as the guide loads it: sorted by priority.
    let by_priority = Ticket::priority().desc();
    let reps = support
        .read(
            Representative::query()
                .sort(Representative::name())
                .load(Representative::tickets_above_threshold().sort(by_priority.clone())),
        )
        .actor(&me)
        .await?;
    println!("Tickets above each representative's threshold (manual relationship)\n");
    println!("{:<10} {:>9}  tickets (priority)", "rep", "threshold");
    println!("{:-<10} {:->9}  {:-<40}", "", "", "");
    let expected = expected_above(&seed, None);
    for rep in &reps {
        let tickets = rep.tickets_above_threshold.get()?;
        let shown: Vec<String> = tickets
            .iter()
            .map(|t| {
                format!(
                    "{} ({})",
                    t.subject,
                    t.priority.map_or("nil".into(), |p| p.to_string())
                )
            })
            .collect();
        println!(
            "{:<10} {:>9}  {}",
            rep.name,
            rep.priority_threshold,
            if shown.is_empty() {
                "-".into()
            } else {
                shown.join(", ")
            }
        );
        check.same(
            &format!("{} above threshold", rep.name),
            subjects(tickets),
            expected[rep.name.as_str()].clone(),
        );
    }

    // 2. The same relationship with a per-representative limit: each rep's top 2.
    let reps = support
        .read(
            Representative::query().sort(Representative::name()).load(
                Representative::tickets_above_threshold()
                    .sort(by_priority.clone())
                    .limit(2),
            ),
        )
        .actor(&me)
        .await?;
    println!("\nTop 2 above threshold per representative (limit applies per parent)\n");
    let top2 = expected_above(&seed, Some(2));
    for rep in &reps {
        let tickets = rep.tickets_above_threshold.get()?;
        println!("{:<10} {}", rep.name, shown(&subjects(tickets)));
        check.same(
            &format!("{} top 2", rep.name),
            subjects(tickets),
            top2[rep.name.as_str()].clone(),
        );
    }

    // 3. A nested load on the manual relationship's results: each ticket's comments
    //    and its representative, loaded with one read per relationship.
    let reps = support
        .read(
            Representative::query()
                .filter(expr!(name == "Ada" or name == "Grace"))
                .sort(Representative::name())
                .load(
                    Representative::tickets_above_threshold()
                        .sort(by_priority.clone())
                        .load(Ticket::comments().sort(Comment::body()))
                        .load(Ticket::representative()),
                ),
        )
        .actor(&me)
        .await?;
    println!("\nComments on tickets above threshold (nested load)\n");
    for rep in &reps {
        for t in rep.tickets_above_threshold.get()? {
            let comments = t.comments.get()?;
            let owner = t.representative.get()?.as_ref().map(|r| r.name.as_str());
            println!(
                "{:<10} {:<22} {}",
                rep.name,
                t.subject,
                comments
                    .iter()
                    .map(|c| c.body.as_str())
                    .collect::<Vec<_>>()
                    .join(" / ")
            );
            check.same(
                &format!("owner of {}", t.subject),
                owner,
                Some(rep.name.as_str()),
            );
            let (_, _, want) = seed
                .iter()
                .flat_map(|(_, _, ts)| ts)
                .find(|(s, _, _)| *s == t.subject)
                .expect("every ticket comes from the seed");
            let mut want = want.clone();
            want.sort();
            check.same(
                &format!("comments of {}", t.subject),
                comments.iter().map(|c| c.body.as_str()).collect(),
                want,
            );
        }
    }

    // 4. The "Using the Query" loader and the raw loader find the same tickets.
    let reps = support
        .read(
            Representative::query()
                .sort(Representative::name())
                .load(Representative::tickets_above_threshold_rebuilt().sort(by_priority.clone()))
                .load(Representative::tickets_above_threshold_raw().sort(by_priority.clone())),
        )
        .actor(&me)
        .await?;
    println!("\nThe same relationship through a rebuilt query and a raw query\n");
    for rep in &reps {
        let rebuilt = subjects(rep.tickets_above_threshold_rebuilt.get()?);
        let raw = subjects(rep.tickets_above_threshold_raw.get()?);
        println!("{:<10} rebuilt: {}", rep.name, shown(&rebuilt));
        println!("{:<10} raw:     {}", rep.name, shown(&raw));
        check.same(
            &format!("{} rebuilt", rep.name),
            rebuilt,
            expected[rep.name.as_str()].clone(),
        );
        check.same(
            &format!("{} raw", rep.name),
            raw,
            expected[rep.name.as_str()].clone(),
        );
    }

    // 5. Loading onto records already in hand (Ash's `Ash.load`), and the ordinary
    //    has_many for comparison: every ticket, untriaged (nil) ones last. A plain
    //    `desc` would put nils first, as SQL does.
    let mut reps = support
        .read(Representative::query().sort(Representative::name()))
        .await?;
    support
        .load(
            &mut reps,
            Representative::tickets().sort(Ticket::priority().desc_nils_last()),
        )
        .actor(&me)
        .await?;
    println!("\nAll tickets per representative (ordinary has_many, nil priority last)\n");
    for rep in &reps {
        let tickets = rep.tickets.get()?;
        println!("{:<10} {}", rep.name, shown(&subjects(tickets)));
        let (_, _, seeded) = seed
            .iter()
            .find(|(n, _, _)| *n == rep.name)
            .expect("seeded rep");
        let mut want: Vec<_> = seeded.iter().collect();
        want.sort_by(|a, b| match (a.1, b.1) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        check.same(
            &format!("{} tickets", rep.name),
            subjects(tickets),
            want.iter().map(|t| t.0).collect(),
        );
    }

    // 6. The same manual relationship loaded as two actors: Ada is an admin and
    //    sees every ticket above threshold; Grace sees only her own. The loader
    //    reads through `ctx`, so it reads as the caller; and whatever a loader
    //    returns is checked against the caller's policies.
    println!("\nThe manual relationship as two actors (Ticket's read policy)\n");
    let grace = support
        .read(Representative::query().filter(expr!(name == "Grace")))
        .await?
        .remove(0);
    for actor in [&me, &grace] {
        let reps = support
            .read(
                Representative::query()
                    .sort(Representative::name())
                    .load(Representative::tickets_above_threshold().sort(by_priority.clone())),
            )
            .actor(actor)
            .await?;
        for rep in &reps {
            let tickets = subjects(rep.tickets_above_threshold.get()?);
            println!("as {:<6} {:<10} {}", actor.name, rep.name, shown(&tickets));
            let want = if actor.admin || actor.id == rep.id {
                expected[rep.name.as_str()].clone()
            } else {
                Vec::new()
            };
            check.same(&format!("{} as {}", rep.name, actor.name), tickets, want);
        }
    }

    // 7. Writes: close, reassign, a forbidden update, a destroy and a rollback.
    println!("\nWrites (Ticket's write policy: admins only)\n");
    writes::run(&support, &me, &grace, &mut check).await?;

    Ok(check.failures)
}
