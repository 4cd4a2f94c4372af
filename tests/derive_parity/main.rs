//! Parity of the two front ends: the Helpdesk resources declared with
//! `#[derive(Resource)]` (`resources.rs`) pass the behaviour suites the
//! `resource!` ones pass, on memory, SQLite and PostgreSQL, and both front ends
//! give the same schemas.
//!
//! The test bodies are not copied: the shared suites of `tests/semantics/` are
//! compiled here as modules, from the same files (`#[path]`). Each reaches its
//! shared code as `crate::common`, which here is `helpdesk.rs`: the files of
//! `tests/common` with the derive resources in place of the `resource!` ones.
//! Whatever the suites test (loading, nested loads, windows, manual
//! relationships and their content, resources `not_stored`, filters and paths,
//! errors, SQL statements), they test it on
//! the derive resources as well, under the same test names as in the
//! `semantics` binary (`loading::<test>::<layer>`).
//!
//! Besides: `the_derive_and_resource_macro_give_the_same_schemas` compares the
//! Helpdesk's schemas (and the `identities` suite's) resource by resource, and `policy_schema` the policies
//! and multitenancy both front ends generate.

#[path = "helpdesk.rs"]
mod common;

// The suites `tests/semantics/main.rs` lists as shared.
#[path = "../semantics/aggregates.rs"]
mod aggregates;
#[path = "../semantics/cancelled_writes.rs"]
mod cancelled_writes;
#[path = "../semantics/contract.rs"]
mod contract;
#[path = "../semantics/create_errors.rs"]
mod create_errors;
#[path = "../semantics/depth.rs"]
mod depth;
#[path = "../semantics/errors.rs"]
mod errors;
#[path = "../semantics/expr.rs"]
mod expr;
#[path = "../semantics/hidden_in_hand.rs"]
mod hidden_in_hand;
#[path = "../semantics/identities.rs"]
mod identities;
#[path = "../semantics/loading.rs"]
mod loading;
#[path = "../semantics/loading_nested.rs"]
mod loading_nested;
#[path = "../semantics/loading_windows.rs"]
mod loading_windows;
#[path = "../semantics/manual.rs"]
mod manual;
#[path = "../semantics/manual_conditions.rs"]
mod manual_conditions;
#[path = "../semantics/manual_content.rs"]
mod manual_content;
#[path = "../semantics/parent_relationships.rs"]
mod parent_relationships;
#[path = "../semantics/paths.rs"]
mod paths;
#[path = "../semantics/reading_one.rs"]
mod reading_one;
#[path = "../semantics/relationship_writes.rs"]
mod relationship_writes;
#[path = "../semantics/self_reference.rs"]
mod self_reference;
#[path = "../semantics/sorting.rs"]
mod sorting;
#[path = "../semantics/spans.rs"]
mod spans;
#[path = "../semantics/sql.rs"]
mod sql;
#[path = "../semantics/text.rs"]
mod text;
#[path = "../semantics/transactions.rs"]
mod transactions;
#[path = "../semantics/upsert_policies.rs"]
mod upsert_policies;
#[path = "../semantics/write_policies.rs"]
mod write_policies;
#[path = "../semantics/writes.rs"]
mod writes;

mod policy_schema;

/// The `resource!` Helpdesk of `tests/common`, for comparing schemas, with the
/// loaders its resources name and the calls those record. `common`
/// (`helpdesk.rs`) loads `loaders.rs` and `calls.rs` too, for the derive
/// resources: each file is two modules here, on purpose, as each `loaders`
/// builds on the resources next to it. These are the only files this binary
/// loads twice, hence `clippy::duplicate_mod` allowed in this module alone.
#[path = "../common"]
mod by_macro {
    #![allow(dead_code, unused_imports, clippy::duplicate_mod)]
    mod calls;
    pub mod hidden_in_hand_resources;
    pub mod identity_resources;
    mod loaders;
    pub mod resources;
    pub mod self_reference_resources;
    pub mod write_policy_resources;
}

