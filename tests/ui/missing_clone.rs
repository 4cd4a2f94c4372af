use ashore::prelude::*;

resource! {
    #[derive(Debug)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
        }
    }
}

fn main() {}
