//! A row of [`Value`]s in attribute order read as columns
//! ([`ColumnReader`]): what `Resource::from_row` builds its record from, so the
//! field-by-field code of a resource is its `read_columns` alone, and the type
//! mismatches every reader reports.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Schema;
use crate::error::{Error, ErrorKind, Result};
use crate::scalar::{ColumnReader, NonNull, Scalar};
use crate::value::{Value, ValueType};

/// `value`, read for attribute `attribute` of `schema`, when it is of type
/// `value_type` (or nil); else a type mismatch naming the attribute.
pub(crate) fn of_type(
    schema: &'static Schema,
    attribute: usize,
    value_type: ValueType,
    value: Value,
) -> Result<Value> {
    if value_type.fits(&value) {
        return Ok(value);
    }
    let nullable = schema.attributes.get(attribute).is_some_and(|a| a.nullable);
    Err(mismatch_of(
        schema,
        attribute,
        value_type.rust_name(nullable),
        value,
    ))
}

/// `found` where attribute `attribute` of `schema`, of type `expected`, was
/// read.
pub(crate) fn mismatch_of(
    schema: &'static Schema,
    attribute: usize,
    expected: &'static str,
    found: Value,
) -> Error {
    Error::new(ErrorKind::TypeMismatch {
        resource: schema.name,
        key: None,
        attribute: schema.attributes.get(attribute).map_or("?", |a| a.name),
        expected,
        found,
    })
}

/// A row of values read as columns, each moved out as it is read: what `Resource::from_row`
/// builds its record from (see [`row_columns`]), so the field-by-field code
/// exists once. A value of the wrong type is a type mismatch naming the
/// resource and attribute.
pub(crate) struct RowColumns<'a> {
    pub(crate) schema: &'static Schema,
    pub(crate) values: &'a mut [Value],
}

impl RowColumns<'_> {
    fn take<T: NonNull>(&mut self, attribute: usize) -> Result<Option<T>> {
        let value = self.take_value(attribute);
        Option::<T>::from_value(value).map_err(|found| self.mismatch(attribute, found))
    }

    /// The value of `attribute`, moved out; the primary key's is copied, so
    /// that an error of a later attribute can name the record.
    fn take_value(&mut self, attribute: usize) -> Value {
        let Some(value) = self.values.get_mut(attribute) else {
            return Value::Null;
        };
        if attribute == self.schema.primary_key {
            value.clone()
        } else {
            std::mem::take(value)
        }
    }

    /// The row's primary key, for an error naming its record.
    pub(crate) fn key(&self) -> Option<Value> {
        self.values.get(self.schema.primary_key).cloned()
    }

    /// `e`, an error reading this row, naming its record (see
    /// [`Error::of_record`]).
    #[cold]
    pub(crate) fn of_record(&self, e: Error) -> Error {
        e.of_record(|| self.key())
    }

    fn mismatch(&self, attribute: usize, found: Value) -> Error {
        let info = self.schema.attributes.get(attribute);
        Error::new(ErrorKind::TypeMismatch {
            resource: self.schema.name,
            key: self.key().filter(|k| !k.is_null()),
            attribute: info.map_or("?", |a| a.name),
            expected: info.map_or("?", |a| a.value_type.rust_name(a.nullable)),
            found,
        })
    }
}

impl ColumnReader for RowColumns<'_> {
    fn bool(&mut self, attribute: usize) -> Result<Option<bool>> {
        self.take(attribute)
    }
    fn int(&mut self, attribute: usize) -> Result<Option<i64>> {
        self.take(attribute)
    }
    fn float(&mut self, attribute: usize) -> Result<Option<f64>> {
        self.take(attribute)
    }
    fn string(&mut self, attribute: usize) -> Result<Option<String>> {
        self.take(attribute)
    }
    fn uuid(&mut self, attribute: usize) -> Result<Option<Uuid>> {
        self.take(attribute)
    }
    fn datetime(&mut self, attribute: usize) -> Result<Option<DateTime<Utc>>> {
        self.take(attribute)
    }
    fn other(&mut self, value_type: ValueType, attribute: usize) -> Result<Value> {
        let value = self.take_value(attribute);
        of_type(self.schema, attribute, value_type, value)
    }
}

/// `row`, a row of `schema` in attribute order, as a reader for
/// [`Resource::read_columns`](super::Resource::read_columns); a row of the wrong length is an error. Not
/// generic, so nothing of it is compiled per resource.
pub(crate) fn row_columns<'a>(
    schema: &'static Schema,
    row: &'a mut [Value],
) -> Result<RowColumns<'a>> {
    schema.check_row(row)?;
    Ok(RowColumns {
        schema,
        values: row,
    })
}
