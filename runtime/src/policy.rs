//! Policies and multitenancy as declared: what a resource's `policies { }`
//! and `multitenancy { }` blocks hold. How reads and writes turn them into
//! filters and checks is the engine's (`engine/authorize.rs`).
//!
//! Policies follow Ash's policy authorizer. Each [`Policy`] applies to an
//! [`Action`] when its condition holds (`action_type(read)` selects reads,
//! `always()` every action); its checks run top to bottom and the first one
//! that decides wins (`authorize_if` authorizes when its check holds,
//! `forbid_if` forbids, `authorize_unless` / `forbid_unless` when it does not);
//! a policy no check decides forbids. Every policy that applies must authorize,
//! and when none applies the action is forbidden. Checks about the actor are
//! decided once per request; on a read `expr(..)` checks become filters, so a
//! record the actor may not see is absent (never an error), and SQL layers
//! filter in SQL; on an update or destroy they limit the records touched, and
//! on a create they are evaluated on the new records.
//!
//! Multitenancy (attribute strategy) scopes every read to the tenant given with
//! `.tenant(..)`: `attribute == tenant`. A read of a multitenant resource
//! without a tenant is an error, unless the resource allows global reads.

pub use crate::action::Action;
use crate::actor::Actor;
use crate::error::{Error, ErrorKind, Result};
use crate::expr::Expr;
use crate::value::Value;

/// One `policy <condition> { checks }`.
#[derive(Debug)]
pub struct Policy {
    /// When the policy applies.
    pub condition: Check,
    /// Its checks, in order.
    pub checks: &'static [PolicyCheck],
}

/// One line of a policy: what a check decides when it holds (or does not).
#[derive(Debug)]
pub struct PolicyCheck {
    /// `authorize_if`, `forbid_if`, `authorize_unless` or `forbid_unless`.
    pub effect: Effect,
    /// The check.
    pub check: Check,
}

/// What a policy line does with its check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Authorizes when the check holds.
    AuthorizeIf,
    /// Forbids when the check holds.
    ForbidIf,
    /// Authorizes when the check does not hold.
    AuthorizeUnless,
    /// Forbids when the check does not hold.
    ForbidUnless,
}

/// A check: about the request (its action, its actor: decided once per
/// request) or about each record.
pub enum Check {
    /// `always()`.
    Always,
    /// `action_type(read)`, `action_type(create, update)`: the request is one
    /// of these actions. As a policy's condition, it selects the actions the
    /// policy governs.
    ActionType(&'static [Action]),
    /// `actor_present()`: a read with an actor.
    ActorPresent,
    /// `actor_attribute_equals(attribute, value)`: the actor's attribute equals
    /// the value. An actor without the attribute is an error.
    ActorAttributeEquals {
        /// The actor's attribute.
        attribute: &'static str,
        /// The value it must equal.
        value: fn() -> Value,
    },
    /// `expr(..)`: a filter on the records, with `^actor(field)` and
    /// `^tenant()` filled in from the read.
    Expr(fn(&Templates<'_>) -> Result<Expr>),
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Check::Always => f.write_str("always()"),
            Check::ActionType(actions) => {
                let names: Vec<&str> = actions.iter().map(|a| a.name()).collect();
                write!(f, "action_type({})", names.join(", "))
            }
            Check::ActorPresent => f.write_str("actor_present()"),
            Check::ActorAttributeEquals { attribute, value } => {
                write!(f, "actor_attribute_equals({attribute}, {})", value())
            }
            Check::Expr(_) => f.write_str("expr(..)"),
        }
    }
}

/// `multitenancy { attribute organization_id; }`.
#[derive(Clone, Copy, Debug)]
pub struct Multitenancy {
    /// The attribute holding each record's tenant.
    pub attribute: &'static str,
    /// `global;`: reads without a tenant see every tenant's records.
    pub global: bool,
}

/// The values templates in `expr(..)` checks stand for: `^actor(field)` and
/// `^tenant()`; and the action the checks are run for.
pub struct Templates<'a> {
    pub(crate) resource: &'static str,
    pub(crate) action: Action,
    pub(crate) actor: Option<&'a dyn Actor>,
    pub(crate) tenant: Option<&'a Value>,
}

impl<'a> Templates<'a> {
    pub(crate) fn new(
        resource: &'static str,
        action: Action,
        actor: Option<&'a dyn Actor>,
        tenant: Option<&'a Value>,
    ) -> Self {
        Templates {
            resource,
            action,
            actor,
            tenant,
        }
    }

    /// The action the checks are run for.
    pub fn action(&self) -> Action {
        self.action
    }

    /// `^actor(field)`: nil without an actor; an error when the actor has no
    /// such field (never a silent match).
    pub fn actor(&self, field: &'static str) -> Result<Value> {
        match self.actor {
            None => Ok(Value::Null),
            Some(actor) => actor.attribute(field).ok_or_else(|| {
                Error::new(ErrorKind::ActorAttribute {
                    resource: self.resource,
                    attribute: field,
                })
            }),
        }
    }

    /// `^tenant()`: nil without a tenant.
    pub fn tenant(&self) -> Value {
        self.tenant.cloned().unwrap_or(Value::Null)
    }
}

/// What a relationship load does with a related record the actor may not read
/// (the relationship option `authorize_read_with`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AuthorizeReadWith {
    /// The record is left out, as in any read (the default).
    #[default]
    Filter,
    /// The load fails with [`ErrorKind::Forbidden`] naming the record.
    Error,
}
