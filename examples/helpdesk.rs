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
//! actors; step 7 uses the relationship beyond loading
//! (`helpdesk/beyond_loading.rs`): declared with `parent()` instead of a loader,
//! counted to filter and sort representatives, and the manual relationship in a
//! filter through its `condition`; and step 8 writes (`helpdesk/writes.rs`): a
//! ticket closed, tickets reassigned, an update the policies forbid, a destroy
//! in a transaction and a transaction rolled back.
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

#[path = "helpdesk/beyond_loading.rs"]
mod beyond_loading;
#[path = "helpdesk/resources.rs"]
mod resources;
#[path = "helpdesk/seed.rs"]
mod seed;
#[path = "helpdesk/store.rs"]
mod store;
#[path = "helpdesk/writes.rs"]
mod writes;

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Arc;

use ashore::DataLayer;
use ashore::prelude::*;

use resources::{Comment, Representative, Ticket};
use seed::{Seed, seed};
use store::Store;

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

async fn run(layer: Arc<dyn DataLayer>) -> ashore::Result<Vec<String>> {
    let support = seed::seeded(layer).await?;
    let seed = seed();
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

    // Guide: "Since you likely want to support things like filtering your
    // relationship when being loaded, you will want to make sure that you use
    // the query being provided." A load filtered by the caller: the guide's
    // loader and the rebuilt one apply the filter (they read through
    // `ctx.query`); the raw one cannot, and refuses it.
    let hot = "Printer on fire";
    let reps = support
        .read(
            Representative::query()
                .sort(Representative::name())
                .load(
                    Representative::tickets_above_threshold()
                        .filter(expr!(subject != ^hot))
                        .sort(by_priority.clone()),
                )
                .load(
                    Representative::tickets_above_threshold_rebuilt()
                        .filter(expr!(subject != ^hot))
                        .sort(by_priority.clone()),
                ),
        )
        .actor(&me)
        .await?;
    println!("\nThe same, filtered by the caller (subject != {hot:?})\n");
    for rep in &reps {
        let guide = subjects(rep.tickets_above_threshold.get()?);
        let rebuilt = subjects(rep.tickets_above_threshold_rebuilt.get()?);
        println!("{:<10} {}", rep.name, shown(&guide));
        let mut want = expected[rep.name.as_str()].clone();
        want.retain(|s| *s != hot);
        check.same(&format!("{} filtered", rep.name), guide, want.clone());
        check.same(&format!("{} rebuilt, filtered", rep.name), rebuilt, want);
    }
    let raw = support
        .read(
            Representative::query()
                .load(Representative::tickets_above_threshold_raw().filter(expr!(subject != ^hot))),
        )
        .actor(&me)
        .await;
    check.same(
        "the raw loader refuses a filter it cannot apply",
        raw.err().map(|e| e.path().join(".")),
        Some("Representative.tickets_above_threshold_raw".to_owned()),
    );

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

    // 7. Beyond loading: the relationship with `parent()` and no loader, counted
    //    to filter and sort representatives, and the manual one in a filter.
    println!("\nThe same relationship with parent() and no loader\n");
    beyond_loading::run(&support, &me, &seed, &mut check).await?;

    // 8. Writes: close, reassign, a forbidden update, a destroy and a rollback.
    println!("\nWrites (Ticket's write policy: admins only)\n");
    writes::run(&support, &me, &grace, &mut check).await?;

    Ok(check.failures)
}
