//! `#[derive(Resource)]` -> [`crate::model::Resource`], with
//! darling.
//!
//! The struct's own `#[resource(table = "..")]` is a darling `FromAttributes`;
//! each field is a darling `FromField` whose `#[resource(..)]` items are
//! `FieldOptions` (in `options.rs`). A plain field is an attribute, a field
//! marked `uuid_primary_key` or `integer_primary_key` the primary key, and a field
//! marked with a relationship kind a relationship, whose destination is the
//! `Loaded<Vec<D>>` or `Loaded<Option<D>>` of its type (or `destination = D`).
//!
//! Rules about one field are checked here, each error on the user's token: a
//! relationship field that is not `Loaded<..>`, or a list where the kind loads one
//! record; a `Loaded<..>` field with no relationship; a primary key field whose
//! type is not the key's. A field in error is left out of the model (generation
//! fills it), so the rest of the resource is still generated.

mod identities;
mod options;
mod policies;

use std::cell::OnceCell;

use darling::{FromAttributes, FromField};
use proc_macro2::TokenStream;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, GenericArgument, Ident, PathArguments, Type};

use crate::errors::Errors;
use crate::model::{self, DeriveStruct, Origin, PrimaryKeyKind, RelKind, type_name};
use options::{FieldOptions, RelSpec, ResourceOptions};

/// A parsed derive input.
pub struct Derived {
    /// The resource, as `resource!` would have declared it.
    pub resource: model::Resource,
    /// The user's struct, which generation does not emit.
    pub structure: DeriveStruct,
}

/// The struct's `#[resource(..)]` attributes.
#[derive(FromAttributes)]
#[darling(attributes(resource))]
struct StructInput {
    #[darling(flatten)]
    options: ResourceOptions,
}

/// One field, with its doc comments and `#[resource(..)]` items.
#[derive(FromField)]
#[darling(attributes(resource), forward_attrs(doc))]
struct FieldInput {
    ident: Option<Ident>,
    ty: Type,
    attrs: Vec<syn::Attribute>,
    #[darling(flatten)]
    options: FieldOptions,
}

/// Parses the input of `#[derive(Resource)]`. Only a wrong shape (not a struct
/// with named fields, or generic) aborts; every other error is reported into
/// `errors` (darling's converted at this boundary) and the model returned.
pub fn resource(tokens: TokenStream, errors: &Errors) -> syn::Result<Derived> {
    let input: DeriveInput = syn::parse2(tokens)?;
    let named = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => named,
            _ => {
                return Err(syn::Error::new(
                    input.ident.span(),
                    "a resource has named fields: `struct Ticket { id: Uuid, .. }`",
                ));
            }
        },
        Data::Enum(data) => {
            return Err(syn::Error::new(
                data.enum_token.span,
                "a resource is declared as a `struct`",
            ));
        }
        Data::Union(data) => {
            return Err(syn::Error::new(
                data.union_token.span,
                "a resource is declared as a `struct`",
            ));
        }
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(
            input.generics.span(),
            "a resource cannot have generic parameters",
        ));
    }
    bare_resource_attributes(&input.attrs, "`#[resource(table = \"tickets\")]`", errors);
    let mut options = match StructInput::from_attributes(&input.attrs) {
        Ok(parsed) => parsed.options,
        Err(e) => {
            errors.darling_error(e);
            ResourceOptions::default()
        }
    };
    for e in std::mem::take(&mut options.errors) {
        errors.darling_error(e);
    }
    if let Some(table) = &options.table
        && table.value().is_empty()
    {
        errors.darling_error(
            darling::Error::custom("the table name cannot be empty").with_span(table),
        );
    }
    let mut derived = Derived {
        resource: model::Resource {
            attrs: Vec::new(),
            vis: input.vis.clone(),
            ident: input.ident.clone(),
            attributes: Vec::new(),
            relationships: Vec::new(),
            aggregates: Vec::new(),
            table: options.table,
            not_stored: options.not_stored,
            policies: options.policies,
            multitenancy: options.multitenancy,
            identities: options.identities,
            unknown: options.unknown,
        },
        structure: DeriveStruct { fields: Vec::new() },
    };
    for field in &named.named {
        let Some(ident) = field.ident.clone() else {
            continue;
        };
        derived.structure.fields.push(ident);
        bare_resource_attributes(&field.attrs, "`#[resource(belongs_to)]`", errors);
        // A field whose attributes do not parse at all is left out.
        match FieldInput::from_field(field) {
            Ok(field) => derived.field(field, errors),
            Err(e) => errors.darling_error(e),
        }
    }
    Ok(derived)
}

