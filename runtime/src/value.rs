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

use chrono::{DateTime, Utc};
use uuid::Uuid;

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
    /// A UTC timestamp.
    DateTime(DateTime<Utc>),
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
}

impl ValueType {
    /// The Rust type of an attribute of this type, `Option<..>` when `nullable`:
    /// how every error names an expected type.
    pub fn rust_name(self, nullable: bool) -> &'static str {
        match (self, nullable) {
            (ValueType::Bool, false) => "bool",
            (ValueType::I16, false) => "i16",
            (ValueType::I32, false) => "i32",
            (ValueType::I64, false) => "i64",
            (ValueType::F64, false) => "f64",
            (ValueType::String, false) => "String",
            (ValueType::Uuid, false) => "Uuid",
            (ValueType::DateTime, false) => "DateTime<Utc>",
            (ValueType::Bool, true) => "Option<bool>",
            (ValueType::I16, true) => "Option<i16>",
            (ValueType::I32, true) => "Option<i32>",
            (ValueType::I64, true) => "Option<i64>",
            (ValueType::F64, true) => "Option<f64>",
            (ValueType::String, true) => "Option<String>",
            (ValueType::Uuid, true) => "Option<Uuid>",
            (ValueType::DateTime, true) => "Option<DateTime<Utc>>",
        }
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
        )
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
            _ => None,
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
        }
    }
}

/// As filters print it: strings quoted, nil as `nil`, timestamps in RFC 3339.
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
        }
    }
}

/// A string slice is a string value, so `.tenant("acme")` reads as written.
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::String(v.to_owned())
    }
}
