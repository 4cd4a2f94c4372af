// The setup the README's code blocks leave out of sight. `src/lib.rs` compiles
// those blocks as doc tests of `ashore` (`ReadmeDoctests`), so each is a whole
// program; a block includes this file at its root and hides the lines that
// declare what it does not show, e.g.:
//
//     # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/readme.rs"));
//     # helpdesk!();
//     # #[tokio::main] async fn main() -> ashore::Result<()> {
//     # let support = support().await?;
//     ... the block ...
//     # Ok(()) }
//
// It imports the prelude. The macros declare the README's Helpdesk, in parts so
// that a block can show one part itself:
//
// - `representative!(<relationship items>)`: `Representative` (name,
//   priority_threshold, admin: nil unless set) with `has_many tickets: Ticket` and those items;
// - `ticket!(<relationship items>)`: `Ticket` (subject, priority) with
//   `belongs_to representative` and those items;
// - `tenant_ticket!()`: `Ticket` (subject) with `belongs_to representative`,
//   its tenant in `org`;
// - `others!()`: `Comment` (body, visible, posted_at), `Tag` and the join
//   resource `TicketTag`;
// - `loader!()`: the guide's `TicketsAboveThreshold`;
// - `seed!()`: `seed(&domain)`, which creates Alice (threshold 3: "Printer on
//   fire" 5, "VPN down" 4) and Bob (threshold 5: "Server room flooded" 9) and
//   returns Alice;
// - `helpdesk!()`: all of them, `Representative` with the manual relationship
//   `tickets_above_threshold`, `Ticket` with `has_many comments` and
//   `many_to_many tags`, and `support()`: a seeded domain on the in-memory layer.

#[allow(unused_imports)]
use ashore::prelude::*;

#[allow(unused_macros)]
macro_rules! representative {
    ($($relationships:tt)*) => {
        resource! {
            #[derive(Debug, Clone, PartialEq)]
            pub struct Representative {
                attributes {
                    uuid_primary_key id;
                    attribute name: String;
                    attribute priority_threshold: i64;
                    attribute admin: Option<bool>;
                }
                relationships {
                    has_many tickets: Ticket;
                    $($relationships)*
                }
            }
        }
    };
}

#[allow(unused_macros)]
macro_rules! ticket {
    ($($relationships:tt)*) => {
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
                    $($relationships)*
                }
            }
        }
    };
}

#[allow(unused_macros)]
macro_rules! tenant_ticket {
    () => {
        resource! {
            #[derive(Debug, Clone, PartialEq)]
            pub struct Ticket {
                attributes {
                    uuid_primary_key id;
                    attribute subject: String;
                    attribute org: String;
                }
                relationships {
                    belongs_to representative: Representative;
                }
                multitenancy {
                    attribute org;
                }
            }
        }
    };
}

#[allow(unused_macros)]
macro_rules! others {
    () => {
        resource! {
            #[derive(Debug, Clone, PartialEq)]
            pub struct Comment {
                attributes {
                    uuid_primary_key id;
                    attribute body: String;
                    attribute visible: bool;
                    attribute posted_at: DateTime<Utc>;
                }
                relationships {
                    belongs_to ticket: Ticket;
                }
            }
        }

        resource! {
            #[derive(Debug, Clone, PartialEq)]
            pub struct Tag {
                attributes {
                    integer_primary_key id;
                    attribute name: String;
                }
            }
        }

        resource! {
            #[derive(Debug, Clone, PartialEq)]
            pub struct TicketTag {
                attributes {
                    uuid_primary_key id;
                }
                relationships {
                    belongs_to ticket: Ticket;
                    belongs_to tag: Tag;
                }
            }
        }
    };
}

#[allow(unused_macros)]
macro_rules! loader {
    () => {
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
    };
}

#[allow(unused_macros)]
macro_rules! seed {
    () => {
        /// Creates Alice and Bob and their tickets in `support`; returns Alice.
        #[allow(dead_code)]
        async fn seed(support: &Domain) -> ashore::Result<Representative> {
            let seed: [(&str, i64, &[(&str, i64)]); 2] = [
                ("Alice", 3, &[("Printer on fire", 5), ("VPN down", 4)]),
                ("Bob", 5, &[("Server room flooded", 9)]),
            ];
            let mut reps = Vec::new();
            for (name, threshold, tickets) in seed {
                let rep = support
                    .create(
                        Representative::changeset()
                            .set(Representative::name(), name)
                            .set(Representative::priority_threshold(), threshold),
                    )
                    .authorize(false)
                    .await?;
                support
                    .create_many(tickets.iter().map(|&(subject, priority)| {
                        Ticket::changeset()
                            .set(Ticket::subject(), subject)
                            .set(Ticket::priority(), priority)
                            .set(Ticket::representative_id(), rep.id)
                    }))
                    .authorize(false)
                    .await?;
                reps.push(rep);
            }
            Ok(reps.remove(0))
        }
    };
}

#[allow(unused_macros)]
macro_rules! helpdesk {
    () => {
        representative!(has_many tickets_above_threshold: Ticket { manual TicketsAboveThreshold; });
        ticket!(
            has_many comments: Comment;
            many_to_many tags: Tag {
                through TicketTag;
                source_attribute_on_join_resource ticket_id;
                destination_attribute_on_join_resource tag_id;
            }
        );
        others!();
        loader!();
        seed!();

        /// The Helpdesk on the in-memory layer, seeded.
        #[allow(dead_code)]
        async fn support() -> ashore::Result<Domain> {
            let support = Domain::builder()
                .resource::<Representative>()
                .resource::<Ticket>()
                .resource::<Comment>()
                .resource::<Tag>()
                .resource::<TicketTag>()
                .build()?;
            seed(&support).await?;
            Ok(support)
        }
    };
}
