//! Model -> tokens: the pipelines of `resource!` and `#[derive(Resource)]`
//! (parse, validate, generate) and the pieces of generated code, one file each.
//! Both front ends generate the same code, except that the derive's struct is the
//! user's own, so no struct is emitted for it. The generated code is what
//! `runtime/tests/expansion.rs` writes by hand, through `::ashore::__private`.
//!
//! Everything but the two structs goes inside one `const _: () = { .. };` so the
//! statics of two resources in one module never collide. Compile-time checks are
//! emitted with `quote_spanned!` on the user's tokens so rustc reports on them.

mod checks;
mod fields;
mod impls;
mod policies;
mod relationships;
mod schema;
mod structs;

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::Ident;

use crate::model::{Attribute, DeriveStruct, Resource};
use crate::{parse, validate};

/// `resource! { .. }`: parse errors of the block structure abort; every other
/// error is reported together with the generated resource.
pub fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let parsed = parse::dsl::resource(input)?;
    let (resource, mut errors) = validate::validate(parsed.resource);
    errors.extend(parsed.errors);
    validate::sort_by_position(&mut errors);
    Ok(generate(&resource, errors))
}

/// `#[derive(Resource)]`: as `expand`, on the user's struct, which is not
/// emitted again.
pub fn expand_derive(input: TokenStream) -> syn::Result<TokenStream> {
    let parsed = parse::derive::resource(input)?;
    let (resource, mut errors) = validate::validate_derive(parsed.resource);
    errors.extend(parsed.errors);
    validate::sort_by_position(&mut errors);
    Ok(generate_for(&resource, Some(&parsed.structure), errors))
}

/// The generated items and the errors. Generation runs on what validation left,
/// even when there are errors, so code elsewhere that names the resource does not
/// fail as well (a resource without a primary key gets a placeholder one; it is
/// never built, the errors stop the build).
pub fn generate(resource: &Resource, errors: Vec<syn::Error>) -> TokenStream {
    generate_for(resource, None, errors)
}

/// `generate`, for the struct of `#[derive(Resource)]` when `derive` is given:
/// no struct is emitted, and its fields that the model does not hold (left out
/// after an error) are filled in `from_row` so they cause no error of their own.
fn generate_for(
    resource: &Resource,
    derive: Option<&DeriveStruct>,
    errors: Vec<syn::Error>,
) -> TokenStream {
    let columns = resource.columns();
    let unplaced = derive.map_or_else(Vec::new, |d| {
        d.fields
            .iter()
            .filter(|f| {
                !columns.iter().any(|c| &c.name == *f)
                    && !resource.relationships.iter().any(|r| &r.name == *f)
            })
            .cloned()
            .collect()
    });
    let ctx = Ctx {
        resource,
        columns,
        pk_index: resource.primary_key().map(|(i, _)| i),
        unplaced,
    };
    let mut out = match derive {
        Some(_) => TokenStream::new(),
        None => structs::definition(resource, &ctx.columns),
    };
    out.extend(fields::fields_struct(&ctx));
    let schema = schema::statics(&ctx);
    let relationships = relationships::infos(&ctx);
    let fields_impl = fields::fields_impl(&ctx);
    let resource_impl = impls::resource_impl(&ctx);
    let inherent = impls::inherent_impl(&ctx);
    let checks = checks::checks(&ctx);
    out.extend(quote! {
        const _: () = {
            #schema
            #relationships
            #fields_impl
            #resource_impl
            #inherent
            #checks
        };
    });
    for error in errors {
        out.extend(error.to_compile_error());
    }
    out
}

/// What every piece of generation needs.
pub(crate) struct Ctx<'a> {
    pub resource: &'a Resource,
    /// The attributes in schema order (belongs_to foreign keys included).
    pub columns: Vec<Attribute>,
    /// Index of the primary key in `columns` (`None` after an error).
    pub pk_index: Option<usize>,
    /// Fields of a derive's struct that are neither a column nor a relationship
    /// (after an error): `from_row` fills them with a value never built.
    pub unplaced: Vec<Ident>,
}

impl Ctx<'_> {
    /// `<Name>Fields`.
    pub fn fields_ident(&self) -> Ident {
        quote::format_ident!("{}Fields", self.resource.ident)
    }
}

/// Names of the statics inside the `const _` block.
pub(crate) fn attributes_static() -> Ident {
    Ident::new("__ASHORE_ATTRIBUTES", Span::call_site())
}
pub(crate) fn relationships_static() -> Ident {
    Ident::new("__ASHORE_RELATIONSHIPS", Span::call_site())
}
pub(crate) fn schema_static() -> Ident {
    Ident::new("__ASHORE_SCHEMA", Span::call_site())
}

/// The `#[doc]` attributes among `attrs` (copied to generated accessors).
pub(crate) fn docs(attrs: &[syn::Attribute]) -> impl Iterator<Item = &syn::Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("doc"))
}

/// The schema name of an ident, as a string literal.
pub(crate) fn name_lit(ident: &Ident) -> syn::LitStr {
    syn::LitStr::new(&crate::model::name_of(ident), ident.span())
}

#[cfg(test)]
mod tests;
