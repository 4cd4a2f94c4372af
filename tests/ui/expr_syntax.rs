use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
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
    let _ = Ticket::query().filter(expr!(1 < priority < 5));
    let _ = Ticket::query().filter(expr!(priority = 3));
    let _ = Ticket::query().filter(expr!(is_null(priority)));
    let _ = Ticket::query().filter(expr!(priority == nil));
    let _ = Ticket::query().filter(expr!(priority == None));
    let _ = Ticket::query().filter(expr!(priority == ^None));
    let _ = Ticket::query().filter(expr!(priority > 3 and));
    let _ = Ticket::query().filter(expr!(priority + "1" == 2));
    let _ = Ticket::query().filter(expr!(self.priority == 2));
}
