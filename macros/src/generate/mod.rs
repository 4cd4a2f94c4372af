//! Model -> tokens: the code of a resource, in pieces of generated code, one
//! file each, put together by `generate`.
//! Both front ends generate the same code, except that the derive's struct is the
//! user's own, so no struct is emitted for it. The generated code is what
//! `runtime/tests/expansion/` writes by hand, through `::ashore::__private`.
//!
//! The repetitive part (the schema's lists, the `Fields` struct, the functions
//! of the `Resource` impl, the accessors) is written by the runtime's `macro_rules!`
//! templates (`runtime/src/__private/template.rs`) from one compact call that
//! `impls::resource_items` builds: the compiler expands a template's tokens
//! itself, where this crate, unoptimized in a debug build, paid for each one it
//! handed over (`benches/compile_time/`). What the macro still builds are the
//! pieces only it knows and every token spanned on a user's token so that
//! rustc reports there (a foreign key's return type, the impls' heads).
//!
//! Everything but the resource's struct (its `Fields` struct included) goes
//! inside one `const _: () = { .. };` so the statics of two resources in one
//! module never collide, and so the `Fields` struct is no item of the user's
//! module: reached only as `<X as Resource>::Fields`, it is not one more name
//! every `use module::*` imports (with `use crate::*` in each of 100 modules,
//! 10,000 bindings less for rustc to resolve and hash: `benches/compile_time/`).
//! It opens with
//! `use ::ashore::__private as __ashore;`, and the code inside names the runtime
//! (and the few standard items it needs, which `__private` re-exports) through
//! that alias: fewer tokens per resource for rustc to parse, resolve and hash
//! (`benches/compile_time/`). Compile-time checks are
//! emitted with `quote_spanned!` on the user's tokens so rustc reports on them.
//!
//! Accessors (`query`, `changeset`, each attribute's `Field`, each relationship's
//! `Rel`, `primary_key`, `visit`) are `#[inline]`: a
//! crate then compiles to machine code only those it calls, not all of them for
//! every resource it declares (`benches/compile_time/`).

mod aggregates;
mod checks;
mod fields;
mod impls;
mod keys;
mod policies;
mod relationships;
mod schema;
mod serde;
mod structs;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::Ident;

use crate::model::{Attribute, DeriveStruct, Resource};

/// The code of `resource`: for `resource!` (`derive` is `None`) its struct and
/// everything else; for the struct of `#[derive(Resource)]` (`derive` given)
/// everything but the struct, and the fields the model does not hold (left out
/// after an error) are filled in `read_columns` so they cause no error of their own.
///
/// It runs on what validation left, even after errors, so code elsewhere that
/// names the resource does not fail as well (a resource without a primary key
/// gets a placeholder one; it is never built, the errors stop the build).
pub fn generate(resource: &Resource, derive: Option<&DeriveStruct>) -> TokenStream {
    let columns = resource.columns();
    let unplaced = derive.map_or_else(Vec::new, |d| {
        d.fields
            .iter()
            .filter(|f| {
                !columns.iter().any(|c| &c.name == *f)
                    && !resource.relationships.iter().any(|r| &r.name == *f)
                    && !resource.aggregates.iter().any(|a| &a.name == *f)
            })
            .cloned()
            .collect()
    });
    let types: Vec<TokenStream> = columns
        .iter()
        .map(|a| crate::spans::settled(a.ty.to_token_stream()))
        .collect();
    let ctx = Ctx {
        resource,
        types,
        columns,
        pk_index: resource.primary_key().map(|(i, _)| i),
        unplaced,
    };
    let (mut out, key_consts) = match derive {
        Some(_) => (TokenStream::new(), TokenStream::new()),
        None => (
            structs::definition(resource, &ctx.columns),
            structs::key_consts(&ctx),
        ),
    };
    let items = impls::resource_items(
        &ctx,
        schema::rest(&ctx),
        fields::more_fields(&ctx),
        impls::inherent_items(&ctx, key_consts),
    );
    let checks = checks::checks(&ctx);
    let aggregates = fields::aggregates_impl(&ctx);
    let keys = keys::key_checks(&ctx);
    out.extend(quote! {
        const _: () = {
            use ::ashore::__private as __ashore;
            #items
            #aggregates
            #checks
            // Last: these may be statements (see `keys`).
            #keys
        };
    });
    out
}

/// What every piece of generation needs.
pub(crate) struct Ctx<'a> {
    pub resource: &'a Resource,
    /// The attributes in schema order (belongs_to foreign keys included).
    pub columns: Vec<Attribute>,
    /// The tokens of each column's type, built once and [`settled`](crate::spans::settled).
    pub types: Vec<TokenStream>,
    /// Index of the primary key in `columns` (`None` after an error).
    pub pk_index: Option<usize>,
    /// Fields of a derive's struct that are neither a column nor a relationship
    /// (after an error): `read_columns` fills them with a value never built.
    pub unplaced: Vec<Ident>,
}

impl Ctx<'_> {
    /// `<Name>Fields`.
    pub fn fields_ident(&self) -> Ident {
        quote::format_ident!("{}Fields", self.resource.ident)
    }
}

/// The static of the schema, inside the `const _` block (the template,
/// `__private::resource_items!`, declares it).
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
