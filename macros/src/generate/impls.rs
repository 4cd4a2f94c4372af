//! The call of the runtime's template `__private::resource_items!`, which
//! expands to the schema static, the `Fields` struct and impl, `impl Resource for X`
//! (schema, `visit`, `primary_key` and `read_columns`, which the trait's
//! `from_row` reads through) and the inherent `impl X` with one `Field`
//! function per attribute; the pieces the template cannot write (one `Rel`
//! function per relationship, one `IdentityRef` function per identity, and, for
//! `resource!`, the constants its foreign keys' types read: see `structs`) are
//! built here and passed through.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use super::{Ctx, docs, name_lit, relationships};
use crate::model::{Origin, PrimaryKeyKind};

/// `__ashore::resource_items! { .. }`, and the `Resource` impl around
/// `resource_fns!` (see the module comment and the
/// templates', `runtime/src/__private/template.rs`, for what each piece is).
pub fn resource_items(
    ctx: &Ctx,
    schema: TokenStream,
    fields: TokenStream,
    inherent: TokenStream,
) -> TokenStream {
    let ident = &ctx.resource.ident;
    let fields_ident = ctx.fields_ident();
    let name = name_lit(ident);
    let table = Literal::string(&ctx.resource.table_name());
    let pk_index = Literal::usize_unsuffixed(ctx.pk_index.unwrap_or(0));
    let pk = match ctx.pk_index {
        Some(index) => {
            let (ty, name) = (&ctx.types[index], &ctx.columns[index].name);
            quote!([#ty] key #name)
        }
        // Reported by validation; never built.
        None => quote!([__ashore::Uuid] none { ::core::unreachable!() }),
    };
    // The lists are written inside the final `quote!`, from names, literals and
    // types: a stream interpolated among tokens is sent across to the compiler
    // with the tokens before it, where tokens alone stay on the macro's side
    // until their group is made (`benches/compile_time/`, sixteenth session).
    let mut fk_accessors = TokenStream::new();
    let (mut c_index, mut c_name, mut c_lit, mut c_ty, mut c_generated) =
        (vec![], vec![], vec![], vec![], vec![]);
    let (mut a_index, mut a_name, mut a_lit, mut a_ty, mut a_docs) =
        (vec![], vec![], vec![], vec![], vec![]);
    for (index, a) in ctx.columns.iter().enumerate() {
        let (name, ty) = (&a.name, &ctx.types[index]);
        let docs: Vec<_> = docs(&a.attrs).collect();
        let lit = name_lit(name);
        let index = Literal::usize_unsuffixed(index);
        if matches!(a.origin, Origin::BelongsTo(_)) {
            // Its type projects from the destination: the return type on the
            // user's span, which rustc reports when it is not well formed (on
            // its first token only, a belongs_to to a path that is not a
            // resource, `offices::Office`, was reported a second time, on
            // `offices`).
            let ends = crate::spans::ends(ty);
            let field = crate::spans::around(
                ty,
                ends,
                |s| quote_spanned!(s=> __ashore::Field<Self,),
                |s| quote_spanned!(s=> >),
            );
            // Declared without a doc (it is implied): the struct field's.
            let implied = super::structs::belongs_to(ctx.resource, a)
                .filter(|_| docs.is_empty())
                .map(super::structs::key_doc)
                .into_iter();
            fk_accessors.extend(quote_spanned! {ends.0=>
                #(#docs)*
                #(#[doc = #implied])*
                #[inline]
                #[must_use]
                pub fn #name() -> #field {
                    __ashore::new_field(#lit, #index)
                }
            });
        } else {
            a_index.push(index.clone());
            a_name.push(name);
            a_lit.push(lit.clone());
            a_ty.push(ty);
            a_docs.push(docs);
        }
        c_generated.push(match a.primary_key.map(|p| p.kind) {
            Some(PrimaryKeyKind::Uuid) => Some(format_ident!("Uuid")),
            Some(PrimaryKeyKind::Integer) => Some(format_ident!("Integer")),
            None => None,
        });
        c_index.push(index);
        c_name.push(name);
        c_lit.push(lit);
        c_ty.push(ty);
    }
    let chunks = chunks(ctx);
    let not_loaded = ctx
        .resource
        .relationships
        .iter()
        .map(|r| &r.name)
        .chain(ctx.resource.aggregates.iter().map(|a| &a.name));
    // Only after an error, which stops the build: never run.
    let unplaced = ctx
        .unplaced
        .iter()
        .map(|name| quote!(#name: (|| ::core::unreachable!())(),));
    // A field named `query` or `changeset` is already an error (reserved); its
    // accessor stands in for the generated function, so rustc adds no second error.
    let taken = |name: &str| {
        ctx.columns.iter().any(|a| a.name == name)
            || ctx.resource.relationships.iter().any(|r| r.name == name)
            || ctx.resource.aggregates.iter().any(|a| a.name == name)
    };
    let query = (!taken("query"))
        .then(|| format!(" A query of every `{ident}` record, to filter, sort, window and load."))
        .into_iter();
    let changeset = (!taken("changeset"))
        .then(|| format!(" The values of a `{ident}` to create: nothing set yet."))
        .into_iter();
    let relationships = relationships::listed(ctx);
    let infos = relationships::infos(ctx);
    // The trait path carries the struct's span: a missing `Clone` is reported
    // there. `impl` and the braces are the call site's, as every item's.
    let trait_path = quote_spanned!(ident.span()=> __ashore::Resource);
    // On the struct's name, as the `Fields` struct: where rustc lists the
    // types that implement `Fields`, it shows the impl's head.
    let impl_fields = quote_spanned!(ident.span()=> impl);
    quote! {
        __ashore::resource_items! {
            #ident #fields_ident #impl_fields
            schema [#name #table #pk_index] { #schema }
            infos [#infos]
            columns [#(#c_index #c_name #c_lit [#c_ty] #c_generated;)*]
            accessors [#(#a_index #a_name #a_lit [#a_ty] [#(#a_docs)*])*]
            relationships [#relationships]
            fields [#fields]
            inherent #(query #query)* #(changeset #changeset)* { #fk_accessors #inherent }
        }
        impl #trait_path for #ident {
            __ashore::resource_fns! {
                #ident #fields_ident
                pk #pk
                chunks [#chunks]
                not_loaded [#(#not_loaded)*]
                unplaced [#(#unplaced)*]
            }
        }
    }
}

/// The columns of `resource_fns!`, in chunks of up to [`CHUNK`]: each chunk's
/// function (`__private::columns`) and the index of its first column, then its
/// columns' indexes, names and types.
fn chunks(ctx: &Ctx) -> TokenStream {
    let mut out = TokenStream::new();
    for (chunk, columns) in ctx.columns.chunks(CHUNK).enumerate() {
        let start = chunk * CHUNK;
        let read = format_ident!("read{}", columns.len());
        let first = Literal::usize_unsuffixed(start);
        let index = (start..start + columns.len()).map(Literal::usize_unsuffixed);
        let name = columns.iter().map(|a| &a.name);
        let ty = &ctx.types[start..start + columns.len()];
        out.extend(quote!(#read #first [#(#index #name [#ty])*]));
    }
    out
}

/// The most columns one function of `__private::columns` reads.
const CHUNK: usize = 16;

/// The inherent items the template does not write (see the module comment),
/// with `more` items.
pub fn inherent_items(ctx: &Ctx, more: TokenStream) -> TokenStream {
    let ident = &ctx.resource.ident;
    let relationships = relationships::constructors(ctx);
    let aggregates = super::aggregates::constructors(&ctx.resource.aggregates);
    let identities = ctx
        .resource
        .identities
        .iter()
        .enumerate()
        .map(|(index, identity)| {
            let name = &identity.name;
            let keys: Vec<String> = identity
                .keys
                .iter()
                .map(|k| format!("`{}`", crate::model::name_of(k)))
                .collect();
            let doc = format!(
                " The identity `{}` ({}): what `upsert_on` finds a `{ident}` by.",
                crate::model::name_of(name),
                keys.join(", ")
            );
            let index = Literal::usize_unsuffixed(index);
            let docs = &identity.docs;
            let doc = docs.is_empty().then_some(doc).into_iter();
            quote_spanned! {name.span()=>
                #(#docs)*
                #(#[doc = #doc])*
                #[inline]
                #[must_use]
                pub fn #name() -> __ashore::IdentityRef<Self> {
                    __ashore::IdentityRef::new(#index)
                }
            }
        });
    quote! {
        #(#[inline] #relationships)*
        #(#aggregates)*
        #(#identities)*
        #more
    }
}
