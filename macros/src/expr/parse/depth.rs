//! The parser's depth limit: a filter nesting deeper than the runtime's
//! `MAX_FILTER_DEPTH` (256 levels) could never be read, and parsing or
//! generating it would recurse as deep (a thousand nested `not`s overflowed
//! rustc's stack). Each group (the filter, a parenthesis, a function's
//! arguments), prefix operator, comparison and further operand of a chain
//! (`a and b and c`) is a level on the way down; the error goes on the token
//! that passes the limit.

use std::cell::Cell;

use proc_macro2::Span;
use syn::parse::Result;

/// The runtime's `ashore::MAX_FILTER_DEPTH`.
const MAX_DEPTH: usize = 256;

thread_local! {
    /// The levels entered on the way to what is being parsed.
    static LEVEL: Cell<usize> = const { Cell::new(0) };
}

/// The levels a parse function entered, left again when it returns (an
/// error included).
pub(super) struct Levels(usize);

impl Levels {
    /// None yet (a chain enters one per operand after its first).
    pub(super) fn none() -> Levels {
        Levels(0)
    }

    /// One level entered at `span`.
    pub(super) fn enter(span: Span) -> Result<Levels> {
        let mut levels = Levels(0);
        levels.deeper(span)?;
        Ok(levels)
    }

    /// One more level, at `span`.
    pub(super) fn deeper(&mut self, span: Span) -> Result<()> {
        let level = LEVEL.get() + 1;
        if level > MAX_DEPTH {
            return Err(syn::Error::new(
                span,
                format!(
                    "this filter nests deeper than {MAX_DEPTH} levels (`ashore::MAX_FILTER_DEPTH`), \
                     so no read could run it: split it into several filters (each `.filter(..)` \
                     joins the query's with `and`)"
                ),
            ));
        }
        LEVEL.set(level);
        self.0 += 1;
        Ok(())
    }
}

impl Drop for Levels {
    fn drop(&mut self) {
        LEVEL.set(LEVEL.get() - self.0);
    }
}
