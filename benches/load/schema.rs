//! The Helpdesk of the benchmark, declared once per key type (its resources and
//! the guide's loader are `benches/common/resources.rs`), and the hand-written
//! code each ashore load is measured against, over the same records held in
//! plain `Vec`s.

/// Declares, in module `$module`, the resources with primary keys declared
/// `$pk` of type `$K`, the loader, the fixture and the hand-written loads.
macro_rules! helpdesk {
    ($module:ident, $pk:ident, $K:ident) => {
        pub mod $module {
            use std::collections::HashMap;

            use ashore::prelude::*;

            use crate::{COMMENTS, Case, REPS, TICKETS, TOP};

            crate::resources::helpdesk_resources!($pk, $K);

            /// The records, in a domain on the in-memory layer and as plain `Vec`s.
            pub struct Data {
                pub domain: Domain,
                pub reps: Vec<Representative>,
                tickets: Vec<Ticket>,
                comments: Vec<Comment>,
            }

            /// Creates the records through ashore.
            pub async fn data() -> Data {
                let domain = domain(Memory::new());
                let reps = create_representatives(&domain, REPS).await;
                let tickets = domain
                    .create_many((0..TICKETS).map(|i| {
                        let priority = (i % 7 != 0).then_some((i % 11) as i64);
                        Ticket::changeset()
                            .set(Ticket::subject(), format!("ticket {i}"))
                            .set(Ticket::priority(), priority)
                            .set(Ticket::representative_id(), reps[i * 7919 % REPS].id)
                    }))
                    .await
                    .expect("tickets");
                let comments = domain
                    .create_many((0..COMMENTS).map(|i| {
                        Comment::changeset()
                            .set(Comment::body(), format!("comment {i}"))
                            .set(Comment::ticket_id(), tickets[i * 7919 % TICKETS].id)
                    }))
                    .await
                    .expect("comments");
                Data {
                    domain,
                    reps,
                    tickets,
                    comments,
                }
            }

            impl crate::Helpdesk for Data {
                type Parents = Vec<Representative>;

                fn parents(&self, case: Case) -> Vec<Representative> {
                    self.reps[..case.parents().min(self.reps.len())].to_vec()
                }

                fn ashore(
                    &self,
                    rt: &tokio::runtime::Runtime,
                    case: Case,
                    reps: &mut Vec<Representative>,
                ) {
                    let domain = &self.domain;
                    let done = match case {
                        Case::HasMany(_) => {
                            rt.block_on(domain.load(reps, Representative::tickets()).into_future())
                        }
                        Case::Above(_) => rt.block_on(
                            domain
                                .load(reps, Representative::tickets_above_threshold())
                                .into_future(),
                        ),
                        Case::Top3(_) => rt.block_on(
                            domain
                                .load(
                                    reps,
                                    Representative::tickets()
                                        .sort(Ticket::priority().desc())
                                        .limit(TOP),
                                )
                                .into_future(),
                        ),
                        Case::Nested(_) => rt.block_on(
                            domain
                                .load(reps, Representative::tickets().load(Ticket::comments()))
                                .into_future(),
                        ),
                    };
                    done.expect("load");
                }

                fn by_hand(&self, case: Case, reps: &mut Vec<Representative>) {
                    match case {
                        Case::HasMany(_) => has_many(reps, &self.tickets),
                        Case::Above(_) => above_threshold(reps, &self.tickets),
                        Case::Top3(_) => top(reps, &self.tickets),
                        Case::Nested(_) => {
                            has_many(reps, &self.tickets);
                            comments(reps, &self.comments);
                        }
                    }
                }

                fn tickets(reps: &Vec<Representative>) -> usize {
                    reps.iter()
                        .map(|r| match (&r.tickets, &r.tickets_above_threshold) {
                            (Loaded::Loaded(t), _) => {
                                t.len()
                                    + t.iter()
                                        .map(|t| t.comments.get().map_or(0, Vec::len))
                                        .sum::<usize>()
                            }
                            (_, Loaded::Loaded(t)) => t.len(),
                            _ => 0,
                        })
                        .sum()
                }
            }

            use std::future::IntoFuture;

            /// The tickets of each representative, in insertion order.
            fn has_many(reps: &mut [Representative], tickets: &[Ticket]) {
                let mut by_rep: HashMap<$K, Vec<Ticket>> =
                    reps.iter().map(|r| (r.id, Vec::new())).collect();
                for t in tickets {
                    if let Some(group) = t.representative_id.and_then(|k| by_rep.get_mut(&k)) {
                        group.push(t.clone());
                    }
                }
                for rep in reps.iter_mut() {
                    rep.tickets = Loaded::new(by_rep.remove(&rep.id).unwrap_or_default());
                }
            }

            /// The guide's relationship by hand: each representative's tickets
            /// whose priority is above its threshold.
            fn above_threshold(reps: &mut [Representative], tickets: &[Ticket]) {
                let mut by_rep: HashMap<$K, (i64, Vec<Ticket>)> = reps
                    .iter()
                    .map(|r| (r.id, (r.priority_threshold, Vec::new())))
                    .collect();
                for t in tickets {
                    if let Some((threshold, group)) =
                        t.representative_id.and_then(|k| by_rep.get_mut(&k))
                        && t.priority.is_some_and(|p| p > *threshold)
                    {
                        group.push(t.clone());
                    }
                }
                for rep in reps.iter_mut() {
                    let group = by_rep.remove(&rep.id).map(|(_, g)| g).unwrap_or_default();
                    rep.tickets_above_threshold = Loaded::new(group);
                }
            }

            /// The `TOP` tickets of highest priority of each representative (nil
            /// first, as `desc` sorts; ties in insertion order).
            fn top(reps: &mut [Representative], tickets: &[Ticket]) {
                let mut by_rep: HashMap<$K, Vec<&Ticket>> =
                    reps.iter().map(|r| (r.id, Vec::new())).collect();
                for t in tickets {
                    if let Some(group) = t.representative_id.and_then(|k| by_rep.get_mut(&k)) {
                        group.push(t);
                    }
                }
                for rep in reps.iter_mut() {
                    let mut group = by_rep.remove(&rep.id).unwrap_or_default();
                    group.sort_by(|a, b| match (a.priority, b.priority) {
                        (None, None) => std::cmp::Ordering::Equal,
                        (None, Some(_)) => std::cmp::Ordering::Less,
                        (Some(_), None) => std::cmp::Ordering::Greater,
                        (Some(x), Some(y)) => y.cmp(&x),
                    });
                    rep.tickets = Loaded::new(group.into_iter().take(TOP).cloned().collect());
                }
            }

            /// The comments of every ticket loaded on `reps`.
            fn comments(reps: &mut [Representative], comments: &[Comment]) {
                let mut by_ticket: HashMap<$K, Vec<Comment>> = HashMap::new();
                for rep in reps.iter() {
                    for t in rep.tickets.get().expect("tickets loaded") {
                        by_ticket.insert(t.id, Vec::new());
                    }
                }
                for c in comments {
                    if let Some(group) = c.ticket_id.and_then(|k| by_ticket.get_mut(&k)) {
                        group.push(c.clone());
                    }
                }
                for rep in reps.iter_mut() {
                    if let Loaded::Loaded(tickets) = &mut rep.tickets {
                        for t in tickets.iter_mut() {
                            t.comments = Loaded::new(by_ticket.remove(&t.id).unwrap_or_default());
                        }
                    }
                }
            }
        }
    };
}
