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
    left_to_right(input, sum_operator, parse_product)
}

fn parse_product(input: ParseStream) -> Result<Expr> {
    left_to_right(input, product_operator, parse_unary)
}

/// An operator of one level and where it stands, when one comes next (parsed).
type Operator = fn(ParseStream) -> Result<Option<(ArithOp, Span)>>;

/// `+` or `-` next (not `+=`, `-=`, `->`), parsed.
fn sum_operator(input: ParseStream) -> Result<Option<(ArithOp, Span)>> {
    Ok(if input.peek(Token![+]) && !input.peek(Token![+=]) {
        Some((ArithOp::Add, input.parse::<Token![+]>()?.span))
    } else if input.peek(Token![-]) && !input.peek(Token![-=]) && !input.peek(Token![->]) {
        Some((ArithOp::Sub, input.parse::<Token![-]>()?.span))
    } else {
        None
    })
}

/// `*` or `/` next (not `*=`, `/=`), parsed.
fn product_operator(input: ParseStream) -> Result<Option<(ArithOp, Span)>> {
    Ok(if input.peek(Token![*]) && !input.peek(Token![*=]) {
        Some((ArithOp::Mul, input.parse::<Token![*]>()?.span))
    } else if input.peek(Token![/]) && !input.peek(Token![/=]) {
        Some((ArithOp::Div, input.parse::<Token![/]>()?.span))
    } else {
        None
    })
}

/// Operands of one precedence level (`operand`) joined left to right by its
/// operators (`operator`), each level of nesting counted.
fn left_to_right(
    input: ParseStream,
    operator: Operator,
    operand: fn(ParseStream) -> Result<Expr>,
) -> Result<Expr> {
    let mut levels = Levels::none();
    let mut lhs = operand(input)?;
    while let Some((op, span)) = operator(input)? {
        levels.deeper(span)?;
        let text = match op {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        };
        operand_after(input, span, text, "a number")?;
        let rhs = operand(input)?;
        no_text_operand(&lhs, &rhs, span, text)?;
        lhs = Expr::Arith {
            op,
            span,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        };
    }
    Ok(lhs)
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
