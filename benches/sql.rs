//! Loading from SQL databases: 1,000 representatives and 100,000 tickets in a
//! SQLite file and (when `ASHORE_PG_URL` is set) in PostgreSQL, loaded through
//! ashore against hand-written code doing the same work in the same run:
//!
//! - the has_many `Representative::tickets` against one hand-written SELECT of
//!   the tickets of those representatives (rusqlite, `IN rarray(?1)`;
//!   tokio-postgres, `= ANY($1)`), decoded into the same `Ticket`s and grouped
//!   by representative in a `HashMap`;
//! - the top 3 tickets of each representative by priority
//!   (`Representative::tickets().sort(Ticket::priority().desc()).limit(3)`)
//!   against a hand-written `ROW_NUMBER()` window query and the same group-by;
//! - the guide's manual relationship `tickets_above_threshold`, its loader
//!   exactly as the README writes it, against a hand-written JOIN of tickets
//!   and representatives, for 10 representatives and for all 1,000.
//!
//! The answers are checked to agree before anything is timed. The figure that
//! matters is the ratio of each ashore load to its hand-written counterpart:
//! besides criterion's figures, each pair is also timed alternately (printed as
//! "interleaved medians"), which keeps the ratio honest on a busy machine.
//!
//! `cargo bench --bench sql` (add `ASHORE_PG_URL=postgres://..` for PostgreSQL).

use std::collections::HashMap;
use std::future::IntoFuture;
use std::hint::black_box;
use std::path::PathBuf;
use std::rc::Rc;
use std::str::FromStr;
use std::time::{Duration, Instant};

use ashore::data_layer::sql::{Postgres, Sqlite};
use ashore::prelude::*;
use ashore::{DataLayer, Load};
use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, Criterion, criterion_group, criterion_main};
use tokio::runtime::Runtime;

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
            has_many tickets_above_threshold: Ticket { manual TicketsAboveThreshold; }
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
        }
    }
}

/// The guide's loader, exactly as the README writes it.
struct TicketsAboveThreshold;

impl ManualRelationship for TicketsAboveThreshold {
    type Source = Representative;
    type Destination = Ticket;

    async fn load(
        &self,
        reps: &[Representative],
        ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Representative, Ticket>> {
        let rep_ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
        let tickets = ctx
            .query
            .clone()
            .filter(expr!(representative_id in ^rep_ids))
            .filter(expr!(priority > representative.priority_threshold))
            .read(ctx)
            .await?;
        Ok(Related::group_by(tickets, |t| t.representative_id))
    }
}

const REPS: usize = 1_000;
const TICKETS: usize = 100_000;
const BATCH: usize = 10_000;
const TOP: usize = 3;

/// The hand-written has_many: every ticket of the representatives.
const SQLITE_TICKETS: &str = "SELECT id, subject, priority, representative_id FROM ticket \
     WHERE representative_id IN rarray(?1)";
const PG_TICKETS: &str = "SELECT id, subject, priority, representative_id FROM ticket \
     WHERE representative_id = ANY($1)";

/// The hand-written top 3 per representative: priority descending, nils first
/// (what `desc` means), ties in insertion order (SQLite's `rowid`, the hidden
/// `_ashore_seq` on PostgreSQL), as ashore orders them.
const SQLITE_TOP: &str = "SELECT id, subject, priority, representative_id FROM (\
     SELECT id, subject, priority, representative_id, ROW_NUMBER() OVER (\
     PARTITION BY representative_id ORDER BY priority DESC NULLS FIRST, rowid) AS rn \
     FROM ticket WHERE representative_id IN rarray(?1)) WHERE rn <= ?2";
const PG_TOP: &str = "SELECT id, subject, priority, representative_id FROM (\
     SELECT id, subject, priority, representative_id, ROW_NUMBER() OVER (\
     PARTITION BY representative_id ORDER BY priority DESC NULLS FIRST, _ashore_seq) AS rn \
     FROM ticket WHERE representative_id = ANY($1)) t WHERE rn <= $2";

/// The hand-written guide's loader: the tickets above their representative's
/// threshold, in insertion order (as ashore returns them).
const SQLITE_ABOVE: &str = "SELECT t.id, t.subject, t.priority, t.representative_id \
     FROM ticket t JOIN representative r ON r.id = t.representative_id \
     WHERE t.representative_id IN rarray(?1) AND t.priority > r.priority_threshold \
     ORDER BY t.rowid";
const PG_ABOVE: &str = "SELECT t.id, t.subject, t.priority, t.representative_id \
     FROM ticket t JOIN representative r ON r.id = t.representative_id \
     WHERE t.representative_id = ANY($1) AND t.priority > r.priority_threshold \
     ORDER BY t._ashore_seq";

/// One load of the benchmark: its name, the hand-written statement of each
/// dialect, how many representatives it loads onto, and the field it fills.
#[derive(Clone, Copy)]
enum Case {
    HasMany,
    Top3,
    Above(usize),
}

impl Case {
    const ALL: [Case; 4] = [
        Case::HasMany,
        Case::Top3,
        Case::Above(10),
        Case::Above(REPS),
    ];

