use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute status: String;
        }
        policies {
            policy actor_presnt() {
                authorize_if always();
            }
            policy always() {
                authorize_if actor_is(admin);
                forbid_if expr(status == "closed");
            }
        }
    }
}

fn main() {}
