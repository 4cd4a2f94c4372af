//! Compile-fail tests of `resource!` and `expr!`: each case under `tests/ui/` must
//! fail to compile with the error in its `.stderr`, on the user's offending token.
//! Regenerate the expected output with `TRYBUILD=overwrite cargo test --test ui`
//! and read every `.stderr` as a user would before committing it.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
