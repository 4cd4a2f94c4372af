//! Unit tests of validation, on `resource!` token streams.
use super::*;

use crate::tests::dsl_errors as errors;

/// `src` parsed and validated, its errors checked (and not looked at).
fn checked(src: &str) -> Resource {
    let errors = Errors::new();
    let resource = crate::parse::dsl::resource(src.parse().unwrap(), &errors).unwrap();
    let resource = validate(resource, &errors);
    drop(errors.check());
    resource
}

const HELPDESK: &str = r#"
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            attribute email: Option<String>;
        }
        relationships {
            has_many tickets: Ticket;
            has_many tickets_above_threshold: Ticket { manual TicketsAboveThreshold; }
            has_many open_tickets: Ticket {
                filter status == "open" and priority > 2;
                sort priority desc, subject;
            }
            has_one latest_ticket: Ticket { sort created_at desc; }
            belongs_to team: Team;
            many_to_many tags: Tag {
                through RepresentativeTag;
                source_attribute_on_join_resource representative_id;
            }
            has_many by_email: Ticket { source_attribute email; destination_attribute reporter; }
            has_many by_team: Ticket { source_attribute team_id; }
        }
    }
"#;

#[test]
fn a_valid_resource_has_no_errors() {
    assert_eq!(errors(HELPDESK), []);
}

#[test]
fn missing_primary_key_is_reported_on_the_struct_name() {
    let e = errors("struct Ticket { attributes { attribute subject: String; } }");
    assert_eq!(e.len(), 1);
    assert_eq!((e[0].0, e[0].1), (1, 7));
    assert!(e[0].2.contains("`Ticket` has no primary key"));
    assert!(e[0].2.contains("uuid_primary_key id;"));
    // A resource without an `attributes` block gets the same, single error.
    assert_eq!(errors("struct Ticket {}").len(), 1);
}

#[test]
fn a_second_primary_key_is_reported_on_its_keyword() {
    let src = "struct T { attributes {\nuuid_primary_key id;\ninteger_primary_key number;\n} }";
    let e = errors(src);
    assert_eq!(e.len(), 1);
    assert_eq!((e[0].0, e[0].1), (3, 0));
    assert!(e[0].2.contains("already has the primary key `id`"));
    let t = checked(src);
    assert_eq!(
        t.attributes
            .iter()
            .filter(|a| a.primary_key.is_some())
            .count(),
        1
    );
}

#[test]
fn duplicates_are_reported_on_the_second_and_removed() {
    let src = "struct T {\nattributes {\nuuid_primary_key id;\nattribute name: String;\nattribute name: i64;\n}\nrelationships {\nhas_many t: T;\nhas_many t: T;\nhas_many name: T;\nbelongs_to team: Team;\nhas_one team_id: T;\n} }";
    let e = errors(src);
    let messages: Vec<_> = e.iter().map(|(l, _, m)| (*l, m.as_str())).collect();
    assert_eq!(messages.len(), 4, "{messages:#?}");
    assert_eq!(messages[0].0, 5);
    assert!(
        messages[0]
            .1
            .contains("attribute `name` is declared twice (first on line 4)")
    );
    assert_eq!(messages[1].0, 9);
    assert!(
        messages[1]
            .1
            .contains("relationship `t` is declared twice (first on line 8)")
    );
    assert_eq!(messages[2].0, 10);
    assert!(
        messages[2]
            .1
            .contains("`name` is already an attribute (first on line 4)")
    );
    assert_eq!(messages[3].0, 12);
    assert!(messages[3].1.contains("defined by belongs_to `team`"));
    let t = checked(src);
    assert_eq!(t.attributes.len(), 2);
    let names: Vec<_> = t.relationships.iter().map(|r| r.name.to_string()).collect();
    assert_eq!(names, ["t", "team"]);
}

