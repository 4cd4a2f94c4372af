use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute name: String;
        }
    }
}

resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
            attribute priority: Option<i64>;
        }
        relationships {
            belongs_to representative: Representative;
        }
    }
}

fn main() {
    // A text function of a number.
    let _ = Ticket::query().filter(expr!(contains(priority, "1")));
    let _ = Ticket::query().filter(expr!(lower(priority) == "x"));
    // A number where a text is sought.
    let one = 1_i64;
    let _ = Ticket::query().filter(expr!(starts_with(subject, ^one)));
    // `like`'s pattern is a constant text.
    let _ = Ticket::query().filter(expr!(like(subject, representative.name)));
    let n = 5_i64;
    let _ = Ticket::query().filter(expr!(ilike(subject, ^n)));
    // What `length`, `lower` and `concat` give is no condition.
    let _ = Ticket::query().filter(expr!(upper(subject)));
    let _ = Ticket::query().filter(expr!(length(subject) == "five"));
}
