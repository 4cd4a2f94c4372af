//! The one accumulator of a macro call's errors. Every layer that finds a
//! mistake (`parse`, `validate`) reports it here, on the user's token, and
//! carries on; `expand` checks the accumulator once, at the end, and emits all
//! the errors (in source order) next to the generated code.
//!
//! It cannot be dropped unread: a dropped `Errors` that was not checked panics,
//! since it would lose the user's errors. That is a bug of the macro, never of
//! the user's input. (The pattern of serde_derive's `Ctxt`.)

use std::cell::RefCell;
use std::fmt::Display;

use proc_macro2::Span;
use quote::ToTokens;

/// The errors of one macro call, shared by reference through the pipeline.
pub struct Errors {
    /// `None` once checked.
    errors: RefCell<Option<Vec<syn::Error>>>,
}

impl Errors {
    /// No errors yet; must be [`check`](Errors::check)ed before it is dropped.
    pub fn new() -> Self {
        Errors {
            errors: RefCell::new(Some(Vec::new())),
        }
    }

    /// Reports `message` on `span`.
    pub fn error_at(&self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// Reports `message` over all of `tokens` (from their first to their last).
    pub fn error_spanned_by(&self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens.into_token_stream(), message));
    }

    /// Reports a syn error (each of its messages, when it combines several).
    pub fn syn_error(&self, error: syn::Error) {
        for one in error {
            self.push(one);
        }
    }

    /// Reports a darling error: each error it holds, as darling converts it
    /// into a syn error.
    pub fn darling_error(&self, error: darling::Error) {
        for one in error {
            self.push(one.into());
        }
    }

    fn push(&self, error: syn::Error) {
        self.errors
            .borrow_mut()
            .as_mut()
            .expect("errors reported after the check")
            .push(error);
    }

    /// Consumes the accumulator: every error reported, in source order (when
    /// the compiler tells positions; otherwise as reported), combined into one.
    pub fn check(self) -> syn::Result<()> {
        let mut errors = self.take();
        errors.sort_by_key(|e| {
            let start = e.span().start();
            (start.line, start.column)
        });
        let mut errors = errors.into_iter();
        match errors.next() {
            None => Ok(()),
            Some(mut combined) => {
                combined.extend(errors);
                Err(combined)
            }
        }
    }

    fn take(&self) -> Vec<syn::Error> {
        self.errors
            .borrow_mut()
            .take()
            .expect("errors checked twice")
    }
}

impl Default for Errors {
    fn default() -> Self {
        Errors::new()
    }
}

impl Drop for Errors {
    fn drop(&mut self) {
        if !std::thread::panicking() && self.errors.borrow().is_some() {
            panic!("ashore-macros bug: errors dropped without being checked");
        }
    }
}

#[cfg(test)]
impl Errors {
    /// For tests: every error reported, in source order, as
    /// `(line, column, message)`.
    pub fn into_messages(self) -> Vec<(usize, usize, String)> {
        match self.check() {
            Ok(()) => Vec::new(),
            Err(combined) => combined
                .into_iter()
                .map(|e| {
                    let start = e.span().start();
                    (start.line, start.column, e.to_string())
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_combines_in_source_order() {
        let errors = Errors::new();
        let tokens: proc_macro2::TokenStream = "a\nb".parse().unwrap();
        let spans: Vec<Span> = tokens.into_iter().map(|t| t.span()).collect();
        errors.error_at(spans[1], "second");
        errors.error_at(spans[0], "first");
        let messages: Vec<String> = errors
            .check()
            .unwrap_err()
            .into_iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(messages, ["first", "second"]);
        assert!(Errors::new().check().is_ok());
    }

    #[test]
    #[should_panic(expected = "dropped without being checked")]
    fn dropping_unchecked_errors_is_a_bug() {
        drop(Errors::new());
    }
}
