//! `parent(x)` reads the source of a relationship: `expr!` has none.
use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute priority: i64;
        }
    }
}

fn main() {
    let _ = Ticket::query().filter(expr!(priority > parent(priority)));
}
