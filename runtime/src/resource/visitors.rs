//! The three things the engine reads from a record's attribute by
//! [`Resource::visit`](super::Resource::visit): its [`Value`], its integer, its
//! UUID. Empty structs, so a read compiles to the generated match alone.

use crate::scalar::{AttributeVisitor, Scalar};
use crate::value::Value;

/// A copy of the attribute as a [`Value`] (`Null` past the last one).
#[derive(Default)]
pub(crate) struct ToValue;

impl AttributeVisitor for ToValue {
    type Output = Value;
    #[inline]
    fn visit<T: Scalar>(self, value: &T) -> Value {
        value.to_value()
    }
    #[inline]
    fn missing(self) -> Value {
        Value::Null
    }
}

/// The attribute as an integer, when it holds one.
#[derive(Default)]
pub(crate) struct AsInt;

impl AttributeVisitor for AsInt {
    type Output = Option<i64>;
    #[inline]
    fn visit<T: Scalar>(self, value: &T) -> Option<i64> {
        value.as_int()
    }
    #[inline]
    fn missing(self) -> Option<i64> {
        None
    }
}

/// The attribute as a UUID, when it holds one.
#[derive(Default)]
pub(crate) struct AsUuid;

impl AttributeVisitor for AsUuid {
    type Output = Option<uuid::Uuid>;
    #[inline]
    fn visit<T: Scalar>(self, value: &T) -> Option<uuid::Uuid> {
        value.as_uuid()
    }
    #[inline]
    fn missing(self) -> Option<uuid::Uuid> {
        None
    }
}
