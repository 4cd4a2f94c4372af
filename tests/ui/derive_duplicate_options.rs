//! Options given twice: on the struct, on a field (a kind or a key), inside a
//! kind (whether in one attribute or two). Each on the second one, saying
//! which to keep; the resource is still generated.
use ashore::prelude::*;

#[derive(Debug, Clone, Resource)]
#[resource(table = "tickets", table = "more_tickets")]
pub struct Ticket {
    #[resource(uuid_primary_key, uuid_primary_key)]
    pub id: Uuid,
    pub subject: String,
    pub priority: i64,
    pub ticket_id: Option<Uuid>,
    #[resource(has_many(sort(priority), sort(subject)))]
    pub children: Loaded<Vec<Ticket>>,
    #[resource(has_many(filter(priority > 1)))]
    #[resource(has_many(sort(priority)))]
    pub siblings: Loaded<Vec<Ticket>>,
    #[resource(has_many(destination = Ticket, destination = Ticket))]
    pub cousins: Loaded<Vec<Ticket>>,
    #[resource(has_many, has_one)]
    pub others: Loaded<Vec<Ticket>>,
}

fn main() {
    let _ = Ticket::query().load(Ticket::children()).load(Ticket::siblings());
}
