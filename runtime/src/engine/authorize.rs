//! Authorization, executed: read policies and the tenant turned into the
//! conditions a read puts on every resource it reaches ([`visibility`]), a
//! manual loader's results checked against them by content ([`enforce`]), the
//! tenant filled into and checked on created rows ([`tenant_rows`]) and on
//! updates ([`tenant_change`]), which records an update or destroy may touch
//! ([`write_visibility`]), and the policies governing writes ([`writes`]).
//!
//! Policies follow Ash's policy authorizer. Each `Policy` applies to the
//! request's action (`Action`) when its condition holds; its checks run top to bottom and the first one
//! that decides wins (`authorize_if` authorizes when its check holds,
//! `forbid_if` forbids, `authorize_unless` / `forbid_unless` when it does not);
//! a policy no check decides forbids. Every policy that applies must authorize,
//! and when none applies the action is forbidden. Checks about the actor are
//! decided once per request; on a read `expr(..)` checks become filters, so a record the
//! actor may not see is absent (never an error), and SQL layers filter in SQL.
//!
//! Multitenancy (attribute strategy) scopes every read to the tenant given with
//! `.tenant(..)`: `attribute == tenant`. A read of a multitenant resource
//! without a tenant is an error, unless the resource allows global reads.

use crate::changeset::Changes;
use crate::data_layer::Visibility;
use crate::data_layer::content;
use crate::data_layer::erased::vec_of;
use crate::data_layer::store::new_table;
use crate::domain::Scope;
use crate::error::{Error, ErrorKind, Result};
use crate::expr::Expr;
use crate::policy::{Action, AuthorizeReadWith, Check, Effect, Policy, Templates};
use crate::resource::{Resource, Rows, Schema};
use crate::sort::Sort;
use crate::value::Value;

/// What a check or policy comes to for one read: decided for every record, or
/// a filter on each.
enum Truth {
    Yes,
    No,
    Rows(Expr),
}

impl Truth {
    fn not(self) -> Truth {
        match self {
            Truth::Yes => Truth::No,
            Truth::No => Truth::Yes,
            Truth::Rows(e) => Truth::Rows(Expr::Not(Box::new(e))),
        }
    }

    fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::No, _) | (_, Truth::No) => Truth::No,
            (Truth::Yes, t) | (t, Truth::Yes) => t,
            (Truth::Rows(a), Truth::Rows(b)) => Truth::Rows(Expr::And(Box::new(a), Box::new(b))),
        }
    }

    fn or(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::Yes, _) | (_, Truth::Yes) => Truth::Yes,
            (Truth::No, t) | (t, Truth::No) => t,
            (Truth::Rows(a), Truth::Rows(b)) => Truth::Rows(Expr::Or(Box::new(a), Box::new(b))),
        }
    }

    /// As a filter: `None` for every record.
    fn into_filter(self) -> Option<Expr> {
        match self {
            Truth::Yes => None,
            Truth::No => Some(Expr::Value(Value::Bool(false))),
            Truth::Rows(e) => Some(e),
        }
    }
}

impl Check {
    fn truth(&self, templates: &Templates<'_>) -> Result<Truth> {
        Ok(match self {
            Check::Always => Truth::Yes,
            Check::ActionType(actions) => bool_truth(actions.contains(&templates.action())),
            Check::ActorPresent => bool_truth(templates.actor.is_some()),
            Check::ActorAttributeEquals { attribute, value } => match templates.actor {
                None => Truth::No,
                Some(_) => bool_truth(templates.actor(attribute)? == value()),
            },
            Check::Expr(filter) => Truth::Rows(filter(templates)?),
        })
    }
}

fn bool_truth(b: bool) -> Truth {
    if b { Truth::Yes } else { Truth::No }
}

impl Policy {
    /// The policy's checks top to bottom, the first decisive one winning, no
    /// decision forbidding.
    fn body(&self, templates: &Templates<'_>) -> Result<Truth> {
        // Checks run top to bottom until one decides for every record (later
        // ones are not run, as in Ash); then the lines fold from the last up.
        let mut checks = Vec::with_capacity(self.checks.len());
        for line in self.checks {
            let truth = line.check.truth(templates)?;
            let decides = matches!(
                (line.effect, &truth),
                (Effect::AuthorizeIf | Effect::ForbidIf, Truth::Yes)
                    | (Effect::AuthorizeUnless | Effect::ForbidUnless, Truth::No)
            );
            checks.push((line.effect, truth));
            if decides {
                break;
            }
        }
        let mut rest = Truth::No;
        for (effect, check) in checks.into_iter().rev() {
            rest = match effect {
                Effect::AuthorizeIf => check.or(rest),
                Effect::ForbidIf => check.not().and(rest),
                Effect::AuthorizeUnless => check.not().or(rest),
                Effect::ForbidUnless => check.and(rest),
            };
        }
        Ok(rest)
    }
}

