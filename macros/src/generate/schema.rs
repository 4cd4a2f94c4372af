//! The static schema: one `AttributeInfo` per attribute, one `Identity` per
//! identity, and the `Schema` itself (its policies and multitenancy from
//! `policies.rs`).
//! An attribute type that is not a `Scalar` fails here, on the user's type.

use proc_macro2::{Literal, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::policies::{self, policies_static};
use super::{Ctx, attributes_static, name_lit, relationships_static, schema_static};
use crate::model::PrimaryKeyKind;

/// The static schema of the resource (see the module comment).
pub fn statics(ctx: &Ctx) -> TokenStream {
    let attributes = attributes_static();
    let relationships = relationships_static();
    let schema = schema_static();
    let ident = &ctx.resource.ident;
    let name = name_lit(ident);
    let table = Literal::string(&ctx.resource.table_name());
    let count = ctx.columns.len();
    let policies = policies_static();
    let policy_statics = policies::statics(ctx);
    let multitenancy = policies::multitenancy(ctx);
    let identities = ctx.resource.identities.iter().map(|identity| {
        let name = name_lit(&identity.name);
        let keys = identity.keys.iter().map(name_lit);
        quote! {
            ::ashore::__private::Identity { name: #name, keys: &[#(#keys),*] }
        }
    });
    let identity_count = Literal::usize_unsuffixed(ctx.resource.identities.len());
    let stored = ctx.resource.not_stored.is_none();
    let pk = Literal::usize_unsuffixed(ctx.pk_index.unwrap_or(0));
    let count = Literal::usize_unsuffixed(count);
    let infos = ctx.columns.iter().map(|a| {
        let ty = &a.ty;
        let name = name_lit(&a.name);
        let scalar = quote_spanned!(ty.span()=> <#ty as ::ashore::__private::Scalar>);
        let generated = match a.primary_key.map(|p| p.kind) {
            Some(PrimaryKeyKind::Uuid) => {
                quote!(::core::option::Option::Some(
                    ::ashore::__private::Generated::Uuid
                ))
            }
            Some(PrimaryKeyKind::Integer) => {
                quote!(::core::option::Option::Some(
                    ::ashore::__private::Generated::Integer
                ))
            }
            None => quote!(::core::option::Option::None),
        };
        quote! {
            ::ashore::__private::AttributeInfo {
                name: #name,
                value_type: #scalar::TYPE,
                nullable: #scalar::NULLABLE,
                generated: #generated,
            }
        }
    });
    quote! {
        static #attributes: [::ashore::__private::AttributeInfo; #count] = [#(#infos),*];

        #policy_statics

        static __ASHORE_IDENTITIES: [::ashore::__private::Identity; #identity_count] =
            [#(#identities),*];

        static #schema: ::ashore::__private::Schema = ::ashore::__private::Schema {
            name: #name,
            table: #table,
            attributes: &#attributes,
            primary_key: #pk,
            relationships: &#relationships,
            identities: &__ASHORE_IDENTITIES,
            policies: &#policies,
            multitenancy: #multitenancy,
            stored: #stored,
            new_table: ::ashore::__private::new_table::<#ident>,
        };
    }
}
