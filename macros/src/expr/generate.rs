//! Code generation for filters: each node becomes a call into
//! `::ashore::__private` spanned on the node's own token, so the compiler checks
//! field names (a field of the resource's `Fields` struct per name, read for
//! its type; the path and name are built here) and operand kinds (trait
//! bounds) and reports every mismatch on the user's token.

use proc_macro2::{Delimiter, Group, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::{Ident, Lit};

use super::{
    ArithOp, CmpOp, Expr, Function, List, LogicOp, Pin, Template, parent_outside_relationship,
};

/// `|__ashore_f| ::ashore::__private::condition(<expr>)`: the closure that
/// `Query::filter`, `Rel::filter` and `__private::filter_for` take. The parameter is
/// hygienic (`Span::mixed_site`), so no user name can clash with it.
///
/// Templates are not allowed here (`Template::outside_policy`, reported before
/// generation); one that is left is generated as that error.
pub fn closure(expr: &Expr) -> TokenStream {
    let mut generator = Gen {
        templates: None,
        bindings: Vec::new(),
        parent: None,
    };
    generator.closure(expr)
}

/// The filter of a `no_attributes` relationship of `source`: `closure`'s
/// closure on the destination's fields, where `parent(x)` is
/// `__private::parent(p.x())` on the fields of `source` (bound once, before
/// the filter), so rustc checks that `x` is an attribute of the source and
/// that its kind fits the operator, on the user's `x`.
pub fn relationship_closure(expr: &Expr, source: &Ident) -> TokenStream {
    let parent = Ident::new("__ashore_p", Span::mixed_site());
    let mut generator = Gen {
        templates: None,
        bindings: Vec::new(),
        parent: Some(parent.clone()),
    };
    let root = Ident::new("__ashore_f", Span::mixed_site());
    let body = generator.term(expr, &root);
    let span = at(expr.span());
    quote_spanned! {span=>
        |#root| {
            let #parent = ::ashore::__private::parent_fields::<#source>();
            ::ashore::__private::condition(#body)
        }
    }
}

/// A policy's `expr(..)` check on `resource`: the
/// `fn(&Templates<'_>) -> Result<Expr>` of `Check::Expr`. Each template is read
/// from the `Templates` first (`__ashore_t.actor("id")?`, `__ashore_t.tenant()`)
/// into a `Dynamic` operand of any kind, then the filter is built as `closure`
/// builds it, so rustc checks its fields and kinds on the user's tokens.
pub fn policy_closure(expr: &Expr, resource: &Ident) -> TokenStream {
    let t = Ident::new("__ashore_t", Span::mixed_site());
    let mut generator = Gen {
        templates: Some(t.clone()),
        bindings: Vec::new(),
        parent: None,
    };
    let filter = generator.closure(expr);
    let bindings = &generator.bindings;
    let span = at(expr.span());
    quote_spanned! {span=>
        |#t: &::ashore::__private::Templates<'_>|
            -> ::ashore::__private::Result<::ashore::__private::Expr> {
            #(#bindings)*
            ::core::result::Result::Ok(::ashore::__private::filter_for::<#resource>(#filter))
        }
    }
}

/// A span with the macro's hygiene at the user's token. Every generated token of
/// a filter gets one (only the user's own tokens keep theirs), so rustc sees one
/// syntax context and blames exactly the user's operand or operator, not a range
/// starting at `expr!(`.
fn at(span: Span) -> Span {
    Span::mixed_site().located_at(span)
}

/// The kind a template gets: named, or that of another operand.
enum Kind<'a> {
    /// `Bool`, `Number` or `Any`.
    Of(&'static str),
    Like(&'a Ident),
    /// That of the elements of a list.
    LikeList(&'a Ident),
}

/// The state of one filter's generation.
struct Gen {
    /// The `Templates` parameter, in a policy's `expr(..)`.
    templates: Option<Ident>,
    /// `let __ashore_tN = ..;` for each template read, in order.
    bindings: Vec<TokenStream>,
    /// The source's fields, in a `no_attributes` relationship's filter.
    parent: Option<Ident>,
}

impl Gen {
    fn closure(&mut self, expr: &Expr) -> TokenStream {
        let root = Ident::new("__ashore_f", Span::mixed_site());
        let body = self.term(expr, &root);
        let span = at(expr.span());
        quote_spanned! {span=> |#root| ::ashore::__private::condition(#body) }
    }

    /// A template: its value is read into a binding before the filter is built
    /// (the filter's closures cannot use `?`); here it becomes a `Dynamic`
    /// operand of the kind `kind` (a path under `__private::kind`), or of the
    /// kind of `like` (an operand it is compared with).
    fn template(&mut self, template: &Template, kind: Kind<'_>) -> TokenStream {
        let Some(t) = &self.templates else {
            let error = template
                .outside_policy("this filter", "pin a Rust value (`^value`)")
                .to_compile_error();
            return quote!({ #error });
        };
        let span = at(template.name.span());
        let binding = Ident::new(&format!("__ashore_t{}", self.bindings.len()), span);
        let mut receiver = t.clone();
        receiver.set_span(span);
        let value = match &template.field {
            Some(field) => {
                let field = syn::LitStr::new(&field.to_string(), field.span());
                quote_spanned!(span=> #receiver.actor(#field)?)
            }
            None => quote_spanned!(span=> #receiver.tenant()),
        };
        self.bindings
            .push(quote_spanned! {span=> let #binding = #value; });
        match kind {
            Kind::Of(kind) => {
                let kind = Ident::new(kind, span);
                quote_spanned! {span=>
                    ::ashore::__private::Dynamic::<::ashore::__private::kind::#kind>::new(#binding)
                }
            }
            Kind::Like(other) => quote_spanned! {span=>
                ::ashore::__private::Dynamic::like(&#other, #binding)
            },
            Kind::LikeList(list) => quote_spanned! {span=>
                ::ashore::__private::Dynamic::like_list(&#list, #binding)
            },
        }
    }

    /// `expr` as an operand where a template gets the kind `kind`.
    fn operand(&mut self, expr: &Expr, root: &Ident, kind: &'static str) -> TokenStream {
        match expr {
            Expr::Template(t) => self.template(t, Kind::Of(kind)),
            other => self.term(other, root),
        }
    }

    /// A comparison with a template on one side: the other side is bound first,
    /// and the template takes its kind.
    fn cmp_template(
        &mut self,
        (f, op): (Ident, TokenStream),
        span: Span,
        (lhs, rhs): (&Expr, &Expr),
        root: &Ident,
    ) -> TokenStream {
        let other = Ident::new("__ashore_o", at(span));
        let dynamic = Ident::new("__ashore_d", at(span));
        let (template, term) = match (lhs, rhs) {
            (Expr::Template(t), other) | (other, Expr::Template(t)) => (t, other),
            _ => unreachable!("called with one template"),
        };
        let term = self.term(term, root);
        let template = self.template(template, Kind::Like(&other));
        let (l, r) = if matches!(lhs, Expr::Template(_)) {
            (&dynamic, &other)
        } else {
            (&other, &dynamic)
        };
        quote_spanned! {at(span)=>
            {
                let #other = #term;
                let #dynamic = #template;
                ::ashore::__private::#f(::ashore::__private::CmpOp::#op, #l, #r)
            }
        }
    }

    /// The typed term of `expr`, whose field references start at `root`.
    fn term(&mut self, expr: &Expr, root: &Ident) -> TokenStream {
        match expr {
            Expr::Logic { op, span, lhs, rhs } => {
                let (l, r) = (
                    self.operand(lhs, root, "Bool"),
                    self.operand(rhs, root, "Bool"),
                );
                let f = match op {
                    LogicOp::And => quote_spanned!(at(*span)=> and),
                    LogicOp::Or => quote_spanned!(at(*span)=> or),
                };
                quote_spanned! {at(*span)=> ::ashore::__private::#f(#l, #r) }
            }
            Expr::Not { span, expr } => {
                let e = self.operand(expr, root, "Bool");
                quote_spanned! {at(*span)=> ::ashore::__private::not(#e) }
            }
            Expr::Cmp { op, span, lhs, rhs } => {
                // `<`, `<=`, `>`, `>=` need values with an order (no JSON).
                let f = Ident::new(
                    match op {
                        CmpOp::Eq | CmpOp::Ne => "cmp",
                        _ => "cmp_ordered",
                    },
                    at(*span),
                );
                let op = match op {
                    CmpOp::Eq => quote_spanned!(at(*span)=> Eq),
                    CmpOp::Ne => quote_spanned!(at(*span)=> Ne),
                    CmpOp::Lt => quote_spanned!(at(*span)=> Lt),
                    CmpOp::Le => quote_spanned!(at(*span)=> Le),
                    CmpOp::Gt => quote_spanned!(at(*span)=> Gt),
                    CmpOp::Ge => quote_spanned!(at(*span)=> Ge),
                };
                let templates = (
                    matches!(**lhs, Expr::Template(_)),
                    matches!(**rhs, Expr::Template(_)),
                );
                if templates.0 != templates.1 {
                    return self.cmp_template((f, op), *span, (lhs, rhs), root);
                }
                // Two templates: both of kind `Any`.
                let (l, r) = (
                    self.operand(lhs, root, "Any"),
                    self.operand(rhs, root, "Any"),
                );
                quote_spanned! {at(*span)=>
                    ::ashore::__private::#f(::ashore::__private::CmpOp::#op, #l, #r)
                }
            }
            Expr::In { span, lhs, list } => {
                let list = match list {
                    List::Pinned(pin) => pinned(pin),
                    List::Literal { span, elements } => {
                        // A pinned element is a reference (`&(x)`), a literal
                        // a value: with both, each element becomes a term of
                        // its kind, so `[1, ^a]` is one array.
                        let mixed = elements.iter().any(|e| matches!(e, Expr::Pin(_)))
                            && elements.iter().any(|e| !matches!(e, Expr::Pin(_)));
                        let elements = elements
                            .iter()
                            .map(|e| {
                                let term = self.term(e, root);
                                if mixed {
                                    quote!(::ashore::__private::element(#term))
                                } else {
                                    term
                                }
                            })
                            .collect::<Vec<_>>();
                        let mut group = Group::new(Delimiter::Bracket, quote!(#(#elements),*));
                        group.set_span(at(*span));
                        quote!(#group)
                    }
                };
                // A template's kind is the list's (lists hold no templates).
                if let Expr::Template(t) = &**lhs {
                    let bound = Ident::new("__ashore_list", at(*span));
                    let l = self.template(t, Kind::LikeList(&bound));
                    return quote_spanned! {at(*span)=>
                        {
                            let #bound = #list;
                            ::ashore::__private::in_list(#l, #bound)
                        }
                    };
                }
                let l = self.term(lhs, root);
                quote_spanned! {at(*span)=> ::ashore::__private::in_list(#l, #list) }
            }
            Expr::Arith { op, span, lhs, rhs } => {
                let (l, r) = (
                    self.operand(lhs, root, "Number"),
                    self.operand(rhs, root, "Number"),
                );
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
                Expr::Lit(lit @ (Lit::Int(_) | Lit::Float(_))) => {
                    let lit = literal(lit);
                    quote_spanned!(at(*span)=> -#lit)
                }
                other => {
                    let e = self.operand(other, root, "Number");
                    quote_spanned! {at(*span)=> ::ashore::__private::neg(#e) }
                }
            },
            Expr::Lit(lit) => literal(lit),
            Expr::Pin(pin) => pinned(pin),
            // Alone, a template is the whole condition.
            Expr::Template(t) => self.template(t, Kind::Of("Bool")),
            Expr::Path(path) => fields(root, path),
            Expr::Parent { span, field } => {
                let Some(parent) = &self.parent else {
                    let error =
                        parent_outside_relationship(*span, field, "this filter").to_compile_error();
                    return quote!({ #error });
                };
                let read = reach(parent, &[], field);
                let lit = name(field);
                quote_spanned! {at(*span)=> ::ashore::__private::parent(#read, #lit) }
            }
            Expr::IsNil { span, expr } => {
                let e = self.operand(expr, root, "Any");
                quote_spanned! {at(*span)=> ::ashore::__private::is_nil(#e) }
            }
            Expr::Call {
                span,
                function,
                args,
            } => {
                let mut args = args.iter().map(|a| self.operand(a, root, "Text"));
                let f = Ident::new(function.name(), at(*span));
                let first = args.next().unwrap_or_default();
                if *function == Function::Concat {
                    // `concat(a, b, c)` is `concat(concat(a, b), c)`.
                    return args.fold(first, |l, r| {
                        quote_spanned! {at(*span)=> ::ashore::__private::#f(#l, #r) }
                    });
                }
                quote_spanned! {at(*span)=> ::ashore::__private::#f(#first #(, #args)*) }
            }
            Expr::Exists { span, path, body } => {
                let related = hops(root, path, &path[0]);
                let names = names(path);
                let inner = Ident::new("__ashore_g", Span::mixed_site());
                let body = self.operand(body, &inner, "Bool");
                quote_spanned! {at(*span)=>
                    ::ashore::__private::exists(#related, #names, |#inner| #body)
                }
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

/// `a.b.c` -> `field(&through(&through(&root.a).b).c, &["a", "b"], "c")`:
/// the path and the name are built here, the field (`Attr`, `AggregateField`)
/// is read for its type only. Each field name is the user's ident (so "no
/// field `x`" lands on it); the receiver, dots and the rest share the
/// receiver's hygiene, located on the user's idents, so the call reads as the
/// user's `a.b.c` in messages (from the path on the first ident to the
/// parentheses on the last). Each relationship hop goes through
/// `__private::through`, which refuses a manual relationship without a
/// `condition` on its name.
fn fields(root: &Ident, path: &[Ident]) -> TokenStream {
    let (last, before) = path.split_last().expect("a path has a name");
    let read = reach(root, before, last);
    let names = names(before);
    let lit = name(last);
    let first = at(path[0].span());
    let mut args = Group::new(Delimiter::Parenthesis, quote!(#read, #names, #lit));
    args.set_span(at(last.span()));
    quote_spanned!(first=> ::ashore::__private::field #args)
}

/// `&through(&through(&root.a).b).c`: the field `last` of the fields reached
/// through the relationships `before` (see [`fields`]).
fn reach(root: &Ident, before: &[Ident], last: &Ident) -> TokenStream {
    let fields = hops(root, before, before.first().unwrap_or(last));
    let span = at(last.span());
    quote_spanned!(span=> &#fields.#last)
}

/// `through(&through(&root.a).b)`: the fields of the destination of the
/// relationships `path` (`root` itself, located on `first`, for none), each
/// hop through `__private::through` on its ident.
fn hops(root: &Ident, path: &[Ident], first: &Ident) -> TokenStream {
    let mut receiver = root.clone();
    receiver.set_span(root.span().located_at(first.span()));
    let mut out = quote!(#receiver);
    for ident in path {
        let span = at(ident.span());
        out = quote_spanned!(span=> ::ashore::__private::through(&#out.#ident));
    }
    out
}

/// `&["a", "b"]`: the names of a path, on the first one.
fn names(path: &[Ident]) -> TokenStream {
    let names = path.iter().map(name);
    let span = path.first().map_or_else(Span::call_site, |p| at(p.span()));
    quote_spanned!(span=> &[#(#names),*])
}

/// The name of a field as a string literal (without `r#`).
fn name(ident: &Ident) -> syn::LitStr {
    syn::LitStr::new(&ident.unraw().to_string(), ident.span())
}

/// A literal as `expr!` hands it on: an integer without a suffix is an `i64`
/// (every integer attribute compares as one), not the `i32` Rust would infer,
/// so `copies > 4_000_000_000` compiles; anything else as written.
fn literal(lit: &Lit) -> TokenStream {
    match lit {
        Lit::Int(int) if int.suffix().is_empty() => {
            let wide = syn::LitInt::new(&format!("{}i64", int.base10_digits()), int.span());
            quote!(#wide)
        }
        other => quote!(#other),
    }
}
