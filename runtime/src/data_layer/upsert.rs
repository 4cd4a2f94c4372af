//! What an upsert asks of a data layer ([`Upsert`]), and the rules every layer
//! shares: for a batch whose rows share an identity ([`check_batch`]), and for
//! a record found that the upsert may not update ([`Upsert::forbidden`]).

use foldhash::{HashMap, HashMapExt};

use super::Visibility;
use crate::action::Action;
use crate::error::{Constraint, Error, ErrorKind, Result};
use crate::resource::{Identity, Rows, Schema};

/// How [`DataLayer::upsert`](super::DataLayer::upsert) treats a row whose
/// identity values (tenant included) a stored record has: that record is
/// updated with the row's values of `update`, and returned in the row's place.
#[derive(Clone, Debug)]
pub struct Upsert {
    /// The identity records are found by (Ash's `upsert_identity`).
    pub identity: &'static Identity,
    /// Indexes in the schema's attributes of the attributes a record found is
    /// updated with: those the changesets set, never the primary key, the
    /// identity's keys or the tenant attribute. May be empty (the record found
    /// is returned unchanged).
    pub update: Vec<usize>,
    /// Which records found the upsert may update: those its condition on the
    /// schema ([`Visibility::of`]) holds for, its paths reading every stored
    /// record as a visibility condition's do (the tenant, the read policies
    /// and those governing updates, from the domain). A row that finds a
    /// record it does not hold for is neither inserted nor updates it, and
    /// the whole call fails with [`Upsert::forbidden`], writing nothing. The
    /// condition must be tested in the same atomic step as the write (the
    /// built-in layers: a `WHERE` on the `DO UPDATE`, or under the memory
    /// store's lock), so that a record another writer stores meanwhile is
    /// checked too. Empty when authorization is off or the resource has no
    /// policies: then every record found is updated.
    pub visibility: Visibility,
}

impl Upsert {
    /// The error of an upsert that found a record it may not update
    /// ([`Upsert::visibility`]): [`ErrorKind::Forbidden`] for `update`, naming
    /// the resource and no key (the actor may not read the record either).
    pub fn forbidden(schema: &'static Schema) -> Error {
        Error::new(ErrorKind::Forbidden {
            resource: schema.name,
            action: Action::Update,
            key: None,
        })
    }
}

/// Refuses `rows` of `schema` when two of them have the same values of
/// `identity` (no nil among them): a unique [`ErrorKind::Constraint`] naming
/// the identity. An upsert cannot tell which of the two to keep (PostgreSQL
/// refuses it: "ON CONFLICT DO UPDATE command cannot affect row a second
/// time"), so every layer refuses it, before anything is written.
pub(crate) fn check_batch(
    schema: &'static Schema,
    identity: &'static Identity,
    rows: &Rows,
) -> Result<()> {
    let mut seen = HashMap::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let Some(values) = identity.values_of(schema, row) else {
            continue;
        };
        if let Some(first) = seen.insert(values, i) {
            return Err(Error::new(ErrorKind::Constraint {
                resource: schema.name,
                attribute: identity.attribute(schema),
                identity: Some(identity.name),
                constraint: Constraint::Unique,
                source: format!(
                    "records {first} and {i} of the upsert have the same `{}`: \
                     an upsert updates a record once",
                    identity.name
                )
                .into(),
            }));
        }
    }
    Ok(())
}
