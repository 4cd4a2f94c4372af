//! Unit tests of the `resource!` parser, on token streams.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use super::*;
use crate::errors::Errors;
use crate::model::{OptionValue, Order, Place, PrimaryKeyKind, RelKind};

/// What the parser returns, with the errors it reported.
struct Parsed {
    resource: Resource,
    errors: Vec<syn::Error>,
}

/// `super::resource`, with its errors checked and returned (in source order).
/// An abort reports nothing else: the items are read after the structure.
fn resource(tokens: TokenStream) -> syn::Result<Parsed> {
    let errors = Errors::new();
    let parsed = super::resource(tokens, &errors);
    let reported: Vec<syn::Error> = errors.check().err().into_iter().flatten().collect();
    match parsed {
        Ok(resource) => Ok(Parsed {
            resource,
            errors: reported,
        }),
        Err(abort) => {
            assert!(reported.is_empty(), "{abort} after {reported:?}");
            Err(abort)
        }
    }
}

fn parse(src: &str) -> Parsed {
    resource(src.parse().unwrap()).unwrap()
}

fn parse_error(src: &str) -> String {
    match resource(src.parse().unwrap()) {
        Ok(_) => panic!("expected a parse error"),
        Err(e) => e.to_string(),
    }
}

fn tokens(t: &impl ToTokens) -> String {
    t.to_token_stream().to_string()
}

#[test]
fn parses_a_whole_resource() {
    let input: TokenStream = quote! {
        /// A representative.
        #[derive(Debug, Clone)]
        pub struct Representative {
            attributes {
                uuid_primary_key id;
                /// Their name.
                attribute name: String;
                attribute born: Option<DateTime<Utc>>;
            }
            relationships {
                has_many tickets: Ticket;
                has_many above: crate::Ticket { manual Loader { min: 3 }; }
                has_one open: Ticket {
                    filter status == "open";
                    sort priority desc, subject, created_at asc_nils_first;
                }
                belongs_to team: Team;
                many_to_many tags: Tag {
                    through RepTag;
                    source_attribute_on_join_resource rep_id;
                    destination_attribute_on_join_resource tag_id;
                };
            }
        }
    };
    let Parsed { resource, errors } = resource(input).unwrap();
    assert!(errors.is_empty());
    assert_eq!(resource.ident, "Representative");
    assert_eq!(resource.attrs.len(), 2);
    assert_eq!(tokens(&resource.vis), "pub");
    let attributes: Vec<_> = resource
        .attributes
        .iter()
        .map(|a| (a.name.to_string(), tokens(&a.ty), a.attrs.len()))
        .collect();
    assert_eq!(
        attributes,
        [
            ("id".into(), ":: ashore :: __private :: Uuid".into(), 0),
            ("name".into(), "String".into(), 1),
            ("born".into(), "Option < DateTime < Utc > >".into(), 0),
        ]
    );
    assert_eq!(
        resource.attributes[0].primary_key.map(|p| p.kind),
        Some(PrimaryKeyKind::Uuid)
    );
    let kinds: Vec<_> = resource.relationships.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [
            RelKind::HasMany,
            RelKind::HasMany,
            RelKind::HasOne,
            RelKind::BelongsTo,
            RelKind::ManyToMany
        ]
    );
    let above = &resource.relationships[1];
    assert_eq!(tokens(&above.destination), "crate :: Ticket");
    assert_eq!(tokens(above.manual().unwrap()), "Loader { min : 3 }");
    let open = &resource.relationships[2];
    assert!(open.filter().is_some());
    let sort: Vec<_> = open
        .sort()
        .iter()
        .map(|k| (k.field.to_string(), k.order))
        .collect();
    assert_eq!(
        sort,
        [
            ("priority".into(), Order::Desc),
            ("subject".into(), Order::Asc),
            ("created_at".into(), Order::AscNilsFirst)
        ]
    );
    let tags = &resource.relationships[4];
    assert_eq!(tokens(tags.through().unwrap()), "RepTag");
    assert!(matches!(
        &tags.options[1].value,
        OptionValue::SourceAttributeOnJoinResource(i) if i == "rep_id"
    ));
}

