//! Misspelled option names in `#[resource(..)]`, at every level: on the
//! struct, on a field, inside a relationship kind. Each gets "did you mean",
//! and the misspelled kind is read as the suggestion, so its options are still
//! checked and the resource is still generated (`main` uses it).
use ashore::prelude::*;

#[derive(Debug, Clone, Resource)]
#[resource(tabel = "tickets")]
pub struct Ticket {
    #[resource(uuid_primary_ky)]
    pub id: Uuid,
    pub subject: String,
    pub ticket_id: Option<Uuid>,
    #[resource(has_man(fliter(subject == "x")))]
    pub children: Loaded<Vec<Ticket>>,
}

fn main() {
    let _ = Ticket::query()
        .filter(expr!(subject == "Printer"))
        .load(Ticket::children());
}
