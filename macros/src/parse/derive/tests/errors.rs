//! Unit tests of the errors of `#[derive(Resource)]` (parse and validation):
//! each message, and each on its token.

use quote::quote;

use super::{errors, messages, resource};
use crate::errors::Errors;

#[test]
fn misspelled_options_get_did_you_mean_and_are_read_as_the_suggestion() {
    let src = r#"
        #[resource(tabel = "x")]
        struct Ticket {
            #[resource(uuid_primary_ky)]
            id: Uuid,
            #[resource(has_man(manul = Loader, filter(a == 1)))]
            children: Loaded<Vec<Ticket>>,
        }
    "#;
    let e = errors(src);
    let at: Vec<_> = e.iter().map(|(l, c, _)| (*l, *c)).collect();
    assert_eq!(at, [(2, 19), (4, 23), (6, 23), (6, 31)]);
    assert_eq!(e[0].2, "Unknown field: `tabel`. Did you mean `table`?");
    assert_eq!(
        e[1].2,
        "Unknown field: `uuid_primary_ky`. Did you mean `uuid_primary_key`?"
    );
    assert_eq!(e[2].2, "Unknown field: `has_man`. Did you mean `has_many`?");
    assert_eq!(e[3].2, "Unknown field: `manul`. Did you mean `manual`?");
    // Recovery: the key and the relationship (with its other options) are kept,
    // so there is no "no primary key" or other follow-on error.
    let parsed = resource(src.parse().unwrap()).unwrap();
    assert_eq!(parsed.resource.relationships.len(), 1);
    assert!(parsed.resource.relationships[0].filter().is_some());
    assert!(parsed.resource.primary_key().is_some());
}

#[test]
fn unknown_words_far_from_any_list_the_alternatives() {
    let m = messages(
        r#"struct T { #[resource(uuid_primary_key)] id: Uuid,
            #[resource(has_many(zzz = 1))] c: Loaded<Vec<T>>, }"#,
    );
    assert_eq!(m.len(), 1);
    assert!(
        m[0].starts_with("Unknown field: `zzz`. Available values: `destination`"),
        "{}",
        m[0]
    );
}

#[test]
fn unknown_sort_order_is_reported_like_resource_macro() {
    let m = messages(
        r#"struct T { #[resource(uuid_primary_key)] id: Uuid, a: i64,
            #[resource(has_many(sort(a dsc)))] c: Loaded<Vec<T>>, }"#,
    );
    assert_eq!(m, ["unknown sort order `dsc`; did you mean `desc`?"]);
}

#[test]
fn relationship_fields_must_be_loaded_of_the_right_container() {
    let e = errors(
        r#"struct T {
            #[resource(uuid_primary_key)] id: Uuid,
            #[resource(has_many)] a: Vec<T>,
            #[resource(has_one)] b: Loaded<Vec<T>>,
            #[resource(many_to_many(through = J))] c: Loaded<Option<T>>,
            #[resource(has_many)] d: Loaded<Things>,
            e: Loaded<Vec<T>>,
            f: Loaded<Option<T>>,
        }"#,
    );
    let messages: Vec<_> = e.iter().map(|(l, _, m)| (*l, m.as_str())).collect();
    assert_eq!(
        messages,
        [
            (
                3,
                "a `has_many` field holds what a load attaches: declare it `a: Loaded<Vec<T>>`"
            ),
            (
                4,
                "a `has_one` loads at most one record, not a `Vec`: declare the field \
                 `Loaded<Option<T>>`"
            ),
            (
                5,
                "a `many_to_many` loads a list of records, not a `Option`: declare the field \
                 `Loaded<Vec<T>>`"
            ),
            (
                6,
                "cannot tell the destination from this type: declare the field \
                 `Loaded<Vec<Ticket>>` or add `destination = Ticket` to `has_many(..)`"
            ),
            (
                7,
                "`e` is a `Loaded<..>` field but declares no relationship: mark it \
                 `#[resource(has_many)]` or `#[resource(many_to_many(..))]`"
            ),
            (
                8,
                "`f` is a `Loaded<..>` field but declares no relationship: mark it \
                 `#[resource(belongs_to)]` or `#[resource(has_one)]`"
            ),
        ]
    );
    // The fields in error are left out of the model, for generation to fill.
    let parsed = resource(quote!(
        struct T {
            #[resource(uuid_primary_key)]
            id: Uuid,
            #[resource(has_many)]
            a: Vec<T>,
            e: Loaded<Vec<T>>,
        }
    ))
    .unwrap();
    assert!(parsed.resource.relationships.is_empty());
    assert_eq!(parsed.resource.attributes.len(), 1);
    assert_eq!(parsed.structure.fields.len(), 3);
}

