use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
        }
    }
}

fn main() {
    let _ = Ticket::query().filter(expr!(lower(subject, "x") == "y"));
    let _ = Ticket::query().filter(expr!(contains(subject)));
    let _ = Ticket::query().filter(expr!(concat(subject) == "x"));
    let _ = Ticket::query().filter(expr!(startswith(subject, "x")));
    let _ = Ticket::query().filter(expr!(subject <> "x" == "y"));
}
