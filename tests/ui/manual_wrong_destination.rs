use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            has_many urgent_tickets: Ticket {
                manual UrgentTickets;
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

/// Loads tags, declared as loading tickets.
struct UrgentTickets;

impl ManualRelationship for UrgentTickets {
    type Source = Representative;
    type Destination = Tag;

    async fn load(
        &self,
        _records: &[Representative],
        _ctx: &LoadContext<'_, Tag>,
    ) -> ashore::Result<Related<Representative, Tag>> {
        Ok(Related::empty())
    }
}

fn main() {}
