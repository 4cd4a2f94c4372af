//! `Scalar`: the bridge between a Rust attribute type and a [`Value`], and how
//! a value of each type is read from a result row ([`ColumnReader`]).
//!
//! Every attribute type a resource may declare (`bool`, `i16`, `i32`, `i64`, `f64`,
//! `String`, `Uuid`, `DateTime<Utc>` and `Option` of each) implements [`Scalar`].
//! `Option<T>` is the nullable form: `None` is [`Value::Null`]. Each type has a
//! [`kind`], what `expr!` lets it be compared with.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::Result;
use crate::value::{Value, ValueType};

/// Type-level kinds: what a filter may compare with what. A [`Term`] carries one;
/// `expr!` only compares terms of the same kind, and a filter must be a
/// [`kind::Bool`] term.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # fn main() {
/// // Each attribute type has a kind: `Option<i64>` and `i64` are both numbers.
/// fn kind_of<T: Scalar>(_: Field<Ticket, T>) -> std::any::TypeId
/// where
///     T::Kind: 'static,
/// {
///     std::any::TypeId::of::<T::Kind>()
/// }
/// assert_eq!(
///     kind_of(Ticket::priority()),
///     std::any::TypeId::of::<kind::Number>()
/// );
/// assert_eq!(
///     kind_of(Ticket::subject()),
///     std::any::TypeId::of::<kind::Text>()
/// );
/// # }
/// ```
pub mod kind {
    /// `bool`, and every condition: what a filter must be.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// let open: Term<kind::Bool> =
    ///     Term::new(Expr::IsNil(Box::new(Expr::attr("representative_id"))));
    /// let unassigned = Ticket::query().filter(|_| open);
    /// assert_eq!(
    ///     unassigned.get_filter().unwrap().to_string(),
    ///     "is_nil(representative_id)"
    /// );
    /// # }
    /// ```
    #[derive(Debug)]
    pub enum Bool {}
    /// Integers and floats (they compare with each other).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// let priority: Term<kind::Number> = Term::new(Expr::attr("priority"));
    /// assert_eq!(priority.into_expr(), Expr::attr("priority"));
    /// assert_eq!(
    ///     Value::Int(2).compare(&Value::Float(2.5)),
    ///     Some(std::cmp::Ordering::Less)
    /// );
    /// # }
    /// ```
    #[derive(Debug)]
    pub enum Number {}
    /// Strings.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// fn text<T: Scalar<Kind = kind::Text>>(value: T) -> Value {
    ///     value.into_value()
    /// }
    /// assert_eq!(
    ///     text(Some("VPN down".to_string())),
    ///     Value::String("VPN down".into())
    /// );
    /// # }
    /// ```
    #[derive(Debug)]
    pub enum Text {}
    /// UUIDs.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// fn uuid_valued<T: Scalar<Kind = kind::Uuid>>(_: Field<Ticket, T>) {}
    /// uuid_valued(Ticket::id());
    /// uuid_valued(Ticket::representative_id());
    /// # }
    /// ```
    #[derive(Debug)]
    pub enum Uuid {}
    /// Timestamps.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// use ashore::chrono::{DateTime, Utc};
    /// fn timestamp<T: Scalar<Kind = kind::DateTime>>(value: T) -> Value {
    ///     value.into_value()
    /// }
    /// let now = Utc::now();
    /// assert_eq!(timestamp(now), Value::DateTime(now));
    /// assert_eq!(<DateTime<Utc> as Scalar>::TYPE, ValueType::DateTime);
    /// # }
    /// ```
    #[derive(Debug)]
    pub enum DateTime {}
    /// The kind of a template (`^actor(field)`, `^tenant()`) in a policy's
    /// `expr(..)` compared with another template, or tested with `is_nil`: it
    /// compares with itself only (see [`Dynamic`](crate::__private::Dynamic)).
    #[derive(Debug)]
    pub enum Any {}
}

/// One result row, read one attribute at a time.
///
/// Each method reads the column holding attribute `attribute` (its index in
/// [`Schema::attributes`]) as that type, `None` for SQL `NULL`. A column that
/// cannot be read as that type is an `Err` naming the resource and attribute
/// ([`ErrorKind::TypeMismatch`]). Integers are read for every integer width
/// (the generated code checks the range), and a layer may read an integer column
/// for a float attribute.
///
/// ```
/// # extern crate ashore_runtime as ashore;
/// use ashore::Result;
/// use ashore::data_layer::ColumnReader;
/// use chrono::{DateTime, Utc};
/// use uuid::Uuid;
///
/// /// A row of one text column.
/// struct OneText(Option<String>);
///
/// impl ColumnReader for OneText {
///     fn bool(&mut self, _: usize) -> Result<Option<bool>> { unimplemented!() }
///     fn int(&mut self, _: usize) -> Result<Option<i64>> { unimplemented!() }
///     fn float(&mut self, _: usize) -> Result<Option<f64>> { unimplemented!() }
///     fn string(&mut self, _: usize) -> Result<Option<String>> {
///         Ok(self.0.take())
///     }
///     fn uuid(&mut self, _: usize) -> Result<Option<Uuid>> { unimplemented!() }
///     fn datetime(&mut self, _: usize) -> Result<Option<DateTime<Utc>>> {
///         unimplemented!()
///     }
/// }
///
/// let mut row = OneText(Some("Toner low".into()));
/// assert_eq!(row.string(0)?.as_deref(), Some("Toner low"));
/// # Ok::<(), ashore::Error>(())
/// ```
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
        }
        .unwrap_or(Value::Null))
    }
}