    fn name(self) -> String {
        match self {
            Case::HasMany => "has_many".into(),
            Case::Top3 => "top 3 per parent".into(),
            Case::Above(n) => format!("guide's manual load, {n} reps"),
        }
    }

    fn sql(self, postgres: bool) -> &'static str {
        match (self, postgres) {
            (Case::HasMany, false) => SQLITE_TICKETS,
            (Case::HasMany, true) => PG_TICKETS,
            (Case::Top3, false) => SQLITE_TOP,
            (Case::Top3, true) => PG_TOP,
            (Case::Above(_), false) => SQLITE_ABOVE,
            (Case::Above(_), true) => PG_ABOVE,
        }
    }

    fn parents(self, reps: &[Representative]) -> Vec<Representative> {
        match self {
            Case::Above(n) => reps[..n.min(reps.len())].to_vec(),
            _ => reps.to_vec(),
        }
    }

    fn field(self, rep: &mut Representative) -> &mut Loaded<Vec<Ticket>> {
        match self {
            Case::Above(_) => &mut rep.tickets_above_threshold,
            _ => &mut rep.tickets,
        }
    }

    fn load(self, rt: &Runtime, domain: &Domain, reps: &mut [Representative]) {
        match self {
            Case::HasMany => ashore_load(rt, domain, reps, Representative::tickets()),
            Case::Top3 => ashore_load(rt, domain, reps, top3()),
            Case::Above(_) => {
                ashore_load(rt, domain, reps, Representative::tickets_above_threshold())
            }
        }
    }
}

fn top3() -> impl Load<Representative> + Clone {
    Representative::tickets()
        .sort(Ticket::priority().desc())
        .limit(TOP)
}

/// The records, created through ashore in a migrated domain.
async fn seed(domain: &Domain) -> Vec<Representative> {
    domain.migrate().await.expect("migrate");
    let reps = domain
        .create_many((0..REPS).map(|i| {
            Representative::changeset()
                .set(Representative::name(), format!("rep {i}"))
                .set(Representative::priority_threshold(), (i % 10) as i64)
        }))
        .await
        .expect("create representatives");
    for start in (0..TICKETS).step_by(BATCH) {
        domain
            .create_many((start..start + BATCH).map(|i| {
                Ticket::changeset()
                    .set(Ticket::subject(), format!("ticket {i}"))
                    .set(
                        Ticket::priority(),
                        if i % 7 == 0 {
                            None
                        } else {
                            Some((i % 11) as i64)
                        },
                    )
                    .set(Ticket::representative_id(), reps[i * 7919 % REPS].id)
            }))
            .await
            .expect("create tickets");
    }
    reps
}

fn domain(layer: impl DataLayer) -> Domain {
    Domain::builder()
        .data_layer(layer)
        .resource::<Representative>()
        .resource::<Ticket>()
        .build()
        .expect("domain")
}

/// What hand-written code does with the rows: group by representative, attach.
fn attach(case: Case, reps: &mut [Representative], tickets: Vec<Ticket>) {
    let mut by_rep: HashMap<Uuid, Vec<Ticket>> = HashMap::with_capacity(reps.len());
    for t in tickets {
        if let Some(rep) = t.representative_id {
            by_rep.entry(rep).or_default().push(t);
        }
    }
    for rep in reps.iter_mut() {
        *case.field(rep) = Loaded::new(by_rep.remove(&rep.id).unwrap_or_default());
    }
}

