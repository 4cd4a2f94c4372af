use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            attribute email: String;
            attribute name: Option<String>;
        }
    }
}

fn main() {
    // The resource is still generated: this compiles.
    let _ = Representative::query();
}
