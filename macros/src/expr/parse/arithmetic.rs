//! Arithmetic in a filter: `+` and `-` over `*` and `/`, left to right, and
//! the one error for text given to them (a string literal, `lower`, `upper`,
//! `concat`), naming `concat`.

use proc_macro2::Span;
use syn::Token;
use syn::parse::{ParseStream, Result};

use super::depth::Levels;
use super::{operand_after, parse_unary};
use crate::expr::{ArithOp, Expr, Function};

pub(super) fn parse_sum(input: ParseStream) -> Result<Expr> {
    let mut levels = Levels::none();
    let mut lhs = parse_product(input)?;
    loop {
        let (op, span) = if input.peek(Token![+]) && !input.peek(Token![+=]) {
            (ArithOp::Add, input.parse::<Token![+]>()?.span)
        } else if input.peek(Token![-]) && !input.peek(Token![-=]) && !input.peek(Token![->]) {
            (ArithOp::Sub, input.parse::<Token![-]>()?.span)
        } else {
            return Ok(lhs);
        };
        levels.deeper(span)?;
        let text = if op == ArithOp::Add { "+" } else { "-" };
        operand_after(input, span, text, "a number")?;
        let rhs = parse_product(input)?;
        no_text_operand(&lhs, &rhs, span, text)?;
        lhs = Expr::Arith {
            op,
            span,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        };
    }
}

/// Refuses arithmetic (`op`, at `span`) on an operand that is text by its
/// syntax (a string literal, or `lower`/`upper`/`concat`): one error on the
/// operator naming `concat`, where the types alone would give one per operand
/// and another for the comparison.
fn no_text_operand(lhs: &Expr, rhs: &Expr, span: Span, op: &str) -> Result<()> {
    let text = |e: &Expr| {
        matches!(e, Expr::Lit(syn::Lit::Str(_)))
            || matches!(
                e,
                Expr::Call {
                    function: Function::Lower | Function::Upper | Function::Concat,
                    ..
                }
            )
    };
    if !(text(lhs) || text(rhs)) {
        return Ok(());
    }
    Err(syn::Error::new(
        span,
        if op == "+" {
            "`+` adds numbers: join text with `concat(a, b)`".to_owned()
        } else {
            format!("`{op}` takes numbers, not text")
        },
    ))
}

fn parse_product(input: ParseStream) -> Result<Expr> {
    let mut levels = Levels::none();
    let mut lhs = parse_unary(input)?;
    loop {
        let (op, span) = if input.peek(Token![*]) && !input.peek(Token![*=]) {
            (ArithOp::Mul, input.parse::<Token![*]>()?.span)
        } else if input.peek(Token![/]) && !input.peek(Token![/=]) {
            (ArithOp::Div, input.parse::<Token![/]>()?.span)
        } else {
            return Ok(lhs);
        };
        levels.deeper(span)?;
        let text = if op == ArithOp::Mul { "*" } else { "/" };
        operand_after(input, span, text, "a number")?;
        let rhs = parse_unary(input)?;
        no_text_operand(&lhs, &rhs, span, text)?;
        lhs = Expr::Arith {
            op,
            span,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        };
    }
}
