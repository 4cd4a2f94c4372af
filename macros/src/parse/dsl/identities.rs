//! `identities { identity unique_email [email]; identity unique_name_per_rep
//! [name, representative_id]; }` -> `model::Identity`. Each item is parsed on
//! its own, so a mistake in one costs that one only; whether the keys are
//! attributes (and the name free) is validation's to say.

use proc_macro2::TokenStream;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser, Result};
use syn::punctuated::Punctuated;
use syn::{Ident, Token};

use super::items;
use crate::errors::Errors;
use crate::model::{Identity, Place, Resource, Unknown};
use crate::parse::syntax::{field_name, item_attributes};

/// Parses each item of `identities { }` into `resource`.
pub(super) fn identities(block: TokenStream, resource: &mut Resource, errors: &Errors) {
    for tokens in items(block, false, errors, "expected `;` after this identity") {
        let parsed = Parser::parse2(|input: ParseStream| identity(input, resource), tokens);
        if let Err(e) = parsed {
            errors.syn_error(e);
        }
    }
}

/// `identity <name> [<key>, ..];`
fn identity(input: ParseStream, resource: &mut Resource) -> Result<()> {
    let docs = item_attributes(input)?;
    if let Some(other) = docs.iter().find(|a| !a.path().is_ident("doc")) {
        return Err(syn::Error::new_spanned(
            other,
            "an identity takes doc comments only: it is no field to put attributes on",
        ));
    }
    let word = input.call(Ident::parse_any)?;
    if word != "identity" {
        input.parse::<TokenStream>()?;
        resource.unknown.push(Unknown {
            place: Place::Identities,
            word,
        });
        return Ok(());
    }
    if !input.peek(Ident::peek_any) {
        return Err(input.error("expected the identity's name: `identity unique_email [email];`"));
    }
    let name = input.call(field_name)?;
    if !input.peek(syn::token::Bracket) {
        return Err(input.error(format!(
            "expected the identity's attributes in brackets: `identity {name} [email];`"
        )));
    }
    let keys;
    let bracket = syn::bracketed!(keys in input);
    let list = Punctuated::<Ident, Token![,]>::parse_terminated_with(&keys, field_name)?;
    input.parse::<Token![;]>()?;
    resource.identities.push(Identity {
        name,
        keys: list.into_iter().collect(),
        keys_span: Some(bracket.span.join()),
        docs,
    });
    Ok(())
}
