//! `Scalar`: the bridge between a Rust attribute type and a [`Value`], and how
//! a value of each type is read from a result row ([`ColumnReader`]).
//!
//! Every attribute type a resource may declare (`bool`, `i16`, `i32`, `u32`
//! (stored as a 64-bit integer), `i64`, `f64`, `String`, `Uuid`, `DateTime<Utc>`,
//! `NaiveDate`, `Vec<u8>`, `rust_decimal::Decimal` (feature `decimal`),
//! `serde_json::Value` (feature `json`), types with `#[derive(Scalar)]`, and
//! `Option` of each) implements [`Scalar`].
//! `Option<T>` is the nullable form: `None` is [`Value::Null`]. Each type has a
//! [`kind`], what `expr!` lets it be compared with.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::error::Result;
use crate::value::{Value, ValueType};

/// Type-level kinds: what a filter may compare with what. A [`Term`](crate::Term) carries one;
/// `expr!` only compares terms of the same kind, and a filter must be a
/// [`kind::Bool`] term.
pub mod kind {
    /// `bool`, and every condition: what a filter must be.
    #[derive(Debug)]
    pub enum Bool {}
    /// Integers and floats (they compare with each other).
    #[derive(Debug)]
    pub enum Number {}
    /// Strings.
    #[derive(Debug)]
    pub enum Text {}
    /// UUIDs.
    #[derive(Debug)]
    pub enum Uuid {}
    /// Timestamps.
    #[derive(Debug)]
    pub enum DateTime {}
    /// Calendar dates (`NaiveDate`).
    #[derive(Debug)]
    pub enum Date {}
    /// Bytes (`Vec<u8>`): compared byte by byte, a prefix first.
    #[derive(Debug)]
    pub enum Bytes {}
    /// Exact decimals (`rust_decimal::Decimal`): compared as numbers, with
    /// each other only (no arithmetic).
    #[cfg(feature = "decimal")]
    #[derive(Debug)]
    pub enum Decimal {}
    /// JSON documents (`serde_json::Value`): `==`, `!=` and `in` only; no
    /// order, so no `<` and no sorting.
    #[cfg(feature = "json")]
    #[derive(Debug)]
    pub enum Json {}
    /// The kind of a template (`^actor(field)`, `^tenant()`) in a policy's
    /// `expr(..)` compared with another template, or tested with `is_nil`: it
    /// compares with itself only (see [`Dynamic`](crate::__private::Dynamic)).
    #[derive(Debug)]
    pub enum Any {}
}

/// One result row, read one attribute at a time.
///
/// Each method reads the column holding attribute `attribute` (its index in
/// [`Schema::attributes`](crate::Schema::attributes)) as that type, `None` for SQL `NULL`. A column that
/// cannot be read as that type is an `Err` naming the resource and attribute
/// ([`ErrorKind::TypeMismatch`](crate::ErrorKind::TypeMismatch)). Integers are read for every integer width
/// (the generated code checks the range), and a layer may read an integer column
/// for a float attribute.
pub trait ColumnReader {
    /// A boolean.
    fn bool(&mut self, attribute: usize) -> Result<Option<bool>>;
    /// An integer (for `i16`, `i32` and `i64` attributes).
    fn int(&mut self, attribute: usize) -> Result<Option<i64>>;
    /// A float.
    fn float(&mut self, attribute: usize) -> Result<Option<f64>>;
    /// A string.
    fn string(&mut self, attribute: usize) -> Result<Option<String>>;
    /// A UUID.
    fn uuid(&mut self, attribute: usize) -> Result<Option<Uuid>>;
    /// A timestamp.
    fn datetime(&mut self, attribute: usize) -> Result<Option<DateTime<Utc>>>;
    /// A value of a type without a method of its own (a date, bytes, a
    /// decimal, a JSON document): [`Value::Null`] for `NULL`, else a value
    /// of type `value_type`.
    fn other(&mut self, value_type: ValueType, attribute: usize) -> Result<Value>;

