//! The resources of the `manual_content` suite (`tests/common/content_resources.rs`),
//! declared with `#[derive(Resource)]`: the same names, attributes (each
//! belongs_to's foreign key after the declared attributes, as `resource!` puts
//! it), relationships and options, `not_stored` among them, so the suite runs
//! on them unchanged.

use ashore::prelude::*;

use crate::manual_content::{
    ActiveOwner, Closed, Forecasts, InactiveOwner, OtherTenant, UntouchedCases, UntouchedTasks,
};

/// A desk, whose cases and tasks manual loaders return (each loader changing
/// them its way).
#[derive(Debug, Clone, PartialEq, Resource)]
pub struct Desk {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub name: String,
    #[resource(has_many(manual = UntouchedCases))]
    pub untouched_cases: Loaded<Vec<Case>>,
    #[resource(has_many(manual = OtherTenant))]
    pub other_tenant: Loaded<Vec<Case>>,
    #[resource(has_many(manual = OtherTenant, authorize_read_with = error))]
    pub other_tenant_strict: Loaded<Vec<Case>>,
    #[resource(has_many(manual = Closed))]
    pub closed: Loaded<Vec<Case>>,
    #[resource(has_many(manual = Closed, authorize_read_with = error))]
    pub closed_strict: Loaded<Vec<Case>>,
    #[resource(has_many(manual = UntouchedTasks))]
    pub untouched_tasks: Loaded<Vec<Task>>,
    #[resource(has_many(manual = InactiveOwner))]
    pub inactive_owner: Loaded<Vec<Task>>,
    #[resource(has_many(manual = ActiveOwner))]
    pub active_owner: Loaded<Vec<Task>>,
    #[resource(has_many(manual = Forecasts))]
    pub forecasts: Loaded<Vec<Forecast>>,
}

/// A case: readable in its tenant when open.
#[derive(Debug, Clone, PartialEq, Resource)]
#[resource(policy(action_type(read), authorize_if(expr(status == "open"))))]
#[resource(multitenancy(attribute = org))]
pub struct Case {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub subject: String,
    pub status: String,
    pub org: String,
    pub desk_id: Option<Uuid>,
    #[resource(belongs_to)]
    pub desk: Loaded<Option<Desk>>,
}

/// Who owns a task; only an active owner's tasks may be read.
#[derive(Debug, Clone, PartialEq, Resource)]
pub struct Owner {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub name: String,
    pub active: bool,
}

/// A task: readable when its owner is active.
#[derive(Debug, Clone, PartialEq, Resource)]
#[resource(policy(action_type(read), authorize_if(expr(owner.active == true))))]
pub struct Task {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub subject: String,
    pub desk_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    #[resource(belongs_to)]
    pub desk: Loaded<Option<Desk>>,
    #[resource(belongs_to)]
    pub owner: Loaded<Option<Owner>>,
}

/// A forecast for a desk, which no data layer keeps: its loader makes it in
/// code (as one calling an outside service would). Readable when public and
/// about the desk `front`.
#[derive(Debug, Clone, PartialEq, Default, Resource)]
#[resource(not_stored)]
#[resource(policy(
    action_type(read),
    authorize_if(expr(public == true and about.name == "front"))
))]
pub struct Forecast {
    #[resource(integer_primary_key)]
    pub id: i64,
    pub summary: String,
    pub public: bool,
    pub desk_id: Option<Uuid>,
    pub about_id: Option<Uuid>,
    #[resource(belongs_to)]
    pub desk: Loaded<Option<Desk>>,
    #[resource(belongs_to)]
    pub about: Loaded<Option<Desk>>,
}

/// Points at a forecast through a relationship that is not manual.
#[derive(Debug, Clone, PartialEq, Resource)]
pub struct Board {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub forecast_id: Option<i64>,
    #[resource(belongs_to)]
    pub forecast: Loaded<Option<Forecast>>,
}