/// The filter a read of `schema` gets from its policies (those that govern
/// `templates`' action): `None` when the resource has no policies or they
/// authorize every record.
pub(crate) fn policy_filter(
    schema: &'static Schema,
    templates: &Templates<'_>,
) -> Result<Option<Expr>> {
    Ok(policy_truth(schema, templates)?.into_filter())
}

/// What `schema`'s policies come to for `templates`' action: every record,
/// none, or those a filter selects.
fn policy_truth(schema: &'static Schema, templates: &Templates<'_>) -> Result<Truth> {
    if schema.policies.is_empty() {
        return Ok(Truth::Yes);
    }
    // Some policy applies, and each that applies authorizes.
    let mut applies = Truth::No;
    let mut all = Truth::Yes;
    for policy in schema.policies {
        let condition = policy.condition.truth(templates)?;
        if matches!(condition, Truth::No) {
            // Not this action's policy: its checks are not evaluated, so an
            // actor attribute only another action's policy reads is no error.
            continue;
        }
        let body = policy.body(templates)?;
        let (when, unless) = match &condition {
            Truth::Yes => (Truth::Yes, Truth::No),
            Truth::No => (Truth::No, Truth::Yes),
            Truth::Rows(e) => (
                Truth::Rows(e.clone()),
                Truth::Rows(Expr::Not(Box::new(e.clone()))),
            ),
        };
        applies = applies.or(when);
        all = all.and(unless.or(body));
    }
    Ok(applies.and(all))
}

/// The filter multitenancy puts on a read of `schema`: `attribute == tenant`,
/// nothing for a resource that is not multitenant or a global read of one that
/// allows it; an error for a read without a tenant otherwise.
pub(crate) fn tenant_filter(
    schema: &'static Schema,
    tenant: Option<&Value>,
) -> Result<Option<Expr>> {
    let Some(m) = schema.multitenancy else {
        return Ok(None);
    };
    match tenant {
        Some(t) => Ok(Some(Expr::cmp(
            crate::expr::CmpOp::Eq,
            Expr::attr(m.attribute),
            Expr::Value(t.clone()),
        ))),
        None if m.global => Ok(None),
        None => Err(Error::new(ErrorKind::TenantRequired {
            resource: schema.name,
        })),
    }
}

/// The conditions a read from `root` under `scope` puts on each resource it
/// meets (its own, those `filter` and the paths of `sort` reach, and `join`,
/// the join resource of a load through one; see [`reach`]): the tenant's, and when authorizing (the default)
/// the read policies'. Only those resources' policies are evaluated, so a
/// policy of a resource the read never meets cannot fail it; any other resource
/// a data layer meets is hidden. A multitenant resource met by a read without a
/// tenant is an error at the root and hidden elsewhere (unless it allows global
/// reads). With `policies_at_root` false, the root's own records are held to
/// their tenant alone (a load that reports forbidden records instead of
/// leaving them out checks them itself), while every path of the filter or
/// sort that meets the root's resource still sees only what the actor may
/// read ([`Visibility::with_root`]).
pub(crate) fn visibility(
    scope: &Scope,
    root: &'static Schema,
    policies_at_root: bool,
    filter: Option<&Expr>,
    sort: &[Sort],
    join: Option<&'static Schema>,
) -> Result<Visibility> {
    let restricted =
        |s: &&Schema| s.multitenancy.is_some() || (scope.authorize() && !s.policies.is_empty());
    if !reachable(root).iter().any(restricted) {
        return Ok(Visibility::default());
    }
    let mut conditions = Vec::new();
    let mut unrestricted = Vec::new();
    // Without the policies at the root, its own records are held to its
    // tenant alone; every path meeting the root's resource (a filter's
    // `exists(owner.tickets, ..)`) still sees only what the actor may read.
    let mut root_condition = None;
    for schema in reach::resources_met(root, filter, sort, join) {
        let is_root = std::ptr::eq(schema, root);
        let tenant = match tenant_filter(schema, scope.tenant()) {
            Ok(filter) => filter,
            Err(e) if is_root => return Err(e),
            Err(_) => Some(Expr::Value(Value::Bool(false))),
        };
        if is_root && !policies_at_root {
            root_condition = Some(tenant.clone());
        }
        let policy = if scope.authorize() {
            let templates =
                Templates::new(schema.name, Action::Read, scope.actor(), scope.tenant());
            policy_filter(schema, &templates)?
        } else {
            None
        };
        let condition = match (tenant, policy) {
            (Some(t), Some(p)) => Some(t.and(p)),
            (t, p) => t.or(p),
        };
        match condition {
            Some(condition) => conditions.push((schema, condition)),
            None => unrestricted.push(schema),
        }
    }
    let visibility = Visibility::hiding_the_rest(conditions, unrestricted);
    Ok(match root_condition {
        Some(tenant) => visibility.with_root(root, tenant),
        None => visibility,
    })
}