    /// Attribute `attribute` as a [`Value`] of type `value_type` (nil for `NULL`),
    /// through the typed method for that type.
    fn value(&mut self, value_type: ValueType, attribute: usize) -> Result<Value> {
        Ok(match value_type {
            ValueType::Bool => self.bool(attribute)?.map(Value::Bool),
            ValueType::I16 | ValueType::I32 | ValueType::I64 => {
                self.int(attribute)?.map(Value::Int)
            }
            ValueType::F64 => self.float(attribute)?.map(Value::Float),
            ValueType::String => self.string(attribute)?.map(Value::String),
            ValueType::Uuid => self.uuid(attribute)?.map(Value::Uuid),
            ValueType::DateTime => self.datetime(attribute)?.map(Value::DateTime),
            _ => return self.other(value_type, attribute),
        }
        .unwrap_or(Value::Null))
    }
}

/// Any attribute type converts, `Option`s to nil when `None`.
impl<T: Scalar> From<T> for Value {
    fn from(v: T) -> Self {
        v.into_value()
    }
}

/// The value type and nullability of an attribute of a [`Scalar`] type
/// ([`Scalar::COLUMN`]), as a generated schema records them.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct ColumnType {
    /// [`Scalar::TYPE`].
    pub value_type: ValueType,
    /// [`Scalar::NULLABLE`].
    pub nullable: bool,
}

/// A Rust type an attribute may have: the built-in ones, and a type of your
/// own stored as one of them. `#[derive(Scalar)]` makes an enum of unit
/// variants one (stored as text) and a newtype one (stored as what it wraps);
/// by hand, say how it becomes a [`Value`] of the type it is stored as
/// ([`TYPE`](Scalar::TYPE)) and back, and implement [`NonNull`] so that
/// `Option<T>` is its nullable form. Every data layer stores it as that type,
/// and `expr!` compares it by its [`Kind`](Scalar::Kind).
///
/// ```
/// # extern crate ashore_runtime as ashore;
/// use ashore::{NonNull, Scalar, Value, ValueType, kind};
///
/// /// An amount of money in cents, stored as an integer.
/// #[derive(Clone, Copy, Debug, PartialEq)]
/// struct Cents(i64);
///
/// impl Scalar for Cents {
///     type Kind = kind::Number;
///     const TYPE: ValueType = ValueType::I64;
///     const NULLABLE: bool = false;
///     fn into_value(self) -> Value {
///         Value::Int(self.0)
///     }
///     fn from_value(value: Value) -> Result<Self, Value> {
///         match value {
///             Value::Int(cents) => Ok(Cents(cents)),
///             other => Err(other),
///         }
///     }
/// }
/// impl NonNull for Cents {}
///
/// assert_eq!(Cents::from_value(Cents(250).into_value()), Ok(Cents(250)));
/// assert_eq!(Option::<Cents>::from_value(Value::Null), Ok(None));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the type of an attribute",
    label = "not an attribute type",
    note = "attribute types are `bool`, `i16`, `i32`, `u32`, `i64`, `f64`, `String`, `Uuid`, `DateTime<Utc>`, `NaiveDate`, `Vec<u8>`, `Decimal` (feature `decimal`), `serde_json::Value` (feature `json`), a type with `#[derive(Scalar)]` (an enum of unit variants, a newtype), and `Option` of one of them for a nullable attribute"
)]
pub trait Scalar: Sized + Clone + Send + Sync + 'static {
    /// The kind a filter compares by (numbers with numbers, text with text): one
    /// of [`kind`]'s types.
    type Kind;
    /// The value type a schema records.
    const TYPE: ValueType;
    /// Whether the attribute may be nil.
    const NULLABLE: bool;
    /// [`TYPE`](Scalar::TYPE) and [`NULLABLE`](Scalar::NULLABLE) in one
    /// constant: what a generated schema reads per attribute (one path for
    /// rustc to resolve, not two). Never overridden.
    #[doc(hidden)]
    const COLUMN: ColumnType = ColumnType {
        value_type: Self::TYPE,
        nullable: Self::NULLABLE,
    };
    /// Into a dynamic value.
    fn into_value(self) -> Value;
    /// Back from a dynamic value; `Err` names what was found instead.
    fn from_value(value: Value) -> std::result::Result<Self, Value>;

    /// Reads attribute `attribute` from a result row (what generated
    /// `Resource::from_columns` calls, through `ashore::__private`); `Ok(Err(found))`
    /// when what was read does not fit, as [`Scalar::from_value`].
    #[doc(hidden)]
    #[inline]
    fn read_column<C: ColumnReader + ?Sized>(
        reader: &mut C,
        attribute: usize,
    ) -> Result<std::result::Result<Self, Value>> {
        Ok(Self::from_value(reader.value(Self::TYPE, attribute)?))
    }

    /// The value as an integer when it is one (the integer types and their
    /// `Option`s); `None` for nil and for every other type. What generated
    /// `Resource::get_int` calls: the in-memory evaluator reads integer
    /// columns without making a `Value`.
    #[doc(hidden)]
    #[inline]
    fn as_int(&self) -> Option<i64> {
        None
    }

    /// The value as a UUID when it is one (as [`as_int`](Scalar::as_int)).
    #[doc(hidden)]
    #[inline]
    fn as_uuid(&self) -> Option<Uuid> {
        None
    }

    /// A copy of the value as a [`Value`]: `self.clone().into_value()`, what
    /// generated `Resource::get` calls (fewer tokens per attribute).
    #[doc(hidden)]
    #[inline]
    fn to_value(&self) -> Value {
        self.clone().into_value()
    }

    /// `visitor` called with this value: what generated `Resource::visit` calls
    /// for the attribute it is asked for.
    #[doc(hidden)]
    #[inline]
    fn visit<V: AttributeVisitor>(&self, visitor: V) -> V::Output {
        visitor.visit(self)
    }
}

