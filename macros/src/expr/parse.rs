//! Parser of the filter language (grammar in `mod.rs`): one function per level of
//! precedence, errors on the offending token saying what was expected there.

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Result};
use syn::{Ident, Lit, Token, token};

use super::{CmpOp, Expr, List, LogicOp, Pin, Template};
use crate::names::field_name;
use crate::suggest::did_you_mean;

mod arithmetic;
mod calls;
mod depth;

use arithmetic::parse_sum;
use calls::parse_call;
use depth::Levels;

mod kw {
    syn::custom_keyword!(and);
    syn::custom_keyword!(or);
    syn::custom_keyword!(not);
    syn::custom_keyword!(is_nil);
    syn::custom_keyword!(exists);
    syn::custom_keyword!(nil);
    syn::custom_keyword!(actor);
    syn::custom_keyword!(tenant);
}

/// The operators that are words, which can follow an operand.
const WORD_OPERATORS: [&str; 3] = ["and", "or", "in"];
const AFTER_OPERAND: &str = "expected an operator (`and`, `or`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `+`, `-`, `*`, `/`)";

/// The whole input of `expr!`.
pub fn parse_whole(input: ParseStream) -> Result<Expr> {
    if input.is_empty() {
        return Err(
            input.error("expected a filter, like `expr!(priority > 3 and status == \"open\")`")
        );
    }
    let expr = parse_or(input)?;
    if !input.is_empty() {
        return Err(unexpected_after_operand(input, "or the end of the filter"));
    }
    Ok(expr)
}

/// A filter ending at `;` (the relationship option `filter <expr>;`); the `;` is
/// left for the caller.
pub fn parse_filter(input: ParseStream) -> Result<Expr> {
    let expr = parse_or(input)?;
    if !input.peek(Token![;]) {
        return Err(unexpected_after_operand(input, "or `;`"));
    }
    Ok(expr)
}

fn unexpected_after_operand(input: ParseStream, or_what: &str) -> syn::Error {
    if input.peek(Token![=]) && !input.peek(Token![==]) {
        return input.error("use `==` to compare");
    }
    if let Ok(word) = input.fork().call(Ident::parse_any) {
        // A misspelled word operator (`adn`, `AND`).
        let text = word.to_string();
        let lower = text.to_lowercase();
        let known = WORD_OPERATORS.iter().copied().find(|&op| op == lower);
        if let Some(op) = known.or_else(|| did_you_mean(&text, WORD_OPERATORS)) {
            return syn::Error::new(
                word.span(),
                format!("unknown operator `{text}`; did you mean `{op}`?"),
            );
        }
    }
    if input.peek(token::Paren) {
        return input.error(
            "attributes and relationships take no parentheses: write `priority`, `representative.name`",
        );
    }
    input.error(format!("{AFTER_OPERAND} {or_what}"))
}

/// An operator at the end of the input: the error goes on the operator (the end
/// of a macro's input has no span of its own).
fn operand_after(input: ParseStream, op: Span, text: &str, what: &str) -> Result<()> {
    if input.is_empty() {
        return Err(syn::Error::new(
            op,
            format!("expected {what} after `{text}`"),
        ));
    }
    Ok(())
}

/// The span of a token of several characters (`==`), as one span when possible.
fn joined(spans: &[Span]) -> Span {
    let first = spans[0];
    first.join(spans[spans.len() - 1]).unwrap_or(first)
}

fn parse_or(input: ParseStream) -> Result<Expr> {
    let mut levels = Levels::enter(input.span())?;
    let mut lhs = parse_and(input)?;
    loop {
        let (span, text) = if input.peek(kw::or) {
            (input.parse::<kw::or>()?.span, "or")
        } else if input.peek(Token![||]) {
            (joined(&input.parse::<Token![||]>()?.spans), "||")
        } else {
            return Ok(lhs);
        };
        levels.deeper(span)?;
        operand_after(input, span, text, "a condition")?;
        let rhs = parse_and(input)?;
        lhs = Expr::Logic {
            op: LogicOp::Or,
            span,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        };
    }
}

fn parse_and(input: ParseStream) -> Result<Expr> {
    let mut levels = Levels::none();
    let mut lhs = parse_not(input)?;
    loop {
        let (span, text) = if input.peek(kw::and) {
            (input.parse::<kw::and>()?.span, "and")
        } else if input.peek(Token![&&]) {
            (joined(&input.parse::<Token![&&]>()?.spans), "&&")
        } else {
            return Ok(lhs);
        };
        levels.deeper(span)?;
        operand_after(input, span, text, "a condition")?;
        let rhs = parse_not(input)?;
        lhs = Expr::Logic {
            op: LogicOp::And,
            span,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        };
    }
}

