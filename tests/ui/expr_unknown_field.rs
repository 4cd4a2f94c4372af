use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute priority_threshold: i64;
        }
        relationships {
            has_many tickets: Ticket;
        }
    }
}

resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute priority: i64;
        }
        relationships {
            belongs_to representative: Representative;
        }
    }
}

resource! {
    #[derive(Debug, Clone)]
    pub struct Tag {
        attributes {
            uuid_primary_key id;
        }
    }
}

fn main() {
    let _ = Ticket::query().filter(expr!(prioriy > 3));
    let _ = Ticket::query().filter(expr!(priority > representative.threshold));
    let _ = Ticket::query().filter(expr!(priority.level > 3));
    let _ = Ticket::query().filter(expr!(exists(priority, priority > 3)));
    let _ = Ticket::query().filter(expr!(representative_id.level > 3));
}
