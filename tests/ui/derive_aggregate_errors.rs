//! `#[resource(aggregate(..))]` on a field: the field holds the loaded value
//! (`Loaded<T>`), whose `T` must be the aggregate's (`i64` for `count`,
//! `Option<..>` of the field's type for `sum`); the spelling errors are on
//! their tokens.
use ashore::prelude::*;

#[derive(Debug, Clone, Resource)]
pub struct Representative {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    #[resource(has_many)]
    pub tickets: Loaded<Vec<Ticket>>,
    #[resource(aggregate(count, tickets))]
    pub not_loaded: i64,
    #[resource(aggregate(count, tickets))]
    pub count_as_i32: Loaded<i32>,
    #[resource(aggregate(sum, tickets.priority))]
    pub sum_not_optional: Loaded<i64>,
    #[resource(aggregate(sum, tickets.subject))]
    pub sum_of_text: Loaded<Option<String>>,
    #[resource(aggregate(list, tickets.subject))]
    pub list_not_a_vec: Loaded<Option<String>>,
    #[resource(aggregate(count tickets))]
    pub missing_comma: Loaded<i64>,
    #[resource(aggregate(count, tickets, sort(priority)))]
    pub unknown_option: Loaded<i64>,
    #[resource(aggregate(count, tickets, filter(priority > "high")))]
    pub bad_filter: Loaded<i64>,
}

#[derive(Debug, Clone, Resource)]
pub struct Ticket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub subject: String,
    pub priority: Option<i64>,
    pub representative_id: Option<Uuid>,
}

fn main() {}
