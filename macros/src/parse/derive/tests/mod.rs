//! Unit tests of the `#[derive(Resource)]` parser, on token streams: what goes
//! into the model, and what is generated from it. The errors are tested in
//! `errors.rs`.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use super::*;
use crate::errors::Errors;
use crate::model::{OptionValue, Order, Place, PrimaryKeyKind, RelKind};

mod errors;

/// What the parser returns, with the errors it reported.
pub(super) struct Derived {
    pub resource: model::Resource,
    pub structure: DeriveStruct,
    pub errors: Vec<syn::Error>,
}

/// `super::resource`, with its errors checked and returned (in source order).
pub(super) fn resource(tokens: TokenStream) -> syn::Result<Derived> {
    let errors = Errors::new();
    let parsed = super::resource(tokens, &errors);
    let reported: Vec<syn::Error> = errors.check().err().into_iter().flatten().collect();
    let parsed = parsed?;
    Ok(Derived {
        resource: parsed.resource,
        structure: parsed.structure,
        errors: reported,
    })
}

fn parse(input: TokenStream) -> Derived {
    resource(input).unwrap()
}

fn tokens(t: &impl ToTokens) -> String {
    t.to_token_stream().to_string()
}

pub(super) use crate::tests::derive_errors as errors;

/// The messages only.
pub(super) fn messages(src: &str) -> Vec<String> {
    errors(src).into_iter().map(|(_, _, m)| m).collect()
}

#[test]
fn parses_a_whole_resource() {
    let Derived {
        resource,
        structure,
        errors,
    } = parse(quote! {
        #[derive(Clone)]
        #[resource(table = "reps")]
        pub struct Representative {
            #[resource(uuid_primary_key)]
            pub id: Uuid,
            /// Their name.
            pub name: String,
            pub team_id: Option<Uuid>,
            #[resource(has_many)]
            tickets: Loaded<Vec<Ticket>>,
            #[resource(has_many(manual = Loader { min: 3 }, sort(priority desc)))]
            above: ashore::Loaded<Vec<crate::Ticket>>,
            #[resource(has_one(filter(status == "open"), sort = "priority desc, subject, created_at asc_nils_first"))]
            open: Loaded<Option<Ticket>>,
            #[resource(belongs_to)]
            team: Loaded<Option<Team>>,
            #[resource(many_to_many(
                destination = Tag,
                through = RepTag,
                source_attribute_on_join_resource = rep_id,
                destination_attribute_on_join_resource = "tag_id",
            ))]
            tags: Loaded<Vec<Tag>>,
            /// Their comments.
            #[resource(has_many(source_attribute = name, destination_attribute = author, filter = "priority > 2"))]
            authored: Loaded<Vec<Comment>>,
        }
    });
    assert!(errors.is_empty(), "{:?}", errors);
    assert_eq!(resource.ident, "Representative");
    assert_eq!(tokens(&resource.vis), "pub");
    assert_eq!(resource.table_name(), "reps");
    assert_eq!(structure.fields.len(), 9);
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
            ("team_id".into(), "Option < Uuid >".into(), 0),
        ]
    );
    assert_eq!(
        resource.attributes[0].primary_key.map(|p| p.kind),
        Some(PrimaryKeyKind::Uuid)
    );
    let rels: Vec<_> = resource
        .relationships
        .iter()
        .map(|r| {
            (
                r.name.to_string(),
                r.kind,
                tokens(&r.destination),
                r.options.len(),
            )
        })
        .collect();
    assert_eq!(
        rels,
        [
            ("tickets".into(), RelKind::HasMany, "Ticket".into(), 0),
            (
                "above".into(),
                RelKind::HasMany,
                "crate :: Ticket".into(),
                2
            ),
            ("open".into(), RelKind::HasOne, "Ticket".into(), 2),
            ("team".into(), RelKind::BelongsTo, "Team".into(), 0),
            ("tags".into(), RelKind::ManyToMany, "Tag".into(), 3),
            ("authored".into(), RelKind::HasMany, "Comment".into(), 3),
        ]
    );
    let above = &resource.relationships[1];
    assert_eq!(tokens(above.manual().unwrap()), "Loader { min : 3 }");
    let open = &resource.relationships[2];
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
            ("created_at".into(), Order::AscNilsFirst),
        ]
    );
    assert!(matches!(open.filter(), Some(crate::expr::Expr::Cmp { .. })));
    let tags = &resource.relationships[4];
    assert_eq!(tokens(tags.through().unwrap()), "RepTag");
    let (on_source, on_destination) = resource.join_attributes(tags);
    assert_eq!(
        (on_source.to_string(), on_destination.to_string()),
        ("rep_id".into(), "tag_id".into())
    );
    let authored = &resource.relationships[5];
    assert_eq!(authored.attrs.len(), 1);
    assert!(matches!(
        authored.option(crate::model::OptionKind::DestinationAttribute),
        Some(OptionValue::DestinationAttribute(a)) if a == "author"
    ));
    assert!(authored.filter().is_some());
}