#[test]
fn unknown_words_get_a_suggestion_when_close() {
    let src = r#"struct T {
        attributes { uuid_primary_key id; atribute a: i64; foo b: i64; belongs_to x: X; }
        relationships {
            has_man a: T;
            attribute b: i64;
            has_many c: T { sorting c; destination_atribute d; sort a dsc; }
        }
        atributes { }
        actions { }
    }"#;
    let e: Vec<String> = errors(src).into_iter().map(|e| e.2).collect();
    assert_eq!(
        e,
        [
            "unknown keyword `atribute` in `attributes`; did you mean `attribute`?",
            "unknown keyword `foo` in `attributes`: expected `uuid_primary_key`, `integer_primary_key` or `attribute`",
            "`belongs_to` declares a relationship: move it into `relationships { }`",
            "unknown relationship kind `has_man`; did you mean `has_many`?",
            "`attribute` declares an attribute: move it into `attributes { }`",
            "unknown relationship option `sorting`; did you mean `sort`?",
            "unknown relationship option `destination_atribute`; did you mean `destination_attribute`?",
            "unknown sort order `dsc`; did you mean `desc`?",
            "unknown block `atributes`; did you mean `attributes`?",
            "unknown block `actions`: expected `attributes`, `relationships`, `aggregates`, `identities`, `table`, `not_stored`, `policies` or `multitenancy`",
        ]
    );
}

#[test]
fn manual_rules() {
    let src = "struct T { attributes { uuid_primary_key id; }
        relationships {
            belongs_to a: T { manual M; }
            many_to_many b: T { through J; manual M; }
            has_many c: T { manual M; source_attribute id; destination_attribute t_id; }
            has_one d: T { manual M; }
        } }";
    let e: Vec<String> = errors(src).into_iter().map(|e| e.2).collect();
    assert_eq!(e.len(), 4, "{e:#?}");
    assert_eq!(e[0], "`manual` is only allowed on has_one and has_many");
    assert_eq!(e[1], "`manual` is only allowed on has_one and has_many");
    assert!(
        e[2].starts_with("a manual relationship decides its own keys: remove `source_attribute`")
    );
    assert!(
        e[3].starts_with(
            "a manual relationship decides its own keys: remove `destination_attribute`"
        )
    );
    let t = checked(src);
    assert!(t.relationships[0].manual().is_none());
    assert!(t.relationships[1].manual().is_none());
    assert_eq!(t.relationships[2].options.len(), 1);
}

#[test]
fn join_options_and_repeated_options() {
    let src = "struct T { attributes { uuid_primary_key id; }
        relationships {
            has_many a: T { through J; destination_attribute_on_join_resource x; }
            many_to_many b: T;
            has_many c: T { sort id; sort id desc; }
        } }";
    let e: Vec<String> = errors(src).into_iter().map(|e| e.2).collect();
    assert_eq!(
        e,
        [
            "`through` is only allowed on many_to_many",
            "`destination_attribute_on_join_resource` is only allowed on many_to_many",
            "many_to_many `b` needs a join resource: add `{ through JoinResource; }`",
            "`sort` is given twice (first on line 5): give it once",
        ]
    );
}

#[test]
fn source_attributes_must_exist() {
    let src = "struct T { attributes { uuid_primary_key id; attribute email: String; }
        relationships {
            belongs_to team: Team { source_attribute group_id; }
            has_many a: T { source_attribute emial; }
            has_many b: T { source_attribute group_id; }
            has_many c: T { source_attribute zzz; }
        } }";
    let e: Vec<String> = errors(src).into_iter().map(|e| e.2).collect();
    assert_eq!(
        e,
        [
            "`T` has no attribute `emial`; did you mean `email`?",
            "`T` has no attribute `zzz`: the attributes are `id`, `email` or `group_id`",
        ]
    );
}

#[test]
fn reserved_names() {
    let src = "struct T { attributes { uuid_primary_key id; attribute schema: String; }
        relationships { has_many query: T; belongs_to get: T { source_attribute from_row; } } }";
    let e: Vec<String> = errors(src).into_iter().map(|e| e.2).collect();
    assert_eq!(e.len(), 4, "{e:#?}");
    assert!(
        e[0].starts_with("`schema` is reserved: `T::schema()` is a function every resource has")
    );
    assert!(e.iter().any(|m| m.starts_with("`query` is reserved")));
    assert!(e.iter().any(|m| m.starts_with("`get` is reserved")));
    assert!(e.iter().any(|m| m.starts_with("`from_row` is reserved")));
}

