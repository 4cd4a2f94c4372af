//! The benchmark's resources, declared once per key type (`uuid_primary_key`
//! and `integer_primary_key`) by [`desk!`]: representatives with a
//! `count ticket_count: tickets` aggregate and a `count above_count: above`
//! one over their tickets above their priority threshold (a `no_attributes`
//! relationship, `parent()` in its filter), and tickets spread unevenly over
//! them (some have none, the last about 200), so that "more than N tickets"
//! (above the threshold or not) keeps some and not others. [`Desk`] is the little the generic benchmark
//! needs of each declaration.

use std::fmt::Debug;

use ashore::DataLayer;
use ashore::prelude::*;
use tokio::runtime::Runtime;

pub use crate::keys::Key;

/// Representatives.
pub const REPS: usize = 1_000;
/// Tickets.
pub const TICKETS: usize = 100_000;
/// Rows created per `create_many`.
const BATCH: usize = 10_000;

/// The representative (an index into the representatives) of ticket `i`:
/// the integer square root of `i * 7919` modulo `REPS²` (`i * 7919` spreads
/// the tickets over that range, the square root piles them up towards the
/// last representatives: rep `k` gets about `(2k + 1) / 10`).
pub fn rep_of(i: usize) -> usize {
    let h = (i * 7919) % (REPS * REPS);
    h.isqrt()
}

/// One declaration of the desk, for the generic benchmark.
pub trait Desk: 'static {
    /// "uuid keys" or "integer keys".
    const KEYS: &'static str;
    type Key: Key;
    type Rep: Clone + PartialEq + Debug + Send + Sync + 'static;
    /// A ticket as the hand-written memory count reads it.
    type Ticket: Clone + Send + Sync + 'static;

    /// A domain of the two resources on `layer`.
    fn domain(layer: impl DataLayer) -> Domain;
    /// Migrates and fills the domain; returns the representatives and the
    /// tickets, in insertion order.
    fn seed(domain: &Domain) -> impl Future<Output = (Vec<Self::Rep>, Vec<Self::Ticket>)>;
    /// `Representative::ticket_count()` loaded onto `reps` through ashore.
    fn load_count(rt: &Runtime, domain: &Domain, reps: &mut [Self::Rep]);
    /// The representatives with more than `n` tickets, read through ashore
    /// (`filter(expr!(ticket_count > ^n))`); with `above`, more than `n`
    /// above their priority threshold (`filter(expr!(above_count > ^n))`).
    fn more_than(rt: &Runtime, domain: &Domain, above: bool, n: i64) -> Vec<Self::Rep>;

    fn rep_id(rep: &Self::Rep) -> Self::Key;
    /// The field the count is loaded into.
    fn count(rep: &mut Self::Rep) -> &mut Loaded<i64>;
    /// A representative as hand-written code builds one, nothing loaded.
    fn rep(id: Self::Key, name: String, threshold: i64) -> Self::Rep;
    fn ticket_rep(ticket: &Self::Ticket) -> Option<Self::Key>;
    fn ticket_priority(ticket: &Self::Ticket) -> Option<i64>;
    fn rep_threshold(rep: &Self::Rep) -> i64;
}

