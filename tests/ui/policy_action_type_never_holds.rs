use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute status: String;
        }
        policies {
            policy action_type(create) {
                forbid_if action_type(update);
                authorize_if actor_present();
            }
            policy action_type(update, destroy) {
                forbid_if action_type(destroy);
                authorize_if actor_present();
            }
        }
    }
}

fn main() {}