#[test]
fn every_error_is_reported_together() {
    let src = "struct T {
        attributes { attribute a: i64; attribute a: i64; atribute b: i64; attribute c i64; }
        relationships { has_many x: T { manual M; source_attribute a; } belongs_to x: T { through J; } }
    }";
    let e = errors(src);
    let messages: Vec<&str> = e.iter().map(|e| e.2.as_str()).collect();
    assert_eq!(messages.len(), 7, "{messages:#?}");
}

#[test]
fn suggestions_across_blocks_and_cases() {
    let src = r#"struct T {
        tabel "t";
        attributes { uuid_primary_key id; has_man x: T; attribute a: i64; Attribute b: i64; }
        relationships {
            integer_primary_kye k;
            has_many t: T { sort a DESC; }
            HAS_MANY u: T;
        }
    }"#;
    let e: Vec<String> = errors(src).into_iter().map(|e| e.2).collect();
    assert_eq!(
        e,
        [
            "unknown block `tabel`; did you mean `table`?",
            "unknown keyword `has_man` in `attributes`; did you mean `has_many`? It goes in `relationships { }`",
            "unknown keyword `Attribute` in `attributes`; did you mean `attribute`?",
            "unknown relationship kind `integer_primary_kye`; did you mean `integer_primary_key`? It goes in `attributes { }`",
            "unknown sort order `DESC`; did you mean `desc`?",
            "unknown relationship kind `HAS_MANY`; did you mean `has_many`?",
        ]
    );
}

const POLICIES: &str = r#"
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute organization_id: Uuid;
        }
        relationships {
            has_many children: Ticket { filter id == ^actor(id); authorize_read_with eror; }
        }
        policies {
            policy always() { authorise_if actor_present(); }
            policy actor_is() { authorize_if always(); }
            policy always() {}
        }
        multitenancy { attribute organisation_id; }
        multitenancy { attribute organization_id; }
    }
"#;

#[test]
fn policy_and_multitenancy_rules() {
    let messages: Vec<String> = errors(POLICIES).into_iter().map(|e| e.2).collect();
    let expected = [
        "is a template: templates only work in a policy's `expr(..)` check, not in a relationship's `filter`",
        "unknown value `eror` for `authorize_read_with`; did you mean `error`?",
        "unknown policy keyword `authorise_if`; did you mean `authorize_if`?",
        "unknown check `actor_is`; did you mean `actor_present`",
        "a policy with no checks forbids every action it governs; add `authorize_if actor_present();`",
        "`Ticket` has no attribute `organisation_id` to hold the tenant; did you mean `organization_id`?",
        "`multitenancy` is given twice",
    ];
    assert_eq!(messages.len(), expected.len(), "{messages:#?}");
    for (message, expected) in messages.iter().zip(expected) {
        assert!(message.contains(expected), "{message}");
    }
    // What was reported is removed: no tenancy from the misspelt attribute, the
    // second block dropped, the empty policy and the template filter gone.
    let resource = checked(POLICIES);
    assert!(resource.multitenancy.is_empty());
    assert_eq!(resource.policies.len(), 1);
    assert!(resource.relationships[0].filter().is_none());
}

#[test]
fn a_valid_tenancy_is_kept() {
    let resource = checked(
        r#"pub struct T {
            attributes { uuid_primary_key id; attribute org: Uuid; }
            policies { policy always() { authorize_if expr(org == ^tenant()); } }
            multitenancy { attribute org; global; }
        }"#,
    );
    assert_eq!(resource.multitenancy.len(), 1);
    assert!(resource.multitenancy[0].global);
    assert_eq!(resource.policies[0].checks.len(), 1);
}

#[test]
fn a_resource_not_stored_has_no_table() {
    let e = errors(
        r#"pub struct Forecast { not_stored; table "f"; attributes { uuid_primary_key id; } }"#,
    );
    assert_eq!(
        e,
        [(
            1,
            40,
            "Forecast is not stored, so it has no table: remove `table \"..\";`, or `not_stored;`"
                .to_string()
        )]
    );
}
