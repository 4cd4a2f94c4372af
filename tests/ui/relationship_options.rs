use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            has_many open_tickets: Ticket {
                filter stage == "open";
                sort priority desc, created_at;
            }
            has_many tickets: Ticket {
                through TicketTag;
                sort priority asc;
                sort priority desc;
                destination_atribute representative_id;
            }
            many_to_many tags: Ticket;
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

fn main() {}
