//! Aggregates: a value computed per record from the records a relationship path
//! reaches ([`Aggregate`], of an [`AggregateKind`]), as `aggregates { .. }`
//! declares them and a data layer computes them ([`DataLayer::aggregate`]).
//!
//! Semantics, the same on every layer:
//! - The records reached are those an `exists` through the same path would
//!   try: every hop applies the relationship's own `filter` and the
//!   destination's visibility (tenant and read policies), so a hidden record
//!   is never counted; then the aggregate's own `filter`, evaluated on the
//!   record reached. A record reached along several paths (a to-many hop
//!   after a to-many hop) counts once per path, as a SQL join counts it.
//! - `count` is how many (0 when none), `exists` whether there is one; `sum`,
//!   `min`, `max`, `avg` and `first` read `field` of each record reached and
//!   skip nils: nil when no value is left (`sum` of integers stays an integer,
//!   summed exactly: a sum past `i64`, whatever the order of the values, is
//!   an error when loaded and nil in a filter or a sort key; `avg` is a float). `first` is the value of
//!   the earliest created record reached whose value is not nil; `list` is
//!   every value that is not nil, in the order the records reached were
//!   created.
//!
//! [`DataLayer::aggregate`]: crate::DataLayer::aggregate

use std::fmt;

use super::{Expr, Name};

/// What an aggregate computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AggregateKind {
    /// How many records are reached (`i64`).
    Count,
    /// Whether some record is reached (`bool`).
    Exists,
    /// The sum of a field (nil when there is no value).
    Sum,
    /// The smallest value of a field.
    Min,
    /// The largest value of a field.
    Max,
    /// The mean of a field, as a float.
    Avg,
    /// The field of the earliest created record that has a value.
    First,
    /// Every value of the field (nils left out), in the order the records
    /// reached were created. Computed by
    /// [`DataLayer::aggregate_list`](crate::DataLayer::aggregate_list).
    List,
}

impl AggregateKind {
    /// Whether it reads a field of the records reached.
    pub fn reads_field(self) -> bool {
        !matches!(self, AggregateKind::Count | AggregateKind::Exists)
    }

    /// Its keyword in `aggregates { .. }`.
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
}

/// One aggregate: a kind, the relationship path from the record it is
/// computed for, the field of the records reached that it reads (for every
/// kind but `count` and `exists`), and a condition on those records.
#[derive(Clone, Debug, PartialEq)]
pub struct Aggregate {
    /// What it computes.
    pub kind: AggregateKind,
    /// Relationship names from the resource it is computed for (at least one).
    pub path: Vec<Name>,
    /// The attribute of the records reached that it reads.
    pub field: Option<Name>,
    /// What a record reached must satisfy to count (evaluated on it).
    pub filter: Option<Expr>,
}

impl Aggregate {
    /// An aggregate of `kind` over the records reached through `path`.
    pub fn new<I, N>(kind: AggregateKind, path: I) -> Self
    where
        I: IntoIterator<Item = N>,
        N: Into<Name>,
    {
        Aggregate {
            kind,
            path: path.into_iter().map(Into::into).collect(),
            field: None,
            filter: None,
        }
    }

    /// The same, reading attribute `field` of the records reached.
    pub fn field(mut self, field: impl Into<Name>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The same, counting only the records that make `filter` true.
    pub fn filter(mut self, filter: Expr) -> Self {
        self.filter = Some(filter);
        self
    }
}

/// As declared: `count(tickets, status == "open")`, `sum(tickets.priority)`.
impl fmt::Display for Aggregate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({}", self.kind.keyword(), self.path.join("."))?;
        if let Some(field) = &self.field {
            write!(f, ".{field}")?;
        }
        if let Some(filter) = &self.filter {
            write!(f, ", {filter}")?;
        }
        f.write_str(")")
    }
}
