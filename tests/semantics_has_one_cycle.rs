//! A has_one and the belongs_to that points back (DESIGN "Semantics" 4): the most
//! common pair of to-one relationships (Ash's `has_one :latest_ticket` next to
//! the ticket's `belongs_to :representative`), and a belongs_to a resource's own
//! kind (`belongs_to parent: Case`).
//!
//! Both make structs that hold each other through to-one fields, which compile
//! only when those fields have indirection; the case is built and run through
//! trybuild so that a failure to compile fails this one test, not the build of
//! every test.

#[test]
fn has_one_and_the_belongs_to_back_compile_and_load_both_ways() {
    let t = trybuild::TestCases::new();
    t.pass("tests/semantics_has_one_cycle/has_one_and_belongs_to_back.rs");
}
