//! `#[derive(Resource)]` cannot add a field to the struct, so a belongs_to's
//! foreign key must be a field: the error is on the relationship (or on its
//! `source_attribute`) and names the field to add and its type.
use ashore::prelude::*;

#[derive(Debug, Clone, Resource)]
pub struct Representative {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, Resource)]
pub struct Ticket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub subject: String,
    #[resource(belongs_to)]
    pub representative: Loaded<Option<Representative>>,
    #[resource(belongs_to(source_attribute = author, destination_attribute = name))]
    pub author_rep: Loaded<Option<Representative>>,
}

fn main() {
    let _ = Ticket::query().filter(expr!(subject == "Printer"));
}
