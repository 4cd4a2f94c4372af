//! Generated tokens around a user's type, spanned so that rustc's span of the
//! whole is exactly the type's: tokens before it on its first token, tokens
//! after it on its last. rustc reports a type that is not a resource on the
//! span of the path or type that names it; where the compiler cannot join two
//! spans into one, one span (the first token's) would mark only `offices` of
//! `offices::Office`: another error beside the one on the whole name, where the
//! code names the type alone.
//!
//! The macro runs unoptimized in a debug build, and every token it takes apart
//! or builds crosses to the compiler: a type's ends are found in one pass, once
//! per type (`generate::Ctx::ends`), and the tokens around it are built on their
//! span directly (`benches/compile_time/`). A stream used more than once is
//! [`settled`] first.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

/// The span of `ty` as `syn::spanned::Spanned` gives it (its first token's,
/// joined to its last one's where the compiler can join spans) and the span
/// of its last token, in one pass over its tokens (`ty` a type or its
/// tokens: a settled stream is not built again).
pub fn ends(ty: &impl ToTokens) -> (Span, Span) {
    let mut tokens = ty.to_token_stream().into_iter();
    let Some(first) = tokens.next().map(|t| t.span()) else {
        return (Span::call_site(), Span::call_site());
    };
    match tokens.last().map(|t| t.span()) {
        Some(last) => (first.join(last).unwrap_or(first), last),
        None => (first, first),
    }
}

/// `before ty after`, `before` built on `ty`'s first token and `after` on its
/// last (`ends` is [`ends`]`(ty)`); `ty` is the type or its tokens.
pub fn around(
    ty: &impl ToTokens,
    (first, last): (Span, Span),
    before: impl FnOnce(Span) -> TokenStream,
    after: impl FnOnce(Span) -> TokenStream,
) -> TokenStream {
    let mut out = before(first);
    ty.to_tokens(&mut out);
    out.extend(after(last));
    out
}

/// `tokens` handed over to the compiler now, as one stream: inside a proc
/// macro, a `proc_macro2` stream keeps the tokens pushed onto it on the macro's
/// side until it is used, and each use of a stream that still holds some copies
/// them and sends them again. A stream interpolated more than once is sent once
/// this way, and each use only names it.
pub fn settled(tokens: TokenStream) -> TokenStream {
    std::iter::once(tokens).collect()
}
