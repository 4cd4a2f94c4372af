//! Write policies, executed: what the policies governing a create, update or
//! destroy allow ([`allowed`]), a create's new records checked against
//! them by their content ([`check_create`]), and the stored records an upsert
//! may update ([`updatable`]), which the data layer tests as it writes.
//!
//! As for reads, checks about the actor are decided once per request and
//! `expr(..)` checks are conditions on records: an update or destroy touches
//! only the records they select, and a create is refused when one of its new
//! records fails them (evaluated on the record as it would be stored, its
//! paths read from the data layer). A write the policies forbid outright is
//! [`ErrorKind::Forbidden`] naming the resource and action, and nothing is
//! written.

use super::{Truth, policy_truth};
use crate::data_layer::store::table_of;
use crate::data_layer::{Records, Visibility, content};
use crate::domain::Scope;
use crate::error::{Error, ErrorKind, Result};
use crate::expr::Expr;
use crate::policy::{Action, Templates};
use crate::resource::{Generated, Rows, Schema};
use crate::value::Value;

/// What the policies of `schema` allow a write of `action` in `scope`.
pub(crate) enum Allowed {
    /// Every record: no policy applies because authorization is off or the
    /// resource has none, or those that govern the action authorize all.
    Every,
    /// No record.
    Nothing,
    /// The records this condition selects.
    Rows(Expr),
}

/// What `schema`'s policies allow `scope` to do with `action`; every record
/// when the scope does not authorize.
pub(crate) fn allowed(scope: &Scope, schema: &'static Schema, action: Action) -> Result<Allowed> {
    if !scope.authorize() || schema.policies.is_empty() {
        return Ok(Allowed::Every);
    }
    let templates = Templates::new(schema.name, action, scope.actor(), scope.tenant());
    Ok(match policy_truth(schema, &templates)? {
        Truth::Yes => Allowed::Every,
        Truth::No => Allowed::Nothing,
        Truth::Rows(condition) => Allowed::Rows(condition),
    })
}

/// The error for a write the policies forbid.
pub(crate) fn forbidden(schema: &'static Schema, action: Action, key: Option<Value>) -> Error {
    Error::new(ErrorKind::Forbidden {
        resource: schema.name,
        action,
        key,
    })
}

/// Checks the rows of a create (tenant filled in, defaults applied) against
/// the policies governing creates of `schema`: forbidden outright, or a row
/// that fails an `expr(..)` check, is [`ErrorKind::Forbidden`], naming the
/// row's key when the caller gave it (`keys_given[i]` for row `i`; a UUID key
/// made for the row names nothing the caller knows).
pub(crate) async fn check_create(
    scope: &Scope,
    schema: &'static Schema,
    rows: &Rows,
    keys_given: &[bool],
) -> Result<()> {
    let condition = match allowed(scope, schema, Action::Create)? {
        Allowed::Every => return Ok(()),
        Allowed::Nothing => return Err(forbidden(schema, Action::Create, None)),
        Allowed::Rows(condition) => condition,
    };
    if rows.is_empty() {
        return Ok(());
    }
    let mut checked = rows.clone();
    // An integer key the data layer will generate is not known yet (nil),
    // and a record holds one: each such row is checked with a stand-in no
    // stored record has (the lowest integers), so a check reading the key
    // finds nothing under it.
    if schema.primary_key().generated == Some(Generated::Integer) {
        let pk = schema.primary_key;
        let unkeyed = checked.iter_mut().filter(|row| row[pk].is_null());
        for (stand_in, row) in (i64::MIN..).zip(unkeyed) {
            row[pk] = Value::Int(stand_in);
        }
    }
    let table = table_of(schema, Records::Rows(checked.into_rows()))?;
    let visibility = Visibility::new(vec![(schema, condition)]);
    let layer = &**scope.domain().data_layer();
    let allowed = content::visible(layer, schema, &visibility, &*table).await?;
    match allowed.iter().position(|ok| !ok) {
        None => Ok(()),
        Some(i) => {
            let key = rows
                .get(i)
                .filter(|_| keys_given.get(i) == Some(&true))
                .and_then(|row| row.get(schema.primary_key))
                .filter(|k| !k.is_null())
                .cloned();
            Err(forbidden(schema, Action::Create, key))
        }
    }
}

/// The records an upsert in `scope` may update when a row finds one: those an
/// update may touch ([`super::write_visibility`]: the tenant, the read
/// policies and those governing updates), none when the policies forbid
/// updates outright. The data layer tests it on each record found in the
/// same atomic step as the write ([`Upsert::visibility`]), so a record stored
/// by another writer meanwhile is checked too. Without policies (or
/// authorization) empty: nothing to test.
///
/// [`Upsert::visibility`]: crate::data_layer::Upsert::visibility
pub(crate) fn updatable(scope: &Scope, schema: &'static Schema) -> Result<Visibility> {
    if !scope.authorize() || schema.policies.is_empty() {
        return Ok(Visibility::default());
    }
    let readable = super::visibility(scope, schema, true, None, &[], None)?;
    Ok(match allowed(scope, schema, Action::Update)? {
        Allowed::Every => readable,
        Allowed::Nothing => readable.and_on(schema, Expr::Value(Value::Bool(false))),
        Allowed::Rows(condition) => readable.and_on(schema, condition),
    })
}
