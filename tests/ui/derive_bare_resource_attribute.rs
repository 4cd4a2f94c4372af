//! `#[resource]` without options, on the struct or on a field, would change
//! nothing: it is one error on the attribute, saying what options look like
//! (a forgotten `(belongs_to)` would otherwise leave the field a plain
//! attribute, with its errors elsewhere).
use ashore::prelude::*;

#[derive(Debug, Clone, Resource)]
#[resource]
pub struct Ticket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    #[resource]
    pub subject: String,
}

fn main() {}