#[test]
fn defaults_follow_ash() {
    let Parsed { resource, .. } = parse(
        "struct TicketTag { attributes { integer_primary_key key; }
         relationships {
            belongs_to team: Team;
            has_many tickets: Ticket;
            has_one manual_one: Ticket { manual M; }
            many_to_many tags: BigTag { through J; }
         } }",
    );
    let rels = &resource.relationships;
    let source: Vec<_> = rels
        .iter()
        .map(|r| resource.source_attribute(r).to_string())
        .collect();
    assert_eq!(source, ["team_id", "key", "key", "key"]);
    let destination: Vec<_> = rels
        .iter()
        .map(|r| resource.destination_attribute(r).map(|i| i.to_string()))
        .collect();
    assert_eq!(
        destination,
        [None, Some("ticket_tag_id".into()), None, None]
    );
    let (on_source, on_destination) = resource.join_attributes(&rels[3]);
    assert_eq!(
        (on_source.to_string(), on_destination.to_string()),
        ("ticket_tag_id".into(), "big_tag_id".into())
    );
    let columns: Vec<_> = resource
        .columns()
        .iter()
        .map(|c| (c.name.to_string(), tokens(&c.ty)))
        .collect();
    assert_eq!(
        columns,
        [
            ("key".into(), ":: core :: primitive :: i64".into()),
            (
                "team_id".into(),
                "__ashore :: Option < < Team as __ashore :: Resource > :: PrimaryKey >".into()
            ),
        ]
    );
}

#[test]
fn an_explicit_foreign_key_is_used_as_declared() {
    let Parsed { resource, .. } = parse(
        "struct T { attributes { uuid_primary_key id; attribute team_id: Option<i64>; }
         relationships { belongs_to team: Team; } }",
    );
    let columns = resource.columns();
    assert_eq!(columns.len(), 2);
    assert_eq!(tokens(&columns[1].ty), "Option < i64 >");
}

#[test]
fn a_broken_item_does_not_lose_the_others() {
    let Parsed { resource, errors } = parse(
        "struct T {
            attributes { uuid_primary_key id; attribute a String; attribute b: i64; attribute c: i64 }
            relationships {
                has_many x T;
                has_many y: T { filter a == ; sort b; }
                has_one z: T
            }
        }",
    );
    let names: Vec<_> = resource
        .attributes
        .iter()
        .map(|a| a.name.to_string())
        .collect();
    assert_eq!(names, ["id", "b", "c"]);
    let rels: Vec<_> = resource
        .relationships
        .iter()
        .map(|r| (r.name.to_string(), r.options.len()))
        .collect();
    assert_eq!(rels, [("y".into(), 1), ("z".into(), 0)]);
    let messages: Vec<_> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "expected `:` and the attribute's type: `attribute a: String;`",
            "expected `;` after this attribute",
            "expected `:` and the destination resource: `has_many x: Ticket;`",
            "expected a value: an attribute, a literal, a pinned `^value`, a function like `is_nil(..)` or `contains(..)`, or `( .. )`",
            "expected `;` (or `{ options }`) after this relationship",
        ]
    );
}

#[test]
fn unknown_words_are_kept_for_validation() {
    let Parsed { resource, errors } = parse(
        "struct T { attributes { uuid_primary_key id; atribute x: i64; }
          relationships { has_man y: T; has_many z: T { sorting a; sort a dsc; } }
          actions { create; } }",
    );
    assert!(errors.is_empty());
    let unknown: Vec<_> = resource
        .unknown
        .iter()
        .map(|u| (u.place, u.word.to_string()))
        .collect();
    assert_eq!(
        unknown,
        [
            (Place::Attribute, "atribute".into()),
            (Place::Relationship, "has_man".into()),
            (Place::Option, "sorting".into()),
            (Place::SortOrder, "dsc".into()),
            (Place::Block, "actions".into()),
        ]
    );
    assert_eq!(resource.relationships[0].sort()[0].order, Order::Asc);
}