/// Declares `Representative` and `Ticket` with primary keys `$primary_key`
/// (of Rust type `$Key`) and their [`Desk`] `$desk`.
macro_rules! desk {
    ($desk:ident, $keys:literal, $primary_key:ident, $Key:ty) => {
        use std::future::IntoFuture;

        use ashore::DataLayer;
        use ashore::prelude::*;
        use tokio::runtime::Runtime;

        use crate::desk::{BATCH, REPS, TICKETS, rep_of};

        resource! {
            #[derive(Debug, Clone, PartialEq)]
            pub struct Representative {
                attributes {
                    $primary_key id;
                    attribute name: String;
                    attribute priority_threshold: i64;
                }
                relationships {
                    has_many tickets: Ticket;
                    has_many above: Ticket {
                        no_attributes;
                        filter representative_id == parent(id)
                            and priority > parent(priority_threshold);
                    }
                }
                aggregates {
                    count ticket_count: tickets;
                    count above_count: above;
                }
            }
        }

        resource! {
            #[derive(Debug, Clone, PartialEq)]
            pub struct Ticket {
                attributes {
                    $primary_key id;
                    attribute subject: String;
                    attribute priority: Option<i64>;
                }
                relationships {
                    belongs_to representative: Representative;
                }
            }
        }

        pub struct $desk;

        impl crate::desk::Desk for $desk {
            const KEYS: &'static str = $keys;
            type Key = $Key;
            type Rep = Representative;
            type Ticket = Ticket;

            fn domain(layer: impl DataLayer) -> Domain {
                Domain::builder()
                    .data_layer(layer)
                    .resource::<Representative>()
                    .resource::<Ticket>()
                    .build()
                    .expect("domain")
            }

            async fn seed(domain: &Domain) -> (Vec<Representative>, Vec<Ticket>) {
                domain.migrate().await.expect("migrate");
                let reps = domain
                    .create_many((0..REPS).map(|i| {
                        Representative::changeset()
                            .set(Representative::name(), format!("rep {i}"))
                            .set(Representative::priority_threshold(), (i % 10) as i64)
                    }))
                    .await
                    .expect("create representatives");
                let mut tickets = Vec::with_capacity(TICKETS);
                for start in (0..TICKETS).step_by(BATCH) {
                    let created = domain
                        .create_many((start..start + BATCH).map(|i| {
                            let priority = (i % 7 != 0).then_some((i % 11) as i64);
                            Ticket::changeset()
                                .set(Ticket::subject(), format!("ticket {i}"))
                                .set(Ticket::priority(), priority)
                                .set(Ticket::representative_id(), reps[rep_of(i)].id)
                        }))
                        .await
                        .expect("create tickets");
                    tickets.extend(created);
                }
                (reps, tickets)
            }

            fn load_count(rt: &Runtime, domain: &Domain, reps: &mut [Representative]) {
                rt.block_on(
                    domain
                        .load(reps, Representative::ticket_count())
                        .into_future(),
                )
                .expect("load the count");
            }

            fn more_than(
                rt: &Runtime,
                domain: &Domain,
                above: bool,
                n: i64,
            ) -> Vec<Representative> {
                let query = Representative::query();
                let query = if above {
                    query.filter(expr!(above_count > ^n))
                } else {
                    query.filter(expr!(ticket_count > ^n))
                };
                rt.block_on(domain.read(query).into_future())
                    .expect("read")
            }

            fn rep_id(rep: &Representative) -> $Key {
                rep.id
            }

            fn count(rep: &mut Representative) -> &mut Loaded<i64> {
                &mut rep.ticket_count
            }

            fn rep(id: $Key, name: String, priority_threshold: i64) -> Representative {
                Representative {
                    id,
                    name,
                    priority_threshold,
                    tickets: Loaded::NotLoaded,
                    above: Loaded::NotLoaded,
                    ticket_count: Loaded::NotLoaded,
                    above_count: Loaded::NotLoaded,
                }
            }

            fn ticket_rep(ticket: &Ticket) -> Option<$Key> {
                ticket.representative_id
            }

            fn ticket_priority(ticket: &Ticket) -> Option<i64> {
                ticket.priority
            }

            fn rep_threshold(rep: &Representative) -> i64 {
                rep.priority_threshold
            }
        }
    };
}

/// The desk with UUID primary keys.
pub mod uuid_keys {
    desk!(UuidKeys, "uuid keys", uuid_primary_key, Uuid);
}

/// The desk with integer primary keys.
pub mod integer_keys {
    desk!(IntegerKeys, "integer keys", integer_primary_key, i64);
}
