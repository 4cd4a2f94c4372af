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
//!          | "exists" "(" path "," or ")" | "parent" "(" ident ")" | call | path
//! call    := ("lower" | "upper" | "length") "(" or ")"
//!          | ("contains" | "starts_with" | "ends_with" | "like" | "ilike")
//!            "(" or "," or ")"
//!          | "concat" "(" or ("," or)+ ")"
//! list    := "[" element ("," element)* ","? "]" | pin
//! element := literal | "-" number | pin
//! pin     := "^" ident ("." (ident | index))* | "^" "(" rust-expr ")"
//!          | template
//! template := "^" "actor" "(" ident ")" | "^" "tenant" "(" ")"
//! path    := ident ("." ident)*
//! ```
//!
//! `parent(x)` reads attribute `x` of the source record of a `no_attributes`
//! relationship, so it is only allowed in such a relationship's `filter`:
//! `closure` makes it an error, `relationship_closure` reads it from the
//! source's fields.
//!
//! Templates stand for values of the read (its actor's fields, its tenant) and
//! are only allowed in a policy's `expr(..)` check: `closure` rejects them,
//! `policy_closure` reads them from the policy's `Templates`.

mod generate;
mod parse;

use proc_macro2::{Span, TokenStream};
use syn::Ident;

pub use generate::{closure, policy_closure, relationship_closure};
pub use parse::{parse_filter, parse_whole};

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
    /// `^actor(field)` or `^tenant()`.
    Template(Template),
    /// `parent(field)`: an attribute of the relationship's source.
    Parent { span: Span, field: Ident },
    /// A text function: `contains(subject, "x")`, `lower(name)`,
    /// `concat(a, b, c)`; the arguments as many as `function` takes.
    Call {
        span: Span,
        function: Function,
        args: Vec<Expr>,
    },
}

/// A text function of the filter language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    Contains,
    StartsWith,
    EndsWith,
    Like,
    Ilike,
    Lower,
    Upper,
    Length,
    Concat,
}

impl Function {
    /// Every function.
    const ALL: [Function; 9] = [
        Function::Contains,
        Function::StartsWith,
        Function::EndsWith,
        Function::Like,
        Function::Ilike,
        Function::Lower,
        Function::Upper,
        Function::Length,
        Function::Concat,
    ];

    /// Its name in a filter (and in `__private`).
    pub fn name(self) -> &'static str {
        match self {
            Function::Contains => "contains",
            Function::StartsWith => "starts_with",
            Function::EndsWith => "ends_with",
            Function::Like => "like",
            Function::Ilike => "ilike",
            Function::Lower => "lower",
            Function::Upper => "upper",
            Function::Length => "length",
            Function::Concat => "concat",
        }
    }

    /// How it is called, for messages.
    pub fn usage(self) -> &'static str {
        match self {
            Function::Contains => r#"`contains(subject, "urgent")`"#,
            Function::StartsWith => r#"`starts_with(name, "A")`"#,
            Function::EndsWith => r#"`ends_with(email, "@example.com")`"#,
            Function::Like => r#"`like(name, "A%")`"#,
            Function::Ilike => r#"`ilike(name, "a%")`"#,
            Function::Lower => "`lower(name)`",
            Function::Upper => "`upper(name)`",
            Function::Length => "`length(subject)`",
            Function::Concat => r#"`concat(first_name, " ", last_name)`"#,
        }
    }

    /// The function named `name`, if any.
    pub fn named(name: &str) -> Option<Function> {
        Function::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// A template: a value of the read, filled in when a policy's `expr(..)` runs.
#[derive(Debug)]
pub struct Template {
    /// The `^`.
    pub caret: Span,
    /// `actor` or `tenant`.
    pub name: Ident,
    /// The actor's field for `^actor(field)`, `None` for `^tenant()`.
    pub field: Option<Ident>,
}

impl Template {
    /// The error for a template where there are no templates, spanned on
    /// `^actor`: `place` is where it was written (`expr!`, a relationship's
    /// `filter`), `fix` what to write instead.
    pub fn outside_policy(&self, place: &str, fix: &str) -> syn::Error {
        let mut caret = proc_macro2::Punct::new('^', proc_macro2::Spacing::Alone);
        caret.set_span(self.caret);
        let name = &self.name;
        let written = match &self.field {
            Some(field) => format!("^{name}({field})"),
            None => format!("^{name}()"),
        };
        syn::Error::new_spanned(
            quote::quote!(#caret #name),
            format!(
                "`{written}` is a template: templates only work in a policy's `expr(..)` \
                 check, not in {place}; {fix}"
            ),
        )
    }
}

/// `and` or `or`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogicOp {
    And,
    Or,
}

/// A comparison: `==`, `!=`, `<`, `<=`, `>`, `>=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// An arithmetic operator: `+`, `-`, `*`, `/`.
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
            | Expr::Exists { span, .. }
            | Expr::Parent { span, .. }
            | Expr::Call { span, .. } => *span,
            Expr::Lit(lit) => lit.span(),
            Expr::Pin(pin) => pin.caret,
            Expr::Template(t) => t.caret,
            Expr::Path(path) => path[0].span(),
        }
    }

    /// Every template in the expression, in order.
    pub fn templates(&self) -> Vec<&Template> {
        self.nodes()
            .into_iter()
            .filter_map(|e| match e {
                Expr::Template(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    /// Every `parent(..)` in the expression (span of `parent`, the field), in
    /// order.
    pub fn parents(&self) -> Vec<(Span, &Ident)> {
        self.nodes()
            .into_iter()
            .filter_map(|e| match e {
                Expr::Parent { span, field } => Some((*span, field)),
                _ => None,
            })
            .collect()
    }

    /// Every node of the expression, itself first, in the order written (the
    /// elements of a list literal included), walked with a heap stack.
    fn nodes(&self) -> Vec<&Expr> {
        let mut found = Vec::new();
        let mut stack = vec![self];
        while let Some(expr) = stack.pop() {
            found.push(expr);
            match expr {
                Expr::Logic { lhs, rhs, .. }
                | Expr::Cmp { lhs, rhs, .. }
                | Expr::Arith { lhs, rhs, .. } => {
                    stack.push(rhs);
                    stack.push(lhs);
                }
                Expr::Not { expr, .. } | Expr::Neg { expr, .. } | Expr::IsNil { expr, .. } => {
                    stack.push(expr)
                }
                Expr::In { lhs, list, .. } => {
                    if let List::Literal { elements, .. } = list {
                        stack.extend(elements.iter().rev());
                    }
                    stack.push(lhs);
                }
                Expr::Exists { body, .. } => stack.push(body),
                Expr::Call { args, .. } => stack.extend(args.iter().rev()),
                Expr::Lit(_)
                | Expr::Pin(_)
                | Expr::Path(_)
                | Expr::Template(_)
                | Expr::Parent { .. } => {}
            }
        }
        found
    }
}

/// The error for `parent(..)` where there is no relationship source: `place`
/// is where it was written.
pub fn parent_outside_relationship(span: Span, field: &Ident, place: &str) -> syn::Error {
    syn::Error::new(
        span,
        format!(
            "`parent({field})` reads the source record of a relationship, so it is only \
             allowed in the `filter` of a `no_attributes` relationship, not in {place}; \
             pin a Rust value (`^value`) here instead"
        ),
    )
}

#[cfg(test)]
mod tests;