/// Any attribute type converts, `Option`s to nil when `None`.
///
/// ```
/// # extern crate ashore_runtime as ashore;
/// use ashore::Value;
/// use ashore::uuid::Uuid;
/// assert_eq!(Value::from(7_i16), Value::Int(7));
/// assert_eq!(Value::from(Some(true)), Value::Bool(true));
/// assert_eq!(Value::from(Uuid::nil()), Value::Uuid(Uuid::nil()));
/// ```
impl<T: Scalar> From<T> for Value {
    fn from(v: T) -> Self {
        v.into_value()
    }
}

/// A Rust type an attribute may have. Sealed: the data layers know exactly these.
///
/// ```
/// # extern crate ashore_runtime as ashore;
/// use ashore::{Scalar, Value};
/// assert_eq!(Some(5_i32).into_value(), Value::Int(5));
/// assert_eq!(<Option<i32>>::from_value(Value::Null), Ok(None));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the type of an attribute",
    label = "not an attribute type",
    note = "attribute types are `bool`, `i16`, `i32`, `i64`, `f64`, `String`, `Uuid`, `DateTime<Utc>`, and `Option` of one of them for a nullable attribute"
)]
pub trait Scalar: Sized + Clone + Send + Sync + 'static + sealed::Sealed {
    /// The kind a filter compares by (numbers with numbers, text with text): one
    /// of [`kind`](crate::kind)'s types.
    ///
    /// ```
    /// # extern crate ashore_runtime as ashore;
    /// use ashore::{Scalar, kind};
    /// use std::any::TypeId;
    /// fn kind_of<T: Scalar>() -> TypeId
    /// where
    ///     T::Kind: 'static,
    /// {
    ///     TypeId::of::<T::Kind>()
    /// }
    /// // Integers and floats, nullable or not, compare with each other.
    /// assert_eq!(kind_of::<i16>(), kind_of::<Option<f64>>());
    /// assert_eq!(kind_of::<String>(), TypeId::of::<kind::Text>());
    /// ```
    type Kind;
    /// The value type a schema records.
    ///
    /// ```
    /// # extern crate ashore_runtime as ashore;
    /// use ashore::{Scalar, ValueType};
    /// assert_eq!(i32::TYPE, ValueType::I32);
    /// assert_eq!(<Option<i32>>::TYPE, ValueType::I32);
    /// ```
    const TYPE: ValueType;
    /// Whether the attribute may be nil.
    ///
    /// ```
    /// # extern crate ashore_runtime as ashore;
    /// use ashore::Scalar;
    /// assert!(!String::NULLABLE);
    /// assert!(<Option<String>>::NULLABLE);
    /// ```
    const NULLABLE: bool;
    /// Into a dynamic value.
    ///
    /// ```
    /// # extern crate ashore_runtime as ashore;
    /// use ashore::{Scalar, Value};
    /// assert_eq!(3_i16.into_value(), Value::Int(3));
    /// assert_eq!(None::<f64>.into_value(), Value::Null);
    /// ```
    fn into_value(self) -> Value;
    /// Back from a dynamic value; `Err` names what was found instead.
    ///
    /// ```
    /// # extern crate ashore_runtime as ashore;
    /// use ashore::{Scalar, Value};
    /// assert_eq!(i16::from_value(Value::Int(300)), Ok(300));
    /// assert_eq!(i16::from_value(Value::Int(70_000)), Err(Value::Int(70_000))); // out of range
    /// assert_eq!(String::from_value(Value::Null), Err(Value::Null)); // not nullable
    /// ```
    fn from_value(value: Value) -> std::result::Result<Self, Value>;

    /// Reads attribute `attribute` from a result row (what generated
    /// `Resource::from_columns` calls, through `ashore::__private`); `Ok(Err(found))`
    /// when what was read does not fit, as [`Scalar::from_value`].
    #[doc(hidden)]
    fn read_column<C: ColumnReader + ?Sized>(
        reader: &mut C,
        attribute: usize,
    ) -> Result<std::result::Result<Self, Value>>;
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
            fn from_value(value: Value) -> std::result::Result<Self, Value> {
                match value {
                    Value::$variant($w) => $from,
                    other => Err(other),
                }
            }
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
}
