use ashore::prelude::*;

#[derive(Debug, Clone)]
pub struct Ticket {
    pub id: Uuid,
}

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            has_many tickets: Ticket;
        }
    }
}

fn main() {}
