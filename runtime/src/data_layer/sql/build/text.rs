//! Pieces of SQL text shared by every statement: quoted identifiers, typed
//! placeholders, literals, and the parameters of the statement being built.

use super::super::{Dialect, Param};
use crate::resource::Schema;
use crate::value::{Value, ValueType};

/// The parameters of one statement, numbered from 1 in the order they are added.
pub(super) struct Params {
    pub(super) dialect: Dialect,
    pub(super) list: Vec<Param>,
    /// How many marks were taken: the time of a mark or of a piece of text.
    clock: usize,
    /// The time of the mark of each [`Params::truncate`] so far, in order:
    /// text built after that time was discarded.
    discarded: Vec<usize>,
}

/// What [`Params::mark`] gives: how many parameters there were, and when.
#[derive(Clone, Copy, Debug)]
pub(super) struct Mark {
    len: usize,
    at: usize,
}

impl Params {
    pub(super) fn new(dialect: Dialect) -> Self {
        Params::numbered_after(dialect, Vec::new())
    }

    /// Parameters numbered after `list`.
    pub(super) fn numbered_after(dialect: Dialect, list: Vec<Param>) -> Self {
        Params {
            dialect,
            list,
            clock: 0,
            discarded: Vec::new(),
        }
    }

    /// How many parameters there are so far.
    pub(super) fn mark(&self) -> usize {
        self.list.len()
    }

    /// A mark of how many parameters there are now, to undo what follows
    /// with [`Params::truncate`].
    pub(super) fn point(&mut self) -> Mark {
        self.clock += 1;
        Mark {
            len: self.list.len(),
            at: self.clock,
        }
    }

    /// Drops the parameters added after `mark`: the text that used them was
    /// discarded (PostgreSQL cannot type a parameter that no text uses).
    pub(super) fn truncate(&mut self, mark: Mark) {
        self.list.truncate(mark.len);
        self.discarded.push(mark.at);
    }

    /// Whether text built at `built` (a [`Params::mark`] taken then) was
    /// discarded since: some [`Params::truncate`] after it went back to a
    /// mark taken before it.
    pub(super) fn discarded_since(&self, built: Mark, truncations: usize) -> bool {
        self.discarded[truncations.min(self.discarded.len())..]
            .iter()
            .any(|&at| at < built.at)
    }

    /// How many truncations there were so far (for
    /// [`Params::discarded_since`]).
    pub(super) fn truncations(&self) -> usize {
        self.discarded.len()
    }

    /// A value: `NULL` for nil, else a new placeholder, typed on PostgreSQL by the
    /// value's variant (`$1::bigint`).
    pub(super) fn value(&mut self, value: Value) -> String {
        let cast = match &value {
            Value::Null => return "NULL".to_owned(),
            Value::Bool(_) => "boolean",
            Value::Int(_) => "bigint",
            Value::Float(_) => "float8",
            Value::String(_) => "text",
            Value::Uuid(_) => "uuid",
            Value::DateTime(_) => "timestamptz",
            Value::Date(_) => "date",
            Value::Bytes(_) => "bytea",
            #[cfg(feature = "decimal")]
            Value::Decimal(_) => "numeric",
            #[cfg(feature = "json")]
            Value::Json(_) => "jsonb",
        };
        self.list.push(Param::Value(value));
        self.placeholder(cast, "")
    }

    /// A list bound as one array parameter: `?1` on SQLite (for `rarray(?1)`),
    /// `$1::bigint[]` on PostgreSQL.
    pub(super) fn list(&mut self, value_type: ValueType, values: Vec<Value>) -> String {
        self.list.push(Param::List(value_type, values));
        self.placeholder(pg_type(value_type), "[]")
    }

    fn placeholder(&self, cast: &str, suffix: &str) -> String {
        let n = self.list.len();
        match self.dialect {
            Dialect::Sqlite => format!("?{n}"),
            Dialect::Postgres => format!("${n}::{cast}{suffix}"),
        }
    }

    /// A count (limit, offset, window bound) as a parameter, so statements that
    /// differ only in it share one prepared statement.
    pub(super) fn count(&mut self, n: usize) -> String {
        self.value(Value::Int(i64::try_from(n).unwrap_or(i64::MAX)))
    }
}

/// A quoted identifier: `"name"`, with `"` doubled.
pub(super) fn ident(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    push_quoted(&mut out, name, '"');
    out
}

/// A column of an aliased table: `t0."name"`.
pub(super) fn column(alias: &str, name: &str) -> String {
    let mut out = String::with_capacity(alias.len() + name.len() + 3);
    out.push_str(alias);
    out.push('.');
    push_quoted(&mut out, name, '"');
    out
}

/// A string literal: `'text'`, with `'` doubled (only ever used for names from
/// schemas, never for values).
pub(super) fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_quoted(&mut out, text, '\'');
    out
}

/// Appends `text` between two `quote`s, each `quote` inside it doubled, in
/// one pass and without an intermediate string: identifiers are quoted many
/// times in every statement.
fn push_quoted(out: &mut String, text: &str, quote: char) {
    out.push(quote);
    let mut rest = text;
    while let Some(at) = rest.find(quote) {
        out.push_str(&rest[..=at]);
        out.push(quote);
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out.push(quote);
}

/// The PostgreSQL type a value of `value_type` is bound as (and stored as).
pub(super) fn pg_type(value_type: ValueType) -> &'static str {
    match value_type {
        ValueType::Bool => "boolean",
        ValueType::I16 => "smallint",
        ValueType::I32 => "integer",
        ValueType::I64 => "bigint",
        ValueType::F64 => "float8",
        ValueType::String => "text",
        ValueType::Uuid => "uuid",
        ValueType::DateTime => "timestamptz",
        ValueType::Date => "date",
        ValueType::Bytes => "bytea",
        #[cfg(feature = "decimal")]
        ValueType::Decimal => "numeric",
        #[cfg(feature = "json")]
        ValueType::Json => "jsonb",
    }
}

/// `TRUE`/`FALSE` on PostgreSQL, `1`/`0` on SQLite.
pub(super) fn boolean(dialect: Dialect, b: bool) -> &'static str {
    match (dialect, b) {
        (Dialect::Sqlite, true) => "1",
        (Dialect::Sqlite, false) => "0",
        (Dialect::Postgres, true) => "TRUE",
        (Dialect::Postgres, false) => "FALSE",
    }
}

/// The column that keeps insertion order: SQLite's `rowid`, PostgreSQL's hidden
/// `_ashore_seq`.
pub(super) fn sequence(dialect: Dialect, alias: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("{alias}.rowid"),
        Dialect::Postgres => column(alias, SEQUENCE_COLUMN),
    }
}

/// What a write returns: the table's columns of `schema`'s attributes, in
/// order, then its insertion sequence (unqualified: a write's own table).
pub(super) fn returning(dialect: Dialect, schema: &Schema) -> String {
    let mut columns: Vec<String> = schema.attributes.iter().map(|a| ident(a.name)).collect();
    columns.push(match dialect {
        Dialect::Sqlite => "rowid".to_owned(),
        Dialect::Postgres => ident(SEQUENCE_COLUMN),
    });
    columns.join(", ")
}

/// The hidden insertion-order column of PostgreSQL tables.
pub(super) const SEQUENCE_COLUMN: &str = "_ashore_seq";