/// Everything a schema says, as text (functions called, so that a relationship's
/// destination, join resource, filter and sort are compared by what they give).
fn describe(schema: &ashore::Schema) -> String {
    use std::fmt::Write as _;
    let mut out = format!(
        "{} table={} pk={}\n",
        schema.name, schema.table, schema.primary_key
    );
    for a in schema.attributes {
        writeln!(
            out,
            "  attribute {} {:?} nullable={} generated={:?}",
            a.name, a.value_type, a.nullable, a.generated
        )
        .unwrap();
    }
    for i in schema.identities {
        writeln!(out, "  identity {} {:?}", i.name, i.keys).unwrap();
    }
    // Policies as their conditions and lines say (an `expr(..)` check by its
    // place only: `policy_schema` compares what expressions give).
    for p in schema.policies {
        let lines: Vec<String> = p
            .checks
            .iter()
            .map(|c| format!("{:?} {:?}", c.effect, c.check))
            .collect();
        writeln!(out, "  policy {:?} {lines:?}", p.condition).unwrap();
    }
    writeln!(
        out,
        "  multitenancy {:?}",
        schema.multitenancy.map(|m| (m.attribute, m.global))
    )
    .unwrap();
    for r in schema.relationships {
        let through = r.through.as_ref().map(|t| {
            (
                (t.resource)().name,
                t.source_attribute_on_join_resource,
                t.destination_attribute_on_join_resource,
            )
        });
        writeln!(
            out,
            "  {:?} {} -> {} manual={} no_attributes={} source={} destination={:?} \
             through={:?} filter={:?} condition={:?} sort={:?}",
            r.kind,
            r.name,
            (r.destination)().name,
            r.manual,
            r.no_attributes,
            r.source_attribute,
            r.destination_attribute,
            through,
            r.filter.map(|f| f()),
            r.condition.map(|f| f()),
            (r.sort)(),
        )
        .unwrap();
    }
    out
}

/// Both front ends give the same schema for every Helpdesk resource: the same
/// table, attributes in the same order with the same types, and the same
/// relationships with the same options resolved the same way.
#[test]
fn the_derive_and_resource_macro_give_the_same_schemas() {
    use ashore::Resource as _;
    use by_macro::resources as m;
    let pairs = [
        (
            common::Representative::schema(),
            m::Representative::schema(),
        ),
        (common::Ticket::schema(), m::Ticket::schema()),
        (common::Comment::schema(), m::Comment::schema()),
        (common::Tag::schema(), m::Tag::schema()),
        (common::TicketTag::schema(), m::TicketTag::schema()),
    ];
    for (derived, declared) in pairs {
        assert_eq!(describe(derived), describe(declared));
    }
    // The identities suite's resources, with their identities.
    use by_macro::identity_resources as im;
    use common::identity_resources as id;
    assert_eq!(
        describe(id::Member::schema()),
        describe(im::Member::schema())
    );
    assert_eq!(describe(id::Label::schema()), describe(im::Label::schema()));
    assert_eq!(id::Member::schema().identities.len(), 2);
    // The write_policies suite's resources, with their policies per action.
    use by_macro::write_policy_resources as wm;
    use common::write_policy_resources as wd;
    let pairs = [
        (wd::Member::schema(), wm::Member::schema()),
        (wd::Note::schema(), wm::Note::schema()),
        (wd::Memo::schema(), wm::Memo::schema()),
        (wd::Board::schema(), wm::Board::schema()),
        (wd::Pin::schema(), wm::Pin::schema()),
        (wd::Stamp::schema(), wm::Stamp::schema()),
    ];
    for (derived, declared) in pairs {
        assert_eq!(describe(derived), describe(declared));
    }
    assert_eq!(wd::Note::schema().policies.len(), 3);
    // The hidden_in_hand and self_reference suites' resources.
    use by_macro::hidden_in_hand_resources as hm;
    use by_macro::self_reference_resources as sm;
    use common::hidden_in_hand_resources as hd;
    use common::self_reference_resources as sd;
    assert_eq!(describe(hd::Bin::schema()), describe(hm::Bin::schema()));
    assert_eq!(describe(hd::Part::schema()), describe(hm::Part::schema()));
    assert_eq!(describe(sd::Node::schema()), describe(sm::Node::schema()));
    // Not two names for one schema: the derive's are their own.
    assert!(!std::ptr::eq(pairs[0].0, pairs[0].1));
    assert_eq!(common::Representative::schema().relationships.len(), 20);
    // `parent(..)` reads the source in both front ends' filters alike.
    let above = common::Representative::schema()
        .relationship("above")
        .expect("above");
    assert!(above.no_attributes);
    assert_eq!(
        above.filter.map(|f| f().to_string()).as_deref(),
        Some("(representative_id == parent(id) and priority > parent(priority_threshold))")
    );
}