fn parse_not(input: ParseStream) -> Result<Expr> {
    let (span, text) = if input.peek(kw::not) {
        (input.parse::<kw::not>()?.span, "not")
    } else if input.peek(Token![!]) && !input.peek(Token![!=]) {
        (input.parse::<Token![!]>()?.span, "!")
    } else {
        return parse_cmp(input);
    };
    let _levels = Levels::enter(span)?;
    operand_after(input, span, text, "a condition")?;
    let expr = parse_not(input)?;
    Ok(Expr::Not {
        span,
        expr: Box::new(expr),
    })
}

/// A comparison operator or `in` (`None` for `in`).
fn parse_cmp_op(input: ParseStream) -> Result<Option<(Option<CmpOp>, Span)>> {
    macro_rules! op {
        ($tok:tt, $op:expr) => {
            if input.peek(Token![$tok]) {
                let t = input.parse::<Token![$tok]>()?;
                return Ok(Some(($op, joined(&t.spans))));
            }
        };
    }
    op!(==, Some(CmpOp::Eq));
    op!(!=, Some(CmpOp::Ne));
    op!(<=, Some(CmpOp::Le));
    op!(>=, Some(CmpOp::Ge));
    op!(<, Some(CmpOp::Lt));
    op!(>, Some(CmpOp::Gt));
    if input.peek(Token![in]) {
        return Ok(Some((None, input.parse::<Token![in]>()?.span)));
    }
    Ok(None)
}

fn cmp_text(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "==",
        CmpOp::Ne => "!=",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    }
}

fn is_cmp_op(input: ParseStream) -> bool {
    input.peek(Token![==])
        || input.peek(Token![!=])
        || input.peek(Token![<])
        || input.peek(Token![>])
        || input.peek(Token![in])
}

fn parse_cmp(input: ParseStream) -> Result<Expr> {
    let lhs = parse_sum(input)?;
    let Some((op, span)) = parse_cmp_op(input)? else {
        return Ok(lhs);
    };
    let _levels = Levels::enter(span)?;
    match op {
        Some(op) => operand_after(input, span, cmp_text(op), "a value")?,
        None => operand_after(input, span, "in", "a list")?,
    }
    if op == Some(CmpOp::Lt) && input.peek(Token![>]) {
        return Err(syn::Error::new(
            span,
            "`<>` is no operator here: join texts with `concat(a, b)`, or compare with `!=`",
        ));
    }
    let expr = match op {
        Some(op) => Expr::Cmp {
            op,
            span,
            lhs: Box::new(lhs),
            rhs: Box::new(parse_sum(input)?),
        },
        None => Expr::In {
            span,
            lhs: Box::new(lhs),
            list: parse_list(input)?,
        },
    };
    if is_cmp_op(input) {
        return Err(input.error(
            "comparisons cannot be chained: join them with `and`, as in `a < b and b < c`",
        ));
    }
    Ok(expr)
}

fn parse_unary(input: ParseStream) -> Result<Expr> {
    if input.peek(Token![-]) {
        let span = input.parse::<Token![-]>()?.span;
        let _levels = Levels::enter(span)?;
        operand_after(input, span, "-", "a number")?;
        let expr = parse_unary(input)?;
        return Ok(Expr::Neg {
            span,
            expr: Box::new(expr),
        });
    }
    parse_primary(input)
}

fn parse_primary(input: ParseStream) -> Result<Expr> {
    if input.peek(token::Paren) {
        let content;
        syn::parenthesized!(content in input);
        let expr = parse_or(&content)?;
        if !content.is_empty() {
            return Err(unexpected_after_operand(&content, "or `)`"));
        }
        Ok(expr)
    } else if input.peek(Lit) {
        parse_literal(input).map(Expr::Lit)
    } else if template_next(input) {
        parse_template(input).map(Expr::Template)
    } else if input.peek(Token![^]) {
        parse_pin(input).map(Expr::Pin)
    } else if input.peek(Ident::peek_any) {
        parse_name(input)
    } else if input.peek(token::Bracket) {
        Err(input.error(
            "a list is only allowed on the right of `in`, as in `status in [\"open\", \"new\"]`",
        ))
    } else {
        Err(input.error(
            "expected a value: an attribute, a literal, a pinned `^value`, a function like `is_nil(..)` or `contains(..)`, or `( .. )`",
        ))
    }
}

