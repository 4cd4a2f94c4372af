//! The manual loaders of the Helpdesk resources: the seed's
//! `TicketsAboveThreshold`, `Scripted` (one loader of `Representative ->
//! Ticket` that answers in the way its `Mode` says), and two loaders of
//! `Ticket -> Comment`. Every loader but the seed's records its calls (see
//! `calls.rs`).

use std::collections::HashMap;

use ashore::Value;
use ashore::prelude::*;

use super::calls::record;
use super::resources::{Comment, Representative, Ticket};

/// The seed's loader, as the guide writes it.
pub struct TicketsAboveThreshold;

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

/// How `Scripted` answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The representatives' tickets, `Related::group_by`.
    GroupBy,
    /// The same, `Related::from_map`.
    FromMap,
    /// The same, `Related::by_position`.
    ByPosition,
    /// `Related::by_position` with the last group missing.
    ShortPositions,
    /// The representatives' tickets in the reverse of the order read,
    /// `Related::group_by`.
    Reversed,
    /// Every ticket, keyed by `STRAY` (the key of no representative).
    StrayKey,
    /// `Err(Error::loader("billing service is down"))`.
    Fail,
    /// The seed's "Using the Query": `ctx.query.clone().unset([Limit, Offset])`.
    Unset,
    /// The seed's "Using the Query": a new query from the filter and sort of
    /// `ctx.query`.
    Rebuilt,
}

/// The key `Mode::StrayKey` files tickets under.
pub const STRAY: Uuid = Uuid::from_u128(0x5354_5241_5900_4000_8000_0000_0000_0001);

/// A manual loader of `Representative -> Ticket` that records its calls.
pub struct Scripted(pub Mode);

async fn tickets_of(
    ctx: &LoadContext<'_, Ticket>,
    reps: &[Representative],
) -> ashore::Result<Vec<Ticket>> {
    let ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
    ctx.query
        .clone()
        .filter(expr!(representative_id in ^ids))
        .read(ctx)
        .await
}

impl ManualRelationship for Scripted {
    type Source = Representative;
    type Destination = Ticket;

    async fn load(
        &self,
        reps: &[Representative],
        ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Representative, Ticket>> {
        record(ctx, reps.iter().map(|r| Value::from(r.id)).collect());
        let ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
        match self.0 {
            Mode::GroupBy => {
                let tickets = tickets_of(ctx, reps).await?;
                Ok(Related::group_by(tickets, |t| t.representative_id))
            }
            Mode::FromMap => {
                let mut map: HashMap<Uuid, Vec<Ticket>> = HashMap::new();
                for t in tickets_of(ctx, reps).await? {
                    if let Some(rep) = t.representative_id {
                        map.entry(rep).or_default().push(t);
                    }
                }
                Ok(Related::from_map(map))
            }
            Mode::ByPosition | Mode::ShortPositions => {
                let tickets = tickets_of(ctx, reps).await?;
                let mut groups: Vec<Vec<Ticket>> = reps
                    .iter()
                    .map(|r| {
                        tickets
                            .iter()
                            .filter(|t| t.representative_id == Some(r.id))
                            .cloned()
                            .collect()
                    })
                    .collect();
                if self.0 == Mode::ShortPositions {
                    groups.pop();
                }
                Ok(Related::by_position(groups))
            }
            Mode::Reversed => {
                let mut tickets = tickets_of(ctx, reps).await?;
                tickets.reverse();
                Ok(Related::group_by(tickets, |t| t.representative_id))
            }
            Mode::StrayKey => {
                let tickets = tickets_of(ctx, reps).await?;
                Ok(Related::group_by(tickets, |_| Some(STRAY)))
            }
            Mode::Fail => Err(Error::loader("billing service is down")),
            Mode::Unset => {
                let tickets = ctx
                    .query
                    .clone()
                    .unset([Unset::Limit, Unset::Offset])
                    .filter(expr!(representative_id in ^ids))
                    .filter(expr!(priority > representative.priority_threshold))
                    .read(ctx)
                    .await?;
                Ok(Related::group_by(tickets, |t| t.representative_id))
            }
            Mode::Rebuilt => {
                let fetch = Ticket::query()
                    .filter_expr(ctx.query.get_filter().cloned())
                    .sort(ctx.query.get_sort().to_vec());
                let tickets = fetch
                    .filter(expr!(
                        representative_id in ^ids and priority > representative.priority_threshold
                    ))
                    .read(ctx)
                    .await?;
                Ok(Related::group_by(tickets, |t| t.representative_id))
            }
        }
    }
}

/// A manual loader of `Ticket -> Comment` that records its calls.
pub struct CommentsOf;

impl ManualRelationship for CommentsOf {
    type Source = Ticket;
    type Destination = Comment;

    async fn load(
        &self,
        tickets: &[Ticket],
        ctx: &LoadContext<'_, Comment>,
    ) -> ashore::Result<Related<Ticket, Comment>> {
        record(ctx, tickets.iter().map(|t| Value::from(t.id)).collect());
        let ids: Vec<Uuid> = tickets.iter().map(|t| t.id).collect();
        let comments = ctx
            .query
            .clone()
            .filter(expr!(ticket_id in ^ids))
            .read(ctx)
            .await?;
        Ok(Related::group_by(comments, |c| c.ticket_id))
    }
}

/// A manual loader of `Ticket -> Comment` that always fails.
pub struct FailingComments;

impl ManualRelationship for FailingComments {
    type Source = Ticket;
    type Destination = Comment;

    async fn load(
        &self,
        tickets: &[Ticket],
        ctx: &LoadContext<'_, Comment>,
    ) -> ashore::Result<Related<Ticket, Comment>> {
        record(ctx, tickets.iter().map(|t| Value::from(t.id)).collect());
        Err(Error::loader(std::io::Error::other(
            "comment store offline",
        )))
    }
}
