//! Loading a has_many for 1,000 representatives and 100,000 tickets: through
//! ashore (an ordinary relationship and a manual one) against a hand-written
//! `HashMap` group-by over the same data, in the same run. The figure that
//! matters is the ratio of each ashore load to the hand-written one.

use std::collections::HashMap;
use std::future::IntoFuture;
use std::hint::black_box;

use ashore::prelude::*;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

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
            has_many tickets_by_loader: Ticket { manual TicketsByRepresentative; }
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

/// A manual loader doing what the ordinary relationship does, through a read.
struct TicketsByRepresentative;

impl ManualRelationship for TicketsByRepresentative {
    type Source = Representative;
    type Destination = Ticket;

    async fn load(
        &self,
        reps: &[Representative],
        ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Representative, Ticket>> {
        let ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
        let tickets = ctx
            .query
            .clone()
            .filter(expr!(representative_id in ^ids))
            .read(ctx)
            .await?;
        Ok(Related::group_by(tickets, |t| t.representative_id))
    }
}

const REPS: usize = 1_000;
const TICKETS: usize = 100_000;

struct Fixture {
    domain: Domain,
    reps: Vec<Representative>,
    tickets: Vec<Ticket>,
}

async fn fixture() -> Fixture {
    let domain = Domain::builder()
        .data_layer(Memory::new())
        .resource::<Representative>()
        .resource::<Ticket>()
        .build()
        .expect("domain");
    let reps = domain
        .create_many((0..REPS).map(|i| {
            Representative::changeset()
                .set(Representative::name(), format!("rep {i}"))
                .set(Representative::priority_threshold(), (i % 10) as i64)
        }))
        .await
        .expect("reps");
    let tickets = domain
        .create_many((0..TICKETS).map(|i| {
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
        .expect("tickets");
    Fixture {
        domain,
        reps,
        tickets,
    }
}

/// The baseline: what a user would write by hand with the records in memory.
fn hand_written(reps: &mut [Representative], tickets: &[Ticket]) {
    let mut by_rep: HashMap<Uuid, Vec<Ticket>> = HashMap::with_capacity(reps.len());
    for t in tickets {
        if let Some(rep) = t.representative_id {
            by_rep.entry(rep).or_default().push(t.clone());
        }
    }
    for rep in reps.iter_mut() {
        rep.tickets = Loaded::new(by_rep.remove(&rep.id).unwrap_or_default());
    }
}

/// Before timing anything: all three loads give the same tickets per representative.
fn check_same_answers(rt: &tokio::runtime::Runtime, f: &Fixture) {
    let mut by_hand = f.reps.clone();
    hand_written(&mut by_hand, &f.tickets);
    let mut ashore = f.reps.clone();
    rt.block_on(
        f.domain
            .load(&mut ashore, Representative::tickets())
            .load(Representative::tickets_by_loader())
            .into_future(),
    )
    .expect("load");
    for (h, a) in by_hand.iter().zip(&ashore) {
        assert_eq!(h.tickets, a.tickets, "has_many differs for {}", h.name);
        assert_eq!(
            h.tickets, a.tickets_by_loader,
            "manual differs for {}",
            h.name
        );
    }
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let f = rt.block_on(fixture());
    check_same_answers(&rt, &f);
    let mut group = c.benchmark_group("has_many 1k reps x 100k tickets");
    group.sample_size(20);
    group.bench_function("hand-written HashMap group-by", |b| {
        b.iter_batched_ref(
            || f.reps.clone(),
            |reps| hand_written(black_box(reps), black_box(&f.tickets)),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("ashore has_many", |b| {
        b.iter_batched_ref(
            || f.reps.clone(),
            |reps| {
                rt.block_on(f.domain.load(reps, Representative::tickets()).into_future())
                    .expect("load")
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("ashore manual has_many", |b| {
        b.iter_batched_ref(
            || f.reps.clone(),
            |reps| {
                rt.block_on(
                    f.domain
                        .load(reps, Representative::tickets_by_loader())
                        .into_future(),
                )
                .expect("load")
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