/// Hand-written rusqlite: one statement, rows decoded into `Ticket`s.
fn sqlite_by_hand(conn: &rusqlite::Connection, case: Case, reps: &mut [Representative]) {
    let ids: Rc<Vec<rusqlite::types::Value>> = Rc::new(
        reps.iter()
            .map(|r| rusqlite::types::Value::Text(r.id.hyphenated().to_string()))
            .collect(),
    );
    let mut stmt = conn.prepare_cached(case.sql(false)).expect("prepare");
    let uuid = |row: &rusqlite::Row<'_>, i: usize| -> rusqlite::Result<Uuid> {
        let text = row.get_ref(i)?.as_str()?;
        Uuid::parse_str(text).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
        })
    };
    let decode = |row: &rusqlite::Row<'_>| {
        Ok(Ticket {
            id: uuid(row, 0)?,
            subject: row.get(1)?,
            priority: row.get(2)?,
            representative_id: Some(uuid(row, 3)?),
            representative: Loaded::NotLoaded,
        })
    };
    let tickets: Vec<Ticket> = if stmt.parameter_count() == 2 {
        stmt.query_map(rusqlite::params![ids, TOP as i64], decode)
    } else {
        stmt.query_map([ids], decode)
    }
    .expect("query")
    .collect::<rusqlite::Result<_>>()
    .expect("rows");
    attach(case, reps, tickets);
}

/// Hand-written tokio-postgres: one statement, rows decoded into `Ticket`s.
async fn pg_by_hand(
    client: &tokio_postgres::Client,
    stmt: &tokio_postgres::Statement,
    case: Case,
    reps: &mut [Representative],
) {
    let ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
    let top = TOP as i64;
    let rows = if stmt.params().len() == 2 {
        client.query(stmt, &[&ids, &top]).await
    } else {
        client.query(stmt, &[&ids]).await
    }
    .expect("query");
    let tickets = rows
        .iter()
        .map(|row| Ticket {
            id: row.get(0),
            subject: row.get(1),
            priority: row.get(2),
            representative_id: row.get(3),
            representative: Loaded::NotLoaded,
        })
        .collect();
    attach(case, reps, tickets);
}

/// Checks that ashore and the hand-written code attach the same tickets to
/// every representative, in the same order.
fn check_same(
    case: Case,
    what: &str,
    by_hand: &mut [Representative],
    ashore: &mut [Representative],
) {
    let mut total = 0;
    for (h, a) in by_hand.iter_mut().zip(ashore) {
        assert_eq!(h.id, a.id);
        let (h, a) = (
            case.field(h).get().expect("loaded").clone(),
            case.field(a).get().expect("loaded").clone(),
        );
        assert_eq!(h, a, "{what}: the tickets of a representative differ");
        total += h.len();
    }
    assert!(total > 0, "{what}: nothing loaded");
    println!("{what}: ashore and hand-written agree ({total} tickets)");
}

/// Times `by_hand` and `ashore` alternately, `ROUNDS` times each, and prints
/// their medians and ratio: on a busy machine, load that drifts between
/// criterion's two measurement phases skews their ratio; alternating does not.
fn interleaved(what: &str, mut by_hand: impl FnMut(), mut ashore: impl FnMut()) {
    const ROUNDS: usize = 15;
    let median = |mut times: Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let (mut hand_times, mut ashore_times) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let start = Instant::now();
        by_hand();
        hand_times.push(start.elapsed());
        let start = Instant::now();
        ashore();
        ashore_times.push(start.elapsed());
    }
    let (hand, ashore) = (median(hand_times), median(ashore_times));
    println!(
        "{what}, interleaved medians of {ROUNDS}: hand-written {hand:.1?}, ashore {ashore:.1?}, \
         ratio {:.2}",
        ashore.as_secs_f64() / hand.as_secs_f64()
    );
}

fn ashore_load(
    rt: &Runtime,
    domain: &Domain,
    reps: &mut [Representative],
    load: impl Load<Representative>,
) {
    rt.block_on(domain.load(reps, load).into_future())
        .expect("load");
}

fn timed<'c>(c: &'c mut Criterion, name: &str) -> BenchmarkGroup<'c, WallTime> {
    let mut group = c.benchmark_group(name);
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(10));
    group
}

