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

/// Declared for `Tag`, used on `Representative`.
struct UrgentTickets;

impl ManualRelationship for UrgentTickets {
    type Source = Tag;
    type Destination = Ticket;

    async fn load(
        &self,
        _records: &[Tag],
        _ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Tag, Ticket>> {
        Ok(Related::empty())
    }
}

fn main() {}
