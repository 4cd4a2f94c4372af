//! Write policies, executed: what the policies governing a create, update or
//! destroy allow ([`allowed`]), a create's new records checked against
//! them by their content ([`check_create`]), and the stored records an upsert
//! finds checked against what an update may touch ([`check_upsert`]).
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
use crate::resource::{Rows, Schema};
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
/// that fails an `expr(..)` check, is [`ErrorKind::Forbidden`] (naming the
/// row's key when it has one).
pub(crate) async fn check_create(
    scope: &Scope,
    schema: &'static Schema,
    rows: &Rows,
) -> Result<()> {
    let condition = match allowed(scope, schema, Action::Create)? {
        Allowed::Every => return Ok(()),
        Allowed::Nothing => return Err(forbidden(schema, Action::Create, None)),
        Allowed::Rows(condition) => condition,
    };
    if rows.is_empty() {
        return Ok(());
    }
    let table = table_of(schema, Records::Rows(rows.clone().into_rows()))?;
    let visibility = Visibility::new(vec![(schema, condition)]);
    let layer = &**scope.domain().data_layer();
    let allowed = content::visible(layer, schema, &visibility, &*table).await?;
    match allowed.iter().position(|ok| !ok) {
        None => Ok(()),
        Some(i) => {
            let key = rows
                .get(i)
                .and_then(|row| row.get(schema.primary_key))
                .filter(|k| !k.is_null())
                .cloned();
            Err(forbidden(schema, Action::Create, key))
        }
    }
}

/// How many rows of an upsert one request looks records up for: the filter
/// stays well within `MAX_FILTER_DEPTH` and the SQL layers' parameter limits.
const UPSERT_LOOKUP_ROWS: usize = 256;

/// Checks the stored records an upsert of `rows` on `identity` would update
/// against what an update of them may touch ([`super::write_visibility`]:
/// the tenant, the read policies and those governing updates): when the
/// policies forbid updates outright and a row finds a record, or a record
/// found is not one the scope may update, [`ErrorKind::Forbidden`] for
/// `update` (naming no key: the scope may not read the record). Rows that find
/// nothing are creates, checked by [`check_create`]. Without policies (or
/// authorization) nothing is read.
pub(crate) async fn check_upsert(
    scope: &Scope,
    schema: &'static Schema,
    identity: &'static crate::resource::Identity,
    rows: &Rows,
) -> Result<()> {
    if !scope.authorize() || schema.policies.is_empty() || rows.is_empty() {
        return Ok(());
    }
    let columns = identity.columns(schema);
    let finds: Vec<Expr> =
        rows.iter()
            .filter_map(|row| identity.values_of(schema, row))
            .map(|values| {
                let mut eqs = columns.iter().zip(values).map(|(c, v)| {
                    Expr::cmp(crate::expr::CmpOp::Eq, Expr::attr(*c), Expr::Value(v))
                });
                let first = eqs.next().expect("an identity has keys");
                eqs.fold(first, Expr::and)
            })
            .collect();
    let layer = scope.domain().data_layer();
    for chunk in finds.chunks(UPSERT_LOOKUP_ROWS) {
        let filter = any_of(chunk);
        let mut request = crate::data_layer::ReadRequest::new(schema);
        request.filter = Some(filter.clone());
        let found = layer.count(request.clone()).await?;
        if found == 0 {
            continue;
        }
        // Forbidden outright is `write_visibility`'s error.
        request.visibility =
            super::write_visibility(scope, schema, Action::Update, Some(&filter), &[])?;
        if layer.count(request).await? < found {
            return Err(forbidden(schema, Action::Update, None));
        }
    }
    Ok(())
}

/// The disjunction of `exprs` (not empty), as a balanced tree: its depth grows
/// with the logarithm of their number.
fn any_of(exprs: &[Expr]) -> Expr {
    match exprs {
        [one] => one.clone(),
        _ => {
            let (left, right) = exprs.split_at(exprs.len() / 2);
            any_of(left).or(any_of(right))
        }
    }
}
