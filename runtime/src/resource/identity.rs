//! Identities (Ash's `identities`): [`Identity`], a set of attributes whose
//! values no two records share, and [`IdentityRef`], the typed handle
//! `Ticket::unique_email()` that `upsert_on` takes.
//!
//! On a multitenant resource the tenant attribute is part of every identity,
//! first ([`Identity::columns`]): uniqueness holds within a tenant, as in Ash.
//! Nils are distinct (Ash's `nils_distinct?: true`, SQL's unique indexes): a
//! record with a nil in any of the columns shares its identity with no other.

use std::fmt;
use std::marker::PhantomData;

use super::{Resource, Schema};
use crate::value::Value;

/// One identity of a resource: `identity unique_email [email];`.
#[derive(Debug)]
pub struct Identity {
    /// Its name (`unique_email`); SQL layers name the unique index
    /// `<table>_<name>_index`.
    pub name: &'static str,
    /// The attributes whose values together identify a record, as declared.
    pub keys: &'static [&'static str],
}

impl Identity {
    /// The attributes a record is unique by: the tenant attribute of a
    /// multitenant `schema` first, then [`keys`](Self::keys). The columns of the
    /// unique index SQL layers make.
    pub fn columns(&self, schema: &Schema) -> Vec<&'static str> {
        let tenant = schema
            .multitenancy
            .map(|m| m.attribute)
            .filter(|t| !self.keys.contains(t));
        tenant
            .into_iter()
            .chain(self.keys.iter().copied())
            .collect()
    }

    /// The values of `row` (a row of `schema`) in [`columns`](Self::columns),
    /// or `None` when one is nil: such a row is unique by this identity.
    pub fn values_of(&self, schema: &Schema, row: &[Value]) -> Option<Vec<Value>> {
        self.columns(schema)
            .into_iter()
            .map(|c| {
                let value = &row[schema.attribute_index(c)?];
                (!value.is_null()).then(|| value.clone())
            })
            .collect()
    }

    /// The attribute a violation names: the one column, when the identity
    /// has one (as SQL layers report it); `None` for several.
    pub fn attribute(&self, schema: &Schema) -> Option<&'static str> {
        match self.columns(schema).as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }
}

/// A typed handle on one identity of `R`, made by the generated
/// `Ticket::unique_email()`; [`Create::upsert_on`](crate::Create::upsert_on)
/// takes it.
pub struct IdentityRef<R> {
    index: usize,
    _resource: PhantomData<fn() -> R>,
}

impl<R> Clone for IdentityRef<R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R> Copy for IdentityRef<R> {}

impl<R> IdentityRef<R> {
    /// Generated code makes these; `index` is the identity's place in the schema.
    #[doc(hidden)]
    pub const fn new(index: usize) -> Self {
        IdentityRef {
            index,
            _resource: PhantomData,
        }
    }
}

impl<R: Resource> IdentityRef<R> {
    /// The identity.
    pub fn identity(&self) -> &'static Identity {
        let identities: &'static [Identity] = R::schema().identities;
        &identities[self.index]
    }
}

impl<R: Resource> fmt::Debug for IdentityRef<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdentityRef({})", self.identity().name)
    }
}
