//! The static schema: the `Schema` with its lists inline, one `AttributeInfo`
//! per attribute, one `Identity` per identity (its relationships from
//! `relationships.rs`, its policies and multitenancy from `policies.rs`).
//! An attribute type that is not a `Scalar` fails here, on the user's type.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{Ctx, name_lit, policies, relationships, schema_static};
use crate::model::PrimaryKeyKind;

/// The static schema of the resource (see the module comment).
pub fn statics(ctx: &Ctx) -> TokenStream {
    let relationships = relationships::infos(ctx);
    let schema = schema_static();
    let ident = &ctx.resource.ident;
    let name = name_lit(ident);
    let table = Literal::string(&ctx.resource.table_name());
    let policies = policies::policies(ctx);
    let multitenancy = policies::multitenancy(ctx);
    let identities = ctx.resource.identities.iter().map(|identity| {
        let name = name_lit(&identity.name);
        let keys = identity.keys.iter().map(name_lit);
        quote! {
            __ashore::Identity { name: #name, keys: &[#(#keys),*] }
        }
    });
    let stored = ctx.resource.not_stored.is_none();
    let pk = Literal::usize_unsuffixed(ctx.pk_index.unwrap_or(0));
    let infos = ctx.columns.iter().zip(&ctx.scalars).map(|(a, scalar)| {
        let name = name_lit(&a.name);
        let generated = match a.primary_key.map(|p| p.kind) {
            Some(PrimaryKeyKind::Uuid) => {
                quote!(.with_generated(__ashore::Generated::Uuid))
            }
            Some(PrimaryKeyKind::Integer) => {
                quote!(.with_generated(__ashore::Generated::Integer))
            }
            None => TokenStream::new(),
        };
        quote! {
            __ashore::AttributeInfo::new(#name, #scalar::TYPE, #scalar::NULLABLE)#generated
        }
    });
    // One static, its lists inline: each is a `'static` slice all the same
    // (fewer items per resource: `benches/compile_time/`).
    quote! {
        static #schema: __ashore::Schema = __ashore::Schema {
            name: #name,
            table: #table,
            attributes: &[#(#infos),*],
            primary_key: #pk,
            relationships: &#relationships,
            identities: &[#(#identities),*],
            policies: &#policies,
            multitenancy: #multitenancy,
            stored: #stored,
            new_table: __ashore::new_table::<#ident>,
        };
    }
}
