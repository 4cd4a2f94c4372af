//! Several unrelated mistakes in one derive are all reported together, each on
//! its own token, with no follow-on errors: the resource is still generated
//! and `main` compiles against it. (A relationship field in error, here
//! `Ticket.representative`, is left out: `Ticket::representative()` would not
//! be found until the field is fixed.)
use ashore::prelude::*;

#[derive(Debug, Clone, Resource)]
pub struct Representative {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub name: String,
    #[resource(has_many(manul = Loader))]
    pub tickets: Loaded<Vec<Ticket>>,
    #[resource(has_many(filter(priority = 3)))]
    pub urgent: Loaded<Vec<Ticket>>,
    #[resource(has_many(sort(priority dsc)))]
    pub sorted: Loaded<Vec<Ticket>>,
    #[resource(many_to_many)]
    pub tags: Loaded<Vec<Ticket>>,
}

#[derive(Debug, Clone, Resource)]
pub struct Ticket {
    #[resource(integer_primary_key)]
    pub id: Uuid,
    pub priority: i64,
    pub representative_id: Option<Uuid>,
    #[resource(belongs_to)]
    pub representative: Loaded<Vec<Representative>>,
    #[resource(has_many(destination_attribute = representative_id))]
    pub query: Loaded<Vec<Ticket>>,
}

fn main() {
    let _ = Representative::query()
        .filter(expr!(name == "Alice"))
        .load(Representative::tickets().filter(expr!(priority > 2)))
        .load(Representative::sorted().sort(Ticket::priority()));
}
