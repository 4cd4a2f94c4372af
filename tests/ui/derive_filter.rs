//! A relationship's `filter(..)` goes through the parser and the type checks
//! of `expr!`: a syntax error is on its token, a field the destination does
//! not have and an operand of the wrong type are rustc's errors on the user's
//! tokens inside the attribute; a string that is not Rust tokens is an error
//! on the string.
use ashore::prelude::*;

#[derive(Debug, Clone, Resource)]
pub struct Representative {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    #[resource(has_many(filter(priority > "high")))]
    pub urgent: Loaded<Vec<Ticket>>,
    #[resource(has_many(filter(status == "open")))]
    pub open: Loaded<Vec<Ticket>>,
    #[resource(has_many(filter(priority >)))]
    pub broken: Loaded<Vec<Ticket>>,
    #[resource(has_many(filter = "priority == \"high"))]
    pub unclosed: Loaded<Vec<Ticket>>,
}

#[derive(Debug, Clone, Resource)]
pub struct Ticket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub priority: Option<i64>,
    pub representative_id: Option<Uuid>,
}

fn main() {}
