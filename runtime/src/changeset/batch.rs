//! [`Changesets`]: the changesets of one create, their values in one buffer
//! from the moment they are given, so that a large `create_many` holds one
//! allocation rather than one per changeset, and each changeset's own is
//! freed (and reused for the next) while the caller is still making them.

use std::marker::PhantomData;

use crate::error::{Error, ErrorKind, Result};
use crate::resource::{Generated, Resource, Rows};
use crate::value::Value;

use super::Changeset;

/// The values of a batch of changesets of `R`, changeset after changeset
/// (`None`: not set), in attribute order.
pub(crate) struct Changesets<R: Resource> {
    values: Vec<Option<Value>>,
    _resource: PhantomData<fn() -> R>,
}

impl<R: Resource> Changesets<R> {
    /// Moves the values of `changesets` into one buffer, freeing each
    /// changeset as it comes.
    pub(crate) fn collect(changesets: impl IntoIterator<Item = Changeset<R>>) -> Self {
        let changesets = changesets.into_iter();
        let width = R::schema().attributes.len();
        let mut values = Vec::with_capacity(changesets.size_hint().0.saturating_mul(width));
        for changeset in changesets {
            values.extend(changeset.values);
        }
        Changesets {
            values,
            _resource: PhantomData,
        }
    }

    /// How many changesets.
    pub(crate) fn len(&self) -> usize {
        self.values.len() / R::schema().attributes.len().max(1)
    }

    /// Whether there are no changesets.
    pub(crate) fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The values of each changeset.
    fn each(&self) -> std::slice::ChunksExact<'_, Option<Value>> {
        self.values
            .chunks_exact(R::schema().attributes.len().max(1))
    }

    /// The attributes changeset `i` sets.
    pub(crate) fn set_in(&self, i: usize) -> Vec<usize> {
        self.each()
            .nth(i)
            .map(|c| (0..c.len()).filter(|&a| c[a].is_some()).collect())
            .unwrap_or_default()
    }

    /// Whether every changeset sets the attributes the first sets; if not,
    /// the position of the first that does not.
    pub(crate) fn first_setting_otherwise(&self) -> Option<usize> {
        let mut each = self.each();
        let first = each.next()?;
        each.position(|c| c.iter().zip(first).any(|(a, b)| a.is_some() != b.is_some()))
            .map(|p| p + 1)
    }

    /// The rows of the changesets, in one buffer of the same allocation: in
    /// each, attribute `fill.0` is set to `fill.1` unless set already (the
    /// tenant), then each default applied (a new UUID key, a nil the layer
    /// assigns an integer key for, nil for an optional attribute), and the
    /// values given to `check`; a required attribute left unset is an
    /// [`ErrorKind::Required`]. Each row is made and checked while it is at
    /// hand, and the first error, in changeset order, is returned.
    pub(crate) fn into_rows(
        mut self,
        fill: Option<(usize, &Value)>,
        check: impl Fn(&[Option<Value>]) -> Result<()>,
    ) -> Result<Rows> {
        let schema = R::schema();
        let width = schema.attributes.len();
        if width == 0 {
            return Ok(Rows::new(0));
        }
        for changeset in self.values.chunks_exact_mut(width) {
            if let Some((index, value)) = fill
                && let Some(slot @ None) = changeset.get_mut(index)
            {
                *slot = Some(value.clone());
            }
            let missing = changeset
                .iter()
                .zip(schema.attributes)
                .find(|(v, a)| v.is_none() && a.generated.is_none() && !a.nullable);
            if let Some((_, attr)) = missing {
                return Err(Error::new(ErrorKind::Required {
                    resource: schema.name,
                    attribute: attr.name,
                }));
            }
            for (slot, attr) in changeset.iter_mut().zip(schema.attributes) {
                if slot.is_none() && attr.generated == Some(Generated::Uuid) {
                    *slot = Some(Value::Uuid(uuid::Uuid::new_v4()));
                }
            }
            check(changeset)?;
        }
        // Nil where unset (an integer key the layer assigns, an optional
        // attribute), collected in place.
        let values = self
            .values
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect();
        Rows::from_values(width, values)
    }
}
