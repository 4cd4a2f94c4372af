//! The struct option `identity(..)` of `#[derive(Resource)]`, one per identity:
//!
//! ```text
//! #[resource(identity(unique_email, keys(email)))]
//! #[resource(identity(unique_name_per_rep, keys(name, representative_id)))]
//! ```
//!
//! the spelling of `resource!`'s `identity unique_email [email];`. Whether the
//! keys are attributes (and the name free) is validation's to say.

use darling::ast::NestedMeta;
use syn::{Ident, Meta};

use super::{error, list_items};
use crate::model::Identity;
use crate::suggest::did_you_mean;

const EXAMPLE: &str = "identity(unique_email, keys(email))";

/// `identity(<name>, keys(<key>, ..))`.
pub fn identity(meta: &Meta, errors: &mut Vec<darling::Error>) -> Option<Identity> {
    let items = list_items(meta, || format!("expected `{EXAMPLE}`"), errors)?;
    let reported = errors.len();
    let mut name: Option<Ident> = None;
    let mut keys: Option<(Vec<Ident>, proc_macro2::Span)> = None;
    for item in &items {
        let NestedMeta::Meta(meta) = item else {
            errors.push(error(item, format!("expected `{EXAMPLE}`")));
            continue;
        };
        let Some(word) = meta.path().get_ident() else {
            errors.push(error(meta, format!("expected `{EXAMPLE}`")));
            continue;
        };
        match meta {
            Meta::List(list) if word == "keys" => {
                let parsed = NestedMeta::parse_meta_list(list.tokens.clone())
                    .map_err(darling::Error::from)
                    .and_then(|keys| {
                        keys.iter()
                            .map(|k| match k {
                                NestedMeta::Meta(Meta::Path(p)) if p.get_ident().is_some() => {
                                    Ok(p.get_ident().cloned().unwrap_or_else(|| word.clone()))
                                }
                                other => Err(error(other, "expected an attribute name")),
                            })
                            .collect::<darling::Result<Vec<Ident>>>()
                    });
                match parsed {
                    Ok(_) if keys.is_some() => {
                        errors.push(error(
                            word,
                            "`keys` is given twice: list every key in one `keys(..)`",
                        ));
                    }
                    Ok(list_keys) => keys = Some((list_keys, list.delimiter.span().join())),
                    Err(e) => errors.push(e),
                }
            }
            Meta::Path(_) if name.is_none() && word != "keys" => name = Some(word.clone()),
            Meta::Path(_) if word == "keys" => {
                errors.push(error(
                    word,
                    format!("expected the keys in parentheses: `{EXAMPLE}`"),
                ));
            }
            _ => {
                let message = match did_you_mean(&word.to_string(), ["keys"]) {
                    Some(k) => {
                        format!("unknown item `{word}` in `identity(..)`; did you mean `{k}`?")
                    }
                    None if name.is_some() => format!(
                        "an identity has one name, then `keys(..)`: remove `{word}` (`{EXAMPLE}`)"
                    ),
                    None => format!("expected the identity's name, then `keys(..)`: `{EXAMPLE}`"),
                };
                errors.push(error(word, message));
            }
        }
    }
    let Some(name) = name else {
        errors.push(error(
            meta,
            format!("the identity needs a name: `{EXAMPLE}`"),
        ));
        return None;
    };
    // Kept without keys when they are missing, so `Ticket::<name>()` still
    // exists and code using it gets no error of its own.
    let (keys, keys_span) = match keys {
        Some((keys, span)) => (keys, Some(span)),
        None => {
            if errors.len() == reported {
                errors.push(error(
                    &name,
                    format!(
                        "the identity `{name}` needs its attributes: `identity({name}, keys(email))`"
                    ),
                ));
            }
            (Vec::new(), None)
        }
    };
    Some(Identity {
        name,
        keys,
        keys_span,
        docs: Vec::new(),
    })
}
