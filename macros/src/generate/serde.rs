//! The serde attributes of a `resource!` struct's relationship and aggregate
//! fields, from the struct's derives: `Serialize` leaves a field out while it
//! is not loaded (`Loaded` serializes as its value, feature `serde` of
//! ashore); `Deserialize` reads none (each is not loaded). Nothing for a
//! struct deriving neither.
//!
//! A derive may sit under `#[cfg_attr(predicate, ..)]`, nested as deep as the
//! syntax allows (`cfg_attr(a, cfg_attr(b, derive(Serialize)))`): the field's
//! attribute is then emitted under the same condition (`all(a, b)`), so that
//! it exists exactly when serde's derive does (without it, `#[serde]` is an
//! attribute nobody declared). A derive named under several conditions gets
//! one attribute under `any(..)` of them; one named without condition, a plain
//! attribute. (`#[derive(Resource)]` takes the user's fields as written, with
//! whatever serde attributes, plain or under `cfg_attr`, the user puts on
//! them: it has nothing to add.)

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::punctuated::Punctuated;
use syn::{Meta, Token};

/// When a derive applies: `always`, or under any of `conditions`, each the
/// predicates of nested `cfg_attr`s, all of which must hold.
#[derive(Default)]
struct When {
    always: bool,
    conditions: Vec<Vec<TokenStream>>,
}

impl When {
    fn add(&mut self, condition: &[TokenStream]) {
        if condition.is_empty() {
            self.always = true;
        } else {
            self.conditions.push(condition.to_vec());
        }
    }

    /// `#[serde(#attribute)]` when the derive applies; nothing when it never
    /// does.
    fn attribute(&self, attribute: TokenStream) -> TokenStream {
        if self.always {
            return quote!(#[serde(#attribute)]);
        }
        let conditions = self.conditions.iter().map(|c| quote!(all(#(#c),*)));
        match self.conditions.len() {
            0 => TokenStream::new(),
            1 => quote!(#[cfg_attr(#(#conditions)*, serde(#attribute))]),
            _ => quote!(#[cfg_attr(any(#(#conditions),*), serde(#attribute))]),
        }
    }
}

/// Where the struct derives `Serialize` and `Deserialize`.
#[derive(Default)]
struct Derives {
    serialize: When,
    deserialize: When,
}

impl Derives {
    /// Notes the derives of `meta`, an attribute's content, under `condition`:
    /// a `derive(..)`, or a `cfg_attr(..)` whose attributes are read under its
    /// predicate too. Anything else, or what does not parse (rustc says so),
    /// names none.
    fn read(&mut self, meta: &Meta, condition: &mut Vec<TokenStream>) {
        let Meta::List(list) = meta else {
            return;
        };
        if list.path.is_ident("derive") {
            let Ok(paths) =
                list.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
            else {
                return;
            };
            for path in paths {
                match path.segments.last().map(|s| s.ident.to_string()).as_deref() {
                    Some("Serialize") => self.serialize.add(condition),
                    Some("Deserialize") => self.deserialize.add(condition),
                    _ => {}
                }
            }
        } else if list.path.is_ident("cfg_attr") {
            let Ok(parts) = list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            else {
                return;
            };
            let mut parts = parts.iter();
            let Some(predicate) = parts.next() else {
                return;
            };
            condition.push(predicate.to_token_stream());
            for attribute in parts {
                self.read(attribute, condition);
            }
            condition.pop();
        }
    }
}

/// The serde attributes of each relationship or aggregate field of a struct
/// with the outer attributes `attrs` (see the module docs).
pub fn field_attributes(attrs: &[syn::Attribute]) -> TokenStream {
    let mut derives = Derives::default();
    for attr in attrs {
        derives.read(&attr.meta, &mut Vec::new());
    }
    let skip_serializing =
        quote!(skip_serializing_if = "::ashore::__private::Loaded::is_not_loaded");
    let skip_deserializing = quote!(skip_deserializing);
    if derives.serialize.always && derives.deserialize.always {
        return quote!(#[serde(#skip_serializing, #skip_deserializing)]);
    }
    let serialize = derives.serialize.attribute(skip_serializing);
    let deserialize = derives.deserialize.attribute(skip_deserializing);
    quote!(#serialize #deserialize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes(item: TokenStream) -> String {
        let item: syn::ItemStruct = syn::parse2(item).expect("a struct");
        field_attributes(&item.attrs).to_string()
    }

    #[test]
    fn plain_derives_give_plain_attributes() {
        let got = attributes(quote!(
            #[derive(Debug, serde::Serialize, Deserialize)]
            struct S;
        ));
        assert_eq!(
            got,
            quote!(
                #[serde(skip_serializing_if = "::ashore::__private::Loaded::is_not_loaded", skip_deserializing)]
            )
            .to_string()
        );
    }

    #[test]
    fn derives_under_cfg_attr_give_attributes_under_the_same_condition() {
        let got = attributes(quote!(
            #[derive(Debug)]
            #[cfg_attr(feature = "json", derive(Serialize), allow(unused))]
            #[cfg_attr(unix, cfg_attr(test, derive(Deserialize)))]
            struct S;
        ));
        assert_eq!(
            got,
            quote!(
                #[cfg_attr(all(feature = "json"), serde(skip_serializing_if = "::ashore::__private::Loaded::is_not_loaded"))]
                #[cfg_attr(all(unix, test), serde(skip_deserializing))]
            )
            .to_string()
        );
    }

    #[test]
    fn a_derive_under_several_conditions_gets_one_attribute() {
        let got = attributes(quote!(
            #[cfg_attr(unix, derive(Serialize))]
            #[cfg_attr(windows, derive(Serialize))]
            struct S;
        ));
        assert_eq!(
            got,
            quote!(#[cfg_attr(any(all(unix), all(windows)), serde(skip_serializing_if = "::ashore::__private::Loaded::is_not_loaded"))])
                .to_string()
        );
        let got = attributes(quote!(
            #[cfg_attr(unix, derive(Serialize))]
            #[derive(Serialize)]
            struct S;
        ));
        assert!(got.starts_with("# [serde"), "{got}");
    }

    #[test]
    fn no_serde_derive_gives_nothing() {
        assert_eq!(
            attributes(quote!(
                #[derive(Debug, Clone)]
                #[cfg_attr(unix, derive(PartialEq))]
                #[doc = "x"]
                struct S;
            )),
            ""
        );
    }
}
