//! The resources of the `identities` suite, declared with `resource!` (the
//! derive's in `tests/derive_parity/identity_resources.rs`): `Member`,
//! multitenant by `org`, with an identity of one key and one of two; `Label`,
//! shared by every tenant, with an integer primary key.

use ashore::prelude::*;

resource! {
    /// A member of an organisation.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Member {
        attributes {
            uuid_primary_key id;
            attribute email: Option<String>;
            attribute name: String;
            attribute team: Option<String>;
            attribute visits: i64;
            attribute note: Option<String>;
            attribute org: String;
        }
        identities {
            identity unique_email [email];
            identity unique_name_per_team [name, team];
        }
        multitenancy {
            attribute org;
        }
    }
}

resource! {
    /// A label every organisation shares.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Label {
        attributes {
            integer_primary_key id;
            attribute text: String;
            attribute uses: i64;
            attribute color: Option<String>;
        }
        identities {
            identity unique_text [text];
        }
    }
}
