//! The benchmark's resources, the helpdesk of `benches/common/resources.rs`,
//! declared once per key type by [`desk!`], and [`Desk`], what the generic
//! benchmark needs of each declaration: seeding it, ashore's two writes, and
//! how hand-written code builds and reads its tickets.

use std::fmt::Debug;

use ashore::DataLayer;
use ashore::prelude::*;

use crate::keys::Key;

/// One ticket to create, as both sides get it.
#[derive(Clone, Debug)]
pub struct NewTicket<K> {
    pub subject: String,
    pub priority: i64,
    pub representative_id: K,
}

/// What a ticket holds besides its key, to compare creates whose keys differ.
pub type Parts<K> = (String, Option<i64>, Option<K>);

/// One declaration of the helpdesk, for the generic benchmark.
pub trait Desk: 'static {
    /// "uuid keys" or "integer keys".
    const KEYS: &'static str;
    /// Whether the keys are integers (the database's to assign, or the
    /// hand-written code's after `SELECT MAX(id)` on SQLite) rather than UUIDs
    /// (made by the code creating the row).
    const INTEGER_KEYS: bool;
    /// PostgreSQL's name of the key's type.
    const PG_TYPE: &'static str;
    type Key: Key;
    type Ticket: Clone + PartialEq + Debug + Send;

    /// A domain of the helpdesk's resources on `layer`.
    fn domain(layer: impl DataLayer) -> Domain;
    /// Migrates the domain and creates `count` representatives; their keys.
    fn seed(domain: &Domain, count: usize) -> impl Future<Output = Vec<Self::Key>>;
    /// `create_many` of `tickets` through ashore.
    fn create_many(
        domain: &Domain,
        tickets: &[NewTicket<Self::Key>],
    ) -> impl Future<Output = Vec<Self::Ticket>>;
    /// `update_all` through ashore: priority `to` on every ticket whose
    /// priority is above `above`.
    fn update_all(domain: &Domain, above: i64, to: i64) -> impl Future<Output = Vec<Self::Ticket>>;

    /// The key after `last` for hand-written code: `last + 1` for integer
    /// keys (and `last` moves on), a new v4 UUID otherwise.
    fn next_key(last: &mut i64) -> Self::Key;
    fn ticket(
        id: Self::Key,
        subject: String,
        priority: Option<i64>,
        representative_id: Option<Self::Key>,
    ) -> Self::Ticket;
    fn id(ticket: &Self::Ticket) -> Self::Key;
    fn parts(ticket: &Self::Ticket) -> Parts<Self::Key>;
}

/// Declares the helpdesk with primary keys `$primary_key` (of Rust type
/// `$Key`) and its [`Desk`].
macro_rules! desk {
    ($desk:ident, $keys:literal, $primary_key:ident, $Key:ty, $pg_type:literal, $integer:literal) => {
        use ashore::DataLayer;
        use ashore::prelude::*;

        use crate::desk::{NewTicket, Parts};

        crate::resources::helpdesk_resources!($primary_key, $Key);

        pub struct $desk;

        impl crate::desk::Desk for $desk {
            const KEYS: &'static str = $keys;
            const INTEGER_KEYS: bool = $integer;
            const PG_TYPE: &'static str = $pg_type;
            type Key = $Key;
            type Ticket = Ticket;

            fn domain(layer: impl DataLayer) -> Domain {
                domain(layer)
            }

            async fn seed(domain: &Domain, count: usize) -> Vec<$Key> {
                domain.migrate().await.expect("migrate");
                let reps = create_representatives(domain, count).await;
                reps.into_iter().map(|r| r.id).collect()
            }

            async fn create_many(domain: &Domain, tickets: &[NewTicket<$Key>]) -> Vec<Ticket> {
                domain
                    .create_many(tickets.iter().map(|t| {
                        Ticket::changeset()
                            .set(Ticket::subject(), t.subject.clone())
                            .set(Ticket::priority(), t.priority)
                            .set(Ticket::representative_id(), t.representative_id)
                    }))
                    .await
                    .expect("create_many")
            }

            async fn update_all(domain: &Domain, above: i64, to: i64) -> Vec<Ticket> {
                domain
                    .update_all(
                        Ticket::query().filter(expr!(priority > ^above)),
                        Ticket::changeset().set(Ticket::priority(), to),
                    )
                    .await
                    .expect("update_all")
            }

            fn next_key(last: &mut i64) -> $Key {
                crate::desk::NextKey::next_key(last)
            }

            fn ticket(
                id: $Key,
                subject: String,
                priority: Option<i64>,
                representative_id: Option<$Key>,
            ) -> Ticket {
                Ticket::unloaded(id, subject, priority, representative_id)
            }

            fn id(ticket: &Ticket) -> $Key {
                ticket.id
            }

            fn parts(ticket: &Ticket) -> Parts<$Key> {
                (ticket.subject.clone(), ticket.priority, ticket.representative_id)
            }
        }
    };
}

/// The next key hand-written code gives a new row (see [`Desk::next_key`]).
pub trait NextKey {
    fn next_key(last: &mut i64) -> Self;
}

impl NextKey for i64 {
    fn next_key(last: &mut i64) -> i64 {
        *last += 1;
        *last
    }
}

impl NextKey for Uuid {
    fn next_key(_: &mut i64) -> Uuid {
        Uuid::new_v4()
    }
}

/// The helpdesk with UUID primary keys.
pub mod uuid_keys {
    desk!(UuidKeys, "uuid keys", uuid_primary_key, Uuid, "uuid", false);
}

/// The helpdesk with integer primary keys.
pub mod integer_keys {
    desk!(
        IntegerKeys,
        "integer keys",
        integer_primary_key,
        i64,
        "int8",
        true
    );
}
