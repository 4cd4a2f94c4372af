//! The resources of the `write_policies` suite, declared with `resource!`
//! (`tests/derive_parity/write_policy_resources.rs` declares the same with
//! `#[derive(Resource)]`): a member (the actor), notes with a policy per
//! action, a memo under one `policy always()`, and a board whose only policy
//! governs reads.

use ashore::prelude::*;

resource! {
    /// A member of an organisation: the actor of these tests.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Member {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            attribute admin: bool;
            attribute org: String;
        }
        multitenancy {
            attribute org;
        }
    }
}

resource! {
    /// A note: anyone signed in reads; an admin creates any note, a member
    /// only its own, and never one by an admin; a locked note is never
    /// changed, and an unlocked one only by an admin or its author.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Note {
        attributes {
            uuid_primary_key id;
            attribute body: String;
            attribute locked: bool;
            attribute org: String;
        }
        relationships {
            belongs_to author: Member;
        }
        policies {
            policy action_type(read) {
                authorize_if actor_present();
            }
            policy action_type(create) {
                authorize_if actor_attribute_equals(admin, true);
                authorize_if expr(author_id == ^actor(id) and author.admin == false);
            }
            policy action_type(update, destroy) {
                forbid_if expr(locked == true);
                authorize_if actor_attribute_equals(admin, true);
                authorize_if expr(author_id == ^actor(id));
            }
        }
        multitenancy {
            attribute org;
        }
    }
}

resource! {
    /// One policy for every action.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Memo {
        attributes {
            integer_primary_key id;
            attribute body: String;
        }
        policies {
            policy always() {
                authorize_if actor_present();
            }
        }
    }
}

resource! {
    /// Policies for reads only: no policy governs a write, which forbids it.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Board {
        attributes {
            integer_primary_key id;
            attribute title: String;
        }
        policies {
            policy action_type(read) {
                authorize_if always();
            }
        }
    }
}

resource! {
    /// A pin, found by its slug within the organisation: anyone signed in
    /// reads; an admin creates any pin, a member only its own; a locked pin is
    /// never changed, nor an admin's by anyone else (a path in the condition),
    /// and an unlocked one only by an admin or its author (the
    /// `upsert_policies` suite).
    #[derive(Debug, Clone, PartialEq)]
    pub struct Pin {
        attributes {
            uuid_primary_key id;
            attribute slug: String;
            attribute body: String;
            attribute locked: bool;
            attribute org: String;
        }
        relationships {
            belongs_to author: Member;
        }
        identities {
            identity unique_slug [slug];
        }
        policies {
            policy action_type(read) {
                authorize_if actor_present();
            }
            policy action_type(create) {
                authorize_if actor_attribute_equals(admin, true);
                authorize_if expr(author_id == ^actor(id));
            }
            policy action_type(update, destroy) {
                forbid_if expr(locked == true);
                forbid_if expr(author.admin == true and author_id != ^actor(id));
                authorize_if actor_attribute_equals(admin, true);
                authorize_if expr(author_id == ^actor(id));
            }
        }
        multitenancy {
            attribute org;
        }
    }
}

resource! {
    /// A stamp, found by its code: anyone signed in reads and creates; no
    /// policy governs updates, which forbids them.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Stamp {
        attributes {
            integer_primary_key id;
            attribute code: String;
            attribute uses: i64;
        }
        identities {
            identity unique_code [code];
        }
        policies {
            policy action_type(read, create) {
                authorize_if actor_present();
            }
        }
    }
}
