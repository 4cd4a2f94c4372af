//! The Helpdesk domain over a `Counting` layer on any `Layer`
//! (`helpdesk(&run)`), helpers that create records, and helpers that pick
//! values out of results.

use ashore::prelude::*;

use super::layers::{Fx, Run, counted};
use super::resources::*;

/// A fresh, empty domain of every Helpdesk resource on `run`'s layer.
pub async fn helpdesk(run: &Run) -> Fx {
    counted(run, |b| {
        b.resource::<Representative>()
            .resource::<Ticket>()
            .resource::<Comment>()
            .resource::<Tag>()
            .resource::<TicketTag>()
    })
    .await
}

/// A point in time, `minute` minutes after a fixed instant.
pub fn at(minute: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000 + minute * 60, 0).expect("a valid timestamp")
}

/// The Helpdesk with two representatives and five tickets: Ada's `a9`
/// (priority 9, open) and `a1` (1, closed), Bob's `b2` (2, open) and `bnil`
/// (no priority, open), and `orphan` (5, open, no representative), created in
/// that order.
pub async fn ada_and_bob(run: &Run) -> Fx {
    let fx = helpdesk(run).await;
    let d = &fx.domain;
    let ada = rep(d, "Ada", 3).await;
    let bob = rep(d, "Bob", 5).await;
    ticket(d, Some(&ada), "a9", "open", Some(9), 1).await;
    ticket(d, Some(&ada), "a1", "closed", Some(1), 2).await;
    ticket(d, Some(&bob), "b2", "open", Some(2), 3).await;
    ticket(d, Some(&bob), "bnil", "open", None, 4).await;
    ticket(d, None, "orphan", "open", Some(5), 5).await;
    fx
}

/// Creates a representative (not an admin).
pub async fn rep(domain: &Domain, name: &str, threshold: i64) -> Representative {
    domain
        .create(
            Representative::changeset()
                .set(Representative::name(), name)
                .set(Representative::priority_threshold(), threshold)
                .set(Representative::admin(), false),
        )
        .await
        .expect("create a representative")
}

/// Creates an admin representative.
pub async fn admin(domain: &Domain, name: &str, threshold: i64) -> Representative {
    domain
        .create(
            Representative::changeset()
                .set(Representative::name(), name)
                .set(Representative::priority_threshold(), threshold)
                .set(Representative::admin(), true),
        )
        .await
        .expect("create an admin representative")
}

/// Creates a ticket opened at `at(minute)`.
pub async fn ticket(
    domain: &Domain,
    rep: Option<&Representative>,
    subject: &str,
    status: &str,
    priority: Option<i64>,
    minute: i64,
) -> Ticket {
    domain
        .create(
            Ticket::changeset()
                .set(Ticket::subject(), subject)
                .set(Ticket::status(), status)
                .set(Ticket::priority(), priority)
                .set(Ticket::opened_at(), at(minute))
                .set(Ticket::representative_id(), rep.map(|r| r.id)),
        )
        .await
        .expect("create a ticket")
}

/// Creates a comment on `ticket`.
pub async fn comment(domain: &Domain, ticket: &Ticket, body: &str) -> Comment {
    domain
        .create(
            Comment::changeset()
                .set(Comment::body(), body)
                .set(Comment::ticket_id(), ticket.id),
        )
        .await
        .expect("create a comment")
}

/// Creates a comment on `ticket` by `author`.
pub async fn authored(domain: &Domain, ticket: &Ticket, body: &str, author: &str) -> Comment {
    domain
        .create(
            Comment::changeset()
                .set(Comment::body(), body)
                .set(Comment::ticket_id(), ticket.id)
                .set(Comment::author(), author.to_owned()),
        )
        .await
        .expect("create an authored comment")
}

/// Creates a tag.
pub async fn tag(domain: &Domain, name: &str) -> Tag {
    domain
        .create(Tag::changeset().set(Tag::name(), name))
        .await
        .expect("create a tag")
}

/// Puts `tag` on `ticket`.
pub async fn label(domain: &Domain, ticket: &Ticket, tag: &Tag) {
    domain
        .create(
            TicketTag::changeset()
                .set(TicketTag::ticket_id(), ticket.id)
                .set(TicketTag::tag_id(), tag.id),
        )
        .await
        .expect("tag a ticket");
}

