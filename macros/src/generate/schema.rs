//! The static schema: the `Schema` with its lists inline, one `AttributeInfo`
//! per attribute and one `RelationshipInfo` per relationship (written by the
//! runtime's template, see `impls`, from the pieces of `relationships.rs`), one
//! `Identity` per identity (its policies and multitenancy from `policies.rs`). An attribute type that is not
//! a `Scalar` fails there, on the user's type.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, name_lit, policies};

/// The fields of the static schema after `relationships` (see the module
/// comment): one static, its lists inline, each a `'static` slice all the same
/// (fewer items per resource: `benches/compile_time/`).
pub fn rest(ctx: &Ctx) -> TokenStream {
    let ident = &ctx.resource.ident;
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
    quote! {
        identities: &[#(#identities),*],
        policies: &#policies,
        multitenancy: #multitenancy,
        stored: #stored,
        new_table: __ashore::new_table::<#ident>,
    }
}
