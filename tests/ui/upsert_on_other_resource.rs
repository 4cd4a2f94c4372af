use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Member {
        attributes {
            uuid_primary_key id;
            attribute email: String;
        }
        identities {
            identity unique_email [email];
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
        }
    }
}

async fn upsert(domain: &Domain) -> ashore::Result<Ticket> {
    domain
        .create(Ticket::changeset().set(Ticket::subject(), "x"))
        .upsert_on(Member::unique_email())
        .await
}

fn main() {}