#[test]
fn destination_must_agree_with_the_field() {
    let m = messages(
        r#"struct T { #[resource(uuid_primary_key)] id: Uuid,
            #[resource(has_many(destination = Tag))] c: Loaded<Vec<Ticket>>,
            #[resource(has_many(destination = crate::Ticket))] d: Loaded<Vec<Ticket>>,
            #[resource(has_many(destination = Ticket))] e: Loaded<Tickets>, }"#,
    );
    assert_eq!(
        m,
        [
            "the field loads `Ticket` but `destination` says `Tag`: make them agree (the field's \
          type alone is enough: remove `destination`)"
        ]
    );
}

#[test]
fn primary_key_rules() {
    let m = messages(
        r#"struct T {
            #[resource(uuid_primary_key)] id: i64,
            #[resource(integer_primary_key)] other: i64,
            #[resource(uuid_primary_key, uuid_primary_key = true)] third: Uuid,
        }"#,
    );
    assert_eq!(
        m,
        [
            "`uuid_primary_key` keys are `Uuid`: declare the field `id: Uuid`",
            "`T` already has the primary key `id`: a resource has exactly one; remove this \
             `integer_primary_key`",
            "`T` already has the primary key `id`: a resource has exactly one; remove this \
             `uuid_primary_key`",
            "`uuid_primary_key` takes no value: write `#[resource(uuid_primary_key)]`",
        ]
    );
    let m = messages("struct T { name: String }");
    assert_eq!(
        m,
        [
            "`T` has no primary key: mark its key field `#[resource(uuid_primary_key)]` (an `id: \
          Uuid`) or `#[resource(integer_primary_key)]` (an `id: i64`)"
        ]
    );
}

#[test]
fn one_role_per_field() {
    let m = messages(
        r#"struct T {
            #[resource(uuid_primary_key, has_many)] id: Uuid,
            #[resource(has_many, has_one)] a: Loaded<Vec<T>>,
            #[resource(has_many)] #[resource(has_many(sort(id)))] b: Loaded<Vec<T>>,
            #[resource(has_many, uuid_primary_key)] c: Loaded<Vec<T>>,
            #[resource(has_many = T)] d: Loaded<Vec<T>>,
        }"#,
    );
    assert_eq!(
        m,
        [
            "this field is the `uuid_primary_key`: a relationship is a field of its own, typed \
             `Loaded<..>`",
            "this field is already a `has_many`: a field holds one relationship; keep `has_many` \
             or `has_one`",
            "`has_many` is given twice: merge the options into one `has_many(..)`",
            "this field is already a `has_many` relationship: the primary key is a field of its \
             own (`id: Uuid`)",
            "write the options in parentheses: `has_many(destination = Ticket)`, or `has_many` \
             alone",
        ]
    );
}

#[test]
fn repeated_and_misplaced_options_are_validated_as_for_resource_macro() {
    let m = messages(
        r#"struct T { #[resource(uuid_primary_key)] id: Uuid, a: i64,
            #[resource(has_many(sort(a), sort(a desc), through = J))] c: Loaded<Vec<T>>,
            #[resource(belongs_to(manual = L, source_attribute = a))] d: Loaded<Option<T>>,
            #[resource(many_to_many)] e: Loaded<Vec<T>>,
            #[resource(has_many(destination = T, destination = T))] f: Loaded<Vec<T>>,
        }"#,
    );
    assert_eq!(m.len(), 5, "{m:?}");
    assert!(
        m[0].starts_with("`sort` is given twice (first on line 2"),
        "{}",
        m[0]
    );
    assert_eq!(m[1], "`through` is only allowed on many_to_many");
    assert_eq!(m[2], "`manual` is only allowed on has_one and has_many");
    assert_eq!(
        m[3],
        "many_to_many `e` needs a join resource: add `through = JoinResource` to its \
         `many_to_many(..)`"
    );
    assert_eq!(m[4], "`destination` is given twice: keep one");
}

