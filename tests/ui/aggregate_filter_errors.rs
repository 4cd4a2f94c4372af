//! An aggregate in `expr!` is a value of its kind: compared with a value of
//! another kind, or used as a condition when it is not `exists`, it is rustc's
//! error on the user's token; a `list` is no value a filter can read.
use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            has_many tickets: Ticket;
        }
        aggregates {
            count ticket_count: tickets;
            list subjects: tickets.subject as String;
        }
    }
}

resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
        }
        relationships {
            belongs_to representative: Representative;
        }
    }
}

fn main() {
    let _ = Representative::query().filter(expr!(ticket_count > "many"));
    let _ = Representative::query().filter(expr!(ticket_count));
    let _ = Representative::query().filter(expr!(subjects == "a"));
}
