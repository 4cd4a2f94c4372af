//! The resources of the `manual_content` suite, declared with `resource!`
//! (`derive_parity/content_resources.rs` declares the same with
//! `#[derive(Resource)]`): a desk whose manual relationships return cases and
//! tasks (stored, each with a policy, cases per tenant) and forecasts, a
//! resource `not_stored`; and `Board`, whose relationship to a forecast is not
//! manual. The loaders are the suite's.

use ashore::prelude::*;

use crate::manual_content::{
    ActiveOwner, Closed, Forecasts, InactiveOwner, OtherTenant, UntouchedCases, UntouchedTasks,
};

resource! {
    /// A desk, whose cases and tasks manual loaders return (each loader
    /// changing them its way).
    #[derive(Debug, Clone, PartialEq)]
    pub struct Desk {
        attributes {
            uuid_primary_key id;
            attribute name: String;
        }
        relationships {
            has_many untouched_cases: Case {
                manual UntouchedCases;
            }
            has_many other_tenant: Case {
                manual OtherTenant;
            }
            has_many other_tenant_strict: Case {
                manual OtherTenant;
                authorize_read_with error;
            }
            has_many closed: Case {
                manual Closed;
            }
            has_many closed_strict: Case {
                manual Closed;
                authorize_read_with error;
            }
            has_many untouched_tasks: Task {
                manual UntouchedTasks;
            }
            has_many inactive_owner: Task {
                manual InactiveOwner;
            }
            has_many active_owner: Task {
                manual ActiveOwner;
            }
            has_many forecasts: Forecast {
                manual Forecasts;
            }
        }
    }
}

resource! {
    /// A case: readable in its tenant when open.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Case {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
            attribute status: String;
            attribute org: String;
        }
        relationships {
            belongs_to desk: Desk;
        }
        policies {
            policy action_type(read) {
                authorize_if expr(status == "open");
            }
        }
        multitenancy {
            attribute org;
        }
    }
}

resource! {
    /// Who owns a task; only an active owner's tasks may be read.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Owner {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            attribute active: bool;
        }
    }
}

resource! {
    /// A task: readable when its owner is active.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Task {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
        }
        relationships {
            belongs_to desk: Desk;
            belongs_to owner: Owner;
        }
        policies {
            policy action_type(read) {
                authorize_if expr(owner.active == true);
            }
        }
    }
}

resource! {
    /// A forecast for a desk, which no data layer keeps: its loader makes it in
    /// code (as one calling an outside service would). Readable when public
    /// and about the desk `front`.
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Forecast {
        not_stored;
        attributes {
            integer_primary_key id;
            attribute summary: String;
            attribute public: bool;
        }
        relationships {
            belongs_to desk: Desk;
            belongs_to about: Desk;
        }
        policies {
            policy action_type(read) {
                authorize_if expr(public == true and about.name == "front");
            }
        }
    }
}

resource! {
    /// Points at a forecast through a relationship that is not manual.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Board {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            belongs_to forecast: Forecast;
        }
    }
}
