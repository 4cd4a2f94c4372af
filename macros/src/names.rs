//! Names a user writes for attributes and relationships, in declarations and
//! in filters alike: any identifier, raw ones included, and a Rust keyword
//! an error on it that names the fix.

use syn::Ident;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Result};

/// The name of an attribute or relationship: any identifier, raw ones
/// included; a Rust keyword is an error on it that says to write it raw
/// (rustc's own, "expected identifier, found keyword", names no fix).
pub fn field_name(input: ParseStream) -> Result<Ident> {
    // An identifier that is not a keyword (a raw one is not), found by peeking
    // at the token: lexing its text again costs a trip to the compiler.
    if !input.peek(Ident::peek_any) {
        // The usual "expected identifier" error, on the offending token.
        return input.parse();
    }
    // `gen` is an identifier to syn but reserved in edition 2024, where
    // the code generated with it would not parse.
    let keyword = !input.peek(Ident) || input.cursor().ident().is_some_and(|(i, _)| i == "gen");
    let name = input.call(Ident::parse_any)?;
    if !keyword {
        return Ok(name);
    }
    let text = name.to_string();
    let message = if matches!(text.as_str(), "self" | "Self" | "super" | "crate") {
        format!("`{text}` cannot name a field, not even as a raw identifier: choose another name")
    } else {
        format!(
            "`{text}` is a Rust keyword: write `r#{text}` (the attribute, its column and \
             its filters keep the name `{text}`)"
        )
    };
    Err(syn::Error::new(name.span(), message))
}
