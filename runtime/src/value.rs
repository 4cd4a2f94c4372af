//! `Value`, the dynamic scalar that data layers, filters and keys work with, and
//! `Scalar`, the bridge between a Rust attribute type and a `Value`.
//!
//! Every attribute type a resource may declare (`bool`, `i16`, `i32`, `i64`, `f64`,
//! `String`, `Uuid`, `DateTime<Utc>` and `Option` of each) implements [`Scalar`].
//! `Option<T>` is the nullable form: `None` is [`Value::Null`].

use crate::columns::ColumnReader;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::expr::kind;

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

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Value::Null => {}
            Value::Bool(b) => b.hash(state),
            Value::Int(i) => i.hash(state),
            Value::Float(f) => f.to_bits().hash(state),
            Value::String(s) => s.hash(state),
            Value::Uuid(u) => u.hash(state),
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

/// Any attribute type converts, `Option`s to nil when `None`.
impl<T: Scalar> From<T> for Value {
    fn from(v: T) -> Self {
        v.into_value()
    }
}

/// A string slice is a string value, so `.tenant("acme")` reads as written.
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::String(v.to_owned())
    }
}

/// A Rust type an attribute may have. Sealed: the data layers know exactly these.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the type of an attribute",
    label = "not an attribute type",
    note = "attribute types are `bool`, `i16`, `i32`, `i64`, `f64`, `String`, `Uuid`, `DateTime<Utc>`, and `Option` of one of them for a nullable attribute"
)]
pub trait Scalar: Sized + Clone + Send + Sync + 'static + sealed::Sealed {
    /// The kind a filter compares by (numbers with numbers, text with text): one
    /// of [`kind`](crate::kind)'s types.
    type Kind;
    /// The value type a schema records.
    const TYPE: ValueType;
    /// Whether the attribute may be nil.
    const NULLABLE: bool;
    /// Into a dynamic value.
    fn into_value(self) -> Value;
    /// Back from a dynamic value; `Err` names what was found instead.
    fn from_value(value: Value) -> Result<Self, Value>;

    /// Reads attribute `attribute` from a result row (what generated
    /// `Resource::from_columns` calls, through `ashore::__private`); `Ok(Err(found))`
    /// when what was read does not fit, as [`Scalar::from_value`].
    #[doc(hidden)]
    fn read_column<C: ColumnReader + ?Sized>(
        reader: &mut C,
        attribute: usize,
    ) -> crate::error::Result<Result<Self, Value>>;
}

/// A scalar that is not an `Option`: what `Option<T>` may wrap.
pub trait NonNull: Scalar {}

mod sealed {
    pub trait Sealed {}
}

macro_rules! scalar {
    ($ty:ty, $kind:ty, $vt:ident, $variant:ident, $read:ident, |$v:ident| $into:expr, |$w:ident| $from:expr) => {
        impl sealed::Sealed for $ty {}
        impl NonNull for $ty {}
        impl Scalar for $ty {
            type Kind = $kind;
            const TYPE: ValueType = ValueType::$vt;
            const NULLABLE: bool = false;
            fn into_value(self) -> Value {
                let $v = self;
                Value::$variant($into)
            }
            fn from_value(value: Value) -> Result<Self, Value> {
                match value {
                    Value::$variant($w) => $from,
                    other => Err(other),
                }
            }
            #[inline]
            fn read_column<C: ColumnReader + ?Sized>(
                reader: &mut C,
                attribute: usize,
            ) -> crate::error::Result<Result<Self, Value>> {
                Ok(match reader.$read(attribute)? {
                    Some($w) => $from,
                    None => Err(Value::Null),
                })
            }
        }
    };
}

scalar!(bool, kind::Bool, Bool, Bool, bool, |v| v, |w| Ok(w));
scalar!(i16, kind::Number, I16, Int, int, |v| v.into(), |w| {
    i16::try_from(w).map_err(|_| Value::Int(w))
});
scalar!(i32, kind::Number, I32, Int, int, |v| v.into(), |w| {
    i32::try_from(w).map_err(|_| Value::Int(w))
});
scalar!(i64, kind::Number, I64, Int, int, |v| v, |w| Ok(w));
scalar!(f64, kind::Number, F64, Float, float, |v| v, |w| Ok(w));
scalar!(String, kind::Text, String, String, string, |v| v, |w| Ok(w));
scalar!(Uuid, kind::Uuid, Uuid, Uuid, uuid, |v| v, |w| Ok(w));
scalar!(
    DateTime<Utc>,
    kind::DateTime,
    DateTime,
    DateTime,
    datetime,
    |v| v,
    |w| Ok(w)
);

impl<T: NonNull> sealed::Sealed for Option<T> {}
impl<T: NonNull> Scalar for Option<T> {
    type Kind = T::Kind;
    const TYPE: ValueType = T::TYPE;
    const NULLABLE: bool = true;
    fn into_value(self) -> Value {
        self.map_or(Value::Null, T::into_value)
    }
    fn from_value(value: Value) -> Result<Self, Value> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
    #[inline]
    fn read_column<C: ColumnReader + ?Sized>(
        reader: &mut C,
        attribute: usize,
    ) -> crate::error::Result<Result<Self, Value>> {
        Ok(match T::read_column(reader, attribute)? {
            Ok(v) => Ok(Some(v)),
            Err(Value::Null) => Ok(None),
            Err(found) => Err(found),
        })
    }
}
