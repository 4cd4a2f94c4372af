//! Aggregates as declared: `aggregates { count open_ticket_count: tickets {
//! filter status == "open"; } }` in `resource!`, or
//! `#[resource(aggregate(count, tickets, filter(status == "open")))]` on a
//! `Loaded<i64>` field of a derive.

use proc_macro2::Span;
use syn::{Ident, Type};

use crate::expr::Expr;

/// One aggregate.
pub struct Aggregate {
    /// Doc comments and attributes, passed to its field.
    pub attrs: Vec<syn::Attribute>,
    pub kind: AggregateKind,
    /// The kind's keyword, for spans.
    pub keyword: Ident,
    pub name: Ident,
    /// Relationship names, then (for a kind that reads one) the field.
    pub path: Vec<Ident>,
    /// `as T` (`resource!`), or `T` of the derive field's `Loaded<T>` (the
    /// whole value type there: `i64`, `Option<i64>`).
    pub ty: Option<Type>,
    pub filter: Option<Expr>,
    /// Set by the derive: `ty` is the field's whole value type.
    pub from_field: bool,
    /// Where the declaration ends, for errors about what is missing.
    pub end: Span,
}

/// What an aggregate computes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AggregateKind {
    Count,
    Exists,
    Sum,
    Min,
    Max,
    Avg,
    First,
    List,
}

impl AggregateKind {
    /// Every kind, in the order of the docs.
    pub const ALL: [AggregateKind; 8] = [
        AggregateKind::Count,
        AggregateKind::Exists,
        AggregateKind::Sum,
        AggregateKind::Min,
        AggregateKind::Max,
        AggregateKind::Avg,
        AggregateKind::First,
        AggregateKind::List,
    ];

    /// Its keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            AggregateKind::Count => "count",
            AggregateKind::Exists => "exists",
            AggregateKind::Sum => "sum",
            AggregateKind::Min => "min",
            AggregateKind::Max => "max",
            AggregateKind::Avg => "avg",
            AggregateKind::First => "first",
            AggregateKind::List => "list",
        }
    }

    /// The kind named `word`.
    pub fn from_keyword(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.keyword() == word)
    }

    /// Whether it reads a field of the records reached (the last name of
    /// its path).
    pub fn reads_field(self) -> bool {
        !matches!(self, AggregateKind::Count | AggregateKind::Exists)
    }

    /// Whether `resource!` needs the field's type (`as T`): the value is an
    /// `Option` of it (a `Vec` for `list`).
    pub fn needs_type(self) -> bool {
        matches!(
            self,
            AggregateKind::Sum
                | AggregateKind::Min
                | AggregateKind::Max
                | AggregateKind::First
                | AggregateKind::List
        )
    }
}