/// `root` and every resource reachable from it through relationships
/// (including many_to_many join resources), each once.
fn reachable(root: &'static Schema) -> Vec<&'static Schema> {
    let mut seen: Vec<&'static Schema> = vec![root];
    let mut next = 0;
    while let Some(&schema) = seen.get(next) {
        next += 1;
        for rel in schema.relationships {
            let through = rel.through.as_ref().map(|t| (t.resource)());
            for s in std::iter::once((rel.destination)()).chain(through) {
                if !seen.iter().any(|x| std::ptr::eq(*x, s)) {
                    seen.push(s);
                }
            }
        }
    }
    seen
}

/// Checks records a relationship load found against everything the scope may
/// read of `D` (tenant and, when authorizing, read policies), each by its
/// own content: the visibility condition on `D` is evaluated on the records as
/// they came back (`data_layer::content`), with no read when it has no
/// relationship paths and one read per hop of its paths otherwise (from the
/// records' own values). A record the scope may not read is left out, or with
/// `authorize_read_with error`, when it is in the scope's tenant and only the
/// policies keep it out, fails the load with [`ErrorKind::Forbidden`] (another
/// tenant's record is out of scope, left out as a read leaves it out, its key
/// never told).
/// What manual loaders return goes through here even when the loader read
/// without the actor, or returned a readable record's key with content that is
/// not readable; so do loads that report forbidden records.
pub(crate) async fn enforce<D: Resource>(
    scope: &Scope,
    with: AuthorizeReadWith,
    groups: &mut [Vec<D>],
) -> Result<()> {
    let schema = D::schema();
    let visibility = visibility(scope, schema, true, None, &[], None)?;
    if visibility.of(schema).is_none() || groups.iter().all(Vec::is_empty) {
        return Ok(());
    }
    // The records go into a table of their own for the evaluator, and back.
    let sizes: Vec<usize> = groups.iter().map(Vec::len).collect();
    let mut table = new_table::<D>();
    let all: Vec<D> = groups.iter_mut().flat_map(std::mem::take).collect();
    table.append(Box::new(all))?;
    let layer = &**scope.domain().data_layer();
    let visible = content::visible(layer, schema, &visibility, &*table).await?;
    // Of those not visible, the ones in the tenant (all, for a resource
    // that is not multitenant), which only the policies keep out.
    let in_tenant = match tenant_filter(schema, scope.tenant())? {
        Some(tenant) if with == AuthorizeReadWith::Error => {
            let tenant = Visibility::new(vec![(schema, tenant)]);
            content::visible(layer, schema, &tenant, &*table).await?
        }
        _ => vec![true; visible.len()],
    };
    let mut records = vec_of::<D>(table.take(None))
        .map_err(|_| Error::data_layer(format!("records of {} lost their type", schema.name)))?
        .into_iter()
        .zip(visible.into_iter().zip(in_tenant));
    for (group, size) in groups.iter_mut().zip(sizes) {
        for (record, (visible, in_tenant)) in records.by_ref().take(size) {
            if visible {
                group.push(record);
            } else if with == AuthorizeReadWith::Error && in_tenant {
                return Err(Error::new(ErrorKind::Forbidden {
                    resource: schema.name,
                    action: Action::Read,
                    key: Some(record.get(schema.primary_key)),
                }));
            }
        }
    }
    Ok(())
}

/// Puts the tenant on rows being created in a multitenant resource: a row
/// without a tenant attribute gets the tenant; one with another tenant, or a
/// create without a tenant (unless the resource allows global access), is an
/// error, and so is a tenant of another type than the attribute's (an
/// [`ErrorKind::TypeMismatch`] naming it).
pub(crate) fn tenant_rows(
    schema: &'static Schema,
    tenant: Option<&Value>,
    rows: &mut Rows,
) -> Result<()> {
    let Some(m) = schema.multitenancy else {
        return Ok(());
    };
    let Some(index) = schema.attribute_index(m.attribute) else {
        return Err(Error::new(ErrorKind::InvalidQuery {
            resource: schema.name,
            message: format!(
                "the multitenancy attribute `{}` is not an attribute",
                m.attribute
            ),
        }));
    };
    let Some(tenant) = tenant else {
        return if m.global {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::TenantRequired {
                resource: schema.name,
            }))
        };
    };
    let attribute = &schema.attributes[index];
    let fits = attribute.value_type.fits(tenant);
    for row in rows {
        if !fits && row.get(index).is_some_and(|v| v.is_null() || v == tenant) {
            // The tenant is this record's value: one of another type is the
            // mismatch a record read with it would be, on every layer (the
            // databases would refuse it as a parameter, each its own way).
            return Err(Error::new(ErrorKind::TypeMismatch {
                resource: schema.name,
                key: row
                    .get(schema.primary_key)
                    .filter(|k| !k.is_null())
                    .cloned(),
                attribute: attribute.name,
                expected: attribute.value_type.rust_name(attribute.nullable),
                found: tenant.clone(),
            }));
        }
        match row.get_mut(index) {
            Some(v @ Value::Null) => *v = tenant.clone(),
            Some(v) if v == tenant => {}
            Some(other) => return Err(other_tenant(schema, m.attribute, other, tenant)),
            None => {}
        }
    }
    Ok(())
}

