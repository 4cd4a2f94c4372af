use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            // Ticket has no `representative_id` (no belongs_to back).
            has_many tickets: Ticket;
        }
    }
}

resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute owner_id: Option<Uuid>;
        }
    }
}

fn main() {}
