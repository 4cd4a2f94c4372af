//! A derive's primary key declared with an alias (`type Key = i32;`) is read
//! as the key's type; an alias of another type is rustc's mismatch on the
//! field's type, which names both.
use ashore::prelude::*;

pub type Key = i32;

#[derive(Debug, Clone, Resource)]
pub struct Tag {
    #[resource(integer_primary_key)]
    pub id: Key,
    pub name: String,
}

fn main() {}
