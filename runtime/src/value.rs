//! `Value`, the dynamic scalar that data layers, filters and keys work with, and
//! `ValueType`, the type of an attribute as a schema records it. The bottom of
//! the runtime: it imports nothing of the crate.
//!
//! Every attribute type a resource may declare implements
//! [`Scalar`](crate::Scalar), which converts it to and from a `Value`; nil is
//! [`Value::Null`].

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

#[cfg(feature = "json")]
pub(crate) mod json;

/// A single attribute value as the data layers and the filter evaluator see it.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// assert_eq!(Value::from(3_i64), Value::Int(3));
/// assert!(Value::from(None::<i64>).is_null());
///
/// // A record's attributes as values.
/// let badge = support
///     .read(Ticket::query().filter(expr!(subject == "Lost badge")))
///     .await?;
/// assert_eq!(
///     badge[0].get(Ticket::subject().index()),
///     Value::String("Lost badge".into())
/// );
/// assert_eq!(badge[0].get(Ticket::priority().index()), Value::Null);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// Nil: an absent value. Compares as unknown with everything.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// Any integer attribute (`i16`, `i32`, `i64`), widened.
    Int(i64),
    /// A float attribute.
    Float(f64),
    /// A string attribute.
    String(String),
    /// A UUID attribute.
    Uuid(Uuid),
    /// A UTC timestamp, to the microsecond (a `DateTime<Utc>` converted to a
    /// `Value` is rounded down to one; every layer stores microseconds).
    DateTime(DateTime<Utc>),
    /// A calendar date (`chrono::NaiveDate`).
    Date(NaiveDate),
    /// Bytes (`Vec<u8>`).
    Bytes(Vec<u8>),
    /// An exact decimal number (`rust_decimal::Decimal`, feature `decimal`).
    /// Numerically equal decimals are equal (`1.5 == 1.50`); each keeps its
    /// scale.
    #[cfg(feature = "decimal")]
    Decimal(rust_decimal::Decimal),
    /// A JSON document (`serde_json::Value`, feature `json`), boxed so that
    /// every other value stays small. A JSON `null` is a document, not nil.
    /// Two documents are equal when they hold the same data: object keys in
    /// any order, numbers by their decimal value (`1 == 1.0`), as PostgreSQL's
    /// `jsonb` compares them; documents have no order.
    #[cfg(feature = "json")]
    Json(Box<serde_json::Value>),
}

