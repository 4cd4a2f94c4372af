use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            has_many tickets: Ticket {
                filter representative_id == ^actor(id);
            }
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute organization_id: Uuid;
        }
        relationships {
            belongs_to representative: Representative;
        }
    }
}

fn main() {
    let _ = Ticket::query().filter(expr!(organization_id == ^tenant()));
}
