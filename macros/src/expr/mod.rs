//! Ash's filter language in Rust tokens: the syntax tree, shared by `expr!` and
//! the relationship option `filter <expr>;`. Parsing is in `parse.rs`, code
//! generation in `generate.rs`.
//!
//! Grammar, loosest first:
//!
//! ```text
//! or      := and (("or" | "||") and)*
//! and     := not (("and" | "&&") not)*
//! not     := ("not" | "!") not | cmp
//! cmp     := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum | "in" list)?
//! sum     := product (("+" | "-") product)*
//! product := unary (("*" | "/") unary)*
//! unary   := "-" unary | primary
//! primary := "(" or ")" | literal | pin | "is_nil" "(" or ")"
//!          | "exists" "(" path "," or ")" | path
//! list    := "[" element ("," element)* ","? "]" | pin
//! element := literal | "-" number | pin
//! pin     := "^" ident ("." (ident | index))* | "^" "(" rust-expr ")"
//! path    := ident ("." ident)*
//! ```

mod generate;
mod parse;

use proc_macro2::{Span, TokenStream};
use syn::Ident;

pub use generate::closure;
pub use parse::parse_filter;

/// `expr!(...)`: the whole input is one filter.
pub fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let expr = syn::parse::Parser::parse2(parse::parse_whole, input)?;
    Ok(closure(&expr))
}

/// A filter expression. Every node keeps the span of the token it came from.
#[derive(Debug)]
pub enum Expr {
    /// `and` / `or` (and `&&` / `||`).
    Logic {
        op: LogicOp,
        span: Span,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `not` / `!`.
    Not { span: Span, expr: Box<Expr> },
    /// `==`, `!=`, `<`, `<=`, `>`, `>=`.
    Cmp {
        op: CmpOp,
        span: Span,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `a in list`.
    In {
        span: Span,
        lhs: Box<Expr>,
        list: List,
    },
    /// `+`, `-`, `*`, `/`.
    Arith {
        op: ArithOp,
        span: Span,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// Prefix `-`.
    Neg { span: Span, expr: Box<Expr> },
    /// A number, string or `true`/`false`.
    Lit(syn::Lit),
    /// `^value`: a Rust value from the surrounding code.
    Pin(Pin),
    /// `priority`, `representative.priority_threshold`.
    Path(Vec<Ident>),
    /// `is_nil(expr)`.
    IsNil { span: Span, expr: Box<Expr> },
    /// `exists(path, expr)`.
    Exists {
        span: Span,
        path: Vec<Ident>,
        body: Box<Expr>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogicOp {
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// A pinned Rust value: `^ids`, `^self.min`, `^(a + b)`.
#[derive(Debug)]
pub struct Pin {
    /// The `^`.
    pub caret: Span,
    /// The Rust expression (`ids`, `self.min`, `a + b`).
    pub tokens: TokenStream,
    /// The span of its last token.
    pub last: Span,
}

/// The right side of `in`.
#[derive(Debug)]
pub enum List {
    /// `[a, b, c]` of literals and pinned values.
    Literal { span: Span, elements: Vec<Expr> },
    /// `^ids`.
    Pinned(Pin),
}

impl Expr {
    /// The span of the node's own token (operator, function name or first token).
    pub fn span(&self) -> Span {
        match self {
            Expr::Logic { span, .. }
            | Expr::Not { span, .. }
            | Expr::Cmp { span, .. }
            | Expr::In { span, .. }
            | Expr::Arith { span, .. }
            | Expr::Neg { span, .. }
            | Expr::IsNil { span, .. }
            | Expr::Exists { span, .. } => *span,
            Expr::Lit(lit) => lit.span(),
            Expr::Pin(pin) => pin.caret,
            Expr::Path(path) => path[0].span(),
        }
    }
}

#[cfg(test)]
mod tests;
