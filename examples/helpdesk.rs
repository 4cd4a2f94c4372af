//! The Helpdesk of Ash's guide "Defining Manual Relationships", in Rust.
//!
//! Every part of the guide has its counterpart here, marked `// Guide:`. The
//! example seeds representatives and tickets of mixed priorities, loads the manual
//! relationship `tickets_above_threshold` in several ways, prints what it found,
//! and checks every result against an answer computed by hand from the same data:
//! it exits with status 1 if any result is wrong.
//!
//! Run it with `cargo run --example helpdesk`.

use std::collections::BTreeMap;
use std::process::ExitCode;

use ashore::Value;
use ashore::data_layer::{Partition, PartitionBy, ReadRequest};
use ashore::prelude::*;

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
        }
        relationships {
            belongs_to representative: Representative;
            has_many comments: Comment;
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

/// The guide's raw-query escape hatch: reads straight from the data layer, below
/// queries and authorization, and returns the right structure all the same.
struct RawTicketsAboveThreshold;

impl ManualRelationship for RawTicketsAboveThreshold {
    type Source = Representative;
    type Destination = Ticket;

    async fn load(
        &self,
        records: &[Representative],
        ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Representative, Ticket>> {
        let mut request = ReadRequest::new(Ticket::schema());
        request.partition = Some(Partition {
            by: PartitionBy::Attribute("representative_id"),
            keys: records.iter().map(|r| Value::from(r.id)).collect(),
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

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
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

async fn run() -> ashore::Result<Vec<String>> {
    let support = Domain::builder()
        .data_layer(Memory::new())
        .resource::<Representative>()
        .resource::<Ticket>()
        .resource::<Comment>()
        .build()?;

    let seed = seed();
    for (name, threshold, tickets) in &seed {
        let rep = support
            .create(
                Representative::changeset()
                    .set(Representative::name(), *name)
                    .set(Representative::priority_threshold(), *threshold),
            )
            .await?;
        for (subject, priority, comments) in tickets {
            let ticket = support
                .create(
                    Ticket::changeset()
                        .set(Ticket::subject(), *subject)
                        .set(Ticket::priority(), *priority)
                        .set(Ticket::representative_id(), rep.id),
                )
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

    // 1. The guide's relationship, loaded as the guide loads it: sorted by priority.
    let by_priority = Ticket::priority().desc();
    let reps = support
        .read(
            Representative::query()
                .sort(Representative::name())
                .load(Representative::tickets_above_threshold().sort(by_priority.clone())),
        )
        .actor(&me)
        .authorize(true)
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
        .await?;
    println!("\nThe same relationship through a rebuilt query and a raw data-layer read\n");
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

    Ok(check.failures)
}
