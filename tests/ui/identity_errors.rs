use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute name: String;
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute email: String;
            attribute subject: String;
        }
        relationships {
            belongs_to representative: Representative;
        }
        identities {
            identity unique_email [emial];
            identity by_representative [representative];
            identity nothing [];
            identity unique_email [subject];
            identity subject [subject];
            identity changeset [email];
            idnetity other [email];
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Desk {
        attributes {
            uuid_primary_key id;
            attribute name: String;
        }
        relationships {
            has_many tickets: Ticket {
                destination_attribute representative_id;
            }
        }
        aggregates {
            count ticket_count: tickets;
        }
        identities {
            identity ticket_count [name];
        }
    }
}

fn main() {
    // An identity whose keys are in error still has its function: no error here.
    let _ = (Ticket::unique_email(), Ticket::by_representative(), Ticket::nothing());
}
