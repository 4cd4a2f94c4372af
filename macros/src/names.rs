//! Names a user writes for attributes and relationships, in declarations and
//! in filters alike (any identifier, raw ones included, and a Rust keyword
//! an error on it that names the fix), and the snake_case of a type's name
//! (a table's, a `#[derive(Scalar)]` variant's stored text).

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

/// `TicketTag` -> `ticket_tag`, `HTTPServer` -> `http_server`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                None | Some('_') => false,
                Some(p) if p.is_lowercase() || p.is_ascii_digit() => true,
                Some(p) => p.is_uppercase() && next.is_some_and(char::is_lowercase),
            };
            if boundary {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