/// `n` representatives "rep 0000", .. (threshold 3), each with two tickets
/// "t <i>.0" (priority 2, opened at `at(0)`) and "t <i>.1" (priority 8, at
/// `at(1)`), each ticket with one comment "c <i>.<j>" and the tag "urgent".
/// Made with one `create_many` per resource.
pub async fn seed_many(d: &Domain, n: usize) {
    let urgent = tag(d, "urgent").await;
    let reps = d
        .create_many((0..n).map(|i| {
            Representative::changeset()
                .set(Representative::name(), format!("rep {i:04}"))
                .set(Representative::priority_threshold(), 3)
                .set(Representative::admin(), false)
        }))
        .await
        .expect("create representatives");
    let tickets = d
        .create_many(reps.iter().enumerate().flat_map(|(i, r)| {
            [(0, 2), (1, 8)].map(|(j, p)| {
                Ticket::changeset()
                    .set(Ticket::subject(), format!("t {i}.{j}"))
                    .set(Ticket::status(), "open")
                    .set(Ticket::priority(), Some(p))
                    .set(Ticket::opened_at(), at(j))
                    .set(Ticket::representative_id(), Some(r.id))
            })
        }))
        .await
        .expect("create tickets");
    d.create_many(tickets.iter().map(|t| {
        let body = format!("c {}", t.subject.trim_start_matches("t "));
        Comment::changeset()
            .set(Comment::body(), body)
            .set(Comment::ticket_id(), t.id)
    }))
    .await
    .expect("create comments");
    d.create_many(tickets.iter().map(|t| {
        TicketTag::changeset()
            .set(TicketTag::ticket_id(), t.id)
            .set(TicketTag::tag_id(), urgent.id)
    }))
    .await
    .expect("tag tickets");
}

/// The Helpdesk for per-parent windows: Ada (threshold 2) has tickets of
/// priorities 1..=6, Bob (15) 10, 20, 30, Cy (0) 7, Dee (0) nothing, all open.
/// Subjects are "<name> p<priority>"; ticket `i` of the list is opened at
/// `at(i)`.
pub async fn seed_windows(fx: &Fx) {
    let d = &fx.domain;
    let ada = rep(d, "Ada", 2).await;
    let bob = rep(d, "Bob", 15).await;
    let cy = rep(d, "Cy", 0).await;
    rep(d, "Dee", 0).await;
    // Interleaved so that insertion order is no accidental help.
    for (i, (owner, p)) in [
        (&ada, 3),
        (&bob, 20),
        (&ada, 6),
        (&cy, 7),
        (&ada, 1),
        (&bob, 10),
        (&ada, 5),
        (&ada, 2),
        (&bob, 30),
        (&ada, 4),
    ]
    .into_iter()
    .enumerate()
    {
        ticket(
            d,
            Some(owner),
            &format!("{} p{p}", owner.name),
            "open",
            Some(p),
            i as i64,
        )
        .await;
    }
}

/// Each representative's name and the priorities of the tickets `f` picks,
/// sorted by name.
pub fn window_of(
    reps: &[Representative],
    f: impl Fn(&Representative) -> &Loaded<Vec<Ticket>>,
) -> Vec<(String, Vec<Option<i64>>)> {
    let mut out: Vec<_> = reps
        .iter()
        .map(|r| (r.name.clone(), priorities(f(r).get().expect("loaded"))))
        .collect();
    out.sort();
    out
}

/// The subjects of `tickets`, in order.
pub fn subjects(tickets: &[Ticket]) -> Vec<&str> {
    tickets.iter().map(|t| t.subject.as_str()).collect()
}

/// The priorities of `tickets`, in order.
pub fn priorities(tickets: &[Ticket]) -> Vec<Option<i64>> {
    tickets.iter().map(|t| t.priority).collect()
}

/// The names of `reps`, sorted.
pub fn names(reps: &[Representative]) -> Vec<&str> {
    let mut names: Vec<&str> = reps.iter().map(|r| r.name.as_str()).collect();
    names.sort_unstable();
    names
}

/// The representative named `name` in `reps`.
pub fn named<'r>(reps: &'r [Representative], name: &str) -> &'r Representative {
    reps.iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no representative named {name}"))
}

/// Every representative, by name, with `load` loaded onto them.
pub async fn reps_loading(
    fx: &Fx,
    load: impl ashore::Load<Representative>,
) -> ashore::Result<Vec<Representative>> {
    fx.domain
        .read(
            Representative::query()
                .sort(Representative::name().asc())
                .load(load),
        )
        .await
}
