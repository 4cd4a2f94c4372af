use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute status: String;
        }
        policies {
            policy action_type(reed) {
                authorize_if actor_present();
            }
            policy action_type(create, delete) {
                authorize_if actor_present();
            }
            policy action_type() {
                authorize_if always();
            }
        }
    }
}

fn main() {}
