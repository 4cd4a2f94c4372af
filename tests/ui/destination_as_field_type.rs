//! A relationship's destination written as the type of the field that loads
//! it (as a derive's field reads, `Loaded<Vec<Ticket>>`) is one error on it,
//! naming the resource to write; the relationship is then read with it, so
//! its options raise nothing more.
use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            has_many tickets: Vec<Ticket> { destination_attribute rep_id; }
            has_one latest: Loaded<Option<Ticket>> { destination_attribute rep_id; }
        }
    }
}

resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            belongs_to rep: Option<Representative>;
        }
    }
}

fn main() {}
