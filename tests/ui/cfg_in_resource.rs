use ashore::prelude::*;

// `#[cfg]` on one attribute would remove the field while the generated code
// names it: one error, on the `#[cfg]`, naming what works instead.
resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            #[cfg(any())]
            attribute gone: String;
            attribute kept: String;
        }
    }
}

fn main() {}