#[test]
fn structure_errors_abort() {
    assert_eq!(
        parse_error("enum T {}"),
        "a resource is declared as a `struct`"
    );
    assert_eq!(
        parse_error("struct T<X> {}"),
        "a resource cannot have generic parameters"
    );
    assert!(parse_error("struct T;").starts_with("expected `{` and the resource's blocks"));
    assert_eq!(
        parse_error("struct T {} struct U {}"),
        "expected the end of `resource!`: declare one resource per `resource! { .. }`"
    );
    assert_eq!(
        parse_error("struct T { attributes; }"),
        "expected `{` to open the block"
    );
    assert_eq!(
        parse_error("struct T { 3 }"),
        "expected one of: `attributes`, `relationships`, `aggregates`, `policies`, `multitenancy`, `identities`, `table`"
    );
    assert!(parse_error("fn x() {}").starts_with("expected `struct`"));
    // Items are read once the structure is known good: an item's error is not
    // reported with the structure's.
    assert_eq!(
        parse_error("struct T { attributes { attribute a String; } } struct U {}"),
        "expected the end of `resource!`: declare one resource per `resource! { .. }`"
    );
}

#[test]
fn a_primary_key_takes_no_type() {
    let Parsed { errors, .. } = parse("struct T { attributes { uuid_primary_key id: Uuid; } }");
    assert_eq!(
        errors[0].to_string(),
        "`uuid_primary_key` implies the type (Uuid): remove the `: ..`"
    );
}

#[test]
fn items_are_cut_at_semicolons_and_braces() {
    let items = split_items(
        "has_many a: T; has_one b: T { sort x; }; belongs_to c: T { } many_to_many d: T"
            .parse()
            .unwrap(),
        true,
    );
    let cut: Vec<_> = items
        .iter()
        .map(|i| (i.tokens.to_string(), i.missing_semicolon.is_some()))
        .collect();
    assert_eq!(
        cut,
        [
            ("has_many a : T ;".into(), false),
            ("has_one b : T { sort x ; } ;".into(), false),
            ("belongs_to c : T { }".into(), false),
            ("many_to_many d : T ;".into(), true),
        ]
    );
}

#[test]
fn table_option_names_the_table() {
    let parsed = parse(
        r#"pub struct TicketTag { table "ticket_tags"; attributes { uuid_primary_key id; } }"#,
    );
    assert_eq!(parsed.resource.table_name(), "ticket_tags");
    let parsed = parse(r#"pub struct TicketTag { attributes { uuid_primary_key id; } }"#);
    assert_eq!(parsed.resource.table_name(), "ticket_tag");
    let err = parse_error(r#"pub struct T { table tickets; attributes { uuid_primary_key id; } }"#);
    assert_eq!(
        err,
        "expected the table's name as a string: `table \"tickets\";`"
    );
}

#[test]
fn not_stored_option_is_kept_and_takes_no_value() {
    let parsed =
        parse(r#"pub struct Forecast { not_stored; attributes { uuid_primary_key id; } }"#);
    assert!(parsed.errors.is_empty());
    assert_eq!(
        parsed.resource.not_stored.map(|k| k.to_string()).as_deref(),
        Some("not_stored")
    );
    let parsed = parse(r#"pub struct Forecast { attributes { uuid_primary_key id; } }"#);
    assert!(parsed.resource.not_stored.is_none());
    let err =
        parse_error(r#"pub struct F { not_stored true; attributes { uuid_primary_key id; } }"#);
    assert_eq!(err, "expected `;`: `not_stored;` takes no value");
}
