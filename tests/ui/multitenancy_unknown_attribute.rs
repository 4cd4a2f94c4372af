use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute organization_id: Uuid;
        }
        multitenancy {
            attribute organisation_id;
            globl;
        }
        multitenancy {
            attribute organization_id;
        }
    }
}

fn main() {}
