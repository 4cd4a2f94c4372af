//! Unit tests of the identity rules, on both front ends: each message, and
//! each on its token.

use crate::tests::{derive_errors, dsl_errors};

const DSL: &str = r#"struct Ticket {
    attributes {
        uuid_primary_key id;
        attribute email: String;
        attribute subject: String;
    }
    relationships { belongs_to representative: Representative; }
    identities {
        identity unique_email [emial];
        identity by_rep [representative];
        identity nothing [];
        identity unique_email [subject];
        identity subject [subject];
        identity query [email];
        identity twice [email, email];
        identity fine [subject, representative_id];
        idnetity other [email];
    }
}"#;

#[test]
fn every_identity_mistake_is_reported_on_its_token() {
    let e = dsl_errors(DSL);
    let at: Vec<(usize, usize)> = e.iter().map(|(l, c, _)| (*l, *c)).collect();
    let messages: Vec<&str> = e.iter().map(|(_, _, m)| m.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`Ticket` has no attribute `emial`; did you mean `email`?",
            "`representative` is a relationship, and an identity's keys are attributes of \
             `Ticket`: use its foreign key `representative_id`",
            "the identity `nothing` has no attributes: name at least one, as in \
             `identity nothing [email];`",
            "the identity `unique_email` is declared twice (first on line 9): rename or remove \
             one of them",
            "`subject` is already an attribute: `Ticket::subject()` cannot name both; rename \
             the identity (e.g. `unique_subject`)",
            "`query` is reserved: `Ticket::query()` is a function every resource has; rename \
             the identity (e.g. `unique_query`)",
            "`email` is given twice in the identity `twice` (first on line 15): give it once",
            "unknown item `idnetity` in `identities`; did you mean `identity`?",
        ]
    );
    assert_eq!(
        at,
        [
            (9, 31),
            (10, 25),
            (11, 25),
            (12, 17),
            (13, 17),
            (14, 17),
            (15, 31),
            (17, 8)
        ]
    );
}

#[test]
fn the_derive_spelling_gets_the_same_rules() {
    let src = r#"
        #[resource(identity(unique_email, keys(emial)), identity(nothing, keys()))]
        #[resource(identity(keys(email)), identity(lonely), identity(x, kyes(email)))]
        struct Ticket {
            #[resource(uuid_primary_key)]
            id: Uuid,
            email: String,
        }
    "#;
    let mut messages: Vec<String> = derive_errors(src).into_iter().map(|(_, _, m)| m).collect();
    messages.sort();
    let mut expected = [
        "the identity needs a name: `identity(unique_email, keys(email))`",
        "the identity `lonely` needs its attributes: `identity(lonely, keys(email))`",
        "unknown item `kyes` in `identity(..)`; did you mean `keys`?",
        "`Ticket` has no attribute `emial`; did you mean `email`?",
        "the identity `nothing` has no attributes: name at least one, as in \
             `identity(nothing, keys(email))`",
    ];
    expected.sort();
    assert_eq!(messages, expected);
}