#[test]
fn a_belongs_to_needs_its_foreign_key_field() {
    let src = r#"struct Ticket { #[resource(uuid_primary_key)] id: Uuid,
            #[resource(belongs_to)] representative: Loaded<Option<Representative>>,
            #[resource(belongs_to(source_attribute = author, destination_attribute = name))]
            author_rep: Loaded<Option<Representative>>,
        }"#;
    let e = errors(src);
    assert_eq!((e[0].0, e[0].1), (2, 36));
    assert_eq!(
        e[0].2,
        "belongs_to `representative` keeps the key of `Representative` in `representative_id`, \
         which is not a field of `Ticket`: add `pub representative_id: Option<Uuid>` (the \
         `Option` of `Representative`'s primary key type: `Option<i64>` for an \
         `integer_primary_key`)"
    );
    assert_eq!((e[1].0, e[1].1), (3, 53));
    assert_eq!(
        e[1].2,
        "belongs_to `author_rep` keeps the key of `Representative` in `author`, which is not a \
         field of `Ticket`: add `pub author: Option<T>`, `T` the type of `Representative`'s \
         `name`"
    );
    // Removed, so generation names no missing field.
    let parsed = resource(src.parse().unwrap()).unwrap();
    let errors = Errors::new();
    let checked = crate::validate::validate_derive(parsed.resource, &errors);
    drop(errors.check());
    assert!(checked.relationships.is_empty());
}

#[test]
fn filters_and_sorts_report_on_the_users_tokens() {
    let e = errors(
        r#"struct T { #[resource(uuid_primary_key)] id: Uuid,
            #[resource(has_many(filter(a = 1)))] b: Loaded<Vec<T>>,
            #[resource(has_many(filter(a == 1 b)))] c: Loaded<Vec<T>>,
            #[resource(has_many(filter()))] d: Loaded<Vec<T>>,
            #[resource(has_many(sort()))] e: Loaded<Vec<T>>,
            #[resource(has_many(filter = 3))] f: Loaded<Vec<T>>,
            #[resource(has_many(manual))] g: Loaded<Vec<T>>,
            #[resource(has_many(source_attribute = a.b))] h: Loaded<Vec<T>>,
        }"#,
    );
    let got: Vec<_> = e.iter().map(|(l, c, m)| (*l, *c, m.as_str())).collect();
    assert_eq!(got[0], (2, 41, "use `==` to compare"));
    assert_eq!(
        got[1],
        (
            3,
            46,
            "expected an operator (`and`, `or`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `+`, `-`, \
             `*`, `/`) or the end of the filter"
        )
    );
    assert_eq!(
        got[2],
        (4, 39, "expected a filter: `filter(status == \"open\")`")
    );
    assert_eq!(
        got[3],
        (5, 37, "expected a sort key: `sort(priority desc, subject)`")
    );
    assert_eq!(
        got[4].2,
        "expected `filter(status == \"open\")`, the value in parentheses or in quotes"
    );
    assert_eq!(got[5].2, "expected `manual = Loader`");
    assert_eq!(
        got[6].2,
        "expected an attribute name: `source_attribute = ticket_id`"
    );
    assert_eq!(got.len(), 7);
}

#[test]
fn wrong_shapes_abort_with_one_error() {
    let error = |src: &str| match resource(src.parse().unwrap()) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    };
    assert_eq!(
        error("enum T { A }"),
        "a resource is declared as a `struct`"
    );
    assert_eq!(
        error("struct T(i64);"),
        "a resource has named fields: `struct Ticket { id: Uuid, .. }`"
    );
    assert_eq!(
        error("struct T<X> { x: X }"),
        "a resource cannot have generic parameters"
    );
    assert_eq!(
        messages(r#"#[resource(table = "")] struct T { #[resource(uuid_primary_key)] id: Uuid }"#),
        ["the table name cannot be empty"]
    );
}
