//! An attribute named against Rust's naming lint is reported once, on the
//! user's own field: the accessor and columns `resource!` generates for it do
//! not repeat the lint (in either front end).
#![deny(non_snake_case)]

use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Person {
        attributes {
            integer_primary_key id;
            attribute firstName: String;
        }
    }
}

#[derive(Debug, Clone, Resource)]
pub struct Pet {
    #[resource(integer_primary_key)]
    pub id: i64,
    pub petName: String,
}

fn main() {
    let _ = (Person::firstName(), Pet::petName());
}