fn sqlite(c: &mut Criterion, rt: &Runtime) {
    let path: PathBuf =
        std::env::temp_dir().join(format!("ashore-bench-sql-{}.db", std::process::id()));
    let remove = |path: &PathBuf| {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    };
    remove(&path);
    let domain = domain(Sqlite::open(&path).expect("open the SQLite file"));
    let reps = rt.block_on(seed(&domain));
    let conn = rusqlite::Connection::open(&path).expect("open by hand");
    rusqlite::vtab::array::load_module(&conn).expect("rarray");

    for case in Case::ALL {
        let what = case.name();
        let parents = case.parents(&reps);
        let mut by_hand = parents.clone();
        sqlite_by_hand(&conn, case, &mut by_hand);
        let mut ashore = parents.clone();
        case.load(rt, &domain, &mut ashore);
        check_same(case, &format!("sqlite {what}"), &mut by_hand, &mut ashore);
        interleaved(
            &format!("sqlite {what}"),
            || sqlite_by_hand(&conn, case, &mut parents.clone()),
            || case.load(rt, &domain, &mut parents.clone()),
        );

        let mut group = timed(c, &format!("sqlite {what}, 100k tickets"));
        group.bench_function("hand-written rusqlite + HashMap", |b| {
            b.iter_batched_ref(
                || parents.clone(),
                |reps| sqlite_by_hand(&conn, case, black_box(reps)),
                BatchSize::LargeInput,
            )
        });
        group.bench_function("ashore", |b| {
            b.iter_batched_ref(
                || parents.clone(),
                |reps| case.load(rt, &domain, black_box(reps)),
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }
    drop(conn);
    {
        // The pool closes its connections on Tokio's blocking threads.
        let _runtime = rt.enter();
        drop(domain);
    }
    remove(&path);
}

fn postgres(c: &mut Criterion, rt: &Runtime) {
    let Ok(url) = std::env::var("ASHORE_PG_URL") else {
        println!("PostgreSQL not benchmarked: ASHORE_PG_URL is not set");
        return;
    };
    let schema = format!("ashore_bench_sql_{}", std::process::id());
    let layer = rt
        .block_on(Postgres::connect_in_schema(&url, &schema))
        .unwrap_or_else(|e| panic!("ASHORE_PG_URL is set, but {url} cannot be used: {e}"));
    let domain = domain(layer.clone());
    let reps = rt.block_on(seed(&domain));
    rt.block_on(async {
        let client = layer.client().await.expect("client");
        client
            .batch_execute("ANALYZE ticket; ANALYZE representative")
            .await
            .expect("analyze");
    });

    let mut config = tokio_postgres::Config::from_str(&url).expect("URL");
    config.options(format!("-c search_path={schema}"));
    let client = rt.block_on(async {
        let (client, connection) = config
            .connect(tokio_postgres::NoTls)
            .await
            .expect("connect by hand");
        tokio::spawn(connection);
        client
    });

    for case in Case::ALL {
        let what = case.name();
        let parents = case.parents(&reps);
        let stmt = rt
            .block_on(client.prepare(case.sql(true)))
            .expect("prepare");
        let mut by_hand = parents.clone();
        rt.block_on(pg_by_hand(&client, &stmt, case, &mut by_hand));
        let mut ashore = parents.clone();
        case.load(rt, &domain, &mut ashore);
        check_same(case, &format!("postgres {what}"), &mut by_hand, &mut ashore);
        interleaved(
            &format!("postgres {what}"),
            || rt.block_on(pg_by_hand(&client, &stmt, case, &mut parents.clone())),
            || case.load(rt, &domain, &mut parents.clone()),
        );

        let mut group = timed(c, &format!("postgres {what}, 100k tickets"));
        group.bench_function("hand-written tokio-postgres + HashMap", |b| {
            b.iter_batched_ref(
                || parents.clone(),
                |reps| rt.block_on(pg_by_hand(&client, &stmt, case, black_box(reps))),
                BatchSize::LargeInput,
            )
        });
        group.bench_function("ashore", |b| {
            b.iter_batched_ref(
                || parents.clone(),
                |reps| case.load(rt, &domain, black_box(reps)),
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }
    rt.block_on(async {
        let _ = client
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .await;
    });
    let _runtime = rt.enter();
    drop((domain, layer, client));
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    sqlite(c, &rt);
    postgres(c, &rt);
}

criterion_group!(benches, bench);
criterion_main!(benches);
