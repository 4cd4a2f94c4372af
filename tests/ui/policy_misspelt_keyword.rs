use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute status: String;
        }
        policies {
            policy always() {
                authorise_if actor_present();
                forbid_if expr(status == "closed");
            }
            policy actor_present() {}
        }
    }
}

fn main() {}
