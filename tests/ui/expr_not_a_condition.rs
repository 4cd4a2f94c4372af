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
            attribute priority: i64;
        }
        relationships {
            belongs_to representative: Representative;
        }
    }
}

fn main() {
    let _ = Ticket::query().filter(expr!(priority + 1));
    let _ = Ticket::query().filter(expr!(representative == 3));
    let _ = Ticket::query().filter(expr!(representative.name * 2 > 3));
}
