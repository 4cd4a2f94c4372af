//! Function calls in a filter: `is_nil(x)`, `exists(path, condition)` and the
//! text functions (`contains(a, b)`, `lower(a)`, `concat(a, b, ..)`, ..), each
//! with the number of arguments it takes; an unknown name is an error that
//! suggests the closest function.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Result};
use syn::{Ident, Token};

use super::super::{Expr, Function};
use super::{parse_or, parse_path, unexpected_after_operand};
use crate::suggest::did_you_mean;

/// Every function's name, for suggestions.
const FUNCTIONS: [&str; 12] = [
    "is_nil",
    "exists",
    "parent",
    "contains",
    "starts_with",
    "ends_with",
    "like",
    "ilike",
    "lower",
    "upper",
    "length",
    "concat",
];

/// A call: the function's name, then its arguments in parentheses.
pub(super) fn parse_call(input: ParseStream) -> Result<Expr> {
    let name = input.call(Ident::parse_any)?;
    // Formatted once: a proc macro asks the compiler for each formatting.
    let word = name.to_string();
    let content;
    syn::parenthesized!(content in input);
    let span = name.span();
    let expr = if word == "is_nil" {
        let expr = parse_or(&content)?;
        Expr::IsNil {
            span,
            expr: Box::new(expr),
        }
    } else if word == "exists" {
        let path = parse_path(&content)?;
        if !content.peek(Token![,]) {
            return Err(content.error(
                "expected `,` and a condition on the related records: `exists(tickets, priority > 3)`",
            ));
        }
        content.parse::<Token![,]>()?;
        let body = parse_or(&content)?;
        if content.peek(Token![,]) {
            content.parse::<Token![,]>()?;
        }
        Expr::Exists {
            span,
            path,
            body: Box::new(body),
        }
    } else if word == "parent" {
        if !content.peek(Ident) {
            let at = if content.is_empty() {
                span
            } else {
                content.span()
            };
            return Err(syn::Error::new(
                at,
                "expected the name of one of the source's attributes: `parent(priority_threshold)`",
            ));
        }
        let field: Ident = content.parse()?;
        if content.peek(Token![.]) {
            return Err(content.error(
                "`parent(..)` names one attribute of the relationship's source, not a path: \
                 `parent(priority_threshold)`",
            ));
        }
        Expr::Parent { span, field }
    } else if let Some(function) = Function::named(&word) {
        return parse_function(&content, function, span);
    } else if ["count", "sum", "min", "max", "avg", "first", "list"].contains(&word.as_str()) {
        return Err(syn::Error::new(
            span,
            format!(
                "`{name}(..)` is no function in a filter: declare the aggregate in the resource's \
                 `aggregates {{ }}` (e.g. `count ticket_count: tickets;`) and name it here \
                 (`ticket_count > 2`)"
            ),
        ));
    } else {
        let hint = match did_you_mean(&word, FUNCTIONS) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "the functions are `is_nil(x)`, `exists(path, condition)`, `parent(x)`, `contains`, \
                     `starts_with`, `ends_with`, `like`, `ilike`, `lower`, `upper`, `length` \
                     and `concat`"
                .to_owned(),
        };
        return Err(syn::Error::new(
            span,
            format!("unknown function `{name}` in a filter; {hint}"),
        ));
    };
    if !content.is_empty() {
        return Err(unexpected_after_operand(&content, "or `)`"));
    }
    Ok(expr)
}

/// The arguments of text function `function` (the inside of its
/// parentheses), as many as it takes.
fn parse_function(content: ParseStream, function: Function, span: Span) -> Result<Expr> {
    let mut args = Vec::new();
    while !content.is_empty() {
        args.push(parse_or(content)?);
        if content.is_empty() {
            break;
        }
        if !content.peek(Token![,]) {
            return Err(unexpected_after_operand(content, "or `,` or `)`"));
        }
        content.parse::<Token![,]>()?;
    }
    let (takes, ok) = match function {
        Function::Lower | Function::Upper | Function::Length => ("one argument", args.len() == 1),
        Function::Concat => ("two or more arguments", args.len() >= 2),
        _ => ("two arguments", args.len() == 2),
    };
    if !ok {
        return Err(syn::Error::new(
            span,
            format!(
                "`{}` takes {takes}, found {}: write {}",
                function.name(),
                args.len(),
                function.usage()
            ),
        ));
    }
    Ok(Expr::Call {
        span,
        function,
        args,
    })
}
