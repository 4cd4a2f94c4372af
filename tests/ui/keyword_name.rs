use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute type: String;
        }
    }
}

fn main() {}
