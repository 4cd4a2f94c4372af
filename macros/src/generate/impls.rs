//! `impl Resource for X` (schema, `visit`, `primary_key` and
//! `read_columns`, which the trait's `from_row` reads through) and the
//! inherent `impl X` with one `Field` function per attribute, one `Rel`
//! function per relationship and one `IdentityRef` function per identity (and,
//! for `resource!`, the constants its foreign keys' types read: see `structs`).

use proc_macro2::{Literal, TokenStream};
use quote::{quote, quote_spanned};

use super::{Ctx, docs, name_lit, relationships, schema_static};

/// `impl Resource for <Name>`.
pub fn resource_impl(ctx: &Ctx) -> TokenStream {
    let ident = &ctx.resource.ident;
    let fields = ctx.fields_ident();
    let schema = schema_static();
    let (pk_ty, pk_body) = match ctx.pk_index {
        Some(index) => {
            let pk = &ctx.columns[index];
            let name = &pk.name;
            (
                ctx.types[index].clone(),
                quote!(__ashore::Clone::clone(&self.#name)),
            )
        }
        // Reported by validation; never built.
        None => (quote!(__ashore::Uuid), quote!(::core::unreachable!())),
    };
    // `index => <ty as Scalar>::visit(&self.field, visitor),` for each column:
    // `visit`, which the trait's `get`, `get_int` and `get_uuid` read through
    // (one function where there were three; each arm a call the compiler
    // inlines). The arms are joined into one stream before they go into the
    // whole: one step across to the compiler instead of one per arm.
    let visit_arms: TokenStream = ctx
        .columns
        .iter()
        .enumerate()
        .map(|(index, a)| {
            let (name, scalar, span) = (&a.name, &ctx.scalars[index], ctx.ends[index].0);
            let index = Literal::usize_unsuffixed(index);
            let call = quote_spanned!(span=> #scalar::visit);
            quote!(#index => #call(&self.#name, visitor),)
        })
        .collect();
    let read_columns = ctx.columns.iter().enumerate().map(|(index, a)| {
        let (name, scalar, span) = (&a.name, &ctx.scalars[index], ctx.ends[index].0);
        let index = Literal::usize_unsuffixed(index);
        // `<ty as Scalar>` as the schema names it: a type that is not a
        // `Scalar` is one error, not one more here.
        let read = quote_spanned!(span=> #scalar::read_column);
        quote!(#name: __ashore::checked(#read(reader, #index), &#schema, #index)?,)
    });
    let read_columns: TokenStream = read_columns.collect();
    let not_loaded = ctx
        .resource
        .relationships
        .iter()
        .map(|r| &r.name)
        .chain(ctx.resource.aggregates.iter().map(|a| &a.name))
        .map(|name| quote!(#name: __ashore::Loaded::NotLoaded,));
    // Only after an error, which stops the build: never run.
    let unplaced = ctx
        .unplaced
        .iter()
        .map(|name| quote!(#name: (|| ::core::unreachable!())(),));
    // The trait path carries the struct's span: a missing `Clone` is reported there.
    let trait_path = quote_spanned!(ident.span()=> __ashore::Resource);
    quote! {
        impl #trait_path for #ident {
            type PrimaryKey = #pk_ty;
            type Fields = #fields;

            fn schema() -> &'static __ashore::Schema {
                &#schema
            }

            #[inline]
            fn visit<__V: __ashore::AttributeVisitor>(
                &self,
                index: __ashore::usize,
                visitor: __V,
            ) -> __V::Output {
                match index {
                    #visit_arms
                    _ => visitor.missing(),
                }
            }

            #[inline]
            fn primary_key(&self) -> #pk_ty {
                #pk_body
            }

            fn read_columns(
                reader: &mut dyn __ashore::ColumnReader,
            ) -> __ashore::Result<Self> {
                __ashore::Ok(#ident {
                    #read_columns
                    #(#not_loaded)*
                    #(#unplaced)*
                })
            }
        }
    }
}

/// The inherent `impl <Name>` (see the module comment), with `more` items.
pub fn inherent_impl(ctx: &Ctx, more: TokenStream) -> TokenStream {
    let ident = &ctx.resource.ident;
    let attributes = ctx.columns.iter().enumerate().map(|(index, a)| {
        let (name, ty, ends) = (&a.name, &ctx.types[index], ctx.ends[index]);
        let docs = docs(&a.attrs);
        let lit = name_lit(name);
        let index = Literal::usize_unsuffixed(index);
        // All on the type: if it is not an attribute type, that is where it shows.
        // The return type spans the whole type, as in `fields::fields_impl`.
        let field = crate::spans::around(
            ty,
            ends,
            |s| quote_spanned!(s=> __ashore::Field < Self,),
            |s| quote_spanned!(s=> >),
        );
        quote_spanned! {ends.0=>
            #(#docs)*
            #[inline]
            pub fn #name() -> #field {
                __ashore::Field::new(#lit, #index)
            }
        }
    });
    let attributes: TokenStream = attributes.collect();
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
            quote_spanned! {name.span()=>
                #[doc = #doc]
                #[inline]
                pub fn #name() -> __ashore::IdentityRef<Self> {
                    __ashore::IdentityRef::new(#index)
                }
            }
        });
    // A field named `query` or `changeset` is already an error (reserved); its
    // accessor stands in for the generated function, so rustc adds no second error.
    let taken = |name: &str| {
        ctx.columns.iter().any(|a| a.name == name)
            || ctx.resource.relationships.iter().any(|r| r.name == name)
            || ctx.resource.aggregates.iter().any(|a| a.name == name)
    };
    let query = (!taken("query")).then(|| {
        let doc = format!(" A query of every `{ident}` record, to filter, sort, window and load.");
        quote! {
            #[doc = #doc]
            #[inline]
            pub fn query() -> __ashore::Query<Self> {
                __ashore::Query::new()
            }
        }
    });
    let changeset = (!taken("changeset")).then(|| {
        let doc = format!(" The values of a `{ident}` to create: nothing set yet.");
        quote! {
            #[doc = #doc]
            #[inline]
            pub fn changeset() -> __ashore::Changeset<Self> {
                __ashore::Changeset::new()
            }
        }
    });
    quote! {
        // The accessors mirror the fields: a pub resource may relate to a private one.
        #[allow(dead_code, private_interfaces)]
        impl #ident {
            #query
            #changeset
            #attributes
            #(#[inline] #relationships)*
            #(#aggregates)*
            #(#identities)*
            #more
        }
    }
}