/// Reports each `#[resource]` without options in `attrs`, which darling
/// would read as no options at all: the user meant to say something
/// (`example`, an option where it stands).
fn bare_resource_attributes(attrs: &[syn::Attribute], example: &str, errors: &Errors) {
    for attr in attrs {
        if let syn::Meta::Path(path) = &attr.meta
            && path.is_ident("resource")
        {
            errors.error_spanned_by(
                attr,
                format_args!(
                    "`#[resource]` without options says nothing: give it options \
                     ({example}) or remove it"
                ),
            );
        }
    }
}

impl Derived {
    /// Adds one field to the model, or reports why it cannot be.
    fn field(&mut self, field: FieldInput, errors: &Errors) {
        let FieldInput {
            ident,
            ty,
            attrs,
            options,
        } = field;
        let Some(name) = ident else { return };
        for e in options.errors {
            errors.darling_error(e);
        }
        if let Some((tokens, end, keyword)) = options.aggregate {
            let Some(value) = loaded(&ty) else {
                errors.error_spanned_by(
                    &ty,
                    format!(
                        "an `aggregate` field holds its loaded value: declare it `{}: Loaded<i64>` \
                         (the aggregate's type inside `Loaded<..>`)",
                        name.unraw()
                    ),
                );
                return;
            };
            let parsed =
                crate::parse::aggregates::derive_spec(name, value.clone(), attrs, tokens, end);
            match parsed {
                Ok(aggregate) => self.resource.aggregates.push(aggregate),
                Err(e) => errors.syn_error(syn::Error::new(
                    e.span(),
                    format!("{e} (in `{keyword}(..)`)"),
                )),
            }
            return;
        }
        if let Some(mut spec) = options.relationship {
            self.resource.unknown.append(&mut spec.unknown);
            match relationship(name, &ty, attrs, spec) {
                Ok(rel) => self.resource.relationships.push(rel),
                Err(e) => errors.syn_error(e),
            }
            return;
        }
        if let Some(inner) = loaded(&ty) {
            let kinds = match container(inner) {
                Some(("Vec", _)) => "`#[resource(has_many)]` or `#[resource(many_to_many(..))]`",
                Some(("Option", _)) => "`#[resource(belongs_to)]` or `#[resource(has_one)]`",
                _ => "`#[resource(has_many)]`, `#[resource(has_one)]`, ...",
            };
            errors.error_at(
                name.span(),
                format!(
                    "`{}` is a `Loaded<..>` field but declares no relationship: mark it {kinds}",
                    name.unraw()
                ),
            );
            return;
        }
        let mut key_type = None;
        if let Some(pk) = options.primary_key {
            let expected = pk.kind.type_name();
            // The key's own type, or a name that may be an alias of it
            // (`type TicketId = Uuid;`): the generated code reads the key as
            // that type, so an alias of another is rustc's mismatch there, on
            // this type. A type known to be another is refused here.
            let named = type_name(&ty).map(ToString::to_string);
            let alias = named
                .as_deref()
                .is_some_and(|t| !KNOWN_TYPES.contains(&t) && !is_option_or_ref(&ty));
            if named.as_deref() == Some(expected) || alias {
                key_type = Some(pk.kind);
            } else {
                // Reported; the field keeps its type, so nothing else fails.
                errors.error_spanned_by(
                    &ty,
                    format!(
                        "`{}` keys are `{expected}`: declare the field `{}: {expected}`",
                        pk.kind.keyword(),
                        name.unraw()
                    ),
                );
            }
        }
        self.resource.attributes.push(model::Attribute {
            attrs,
            name,
            ty: match key_type {
                // The key's type as `resource!` writes it, on the user's type.
                Some(PrimaryKeyKind::Uuid) => {
                    syn::parse_quote_spanned!(ty.span()=> ::ashore::__private::Uuid)
                }
                Some(PrimaryKeyKind::Integer) => {
                    syn::parse_quote_spanned!(ty.span()=> ::core::primitive::i64)
                }
                None => ty,
            },
            primary_key: options.primary_key,
            origin: Origin::Declared,
        });
    }
}

/// Names of types a primary key cannot be an alias of: the standard and
/// ashore's value types, and the wrappers of fields.
const KNOWN_TYPES: &[&str] = &[
    "String",
    "str",
    "Uuid",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "f32",
    "f64",
    "bool",
    "char",
    "Option",
    "Vec",
    "Box",
    "DateTime",
    "NaiveDate",
    "Decimal",
    "Value",
    "Loaded",
];

