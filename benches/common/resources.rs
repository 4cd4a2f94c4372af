//! The benchmarks' Helpdesk, declared once for both (`benches/load.rs` in
//! memory, `benches/sql/` on SQL) and once per key type by each:
//! representatives, their tickets and the tickets' comments, and the guide's
//! manual relationship `tickets_above_threshold` with its loader exactly as
//! the README writes it (its key type aside).

/// Declares `Representative`, `Ticket`, `Comment` and `TicketsAboveThreshold`
/// with primary keys declared `$primary_key` (`uuid_primary_key` or
/// `integer_primary_key`) of Rust type `$Key`; `ashore::prelude::*` must be in
/// scope.
macro_rules! helpdesk_resources {
    ($primary_key:ident, $Key:ty) => {
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
                    has_many tickets_above_threshold: Ticket { manual TicketsAboveThreshold; }
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
                    has_many comments: Comment;
                }
            }
        }

        resource! {
            #[derive(Debug, Clone, PartialEq)]
            pub struct Comment {
                attributes {
                    $primary_key id;
                    attribute body: String;
                }
                relationships {
                    belongs_to ticket: Ticket;
                }
            }
        }

        /// A domain of the three resources on `layer`.
        pub fn domain(layer: impl ashore::DataLayer) -> Domain {
            Domain::builder()
                .data_layer(layer)
                .resource::<Representative>()
                .resource::<Ticket>()
                .resource::<Comment>()
                .build()
                .expect("domain")
        }

        /// Creates `count` representatives, "rep 0", "rep 1", …, with
        /// priority thresholds 0 to 9 in turn.
        pub async fn create_representatives(domain: &Domain, count: usize) -> Vec<Representative> {
            domain
                .create_many((0..count).map(|i| {
                    Representative::changeset()
                        .set(Representative::name(), format!("rep {i}"))
                        .set(Representative::priority_threshold(), (i % 10) as i64)
                }))
                .await
                .expect("create representatives")
        }

        impl Ticket {
            /// A ticket with nothing loaded, as hand-written code builds one.
            #[allow(dead_code, reason = "benches/load.rs builds none by hand")]
            pub fn unloaded(
                id: $Key,
                subject: String,
                priority: Option<i64>,
                representative_id: Option<$Key>,
            ) -> Ticket {
                Ticket {
                    id,
                    subject,
                    priority,
                    representative_id,
                    representative: Loaded::NotLoaded,
                    comments: Loaded::NotLoaded,
                }
            }
        }

        /// The guide's loader, exactly as the README writes it.
        pub struct TicketsAboveThreshold;

        impl ManualRelationship for TicketsAboveThreshold {
            type Source = Representative;
            type Destination = Ticket;

            async fn load(
                &self,
                reps: &[Representative],
                ctx: &LoadContext<'_, Ticket>,
            ) -> ashore::Result<Related<Representative, Ticket>> {
                let rep_ids: Vec<$Key> = reps.iter().map(|r| r.id).collect();
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

pub(crate) use helpdesk_resources;
