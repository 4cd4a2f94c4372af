use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute name: String;
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
            attribute subject: String;
        }
        relationships {
            belongs_to representative: Representative;
        }
    }
}

fn main() {
    // A representative has many tickets: which one's subject would it sort by?
    let _ = Representative::query().sort(Representative::tickets().field(Ticket::subject()));
    // The field must be the destination's.
    let _ = Ticket::query().sort(Ticket::representative().field(Ticket::subject()));
}
