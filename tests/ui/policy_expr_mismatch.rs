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
                authorize_if expr(status == 3);
            }
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Comment {
        attributes {
            uuid_primary_key id;
            attribute status: String;
        }
        policies {
            policy always() {
                authorize_if expr(statsu == ^actor(status));
                authorize_if actor_attribute_equals(tags, vec![1]);
            }
        }
    }
}

fn main() {}
