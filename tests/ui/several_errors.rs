use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            attribute name: String;
            atribute email: String;
            attribute name: String;
        }
        relationships {
            has_many tickets: Ticket {
                sort priority dsc;
                manual Loader;
                source_attribute id;
            }
            belongs_to tickets: Ticket {
                through TicketTag;
            }
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

struct Loader;

fn main() {}
