//! The benchmark's resources, declared once per key type (`uuid_primary_key`
//! and `integer_primary_key`) by [`helpdesk!`], and [`Helpdesk`], the little
//! the generic benchmark needs to know of each declaration: how to seed it,
//! how ashore loads each [`Case`], and how hand-written code builds its records.

use std::fmt::Debug;
use std::panic::{RefUnwindSafe, UnwindSafe};

use ashore::DataLayer;
use ashore::prelude::*;
use tokio::runtime::Runtime;

use crate::cases::Case;
pub use crate::keys::Key;

/// Rows created per `create_many`.
const BATCH: usize = 10_000;

/// What `Loaded::new` asks of a value (a loaded value is `Send + Sync`, clones
/// through the function `new` stores, and is unwind-safe as a `Box` of it).
pub trait Loadable: Clone + Send + Sync + UnwindSafe + RefUnwindSafe + 'static {}

impl<T: Clone + Send + Sync + UnwindSafe + RefUnwindSafe + 'static> Loadable for T {}

/// One declaration of the helpdesk, for the generic benchmark.
pub trait Helpdesk: 'static {
    /// "uuid keys" or "integer keys".
    const KEYS: &'static str;
    type Key: Key;
    type Rep: Clone + Send + Sync + 'static;
    type Ticket: Clone + PartialEq + Debug + Loadable;
    type Comment: Clone + PartialEq + Debug + Loadable;

    /// A domain of the three resources on `layer`.
    fn domain(layer: impl DataLayer) -> Domain;
    /// Migrates and fills the domain; returns the representatives.
    fn seed(domain: &Domain) -> impl Future<Output = Vec<Self::Rep>>;
    /// Loads `case` onto `reps` through ashore.
    fn load(case: Case, rt: &Runtime, domain: &Domain, reps: &mut [Self::Rep]);

    fn rep_id(rep: &Self::Rep) -> Self::Key;
    /// The field `case` fills.
    fn tickets(case: Case, rep: &mut Self::Rep) -> &mut Loaded<Vec<Self::Ticket>>;
    fn ticket(
        id: Self::Key,
        subject: String,
        priority: Option<i64>,
        rep: Option<Self::Key>,
    ) -> Self::Ticket;
    fn ticket_id(ticket: &Self::Ticket) -> Self::Key;
    fn ticket_rep(ticket: &Self::Ticket) -> Option<Self::Key>;
    fn comments(ticket: &mut Self::Ticket) -> &mut Loaded<Vec<Self::Comment>>;
    fn comment(id: Self::Key, body: String, ticket: Option<Self::Key>) -> Self::Comment;
    fn comment_ticket(comment: &Self::Comment) -> Option<Self::Key>;
}

/// Declares `Representative`, `Ticket`, `Comment` and the guide's loader with
/// primary keys `$primary_key` (of Rust type `$Key`), and their [`Helpdesk`].
macro_rules! helpdesk {
    ($helpdesk:ident, $keys:literal, $primary_key:ident, $Key:ty) => {
        use std::future::IntoFuture;

        use ashore::prelude::*;
        use ashore::{DataLayer, Load};
        use tokio::runtime::Runtime;

        use crate::cases::{COMMENTS_PER_TICKET, Case, REPS, TICKETS, TOP};
        use crate::helpdesk::BATCH;

        crate::resources::helpdesk_resources!($primary_key, $Key);

        fn ashore_load(
            rt: &Runtime,
            domain: &Domain,
            reps: &mut [Representative],
            load: impl Load<Representative>,
        ) {
            rt.block_on(domain.load(reps, load).into_future())
                .expect("load");
        }

        pub struct $helpdesk;

        impl crate::helpdesk::Helpdesk for $helpdesk {
            const KEYS: &'static str = $keys;
            type Key = $Key;
            type Rep = Representative;
            type Ticket = Ticket;
            type Comment = Comment;

            fn domain(layer: impl DataLayer) -> Domain {
                domain(layer)
            }

            async fn seed(domain: &Domain) -> Vec<Representative> {
                domain.migrate().await.expect("migrate");
                let reps = create_representatives(domain, REPS).await;
                for start in (0..TICKETS).step_by(BATCH) {
                    let tickets = domain
                        .create_many((start..start + BATCH).map(|i| {
                            let priority = (i % 7 != 0).then_some((i % 11) as i64);
                            Ticket::changeset()
                                .set(Ticket::subject(), format!("ticket {i}"))
                                .set(Ticket::priority(), priority)
                                .set(Ticket::representative_id(), reps[i * 7919 % REPS].id)
                        }))
                        .await
                        .expect("create tickets");
                    domain
                        .create_many(tickets.iter().flat_map(|t| {
                            (0..COMMENTS_PER_TICKET).map(move |c| {
                                Comment::changeset()
                                    .set(Comment::body(), format!("comment {c} on {}", t.subject))
                                    .set(Comment::ticket_id(), t.id)
                            })
                        }))
                        .await
                        .expect("create comments");
                }
                reps
            }

            fn load(case: Case, rt: &Runtime, domain: &Domain, reps: &mut [Representative]) {
                match case {
                    Case::HasMany(_) => ashore_load(rt, domain, reps, Representative::tickets()),
                    Case::Top3(_) => ashore_load(
                        rt,
                        domain,
                        reps,
                        Representative::tickets()
                            .sort(Ticket::priority().desc())
                            .limit(TOP),
                    ),
                    Case::Above(_) => {
                        ashore_load(rt, domain, reps, Representative::tickets_above_threshold())
                    }
                    Case::Nested(_) => ashore_load(
                        rt,
                        domain,
                        reps,
                        Representative::tickets().load(Ticket::comments()),
                    ),
                }
            }

            fn rep_id(rep: &Representative) -> $Key {
                rep.id
            }

            fn tickets(case: Case, rep: &mut Representative) -> &mut Loaded<Vec<Ticket>> {
                match case {
                    Case::Above(_) => &mut rep.tickets_above_threshold,
                    _ => &mut rep.tickets,
                }
            }

            fn ticket(
                id: $Key,
                subject: String,
                priority: Option<i64>,
                representative_id: Option<$Key>,
            ) -> Ticket {
                Ticket::unloaded(id, subject, priority, representative_id)
            }

            fn ticket_id(ticket: &Ticket) -> $Key {
                ticket.id
            }

            fn ticket_rep(ticket: &Ticket) -> Option<$Key> {
                ticket.representative_id
            }

            fn comments(ticket: &mut Ticket) -> &mut Loaded<Vec<Comment>> {
                &mut ticket.comments
            }

            fn comment(id: $Key, body: String, ticket_id: Option<$Key>) -> Comment {
                Comment {
                    id,
                    body,
                    ticket_id,
                    ticket: Loaded::NotLoaded,
                }
            }

            fn comment_ticket(comment: &Comment) -> Option<$Key> {
                comment.ticket_id
            }
        }
    };
}

pub(crate) use helpdesk;

/// The helpdesk with UUID primary keys.
pub mod uuid_keys {
    super::helpdesk!(UuidKeys, "uuid keys", uuid_primary_key, Uuid);
}

/// The helpdesk with integer primary keys.
pub mod integer_keys {
    super::helpdesk!(IntegerKeys, "integer keys", integer_primary_key, i64);
}
