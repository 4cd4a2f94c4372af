use ashore::prelude::*;

// `gen` is reserved in edition 2024: one error, on the name, naming the fix
// (not five, three of them on the whole call).
resource! {
    #[derive(Debug, Clone)]
    pub struct Generator {
        attributes {
            uuid_primary_key id;
            attribute gen: i64;
        }
    }
}

fn main() {}
