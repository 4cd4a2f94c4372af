// The Helpdesk fixture of the doc examples of `ashore-runtime`.
//
// A doc example includes it at its root, before an explicit `fn main`:
//
//     # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
//     # helpdesk!();
//     # #[tokio::main] async fn main() -> ashore::Result<()> {
//     # let support = support().await?;
//     ... the example ...
//     # Ok(()) }
//
// It names this crate `ashore`, as the code `resource!` generates expects and as
// users of the `ashore` facade write it, and imports the crate root, `Uuid`,
// `resource!` and `expr!`.
//
// `helpdesk!()` declares the resources `Representative` and `Ticket` with the
// guide's manual relationship `Representative::tickets_above_threshold` and its
// loader `TicketsAboveThreshold`, and `Representative::my_tickets`, whose loader
// `MyTickets` acts as a policy: when authorizing (the default), a representative's
// tickets go only to that representative as the actor. `helpdesk! { <relationship items> }` declares
// the same resources with those items on `Representative` instead, for examples
// that show a loader of their own.
//
// `Representative` has the identity `unique_name` (`Representative::unique_name()`).
//
// `support()` builds a domain on the in-memory layer and seeds it with `seed`:
//
//     Alice (priority_threshold 3): "Printer on fire" 5, "VPN down" 4, "Coffee machine empty" 2
//     Bob   (priority_threshold 5): "Server room flooded" 9, "Password reset" 1
//     no representative:            "Lost badge" nil

extern crate ashore_runtime as ashore;

#[allow(unused_imports)]
use ashore::uuid::Uuid;
#[allow(unused_imports)]
use ashore::*;
#[allow(unused_imports)]
use ashore_macros::{expr, resource};

#[allow(unused_macros)]
macro_rules! helpdesk {
    () => {
        helpdesk! {
            has_many tickets_above_threshold: Ticket { manual TicketsAboveThreshold; }
            has_many my_tickets: Ticket { manual MyTickets; }
        }

        /// Each representative's tickets; when authorizing (the default), only
        /// to the representative who is the actor.
        struct MyTickets;

        impl ManualRelationship for MyTickets {
            type Source = Representative;
            type Destination = Ticket;

            async fn load(
                &self,
                reps: &[Representative],
                ctx: &LoadContext<'_, Ticket>,
            ) -> ashore::Result<Related<Representative, Ticket>> {
                let me = ctx.actor.and_then(|a| a.attribute("id"));
                let ids: Vec<Uuid> = reps
                    .iter()
                    .map(|r| r.id)
                    .filter(|&id| !ctx.authorize || me == Some(Value::from(id)))
                    .collect();
                let tickets = ctx
                    .query
                    .clone()
                    .filter(expr!(representative_id in ^ids))
                    .read(ctx)
                    .await?;
                Ok(Related::group_by(tickets, |t| t.representative_id))
            }
        }

        /// Tickets whose priority is above their representative's threshold.
        struct TicketsAboveThreshold;

        impl ManualRelationship for TicketsAboveThreshold {
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
                    .filter(expr!(priority > representative.priority_threshold))
                    .read(ctx)
                    .await?;
                Ok(Related::group_by(tickets, |t| t.representative_id))
            }
        }
    };
    ($($relationships:tt)+) => {
        resource! {
            /// A support representative.
            #[derive(Debug, Clone, PartialEq)]
            pub struct Representative {
                attributes {
                    uuid_primary_key id;
                    attribute name: String;
                    attribute priority_threshold: i64;
                }
                relationships {
                    has_many tickets: Ticket;
                    $($relationships)+
                }
                identities {
                    identity unique_name [name];
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
                    attribute priority: Option<i64>;
                }
                relationships {
                    belongs_to representative: Representative;
                }
            }
        }
    };
}

/// A domain on the in-memory layer holding the Helpdesk's records.
#[allow(dead_code)]
async fn support() -> ashore::Result<Domain> {
    let support = Domain::builder()
        .data_layer(Memory::new())
        .resource::<Representative>()
        .resource::<Ticket>()
        .build()?;
    seed(&support).await?;
    Ok(support)
}

/// Creates the Helpdesk's records in `support`.
#[allow(dead_code)]
async fn seed(support: &Domain) -> ashore::Result<()> {
    let seed: [(&str, i64, &[(&str, i64)]); 2] = [
        (
            "Alice",
            3,
            &[
                ("Printer on fire", 5),
                ("VPN down", 4),
                ("Coffee machine empty", 2),
            ],
        ),
        (
            "Bob",
            5,
            &[("Server room flooded", 9), ("Password reset", 1)],
        ),
    ];
    for (name, threshold, tickets) in seed {
        let rep = support
            .create(
                Representative::changeset()
                    .set(Representative::name(), name)
                    .set(Representative::priority_threshold(), threshold),
            )
            .await?;
        support
            .create_many(tickets.iter().map(|&(subject, priority)| {
                Ticket::changeset()
                    .set(Ticket::subject(), subject)
                    .set(Ticket::priority(), priority)
                    .set(Ticket::representative_id(), rep.id)
            }))
            .await?;
    }
    support
        .create(Ticket::changeset().set(Ticket::subject(), "Lost badge"))
        .await?;
    Ok(())
}

/// The representative named `name`.
#[allow(dead_code)]
async fn representative(support: &Domain, name: &str) -> ashore::Result<Representative> {
    let name = name.to_owned();
    let mut found = support
        .read(Representative::query().filter(expr!(name == ^name)))
        .await?;
    Ok(found.remove(0))
}

/// The subjects of `tickets`, in order.
#[allow(dead_code)]
fn subjects(tickets: &[Ticket]) -> Vec<&str> {
    tickets.iter().map(|t| t.subject.as_str()).collect()
}