/// The type of a `Value`, as a schema records it for an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueType {
    /// `bool`
    Bool,
    /// `i16`
    I16,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f64`
    F64,
    /// `String`
    String,
    /// `Uuid`
    Uuid,
    /// `DateTime<Utc>`
    DateTime,
    /// `NaiveDate`
    Date,
    /// `Vec<u8>`
    Bytes,
    /// `rust_decimal::Decimal` (feature `decimal`)
    #[cfg(feature = "decimal")]
    Decimal,
    /// `serde_json::Value` (feature `json`)
    #[cfg(feature = "json")]
    Json,
}

impl ValueType {
    /// The Rust type of an attribute of this type, `Option<..>` when `nullable`:
    /// how every error names an expected type.
    pub fn rust_name(self, nullable: bool) -> &'static str {
        let (plain, optional) = match self {
            ValueType::Bool => ("bool", "Option<bool>"),
            ValueType::I16 => ("i16", "Option<i16>"),
            ValueType::I32 => ("i32", "Option<i32>"),
            ValueType::I64 => ("i64", "Option<i64>"),
            ValueType::F64 => ("f64", "Option<f64>"),
            ValueType::String => ("String", "Option<String>"),
            ValueType::Uuid => ("Uuid", "Option<Uuid>"),
            ValueType::DateTime => ("DateTime<Utc>", "Option<DateTime<Utc>>"),
            ValueType::Date => ("NaiveDate", "Option<NaiveDate>"),
            ValueType::Bytes => ("Vec<u8>", "Option<Vec<u8>>"),
            #[cfg(feature = "decimal")]
            ValueType::Decimal => ("Decimal", "Option<Decimal>"),
            #[cfg(feature = "json")]
            ValueType::Json => ("serde_json::Value", "Option<serde_json::Value>"),
        };
        if nullable { optional } else { plain }
    }

    /// Whether `value` is a value of this type (nil fits every type; an integer
    /// fits every integer width, whose range is checked where it is read). The
    /// one rule every data layer binds parameters by.
    pub fn fits(self, value: &Value) -> bool {
        matches!(
            (value, self),
            (Value::Null, _)
                | (Value::Bool(_), ValueType::Bool)
                | (
                    Value::Int(_),
                    ValueType::I16 | ValueType::I32 | ValueType::I64
                )
                | (Value::Float(_), ValueType::F64)
                | (Value::String(_), ValueType::String)
                | (Value::Uuid(_), ValueType::Uuid)
                | (Value::DateTime(_), ValueType::DateTime)
                | (Value::Date(_), ValueType::Date)
                | (Value::Bytes(_), ValueType::Bytes)
        ) || self.fits_optional(value)
    }

    /// [`fits`](ValueType::fits) for the types behind features.
    #[allow(clippy::match_like_matches_macro, unused_variables)]
    fn fits_optional(self, value: &Value) -> bool {
        match (value, self) {
            #[cfg(feature = "decimal")]
            (Value::Decimal(_), ValueType::Decimal) => true,
            #[cfg(feature = "json")]
            (Value::Json(_), ValueType::Json) => true,
            _ => false,
        }
    }

    /// Whether values of this type have an order that every data layer
    /// agrees on, so that they may be sorted by and compared with `<`: all
    /// but JSON documents.
    pub fn is_ordered(self) -> bool {
        match self {
            #[cfg(feature = "json")]
            ValueType::Json => false,
            _ => true,
        }
    }
}

impl Value {
    /// Whether this is nil.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Compares two values of comparable types. `None` when either is nil or the
    /// types cannot be compared (that is the nil of three-valued logic).
    pub fn compare(&self, other: &Value) -> Option<Ordering> {
        use Value::*;
        match (self, other) {
            (Bool(a), Bool(b)) => Some(a.cmp(b)),
            (Int(a), Int(b)) => Some(a.cmp(b)),
            (Float(a), Float(b)) => a.partial_cmp(b),
            (Int(a), Float(b)) => (*a as f64).partial_cmp(b),
            (Float(a), Int(b)) => a.partial_cmp(&(*b as f64)),
            (String(a), String(b)) => Some(a.cmp(b)),
            (Uuid(a), Uuid(b)) => Some(a.cmp(b)),
            (DateTime(a), DateTime(b)) => Some(a.cmp(b)),
            (Date(a), Date(b)) => Some(a.cmp(b)),
            (Bytes(a), Bytes(b)) => Some(a.cmp(b)),
            #[cfg(feature = "decimal")]
            (Decimal(a), Decimal(b)) => Some(a.cmp(b)),
            // Equal or not; the order of unequal documents is their canonical
            // text's, which only `!=` and a total sort's tie-breaking see
            // (`<` between documents is nil: see `is_ordered`).
            #[cfg(feature = "json")]
            (Json(a), Json(b)) => Some(json::compare(a, b)),
            _ => None,
        }
    }

    /// Whether this value has an order every data layer agrees on: all but a
    /// JSON document. An ordered comparison (`<`, `<=`, `>`, `>=`) with a
    /// value that has none is nil.
    pub fn is_ordered(&self) -> bool {
        match self {
            #[cfg(feature = "json")]
            Value::Json(_) => false,
            _ => true,
        }
    }

    /// The total order used for sorting: nil is handled by the caller, values of
    /// different types order by type so sorting never fails.
    pub(crate) fn sort_cmp(&self, other: &Value) -> Ordering {
        self.compare(other)
            .unwrap_or_else(|| self.rank().cmp(&other.rank()))
    }

    fn rank(&self) -> u8 {
        match self {
            Value::Null => 0,
            Value::Bool(_) => 1,
            Value::Int(_) | Value::Float(_) => 2,
            Value::String(_) => 3,
            Value::Uuid(_) => 4,
            Value::DateTime(_) => 5,
            Value::Date(_) => 6,
            Value::Bytes(_) => 7,
            #[cfg(feature = "decimal")]
            Value::Decimal(_) => 8,
            #[cfg(feature = "json")]
            Value::Json(_) => 9,
        }
    }
}

/// Equality is the equality of keys: `Int(1) == Float(1.0)` is false, NaN equals
/// NaN. Filters use [`Value::compare`] instead, which follows nil semantics.
impl PartialEq for Value {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) => true,
            (Bool(a), Bool(b)) => a == b,
            (Int(a), Int(b)) => a == b,
            (Float(a), Float(b)) => a.to_bits() == b.to_bits(),
            (String(a), String(b)) => a == b,
            (Uuid(a), Uuid(b)) => a == b,
            (DateTime(a), DateTime(b)) => a == b,
            (Date(a), Date(b)) => a == b,
            (Bytes(a), Bytes(b)) => a == b,
            #[cfg(feature = "decimal")]
            (Decimal(a), Decimal(b)) => a == b,
            #[cfg(feature = "json")]
            (Json(a), Json(b)) => json::compare(a, b) == Ordering::Equal,
            _ => false,
        }
    }
}

impl Eq for Value {}

/// Consistent with `==`: equal values hash alike. Each variant hashes its
/// payload alone (no discriminant first), so an integer or UUID key costs one
/// write to the hasher: the inner loop of grouping and linking. Values of two
/// variants that hash alike are still told apart by `==`.
impl Hash for Value {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Value::Null => state.write_u8(0),
            Value::Bool(b) => state.write_u8(1 + u8::from(*b)),
            Value::Int(i) => state.write_i64(*i),
            Value::Float(f) => state.write_u64(f.to_bits()),
            Value::String(s) => s.hash(state),
            Value::Uuid(u) => state.write_u128(u.as_u128()),
            Value::DateTime(d) => d.hash(state),
            Value::Date(d) => d.hash(state),
            Value::Bytes(b) => b.hash(state),
            // Normalized first by `Decimal`'s own hash: `1.5` and `1.50` alike.
            #[cfg(feature = "decimal")]
            Value::Decimal(d) => d.hash(state),
            #[cfg(feature = "json")]
            Value::Json(j) => json::canonical(j).hash(state),
        }
    }
}

/// As filters print it: strings quoted, nil as `nil`, timestamps in RFC 3339,
/// dates as `YYYY-MM-DD`, bytes in hexadecimal (`x'0aff'`), JSON as its text.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("nil"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::Uuid(u) => write!(f, "{u}"),
            Value::DateTime(d) => write!(f, "{}", d.to_rfc3339()),
            Value::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Value::Bytes(b) => {
                f.write_str("x'")?;
                for byte in b {
                    write!(f, "{byte:02x}")?;
                }
                f.write_str("'")
            }
            #[cfg(feature = "decimal")]
            Value::Decimal(d) => write!(f, "{d}"),
            #[cfg(feature = "json")]
            Value::Json(j) => write!(f, "{j}"),
        }
    }
}

/// A string slice is a string value, so `.tenant("acme")` reads as written.
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::String(v.to_owned())
    }
}

/// `d` rounded down to a whole microsecond: what every layer keeps of a
/// timestamp (SQLite's text and PostgreSQL's `timestamptz` hold microseconds),
/// applied as a `DateTime<Utc>` becomes a [`Value`], so that memory holds and
/// compares the same instant the SQL layers do. Rounded down, as SQLite's text
/// is: never into the next second, day or year. A leap second (chrono's
/// `23:59:60.5`, a nanosecond count past one second) is the instant
/// PostgreSQL reads it as: that far into the next second (`00:00:00.5`).
pub(crate) fn whole_micros(d: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::Timelike as _;
    let nanos = d.nanosecond();
    let (d, nanos) = match nanos.checked_sub(1_000_000_000) {
        Some(past) => match d
            .with_nanosecond(past)
            .and_then(|d| d.checked_add_signed(chrono::TimeDelta::seconds(1)))
        {
            Some(next) => (next, past),
            None => (d, nanos),
        },
        None => (d, nanos),
    };
    d.with_nanosecond(nanos - nanos % 1_000).unwrap_or(d)
}
