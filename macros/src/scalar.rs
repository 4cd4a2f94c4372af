//! `#[derive(Scalar)]`: a user's own type as an attribute type. An enum of
//! unit variants is stored as text (each variant's name in snake_case, or
//! `#[scalar(rename = "..")]`) and compares as text; a newtype (a tuple
//! struct of one field) is stored and compared as the type it wraps.
//! Each also becomes an operand `expr!` may pin (`status == ^Status::Open`).
//! Anything else is a compile error on the offending token.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr};

/// The impls of `Scalar` and `NonNull` for `input`, or the errors.
pub fn derive(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    if !input.generics.params.is_empty() {
        return syn::Error::new(
            input.generics.span(),
            "`#[derive(Scalar)]` takes a type without generic parameters: an attribute type is one \
             concrete type",
        )
        .to_compile_error();
    }
    let result = match &input.data {
        Data::Enum(data) => text_enum(&input, data),
        Data::Struct(data) => newtype(&input, &data.fields),
        Data::Union(u) => Err(syn::Error::new(
            u.union_token.span,
            "`#[derive(Scalar)]` takes an enum of unit variants or a newtype (`struct Cents(i64);`)",
        )),
    };
    result.unwrap_or_else(|e| e.to_compile_error())
}

/// An enum of unit variants, stored as text.
fn text_enum(input: &DeriveInput, data: &syn::DataEnum) -> syn::Result<TokenStream> {
    let ident = &input.ident;
    let mut names = Vec::new();
    let mut variants = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            return Err(syn::Error::new(
                variant.fields.span(),
                format!(
                    "`#[derive(Scalar)]` stores an enum as the name of its variant, so every \
                     variant must be a unit variant: `{}` holds data; store it in attributes of \
                     its own",
                    variant.ident
                ),
            ));
        }
        let mut name = crate::names::snake_case(&variant.ident.to_string());
        for attr in variant.attrs.iter().filter(|a| a.path().is_ident("scalar")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    let lit: LitStr = meta.value()?.parse()?;
                    name = lit.value();
                    Ok(())
                } else {
                    Err(meta.error("expected `rename = \"..\"`: the text a variant is stored as"))
                }
            })?;
        }
        if names.contains(&name) {
            return Err(syn::Error::new(
                variant.ident.span(),
                format!(
                    "two variants are stored as \"{name}\": rename one with `#[scalar(rename = \"..\")]`"
                ),
            ));
        }
        names.push(name);
        variants.push(&variant.ident);
    }
    if variants.is_empty() {
        return Err(syn::Error::new(
            ident.span(),
            "`#[derive(Scalar)]` on an enum without variants: there is no value to store",
        ));
    }
    let p = quote!(::ashore::__private);
    Ok(quote! {
        #[doc(hidden)]
        impl #p::Operand for #ident {
            type Kind = #p::kind::Text;
            fn into_expr(self) -> #p::Expr {
                #p::Expr::Value(#p::Scalar::into_value(self))
            }
        }
        impl #p::NonNull for #ident {}
        impl #p::Scalar for #ident {
            type Kind = #p::kind::Text;
            const TYPE: #p::ValueType = #p::ValueType::String;
            const NULLABLE: bool = false;
            fn into_value(self) -> #p::Value {
                #p::Value::String(::std::string::String::from(match self {
                    #(#ident::#variants => #names,)*
                }))
            }
            fn from_value(value: #p::Value) -> ::core::result::Result<Self, #p::Value> {
                match &value {
                    #p::Value::String(text) => match text.as_str() {
                        #(#names => ::core::result::Result::Ok(#ident::#variants),)*
                        _ => ::core::result::Result::Err(value),
                    },
                    _ => ::core::result::Result::Err(value),
                }
            }
        }
    })
}

/// A tuple struct of one field, stored and compared as that field's type.
fn newtype(input: &DeriveInput, fields: &Fields) -> syn::Result<TokenStream> {
    let ident = &input.ident;
    let field = match fields {
        Fields::Unnamed(f) if f.unnamed.len() == 1 => &f.unnamed[0],
        _ => {
            return Err(syn::Error::new(
                fields.span(),
                "`#[derive(Scalar)]` on a struct takes a newtype of one field, as \
                 `struct Cents(i64);`: it is stored as the field's type",
            ));
        }
    };
    let ty = &field.ty;
    let p = quote!(::ashore::__private);
    let inner = quote_spanned!(ty.span()=> <#ty as #p::Scalar>);
    let optional = quote_spanned!(ty.span()=>
        const _: () = ::core::assert!(
            !#inner::NULLABLE,
            "a `#[derive(Scalar)]` newtype cannot wrap an `Option`: wrap the type itself, as `struct Cents(i64);`, and declare the attribute `Option<Cents>` to let it be nil"
        );
    );
    Ok(quote! {
        #optional
        #[doc(hidden)]
        impl #p::Operand for #ident {
            type Kind = #inner::Kind;
            fn into_expr(self) -> #p::Expr {
                #p::Expr::Value(#p::Scalar::into_value(self))
            }
        }
        impl #p::NonNull for #ident {}
        impl #p::Scalar for #ident {
            type Kind = #inner::Kind;
            const TYPE: #p::ValueType = #inner::TYPE;
            const NULLABLE: bool = false;
            fn into_value(self) -> #p::Value {
                #inner::into_value(self.0)
            }
            fn from_value(value: #p::Value) -> ::core::result::Result<Self, #p::Value> {
                #inner::from_value(value).map(#ident)
            }
            #[inline]
            fn as_int(&self) -> ::core::option::Option<i64> {
                #inner::as_int(&self.0)
            }
            #[inline]
            fn as_uuid(&self) -> ::core::option::Option<#p::Uuid> {
                #inner::as_uuid(&self.0)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn variants_are_stored_in_snake_case() {
        // As a table is named: an acronym is one word.
        use crate::names::snake_case;
        assert_eq!(snake_case("InProgress"), "in_progress");
        assert_eq!(snake_case("Open"), "open");
        assert_eq!(snake_case("HTTPError"), "http_error");
    }
}
