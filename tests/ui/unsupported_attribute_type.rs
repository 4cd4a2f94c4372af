use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute priority: u8;
        }
    }
}

fn main() {}
