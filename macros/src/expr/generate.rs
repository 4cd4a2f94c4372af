//! Code generation for filters: each node becomes a call into
//! `::ashore::__private` spanned on the node's own token, so the compiler checks
//! field names (a method per field) and operand kinds (trait bounds) and reports
//! every mismatch on the user's token.

use proc_macro2::{Delimiter, Group, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::{Ident, Lit};

use super::{ArithOp, CmpOp, Expr, List, LogicOp, Pin};

/// `|__ashore_f| ::ashore::__private::condition(<expr>)`: the closure that
/// `Query::filter`, `Rel::filter` and `__private::filter_for` take. The parameter is
/// hygienic (`Span::mixed_site`), so no user name can clash with it.
pub fn closure(expr: &Expr) -> TokenStream {
    let root = Ident::new("__ashore_f", Span::mixed_site());
    let body = term(expr, &root);
    let span = at(expr.span());
    quote_spanned! {span=> |#root| ::ashore::__private::condition(#body) }
}

/// A span with the macro's hygiene at the user's token. Every generated token of
/// a filter gets one (only the user's own tokens keep theirs), so rustc sees one
/// syntax context and blames exactly the user's operand or operator, not a range
/// starting at `expr!(`.
fn at(span: Span) -> Span {
    Span::mixed_site().located_at(span)
}

/// The typed term of `expr`, whose field references start at `root`.
fn term(expr: &Expr, root: &Ident) -> TokenStream {
    match expr {
        Expr::Logic { op, span, lhs, rhs } => {
            let (l, r) = (term(lhs, root), term(rhs, root));
            let f = match op {
                LogicOp::And => quote_spanned!(at(*span)=> and),
                LogicOp::Or => quote_spanned!(at(*span)=> or),
            };
            quote_spanned! {at(*span)=> ::ashore::__private::#f(#l, #r) }
        }
        Expr::Not { span, expr } => {
            let e = term(expr, root);
            quote_spanned! {at(*span)=> ::ashore::__private::not(#e) }
        }
        Expr::Cmp { op, span, lhs, rhs } => {
            let (l, r) = (term(lhs, root), term(rhs, root));
            let op = match op {
                CmpOp::Eq => quote_spanned!(at(*span)=> Eq),
                CmpOp::Ne => quote_spanned!(at(*span)=> Ne),
                CmpOp::Lt => quote_spanned!(at(*span)=> Lt),
                CmpOp::Le => quote_spanned!(at(*span)=> Le),
                CmpOp::Gt => quote_spanned!(at(*span)=> Gt),
                CmpOp::Ge => quote_spanned!(at(*span)=> Ge),
            };
            quote_spanned! {at(*span)=>
                ::ashore::__private::cmp(::ashore::__private::CmpOp::#op, #l, #r)
            }
        }
        Expr::In { span, lhs, list } => {
            let l = term(lhs, root);
            let list = match list {
                List::Pinned(pin) => pinned(pin),
                List::Literal { span, elements } => {
                    let elements = elements.iter().map(|e| term(e, root));
                    let mut group = Group::new(Delimiter::Bracket, quote!(#(#elements),*));
                    group.set_span(at(*span));
                    quote!(#group)
                }
            };
            quote_spanned! {at(*span)=> ::ashore::__private::in_list(#l, #list) }
        }
        Expr::Arith { op, span, lhs, rhs } => {
            let (l, r) = (term(lhs, root), term(rhs, root));
            let op = match op {
                ArithOp::Add => quote_spanned!(at(*span)=> Add),
                ArithOp::Sub => quote_spanned!(at(*span)=> Sub),
                ArithOp::Mul => quote_spanned!(at(*span)=> Mul),
                ArithOp::Div => quote_spanned!(at(*span)=> Div),
            };
            quote_spanned! {at(*span)=>
                ::ashore::__private::arith(::ashore::__private::ArithOp::#op, #l, #r)
            }
        }
        Expr::Neg { span, expr } => match &**expr {
            // `-3` stays a literal, so it is a plain number anywhere (lists included).
            Expr::Lit(lit @ (Lit::Int(_) | Lit::Float(_))) => quote_spanned!(at(*span)=> -#lit),
            other => {
                let e = term(other, root);
                quote_spanned! {at(*span)=> ::ashore::__private::neg(#e) }
            }
        },
        Expr::Lit(lit) => quote!(#lit),
        Expr::Pin(pin) => pinned(pin),
        Expr::Path(path) => fields(root, path),
        Expr::IsNil { span, expr } => {
            let e = term(expr, root);
            quote_spanned! {at(*span)=> ::ashore::__private::is_nil(#e) }
        }
        Expr::Exists { span, path, body } => {
            let related = fields(root, path);
            let inner = Ident::new("__ashore_g", Span::mixed_site());
            let body = term(body, &inner);
            quote_spanned! {at(*span)=>
                ::ashore::__private::exists(#related, |#inner| #body)
            }
        }
    }
}

/// `^x` -> `&(x)`: the `&` located on the `^`, the parentheses on the value's last
/// token, so the whole reads as the user's `^x` in compiler messages. The borrow
/// is the macro's doing, so lints on it (clippy's
/// `needless_borrows_for_generic_args`) stay quiet.
fn pinned(pin: &Pin) -> TokenStream {
    let mut group = Group::new(Delimiter::Parenthesis, pin.tokens.clone());
    group.set_span(at(pin.last));
    let amp = at(pin.caret);
    quote_spanned! {amp=> &#group }
}

/// `a.b.c` -> `root.a().b().c()`. Each method name is the user's ident (so "no
/// method named `x`" lands on it); the receiver, dots and parentheses share the
/// receiver's hygiene, located on the user's idents, so the whole call reads as
/// the user's `a.b.c` in messages.
pub(crate) fn fields(root: &Ident, path: &[Ident]) -> TokenStream {
    let mut receiver = root.clone();
    receiver.set_span(root.span().located_at(path[0].span()));
    let mut out = quote!(#receiver);
    for ident in path {
        let span = at(ident.span());
        out.extend(quote_spanned!(span=> .#ident()));
    }
    out
}
