//! Items of `relationships { }`: `kind name: Destination;` or
//! `kind name: Destination { option; .. }`, and the relationship options.

use std::cell::OnceCell;

use proc_macro2::{Group, TokenStream};
use syn::ext::IdentExt;
use syn::parse::discouraged::Speculative;
use syn::parse::{Parse, ParseStream, Result};
use syn::punctuated::Punctuated;
use syn::{Ident, Token, Type};

use super::{items, kw};
use crate::errors::Errors;
use crate::expr;
use crate::model::{self, OptionKind, OptionValue, Place, RelKind, RelOption, Unknown};
use crate::parse::syntax::{SortKeySyntax, field_name, item_attributes, read_with, sort_keys};
use crate::suggest::did_you_mean;

/// One relationship, with what went wrong in its options.
pub enum RelationshipItem {
    Known {
        relationship: Box<model::Relationship>,
        /// Unknown option names and sort orders.
        unknown: Vec<Unknown>,
    },
    /// A word where a relationship kind belongs; the item is skipped.
    Unknown(Ident),
}

/// The destination resource of `destination` as written: a field's type
/// (`Vec<Ticket>`, `Option<Ticket>`, `Loaded<..>`, as a derive's field reads)
/// is reported once, on it, and its resource used, so the relationship's own
/// checks go on without an error per use of a type that is no resource.
fn resource_of(destination: Type, keyword: &Ident, name: &Ident, errors: &Errors) -> Type {
    let Some(inner) = inside_field_type(&destination) else {
        return destination;
    };
    let shown = quote::ToTokens::to_token_stream(&inner).to_string();
    errors.error_spanned_by(
        &destination,
        format_args!(
            "a relationship's destination is the resource, not the field's type: \
             `{keyword} {name}: {shown};` (`resource!` makes the field that loads it)"
        ),
    );
    inner
}

/// The type inside a field's wrapper (`Vec`, `Option`, `Loaded`, `Box`, each
/// with one type argument), down to the first type that is none.
fn inside_field_type(ty: &Type) -> Option<Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if !matches!(
        last.ident.to_string().as_str(),
        "Vec" | "Option" | "Loaded" | "Box"
    ) {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    let mut types = arguments.args.iter().filter_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    });
    let (Some(inner), None) = (types.next(), types.next()) else {
        return None;
    };
    Some(inside_field_type(inner).unwrap_or_else(|| inner.clone()))
}

/// One relationship; the options that cannot be parsed are reported into
/// `errors` (the others are kept).
pub fn relationship_item(input: ParseStream, errors: &Errors) -> Result<RelationshipItem> {
    let attrs = item_attributes(input)?;
    let lookahead = input.lookahead1();
    let kind = if lookahead.peek(kw::belongs_to) {
        RelKind::BelongsTo
    } else if lookahead.peek(kw::has_one) {
        RelKind::HasOne
    } else if lookahead.peek(kw::has_many) {
        RelKind::HasMany
    } else if lookahead.peek(kw::many_to_many) {
        RelKind::ManyToMany
    } else if input.peek(Ident::peek_any) {
        let word = input.call(Ident::parse_any)?;
        input.parse::<TokenStream>()?;
        return Ok(RelationshipItem::Unknown(word));
    } else {
        return Err(lookahead.error());
    };
    let keyword = input.call(Ident::parse_any)?;
    let name = input.call(field_name)?;
    if !input.peek(Token![:]) {
        return Err(input.error(format!(
            "expected `:` and the destination resource: `{keyword} {name}: Ticket;`"
        )));
    }
    input.parse::<Token![:]>()?;
    // Without `+`: the type goes into `<D as Resource>` (see `AttributeItem`).
    let destination = resource_of(input.call(Type::without_plus)?, &keyword, &name, errors);
    let mut relationship = model::Relationship {
        attrs,
        kind,
        name,
        destination,
        options: Vec::new(),
        unreadable_options: false,
        foreign_key_type: OnceCell::new(),
    };
    let mut unknown = Vec::new();
    // The options read from a misspelt name (see `OptionItem::Misspelt`).
    let mut guessed: Vec<OptionKind> = Vec::new();
    let lookahead = input.lookahead1();
    if lookahead.peek(Token![;]) {
        input.parse::<Token![;]>()?;
    } else if lookahead.peek(syn::token::Brace) {
        let group: Group = input.parse()?;
        for tokens in items(
            group.stream(),
            false,
            errors,
            "expected `;` after this option",
        ) {
            match syn::parse2::<OptionItem>(tokens) {
                Ok(OptionItem::Known { option, orders }) => {
                    // An option read from a misspelling gives way to the
                    // option itself (no "given twice" for one mistake).
                    let kind = option.value.kind();
                    if let Some(at) = guessed.iter().position(|&k| k == kind) {
                        guessed.remove(at);
                        relationship.options.retain(|o| o.value.kind() != kind);
                    }
                    relationship.options.push(*option);
                    unknown.extend(orders);
                }
                Ok(OptionItem::Unknown(word)) => unknown.push(Unknown {
                    place: Place::Option,
                    word,
                }),
                Ok(OptionItem::Misspelt {
                    word,
                    option,
                    orders,
                }) => {
                    unknown.push(Unknown {
                        place: Place::Option,
                        word,
                    });
                    let kind = option.value.kind();
                    if relationship.option(kind).is_none() {
                        guessed.push(kind);
                        relationship.options.push(*option);
                        unknown.extend(orders);
                    }
                }
                Err(e) => {
                    errors.syn_error(e);
                    relationship.unreadable_options = true;
                }
            }
        }
        if input.peek(Token![;]) {
            input.parse::<Token![;]>()?;
        }
    } else {
        return Err(lookahead.error());
    }
    Ok(RelationshipItem::Known {
        relationship: Box::new(relationship),
        unknown,
    })
}