/// The error for a record whose tenant attribute `attribute` is `other`,
/// written under `tenant`.
fn other_tenant(schema: &'static Schema, attribute: &str, other: &Value, tenant: &Value) -> Error {
    Error::new(ErrorKind::InvalidQuery {
        resource: schema.name,
        message: format!("a record's `{attribute}` is {other}, not the tenant {tenant}"),
    })
}

/// Refuses an update of a multitenant resource that sets the tenant
/// attribute to another tenant than the write's, as [`tenant_rows`] refuses
/// such a create. Without a tenant, a resource that allows global access may
/// move records between tenants; any other is [`ErrorKind::TenantRequired`].
pub(crate) fn tenant_change(
    schema: &'static Schema,
    tenant: Option<&Value>,
    changes: &Changes,
) -> Result<()> {
    let Some(m) = schema.multitenancy else {
        return Ok(());
    };
    let index = schema.attribute_index(m.attribute);
    let Some((_, value)) = changes.iter().find(|(i, _)| Some(*i) == index) else {
        return Ok(());
    };
    match tenant {
        Some(tenant) if value != tenant => Err(other_tenant(schema, m.attribute, value, tenant)),
        Some(_) => Ok(()),
        None if m.global => Ok(()),
        None => Err(Error::new(ErrorKind::TenantRequired {
            resource: schema.name,
        })),
    }
}

/// The conditions on the records a write (`action`) of `schema` in `scope`
/// with `filter` may touch, and on every resource the filter reaches: the
/// tenant's and, when authorizing (the default), what a read of `schema`
/// would see (a record the actor may not read is one the write cannot touch,
/// and is not found) narrowed by the policies governing `action`
/// ([`writes::allowed`]): their `expr(..)` checks limit the records touched,
/// and policies that forbid the action outright are an
/// [`ErrorKind::Forbidden`] before anything is asked of the data layer.
pub(crate) fn write_visibility(
    scope: &Scope,
    schema: &'static Schema,
    action: Action,
    filter: Option<&Expr>,
    sort: &[Sort],
) -> Result<Visibility> {
    let readable = visibility(scope, schema, true, filter, sort, None)?;
    match writes::allowed(scope, schema, action)? {
        writes::Allowed::Every => Ok(readable),
        writes::Allowed::Nothing => Err(writes::forbidden(schema, action, None)),
        writes::Allowed::Rows(condition) => Ok(readable.and_on(schema, condition)),
    }
}

mod reach;
#[cfg(test)]
mod tests;
pub(crate) mod writes;
