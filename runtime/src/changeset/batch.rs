//! [`Changesets`]: the changesets of one create, their values in one buffer
//! from the moment they are given, so that a large `create_many` holds one
//! allocation rather than one per changeset, and each changeset's own is
//! freed (and reused for the next) while the caller is still making them.

use std::marker::PhantomData;

use crate::error::{Error, ErrorKind, Result};
use crate::resource::{AttributeInfo, Generated, Resource, Rows, Schema};
use crate::value::Value;

use super::Changeset;

/// A required attribute `values` leave unset (and `filled` does not say
/// is given later) as an [`ErrorKind::Required`] naming it.
pub(crate) fn check_required(
    schema: &'static Schema,
    values: &[Option<Value>],
    filled: impl Fn(&AttributeInfo) -> bool,
) -> Result<()> {
    let missing = values
        .iter()
        .zip(schema.attributes)
        .find(|(v, a)| v.is_none() && a.generated.is_none() && !a.nullable && !filled(a));
    match missing {
        Some((_, attr)) => Err(Error::new(ErrorKind::Required {
            resource: schema.name,
            attribute: attr.name,
        })),
        None => Ok(()),
    }
}

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

    /// Whether each changeset sets the primary key (before
    /// [`into_rows`](Self::into_rows) gives a UUID key its default).
    pub(crate) fn keys_given(&self) -> Vec<bool> {
        let pk = R::schema().primary_key;
        self.each()
            .map(|c| c.get(pk).is_some_and(Option::is_some))
            .collect()
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
            check_required(schema, changeset, |_| false)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::test_resource;

    test_resource!(Item in "item", id: uuid::Uuid = Some(Generated::Uuid), {
        label: String,
        size: Option<i64>,
        org: Option<String>,
    });

    /// A changeset of `Item` setting `values` (attribute index, value).
    fn item(values: &[(usize, Value)]) -> Changeset<Item> {
        let mut changeset = Changeset::new();
        for (index, value) in values {
            changeset.put(*index, value);
        }
        changeset
    }

    #[test]
    fn rows_get_the_fill_the_defaults_and_keep_what_is_set() {
        let given = uuid::Uuid::new_v4();
        let batch = Changesets::collect([
            item(&[(1, "a".into())]),
            item(&[(0, Value::Uuid(given)), (1, "b".into()), (3, "own".into())]),
        ]);
        assert_eq!((batch.len(), batch.set_in(1)), (2, vec![0, 1, 3]));
        let org = Value::from("acme");
        let rows = batch.into_rows(Some((3, &org)), |_| Ok(())).expect("rows");
        assert_eq!(rows.len(), 2);
        assert!(matches!(rows[0][0], Value::Uuid(_)), "a new key");
        assert_eq!(&rows[0][1..], &["a".into(), Value::Null, org.clone()]);
        assert_eq!(
            &rows[1],
            &[Value::Uuid(given), "b".into(), Value::Null, "own".into()]
        );
    }

    #[test]
    fn the_first_error_in_changeset_order_is_returned() {
        let refused = Value::from("refused");
        let check = |set: &[Option<Value>]| match set.iter().flatten().find(|v| **v == refused) {
            Some(_) => Err(Error::data_layer("refused")),
            None => Ok(()),
        };
        // A refused value in the first changeset comes before a missing
        // attribute in the second, and the other way round.
        let batch = Changesets::collect([item(&[(1, refused.clone())]), item(&[])]);
        let err = batch.into_rows(None, check).expect_err("refused");
        assert!(err.to_string().contains("refused"), "{err}");
        let batch = Changesets::collect([item(&[]), item(&[(1, refused.clone())])]);
        let err = batch.into_rows(None, check).expect_err("required");
        assert!(
            matches!(
                err.kind(),
                ErrorKind::Required {
                    attribute: "label",
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn changesets_setting_other_attributes_are_found() {
        let same = Changesets::collect([item(&[(1, "a".into())]), item(&[(1, "b".into())])]);
        assert_eq!(same.first_setting_otherwise(), None);
        let other = Changesets::collect([
            item(&[(1, "a".into())]),
            item(&[(1, "b".into())]),
            item(&[(1, "c".into()), (2, 3_i64.into())]),
        ]);
        assert_eq!(other.first_setting_otherwise(), Some(2));
        assert!(Changesets::<Item>::collect([]).is_empty());
    }
}