/// One relationship option, `keyword value;`.
pub enum OptionItem {
    Known {
        option: Box<RelOption>,
        /// Unknown sort orders (the key is kept, ascending) and
        /// `authorize_read_with` values (read as `filter`).
        orders: Vec<Unknown>,
    },
    /// A word where an option name belongs; the option is skipped.
    Unknown(Ident),
    /// A misspelt option name, reported, and the option it is close to,
    /// read with its value.
    Misspelt {
        word: Ident,
        option: Box<RelOption>,
        orders: Vec<Unknown>,
    },
}

impl Parse for OptionItem {
    fn parse(input: ParseStream) -> Result<Self> {
        let lookahead = input.lookahead1();
        let known = lookahead.peek(kw::source_attribute)
            || lookahead.peek(kw::destination_attribute)
            || lookahead.peek(kw::filter)
            || lookahead.peek(kw::sort)
            || lookahead.peek(kw::manual)
            || lookahead.peek(kw::through)
            || lookahead.peek(kw::source_attribute_on_join_resource)
            || lookahead.peek(kw::destination_attribute_on_join_resource)
            || lookahead.peek(kw::authorize_read_with)
            || lookahead.peek(kw::no_attributes)
            || lookahead.peek(kw::condition);
        if !known {
            if input.peek(Ident::peek_any) {
                let word = input.call(Ident::parse_any)?;
                // A misspelt option (`destinaton_attribute`) is read as the
                // one it is close to when its value reads as that option's,
                // once reported (validation says "did you mean"), so the
                // resource is not also wrong for the option it lacks.
                let options = OptionKind::ALL.map(OptionKind::keyword);
                if let Some(meant) = did_you_mean(&word.to_string(), options) {
                    let fork = input.fork();
                    let read = option(&fork, Ident::new(meant, word.span()));
                    if let Ok(OptionItem::Known { option, orders }) = read {
                        input.advance_to(&fork);
                        return Ok(OptionItem::Misspelt {
                            word,
                            option,
                            orders,
                        });
                    }
                }
                input.parse::<TokenStream>()?;
                return Ok(OptionItem::Unknown(word));
            }
            return Err(lookahead.error());
        }
        let keyword = input.call(Ident::parse_any)?;
        option(input, keyword)
    }
}

/// The value of option `keyword` (read already) and its `;`.
fn option(input: ParseStream, keyword: Ident) -> Result<OptionItem> {
    let mut orders = Vec::new();
    let value = match keyword.to_string().as_str() {
        "source_attribute" => OptionValue::SourceAttribute(attribute_name(input, &keyword)?),
        "destination_attribute" => {
            OptionValue::DestinationAttribute(attribute_name(input, &keyword)?)
        }
        "source_attribute_on_join_resource" => {
            OptionValue::SourceAttributeOnJoinResource(attribute_name(input, &keyword)?)
        }
        "destination_attribute_on_join_resource" => {
            OptionValue::DestinationAttributeOnJoinResource(attribute_name(input, &keyword)?)
        }
        "filter" => OptionValue::Filter(expr::parse_filter(input)?),
        "condition" => OptionValue::Condition(expr::parse_filter(input)?),
        "sort" => {
            let keys = Punctuated::<SortKeySyntax, Token![,]>::parse_separated_nonempty(input)?;
            OptionValue::Sort(sort_keys(keys, &mut orders))
        }
        // Parentheses around the loader would reach the generated call
        // (`manual((..))`) and warn there: the expression inside is kept.
        "manual" => OptionValue::Manual(match input.parse()? {
            syn::Expr::Paren(inner) => *inner.expr,
            loader => loader,
        }),
        "no_attributes" => OptionValue::NoAttributes,
        "through" => OptionValue::Through(input.call(Type::without_plus)?),
        "authorize_read_with" => {
            if !input.peek(Ident::peek_any) {
                return Err(
                    input.error("expected `filter` or `error`: `authorize_read_with error;`")
                );
            }
            let word = input.call(Ident::parse_any)?;
            OptionValue::AuthorizeReadWith(read_with(word, &mut orders))
        }
        _ => unreachable!("checked by the lookahead"),
    };
    if !input.peek(Token![;]) {
        return Err(input.error(match value {
            OptionValue::Sort(_) => "expected `,` and another sort key, or `;`",
            _ if input.peek(Token![,]) => "expected `;`: each option ends with its own `;`",
            _ => "expected `;`",
        }));
    }
    input.parse::<Token![;]>()?;
    Ok(OptionItem::Known {
        option: Box::new(RelOption { keyword, value }),
        orders,
    })
}

/// The attribute name after an option keyword.
fn attribute_name(input: ParseStream, keyword: &Ident) -> Result<Ident> {
    if !input.peek(Ident) {
        return Err(input.error(format!(
            "expected an attribute name: `{keyword} ticket_id;`"
        )));
    }
    input.parse()
}