/// A number, a string or `true`/`false`.
fn parse_literal(input: ParseStream) -> Result<Lit> {
    let lit: Lit = input.parse()?;
    match lit {
        Lit::Int(_) | Lit::Float(_) | Lit::Str(_) | Lit::Bool(_) => Ok(lit),
        other => Err(syn::Error::new(
            other.span(),
            "expected a number, a string or `true`/`false`",
        )),
    }
}

/// Whether `^actor(..)` or `^tenant(..)` comes next.
fn template_next(input: ParseStream) -> bool {
    let ahead = input.fork();
    ahead.parse::<Token![^]>().is_ok()
        && (ahead.peek(kw::actor) || ahead.peek(kw::tenant))
        && ahead.peek2(token::Paren)
}

/// `^actor(field)` or `^tenant()`.
fn parse_template(input: ParseStream) -> Result<Template> {
    let caret = input.parse::<Token![^]>()?.span;
    let name: Ident = input.parse()?;
    let content;
    let parens = syn::parenthesized!(content in input);
    let field = if name == "actor" {
        if !content.peek(Ident) {
            return Err(syn::Error::new(
                if content.is_empty() {
                    parens.span.join()
                } else {
                    content.span()
                },
                "expected the name of one of the actor's fields: `^actor(id)`",
            ));
        }
        let field: Ident = content.parse()?;
        if !content.is_empty() {
            return Err(content.error("`^actor(..)` takes the name of one field: `^actor(id)`"));
        }
        Some(field)
    } else {
        if !content.is_empty() {
            return Err(content.error("`^tenant()` takes no arguments"));
        }
        None
    };
    Ok(Template { caret, name, field })
}

/// The error for a template where a list belongs or inside a list literal.
fn template_in_list(input: ParseStream) -> syn::Error {
    input.error(
        "a template is one value, not a list, and cannot be an element of a list literal: \
         compare with `==` instead, as in `id == ^actor(id)`",
    )
}

