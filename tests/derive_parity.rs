//! Parity of the two front ends: the Helpdesk resources declared with
//! `#[derive(Resource)]` (`derive_parity/resources.rs`) pass the behaviour
//! tests the `resource!` ones pass, on memory, SQLite and PostgreSQL.
//!
//! The test bodies are not copied: `derive_parity/semantics_*.rs` are symbolic
//! links to the `tests/semantics_*.rs` files, compiled here as modules. Each
//! one's `mod common;` then finds `derive_parity/common.rs`, which re-exports
//! this crate's `common` (`derive_parity/helpdesk.rs`): the shared code of
//! `tests/common`, with the derive resources in place of the `resource!` ones.
//! Whatever the suites test (loading, nested loads, windows, manual
//! relationships, filters and paths, errors, SQL statements), they test it on
//! the derive resources as well.
//!
//! Files loaded more than once, on purpose: `derive_parity/common.rs` (by
//! each shared test file) and, in `by_macro`, the `resource!` Helpdesk's
//! calls and loaders, to compare its schemas with the derive's.
#![allow(clippy::duplicate_mod)]

#[path = "derive_parity/helpdesk.rs"]
mod common;

#[path = "derive_parity/semantics_errors.rs"]
mod errors;
#[path = "derive_parity/semantics_expr.rs"]
mod expr;
#[path = "derive_parity/semantics_loading.rs"]
mod loading;
#[path = "derive_parity/semantics_loading_nested.rs"]
mod loading_nested;
#[path = "derive_parity/semantics_loading_windows.rs"]
mod loading_windows;
#[path = "derive_parity/semantics_manual.rs"]
mod manual;
#[path = "derive_parity/semantics_paths.rs"]
mod paths;
#[path = "derive_parity/semantics_sql.rs"]
mod sql;

/// The `resource!` Helpdesk of `tests/common`, with its own loaders, for
/// comparing schemas.
#[path = "derive_parity"]
mod by_macro {
    #![allow(dead_code, unused_imports)]
    #[path = "../common/calls.rs"]
    mod calls;
    #[path = "../common/loaders.rs"]
    mod loaders;
    #[path = "../common/resources.rs"]
    pub mod resources;
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
            "  {:?} {} -> {} manual={} source={} destination={:?} through={:?} filter={:?} \
             sort={:?}",
            r.kind,
            r.name,
            (r.destination)().name,
            r.manual,
            r.source_attribute,
            r.destination_attribute,
            through,
            r.filter.map(|f| f()),
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
    // Not two names for one schema: the derive's are their own.
    assert!(!std::ptr::eq(pairs[0].0, pairs[0].1));
    assert_eq!(common::Representative::schema().relationships.len(), 17);
}
