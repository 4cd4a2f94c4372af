use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            attribute name: String;
        }
    }
}

fn main() {
    // The struct is still emitted: this does not add errors.
    let _ = Representative {
        name: String::new(),
    };
}
