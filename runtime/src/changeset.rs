//! `Changeset<R>`: the attribute values of a record to create, or to set on
//! records an update changes, set through typed field references so a wrong
//! type is a compile error; and [`Changes`], what an update sets, as a data
//! layer is given it.

use std::fmt;
use std::marker::PhantomData;

use crate::error::{Error, ErrorKind, Result};
use crate::resource::{Field, Resource, Schema};
use crate::scalar::Scalar;
use crate::value::Value;

mod batch;

pub(crate) use batch::{Changesets, check_required};

/// The values of a record to create (Ash's create changeset), or the values
/// an update sets ([`Domain::update`](crate::Domain::update): only those set
/// change).
///
/// On a create, unset attributes are nil when nullable; a `uuid_primary_key` gets a random UUID
/// and an `integer_primary_key` the data layer's next number. Leaving out any other
/// attribute is an `ErrorKind::Required` naming it.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let ticket = support
///     .create(
///         Ticket::changeset()
///             .set(Ticket::subject(), "Toner low")
///             .set(Ticket::priority(), 1),
///     )
///     .await?;
/// assert_eq!(
///     (ticket.subject.as_str(), ticket.priority),
///     ("Toner low", Some(1))
/// );
/// assert_eq!(ticket.representative_id, None); // nullable, left out: nil
///
/// let err = support.create(Ticket::changeset()).await.unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "attribute `subject` of Ticket is required but was not set"
/// );
/// # Ok(()) }
/// ```
pub struct Changeset<R: Resource> {
    values: Vec<Option<Value>>,
    _resource: PhantomData<fn() -> R>,
}

impl<R: Resource> Clone for Changeset<R> {
    fn clone(&self) -> Self {
        Changeset {
            values: self.values.clone(),
            _resource: PhantomData,
        }
    }
}

impl<R: Resource> fmt::Debug for Changeset<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (a, v) in R::schema().attributes.iter().zip(&self.values) {
            if let Some(v) = v {
                m.entry(&a.name, v);
            }
        }
        m.finish()
    }
}

impl<R: Resource> Default for Changeset<R> {
    fn default() -> Self {
        Self::new()
    }
}

impl<R: Resource> Changeset<R> {
    /// Nothing set yet; the same as the generated `Ticket::changeset()` of a resource.
    pub fn new() -> Self {
        Changeset {
            values: vec![None; R::schema().attributes.len()],
            _resource: PhantomData,
        }
    }

    /// Sets an attribute. `value` converts into the attribute's type, so an
    /// `Option<i64>` attribute takes `5` as well as `Some(5)` or `None`. Setting
    /// an attribute again replaces its value.
    pub fn set<T: Scalar>(mut self, field: Field<R, T>, value: impl Into<T>) -> Self {
        self.values[field.index()] = Some(value.into().into_value());
        self
    }

    /// Sets attribute `index` to `value`, whatever it was set to.
    pub(crate) fn put(&mut self, index: usize, value: &Value) {
        if let Some(slot) = self.values.get_mut(index) {
            *slot = Some(value.clone());
        }
    }

    /// The values set so far, by attribute index (`None`: not set).
    pub(crate) fn values(&self) -> &[Option<Value>] {
        &self.values
    }

    /// The attributes set, for an update: nothing filled in.
    pub(crate) fn into_changes(self) -> Changes {
        Changes(
            self.values
                .into_iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| (i, v)))
                .collect(),
        )
    }
}

/// The attributes an update sets, each as (its index among the schema's
/// attributes, its new value); every other attribute keeps its value. Never
/// the primary key: [`Changes::check`] refuses it, on every layer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes(pub Vec<(usize, Value)>);

impl Changes {
    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The attributes set, with their new values.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &Value)> {
        self.0.iter().map(|(i, v)| (*i, v))
    }

    /// Checks the changes against `schema`: each names an attribute, once, and
    /// none the primary key (an [`ErrorKind::InvalidValue`] naming it: a record
    /// keeps its key, so what refers to it stays right).
    pub fn check(&self, schema: &'static Schema) -> Result<()> {
        let mut seen = vec![false; schema.attributes.len()];
        for (index, _) in self.iter() {
            let Some(slot) = seen.get_mut(index) else {
                return Err(Error::new(ErrorKind::InvalidQuery {
                    resource: schema.name,
                    message: format!(
                        "an update sets attribute {index}, and {} has {}",
                        schema.name,
                        schema.attributes.len()
                    ),
                }));
            };
            if index == schema.primary_key {
                return Err(Error::new(ErrorKind::InvalidValue {
                    resource: schema.name,
                    attribute: schema.primary_key().name,
                    reason: "the primary key, which an update cannot change \
                             (create a record with the new key and destroy the old one)",
                }));
            }
            if std::mem::replace(slot, true) {
                return Err(Error::new(ErrorKind::InvalidQuery {
                    resource: schema.name,
                    message: format!("an update sets `{}` twice", schema.attributes[index].name),
                }));
            }
        }
        Ok(())
    }

    /// `row` with the changes applied (indexes checked by [`Changes::check`]).
    pub(crate) fn apply(&self, row: &mut [Value]) {
        for (index, value) in self.iter() {
            if let Some(slot) = row.get_mut(index) {
                *slot = value.clone();
            }
        }
    }
}
