//! A derived resource with no primary key: the error is on the struct's name
//! and says how to mark one.
use ashore::prelude::*;

#[derive(Debug, Clone, Resource)]
pub struct Ticket {
    pub id: Uuid,
    pub subject: String,
}

fn main() {
    let _ = Ticket::query().filter(expr!(subject == "Printer"));
}