/// Whether `ty` has generic arguments or is a reference: never an alias of a key.
fn is_option_or_ref(ty: &Type) -> bool {
    match ty {
        Type::Path(p) => p
            .path
            .segments
            .iter()
            .any(|s| !matches!(s.arguments, PathArguments::None)),
        _ => true,
    }
}

/// The relationship of a field, its destination taken from `destination = ..`
/// or from the field's `Loaded<..>` type, which must suit the kind.
fn relationship(
    name: Ident,
    ty: &Type,
    attrs: Vec<syn::Attribute>,
    spec: RelSpec,
) -> syn::Result<model::Relationship> {
    let kind = spec.kind;
    let wrapper = if kind.is_many() { "Vec" } else { "Option" };
    let Some(inner) = loaded(ty) else {
        // The destination as the field names it (`Vec<Ticket>`, `Ticket`),
        // else the destination option's.
        let destination = container(ty).map_or(ty, |(_, d)| d);
        let destination = match &spec.destination {
            Some(given) => quote::quote!(#given),
            None => quote::quote!(#destination),
        };
        return Err(syn::Error::new_spanned(
            ty,
            format!(
                "a `{}` field holds what a load attaches: declare it `{}: Loaded<{wrapper}<{}>>`",
                kind.keyword(),
                name.unraw(),
                destination.to_string().replace(' ', "")
            ),
        ));
    };
    let from_type = match container(inner) {
        Some((found, destination)) if found == wrapper => Some(destination.clone()),
        Some((found, destination)) => {
            let loads = if kind.is_many() {
                "a list of records"
            } else {
                "at most one record"
            };
            return Err(syn::Error::new_spanned(
                inner,
                format!(
                    "a `{}` loads {loads}, not a `{found}`: declare the field \
                     `Loaded<{wrapper}<{}>>`",
                    kind.keyword(),
                    quote::quote!(#destination)
                ),
            ));
        }
        None => None,
    };
    let destination = match (spec.destination, from_type) {
        (Some(given), Some(from_type)) => {
            if let (Some(a), Some(b)) = (type_name(&given), type_name(&from_type))
                && a != b
            {
                return Err(syn::Error::new_spanned(
                    &given,
                    format!(
                        "the field loads `{b}` but `destination` says `{a}`: make them agree \
                         (the field's type alone is enough: remove `destination`)"
                    ),
                ));
            }
            given
        }
        (Some(given), None) => given,
        (None, Some(from_type)) => from_type,
        (None, None) => {
            return Err(syn::Error::new_spanned(
                inner,
                format!(
                    "cannot tell the destination from this type: declare the field \
                     `Loaded<{wrapper}<Ticket>>` or add `destination = Ticket` to `{}(..)`",
                    kind.keyword()
                ),
            ));
        }
    };
    debug_assert!(RelKind::ALL.contains(&kind));
    Ok(model::Relationship {
        attrs,
        kind,
        name,
        destination,
        options: spec.options,
        unreadable_options: spec.unreadable_options,
        foreign_key_type: OnceCell::new(),
    })
}

/// `T` in `Loaded<T>` (any path ending in `Loaded`).
fn loaded(ty: &Type) -> Option<&Type> {
    single_argument(ty, "Loaded").map(|(_, t)| t)
}

/// `("Vec", D)` for `Vec<D>`, `("Option", D)` for `Option<D>`.
fn container(ty: &Type) -> Option<(&'static str, &Type)> {
    ["Vec", "Option"]
        .into_iter()
        .find_map(|name| single_argument(ty, name))
}

/// The one type argument of `ty` when its last segment is `name`.
fn single_argument<'a>(ty: &'a Type, name: &'static str) -> Option<(&'static str, &'a Type)> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.iter().collect::<Vec<_>>().as_slice() {
        [GenericArgument::Type(inner)] => Some((name, inner)),
        _ => None,
    }
}

/// A darling error on `span`'s tokens.
fn error(span: &impl Spanned, message: impl std::fmt::Display) -> darling::Error {
    darling::Error::custom(message).with_span(span)
}

/// The items of `meta`, a list (`word(a, b(c))`): an error on it naming the
/// expected shape (`not_a_list`) when it is not one, or darling's when its
/// items do not parse; `None` then.
fn list_items(
    meta: &syn::Meta,
    not_a_list: impl FnOnce() -> String,
    errors: &mut Vec<darling::Error>,
) -> Option<Vec<darling::ast::NestedMeta>> {
    let syn::Meta::List(list) = meta else {
        errors.push(error(meta, not_a_list()));
        return None;
    };
    darling::ast::NestedMeta::parse_meta_list(list.tokens.clone())
        .map_err(|e| errors.push(e.into()))
        .ok()
}

#[cfg(test)]
mod tests;
