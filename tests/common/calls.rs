//! The call log of the manual loaders: what each call was given (`Call`),
//! filed by tenant. Each test reads with its own tenant (`new_tenant`) so that
//! tests running in parallel never see each other's calls.

use std::collections::BTreeSet;
use std::sync::{Mutex, MutexGuard};

use ashore::prelude::*;
use ashore::{RelationshipKind, Value};

/// What a manual loader was given, as recorded by `record`.
#[derive(Clone, Debug)]
pub struct Call {
    /// `ctx.relationship.name`.
    pub relationship: &'static str,
    /// `ctx.relationship.kind`.
    pub kind: RelationshipKind,
    /// `ctx.relationship.manual`.
    pub manual: bool,
    /// Primary keys of the source records given to `load`, in order.
    pub sources: Vec<Value>,
    /// `ctx.query.resource()`.
    pub resource: &'static str,
    /// `ctx.query.get_filter()`.
    pub filter: Option<Expr>,
    /// `ctx.query.get_sort()`.
    pub sort: Vec<Sort>,
    /// `ctx.query.get_limit()`.
    pub limit: Option<usize>,
    /// `ctx.query.get_offset()`.
    pub offset: usize,
    /// `ctx.query.get_loads()`.
    pub loads: Vec<&'static str>,
    /// The actor's `name` attribute.
    pub actor_name: Option<Value>,
    /// `ctx.authorize`.
    pub authorize: bool,
    /// `ctx.tenant`.
    pub tenant: Option<Value>,
    /// Names of the resources of `ctx.domain`.
    pub domain_resources: BTreeSet<&'static str>,
}

impl Call {
    /// The filter as text (`""` when there is none).
    pub fn filter_text(&self) -> String {
        self.filter
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default()
    }
}

static CALLS: Mutex<Vec<Call>> = Mutex::new(Vec::new());

fn log() -> MutexGuard<'static, Vec<Call>> {
    CALLS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Records a call of a manual loader.
pub fn record<D: Resource>(ctx: &LoadContext<'_, D>, sources: Vec<Value>) {
    let call = Call {
        relationship: ctx.relationship.name,
        kind: ctx.relationship.kind,
        manual: ctx.relationship.manual,
        sources,
        resource: ctx.query.resource(),
        filter: ctx.query.get_filter().cloned(),
        sort: ctx.query.get_sort().to_vec(),
        limit: ctx.query.get_limit(),
        offset: ctx.query.get_offset(),
        loads: ctx.query.get_loads(),
        actor_name: ctx.actor.and_then(|a| a.attribute("name")),
        authorize: ctx.authorize,
        tenant: ctx.tenant.cloned(),
        domain_resources: ctx.domain.schemas().map(|s| s.name).collect(),
    };
    log().push(call);
}

/// A fresh tenant: reads made with it have their loader calls to themselves.
pub fn new_tenant() -> Uuid {
    Uuid::new_v4()
}

/// The calls of manual loaders made by reads with `tenant`, in call order.
pub fn calls(tenant: Uuid) -> Vec<Call> {
    let tenant = Value::from(tenant);
    log()
        .iter()
        .filter(|c| c.tenant.as_ref() == Some(&tenant))
        .cloned()
        .collect()
}

/// The calls for one relationship made by reads with `tenant`.
pub fn calls_of(tenant: Uuid, relationship: &str) -> Vec<Call> {
    calls(tenant)
        .into_iter()
        .filter(|c| c.relationship == relationship)
        .collect()
}
