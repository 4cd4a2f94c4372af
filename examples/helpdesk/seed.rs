//! The Helpdesk's seed: representatives with thresholds, tickets of mixed
//! priorities and their comments, and the function that writes it into a
//! domain (shared by `examples/helpdesk.rs`, `examples/helpdesk_api.rs` and the
//! API's test).

use std::sync::Arc;

use ashore::DataLayer;
use ashore::prelude::*;

use super::resources::{Comment, Representative, Ticket};

/// The Helpdesk domain on `layer`, its tables made and the seed written.
pub async fn seeded(layer: Arc<dyn DataLayer>) -> ashore::Result<Domain> {
    let support = Domain::builder()
        .shared_data_layer(layer)
        .resource::<Representative>()
        .resource::<Ticket>()
        .resource::<Comment>()
        .build()?;
    // Makes the tables, foreign keys and indexes on a database; nothing in memory.
    support.migrate().await?;
    plant(&support, &seed()).await?;
    Ok(support)
}

/// The seed data: (name, threshold, [(subject, priority, comments)]).
pub type Seed = (
    &'static str,
    i64,
    Vec<(&'static str, Option<i64>, Vec<&'static str>)>,
);

/// The Helpdesk as the example seeds it.
pub fn seed() -> Vec<Seed> {
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

/// Writes `seed` into `support`: Ada is the only admin; every ticket is open.
async fn plant(support: &Domain, seed: &[Seed]) -> ashore::Result<()> {
    for (name, threshold, tickets) in seed {
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
    Ok(())
}