/// `^name`, `^name.field.more`, `^path::to::CONST`, a call of either
/// (`^Cents(100)`, `^name.len()`, `^Status::parse("open")`), `^(rust expression)`.
fn parse_pin(input: ParseStream) -> Result<Pin> {
    let caret = input.parse::<Token![^]>()?.span;
    if input.peek(token::Paren) {
        let group: Group = input.parse()?;
        return Ok(Pin {
            caret,
            tokens: group.stream(),
            last: group.span_close(),
        });
    }
    if !path_segment_next(input) {
        let message = "expected a Rust value after `^`: `^name`, `^name.field` or `^(expression)`";
        // At the end of the input, on the `^` (the end has no span of its own).
        return Err(if input.is_empty() {
            syn::Error::new(caret, message)
        } else {
            input.error(message)
        });
    }
    if input
        .fork()
        .parse::<Ident>()
        .is_ok_and(|name| name == "None")
        && !input.peek2(Token![::])
        && !input.peek2(Token![.])
    {
        return Err(input.error(
            "a comparison with a pinned `None` matches no record (nil in gives nil out, as in \
             SQL): test for nil with `is_nil(x)`",
        ));
    }
    let mut tokens = TokenStream::new();
    let first = input.call(Ident::parse_any)?;
    let mut last = first.span();
    tokens.extend([TokenTree::Ident(first)]);
    loop {
        if input.peek(Token![.]) && (input.peek2(Ident) || input.peek2(syn::LitInt)) {
            let dot: Token![.] = input.parse()?;
            let member: syn::Member = input.parse()?;
            last = syn::spanned::Spanned::span(&member);
            tokens.extend(quote::quote!(#dot #member));
        } else if input.peek(Token![::]) && {
            let after = input.fork();
            after.parse::<Token![::]>().is_ok() && path_segment_next(&after)
        } {
            let colons: Token![::] = input.parse()?;
            let segment = input.call(Ident::parse_any)?;
            last = segment.span();
            tokens.extend(quote::quote!(#colons #segment));
        } else if input.peek(Token![::]) && input.peek3(Token![<]) {
            // A turbofish: `^None::<Uuid>`, `^Vec::<i64>::new()`.
            let colons: Token![::] = input.parse()?;
            let arguments: syn::AngleBracketedGenericArguments = input.parse()?;
            last = arguments.gt_token.span;
            tokens.extend(quote::quote!(#colons #arguments));
        } else if input.peek(token::Paren) {
            // A call's arguments: nothing else may follow a value there. They
            // are Rust expressions, checked here so that the generated code is.
            let arguments: Group = input.parse()?;
            let parse = syn::punctuated::Punctuated::<syn::Expr, Token![,]>::parse_terminated;
            syn::parse::Parser::parse2(parse, arguments.stream()).map_err(|e| {
                syn::Error::new(
                    e.span(),
                    format!("{e}: the arguments of a pinned call are Rust expressions, as in `^Cents(100)`"),
                )
            })?;
            last = arguments.span_close();
            tokens.extend([TokenTree::Group(arguments)]);
        } else {
            break;
        }
    }
    Ok(Pin {
        caret,
        tokens,
        last,
    })
}

/// Whether a path segment of a pinned value comes next: a name, or `self`,
/// `Self`, `super`, `crate` (other keywords are not values).
fn path_segment_next(input: ParseStream) -> bool {
    input.peek(Ident)
        || input.peek(Token![self])
        || input.peek(Token![Self])
        || input.peek(Token![super])
        || input.peek(Token![crate])
}

/// A function call (`is_nil(..)`, `exists(..)`, `lower(..)`, ..) or a path.
fn parse_name(input: ParseStream) -> Result<Expr> {
    if input.peek2(token::Paren) {
        return parse_call(input);
    }
    if input.peek(kw::nil) {
        return Err(input.error(
            "`nil` is not a value in a filter: test for it with `is_nil(x)` or `not is_nil(x)`",
        ));
    }
    if input.peek(Token![self]) && input.peek2(Token![.]) {
        return Err(input.error(
            "a filter names the resource's fields without `self`: write `priority`, not \
             `self.priority` (a value of the surrounding code is pinned: `^self.priority`)",
        ));
    }
    if input
        .fork()
        .parse::<Ident>()
        .is_ok_and(|name| name == "None")
        && !input.peek2(Token![.])
    {
        return Err(input.error(
            "`None` is not a value in a filter (Ash's `nil`): test for it with `is_nil(x)` or \
             `not is_nil(x)`",
        ));
    }
    if input.peek(kw::and) || input.peek(kw::or) {
        let word: Ident = input.parse()?;
        return Err(syn::Error::new(
            word.span(),
            format!("expected a value before `{word}`"),
        ));
    }
    parse_path(input).map(Expr::Path)
}

/// `a` or `a.b.c`: relationships, then an attribute.
pub(crate) fn parse_path(input: ParseStream) -> Result<Vec<Ident>> {
    // A keyword (`type`) is an error saying to write it raw, as in a declaration.
    let mut path = vec![input.call(field_name)?];
    while input.peek(Token![.]) {
        input.parse::<Token![.]>()?;
        if !input.peek(Ident::peek_any) {
            return Err(input.error("expected the name of an attribute or relationship after `.`"));
        }
        path.push(input.call(field_name)?);
    }
    Ok(path)
}

/// `[a, b]` or `^ids`.
fn parse_list(input: ParseStream) -> Result<List> {
    if template_next(input) {
        return Err(template_in_list(input));
    }
    if input.peek(Token![^]) {
        return parse_pin(input).map(List::Pinned);
    }
    if !input.peek(token::Bracket) {
        return Err(
            input.error("`in` needs a list: write `[1, 2, 3]`, or pin a collection with `^ids`")
        );
    }
    let group: Group = input.parse()?;
    debug_assert_eq!(group.delimiter(), Delimiter::Bracket);
    let span = group.span();
    let elements = syn::parse::Parser::parse2(
        |content: ParseStream| {
            let mut elements = Vec::new();
            while !content.is_empty() {
                elements.push(parse_element(content)?);
                if content.is_empty() {
                    break;
                }
                if !content.peek(Token![,]) {
                    return Err(content.error("expected `,` or `]`"));
                }
                content.parse::<Token![,]>()?;
            }
            Ok(elements)
        },
        group.stream(),
    )?;
    if elements.is_empty() {
        return Err(syn::Error::new(
            span,
            "`in []` matches nothing: give at least one value",
        ));
    }
    Ok(List::Literal { span, elements })
}

/// A literal, a negative number or a pinned value.
fn parse_element(input: ParseStream) -> Result<Expr> {
    if template_next(input) {
        return Err(template_in_list(input));
    }
    if input.peek(Token![^]) {
        return parse_pin(input).map(Expr::Pin);
    }
    if input.peek(Token![-]) && (input.peek2(syn::LitInt) || input.peek2(syn::LitFloat)) {
        let span = input.parse::<Token![-]>()?.span;
        let lit = parse_literal(input)?;
        return Ok(Expr::Neg {
            span,
            expr: Box::new(Expr::Lit(lit)),
        });
    }
    if input.peek(Lit) {
        return parse_literal(input).map(Expr::Lit);
    }
    Err(input.error(
        "a list holds literals and pinned values (`^x`); to compare with attributes use `==` and `or`",
    ))
}