#[test]
fn the_same_model_as_resource_macro() {
    let derived = parse(quote! {
        pub struct Ticket {
            #[resource(integer_primary_key)]
            id: i64,
            subject: String,
            representative_id: Option<Uuid>,
            #[resource(belongs_to)]
            representative: Loaded<Option<Representative>>,
        }
    })
    .resource;
    let dsl_errors = Errors::new();
    let dsl = crate::parse::dsl::resource(
        quote! {
            pub struct Ticket {
                attributes {
                    integer_primary_key id;
                    attribute subject: String;
                }
                relationships {
                    belongs_to representative: Representative;
                }
            }
        },
        &dsl_errors,
    )
    .unwrap();
    assert!(dsl_errors.check().is_ok());
    let columns = |r: &model::Resource| -> Vec<String> {
        r.columns().iter().map(|a| a.name.to_string()).collect()
    };
    assert_eq!(columns(&derived), columns(&dsl));
    assert_eq!(
        tokens(&derived.attributes[0].ty),
        tokens(&dsl.attributes[0].ty)
    );
    assert_eq!(derived.table_name(), dsl.table_name());
    let errors = Errors::new();
    let derived = crate::validate::validate_derive(derived, &errors);
    assert!(errors.check().is_ok());
    assert_eq!(derived.relationships.len(), 1);
}

#[test]
fn a_valid_resource_has_no_errors() {
    let e = errors(
        r#"
        struct Ticket {
            #[resource(uuid_primary_key)]
            id: Uuid,
            author: Option<String>,
            #[resource(belongs_to(source_attribute = author, destination_attribute = name))]
            author_rep: Loaded<Option<Representative>>,
            #[resource(has_many(manual = Loader, filter(a == 1 and b in [1, 2]), sort(a)))]
            children: Loaded<Vec<Ticket>>,
        }
        "#,
    );
    assert_eq!(e, []);
}

#[test]
fn a_primary_key_of_the_wrong_type_keeps_its_type() {
    let parsed = parse(quote!(
        struct T {
            #[resource(integer_primary_key)]
            id: Uuid,
        }
    ));
    assert_eq!(parsed.errors.len(), 1);
    // The user's type, so that the generated code agrees with the struct.
    assert_eq!(tokens(&parsed.resource.attributes[0].ty), "Uuid");
    assert!(parsed.resource.primary_key().is_some());
}

#[test]
fn struct_options() {
    let m = messages(
        r#"#[resource(table = "a", table = "b", table = c, tables = "d")]
        struct T { #[resource(uuid_primary_key)] id: Uuid }"#,
    );
    assert_eq!(
        m,
        [
            "`table` is given twice: keep one",
            "expected the table's name as a string: `table = \"tickets\"`",
            "Unknown field: `tables`. Did you mean `table`?",
        ]
    );
    let parsed = parse(quote!(
        #[resource(table = "a", table = "b")]
        struct T {
            id: Uuid,
        }
    ));
    assert_eq!(parsed.resource.table_name(), "a");
    let parsed = parse(quote!(
        struct TicketTag {
            id: Uuid,
        }
    ));
    assert_eq!(parsed.resource.table_name(), "ticket_tag");
}

#[test]
fn a_sort_order_word_is_kept_as_unknown_for_validation() {
    let parsed = parse(quote! {
        struct T { #[resource(uuid_primary_key)] id: Uuid, #[resource(has_many(sort(a upward)))] c: Loaded<Vec<T>> }
    });
    assert_eq!(parsed.resource.unknown.len(), 1);
    assert_eq!(parsed.resource.unknown[0].place, Place::SortOrder);
}

#[test]
fn generation_emits_no_struct_and_fills_the_fields_in_error() {
    let out = crate::expand::derive_resource(quote! {
        struct T {
            #[resource(uuid_primary_key)]
            id: Uuid,
            #[resource(has_many)]
            bad: Vec<T>,
            #[resource(has_many(destination_attribute = id))]
            good: Loaded<Vec<T>>,
        }
    });
    let file: syn::File = syn::parse2(out.clone()).unwrap();
    let structs: Vec<String> = file
        .items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    // The user's struct is not emitted again (the field references, `TFields`,
    // are the template's, inside the `const _` block).
    assert!(structs.is_empty(), "{structs:?}");
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let text = squeeze(&out.to_string());
    assert!(text.contains(&squeeze("bad: (|| ::core::unreachable!())(),")));
    // `good` is set to not loaded by the template (`__private::resource_fns!`).
    assert!(text.contains(&squeeze(
        "not_loaded [good] unplaced [bad: (|| ::core::unreachable!())(),]"
    )));
    assert!(text.contains("compile_error"));
    // `resource!` still emits its struct.
    let out = crate::expand::resource(quote!(struct T { attributes { uuid_primary_key id; } }));
    let file: syn::File = syn::parse2(out).unwrap();
    assert!(
        file.items
            .iter()
            .any(|i| matches!(i, syn::Item::Struct(s) if s.ident == "T"))
    );
}

#[test]
fn not_stored_option_is_kept_and_takes_no_value() {
    let parsed = parse(quote!(
        #[resource(not_stored)]
        struct Forecast {
            #[resource(uuid_primary_key)]
            id: Uuid,
        }
    ));
    assert!(parsed.errors.is_empty());
    assert!(parsed.resource.not_stored.is_some());
    assert_eq!(
        messages(
            r#"#[resource(not_stored = true, not_stored, not_stored)]
            struct T { #[resource(uuid_primary_key)] id: Uuid }"#
        ),
        [
            "`not_stored` takes no value: `#[resource(not_stored)]`",
            "`not_stored` is given twice: keep one",
        ]
    );
}