/// What `Resource::get`, `get_int` and `get_uuid` do with the attribute a
/// generated `Resource::visit` finds: one generated function for the three,
/// each compiled, where it is called, to a match over the record's fields (the
/// visitors are empty structs and every step is inlined).
#[doc(hidden)]
pub trait AttributeVisitor {
    /// What the visit returns.
    type Output;
    /// The attribute's value.
    fn visit<T: Scalar>(self, value: &T) -> Self::Output;
    /// No attribute at that index.
    fn missing(self) -> Self::Output;
}

/// A scalar that is not an `Option`: what `Option<T>` may wrap.
pub trait NonNull: Scalar {}

/// `impl Scalar` (and `NonNull`) for `$ty`, stored as `Value::$variant`
/// (`$into` makes the payload of `$v`, `$from` the `Result` of payload `$w`),
/// with the items `$extra` besides.
macro_rules! scalar_impl {
    ([$($attr:meta),*] $ty:ty, $kind:ty, $vt:ident, $variant:ident, |$v:ident| $into:expr, |$w:ident| $from:expr, { $($extra:tt)* }) => {
        $(#[$attr])*
        impl NonNull for $ty {}
        $(#[$attr])*
        #[diagnostic::do_not_recommend]
        impl Scalar for $ty {
            type Kind = $kind;
            const TYPE: ValueType = ValueType::$vt;
            const NULLABLE: bool = false;
            fn into_value(self) -> Value {
                let $v = self;
                Value::$variant($into)
            }
            fn from_value(value: Value) -> std::result::Result<Self, Value> {
                match value {
                    Value::$variant($w) => $from,
                    other => Err(other),
                }
            }
            $($extra)*
        }
    };
}

/// A type with a typed `ColumnReader` method of its own, `$read`.
macro_rules! scalar {
    ($ty:ty, $kind:ty, $vt:ident, $variant:ident, $read:ident, |$v:ident| $into:expr, |$w:ident| $from:expr) => {
        scalar!($ty, $kind, $vt, $variant, $read, |$v| $into, |$w| $from, {});
    };
    ($ty:ty, $kind:ty, $vt:ident, $variant:ident, $read:ident, |$v:ident| $into:expr, |$w:ident| $from:expr, { $($typed:tt)* }) => {
        scalar_impl!([] $ty, $kind, $vt, $variant, |$v| $into, |$w| $from, {
            #[inline]
            fn read_column<C: ColumnReader + ?Sized>(
                reader: &mut C,
                attribute: usize,
            ) -> Result<std::result::Result<Self, Value>> {
                Ok(match reader.$read(attribute)? {
                    Some($w) => $from,
                    None => Err(Value::Null),
                })
            }
            $($typed)*
        });
    };
}

scalar!(bool, kind::Bool, Bool, Bool, bool, |v| v, |w| Ok(w));
scalar!(
    i16,
    kind::Number,
    I16,
    Int,
    int,
    |v| v.into(),
    |w| { i16::try_from(w).map_err(|_| Value::Int(w)) },
    {
        #[inline]
        fn as_int(&self) -> Option<i64> {
            Some(i64::from(*self))
        }
    }
);
scalar!(
    i32,
    kind::Number,
    I32,
    Int,
    int,
    |v| v.into(),
    |w| { i32::try_from(w).map_err(|_| Value::Int(w)) },
    {
        #[inline]
        fn as_int(&self) -> Option<i64> {
            Some(i64::from(*self))
        }
    }
);
// Stored as a 64-bit integer (every layer's widest), read back in range.
scalar!(
    u32,
    kind::Number,
    I64,
    Int,
    int,
    |v| v.into(),
    |w| { u32::try_from(w).map_err(|_| Value::Int(w)) },
    {
        #[inline]
        fn as_int(&self) -> Option<i64> {
            Some(i64::from(*self))
        }
    }
);
scalar!(i64, kind::Number, I64, Int, int, |v| v, |w| Ok(w), {
    #[inline]
    fn as_int(&self) -> Option<i64> {
        Some(*self)
    }
});
// `-0.0` as `0.0` (adding `0.0` changes nothing else): SQLite stores it so,
// and every layer then holds, compares and takes the `min` of the same zero.
scalar!(f64, kind::Number, F64, Float, float, |v| v + 0.0, |w| Ok(w));
scalar!(String, kind::Text, String, String, string, |v| v, |w| Ok(w));
scalar!(Uuid, kind::Uuid, Uuid, Uuid, uuid, |v| v, |w| Ok(w), {
    #[inline]
    fn as_uuid(&self) -> Option<Uuid> {
        Some(*self)
    }
});
// Microseconds, as every layer stores it (nanoseconds below are dropped).
scalar!(
    DateTime<Utc>,
    kind::DateTime,
    DateTime,
    DateTime,
    datetime,
    |v| crate::value::whole_micros(v),
    |w| Ok(w)
);

// `YYYY-MM-DD` text on SQLite (years 1 to 9999, so text order is date order),
// `date` on PostgreSQL.
// Read through `ColumnReader::other` (no typed method of their own).
scalar_impl!([] NaiveDate, kind::Date, Date, Date, |v| v, |w| Ok(w), {});
// A blob on SQLite, `bytea` on PostgreSQL.
scalar_impl!([] Vec<u8>, kind::Bytes, Bytes, Bytes, |v| v, |w| Ok(w), {});
// Text on SQLite compared as a number, `numeric` on PostgreSQL.
scalar_impl!(
    [cfg(feature = "decimal")] rust_decimal::Decimal,
    kind::Decimal,
    Decimal,
    Decimal,
    |v| v,
    |w| Ok(w),
    {}
);
// Text on SQLite, `jsonb` on PostgreSQL.
scalar_impl!(
    [cfg(feature = "json")] serde_json::Value,
    kind::Json,
    Json,
    Json,
    |v| Box::new(v),
    |w| Ok(*w),
    {}
);

#[diagnostic::do_not_recommend]
impl<T: NonNull> Scalar for Option<T> {
    type Kind = T::Kind;
    const TYPE: ValueType = T::TYPE;
    const NULLABLE: bool = true;
    fn into_value(self) -> Value {
        self.map_or(Value::Null, T::into_value)
    }
    fn from_value(value: Value) -> std::result::Result<Self, Value> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
    #[inline]
    fn read_column<C: ColumnReader + ?Sized>(
        reader: &mut C,
        attribute: usize,
    ) -> Result<std::result::Result<Self, Value>> {
        Ok(match T::read_column(reader, attribute)? {
            Ok(v) => Ok(Some(v)),
            Err(Value::Null) => Ok(None),
            Err(found) => Err(found),
        })
    }
    #[inline]
    fn as_int(&self) -> Option<i64> {
        self.as_ref().and_then(T::as_int)
    }
    #[inline]
    fn as_uuid(&self) -> Option<Uuid> {
        self.as_ref().and_then(T::as_uuid)
    }
}
