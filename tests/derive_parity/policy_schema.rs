//! The schema `resource!` and `#[derive(Resource)]` generate for read policies,
//! multitenancy and `authorize_read_with`: the number and order of policies, the
//! effects, the checks, each `expr(..)` check evaluated through `Templates` to
//! the filter it stands for, with `^actor(..)` and `^tenant()` filled in.

use ashore::__private::{Action, AuthorizeReadWith, Check, Effect, Policy, templates};
use ashore::prelude::*;
use ashore::{Actor, CmpOp, Value};

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute status: String;
            attribute priority: Option<i64>;
            attribute organization_id: Uuid;
        }
        relationships {
            belongs_to representative: Representative { authorize_read_with error; }
        }
        policies {
            policy always() {
                authorize_if actor_attribute_equals(admin, true);
                authorize_if expr(representative_id == ^actor(id));
                forbid_if expr(status == "closed");
                authorize_unless actor_present();
                forbid_unless expr(organization_id == ^tenant() and priority > ^actor(level) + 1 and ^actor(level) in [1, 2] and not is_nil(^tenant()));
            }
            policy actor_present() {
                authorize_if actor_attribute_equals(role, "support");
            }
            policy action_type(create, update) {
                forbid_if action_type(update);
                authorize_if actor_present();
            }
        }
        multitenancy {
            attribute organization_id;
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute name: String;
        }
        relationships {
            has_many tickets: Ticket;
        }
        multitenancy {
            attribute id;
            global;
        }
    }
}

/// `Ticket`, declared with the derive.
#[derive(Debug, Clone, PartialEq, Resource)]
#[resource(table = "derived_tickets")]
#[resource(policy(
    always(),
    authorize_if(actor_attribute_equals(admin, true)),
    authorize_if(expr(representative_id == ^actor(id))),
    forbid_if(expr(status == "closed")),
    authorize_unless(actor_present()),
    forbid_unless(expr(organization_id == ^tenant() and priority > ^actor(level) + 1 and ^actor(level) in [1, 2] and not is_nil(^tenant())))
))]
#[resource(policy(actor_present(), authorize_if(actor_attribute_equals(role, "support"))))]
#[resource(policy(
    action_type(create, update),
    forbid_if(action_type(update)),
    authorize_if(actor_present())
))]
#[resource(multitenancy(attribute = organization_id))]
pub struct DerivedTicket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub status: String,
    pub priority: Option<i64>,
    pub organization_id: Uuid,
    pub representative_id: Option<Uuid>,
    #[resource(belongs_to(authorize_read_with = error))]
    pub representative: Loaded<Option<Representative>>,
}

/// An actor with the fields the policies read.
struct Agent {
    id: Uuid,
    level: i64,
}

impl Actor for Agent {
    fn attribute(&self, name: &str) -> Option<Value> {
        match name {
            "id" => Some(Value::Uuid(self.id)),
            "level" => Some(Value::Int(self.level)),
            _ => None,
        }
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

fn eval(check: &Check, actor: Option<&dyn Actor>, tenant: Option<&Value>) -> ashore::Result<Expr> {
    let Check::Expr(filter) = check else {
        panic!("not an expr(..) check: {check:?}");
    };
    filter(&templates("ticket", actor, tenant))
}

fn assert_policies(policies: &[Policy]) {
    assert_eq!(policies.len(), 3);
    let effects: Vec<Effect> = policies[0].checks.iter().map(|c| c.effect).collect();
    assert_eq!(
        effects,
        [
            Effect::AuthorizeIf,
            Effect::AuthorizeIf,
            Effect::ForbidIf,
            Effect::AuthorizeUnless,
            Effect::ForbidUnless
        ]
    );
    assert!(matches!(policies[0].condition, Check::Always));
    assert!(matches!(policies[1].condition, Check::ActorPresent));
    let checks = policies[0].checks;
    assert_eq!(
        format!("{:?}", checks[0].check),
        "actor_attribute_equals(admin, true)"
    );
    assert!(matches!(checks[3].check, Check::ActorPresent));
    assert_eq!(
        format!("{:?}", policies[1].checks[0].check),
        "actor_attribute_equals(role, \"support\")"
    );
    assert_eq!(
        format!("{:?}", policies[2].condition),
        "action_type(create, update)"
    );
    assert!(matches!(
        policies[2].checks[0].check,
        Check::ActionType([Action::Update])
    ));

    let agent = Agent {
        id: Uuid::nil(),
        level: 2,
    };
    let tenant = Value::Uuid(Uuid::max());
    // `^actor(id)` is the actor's id.
    assert_eq!(
        eval(&checks[1].check, Some(&agent), None).unwrap(),
        Expr::cmp(
            CmpOp::Eq,
            Expr::attr("representative_id"),
            Expr::value(Uuid::nil())
        )
    );
    // Without an actor, nil.
    assert_eq!(
        eval(&checks[1].check, None, None).unwrap().to_string(),
        "representative_id == nil"
    );
    assert_eq!(
        eval(&checks[2].check, None, None).unwrap().to_string(),
        "status == \"closed\""
    );
    // `^tenant()`, and an actor's number in arithmetic, `in` and `is_nil`.
    assert_eq!(
        eval(&checks[4].check, Some(&agent), Some(&tenant))
            .unwrap()
            .to_string(),
        format!(
            "(((organization_id == {} and priority > (2 + 1)) and 2 in [1, 2]) and not is_nil({}))",
            Uuid::max(),
            Uuid::max()
        )
    );
    // An actor without the field is an error, not a silent match.
    struct Nobody;
    impl Actor for Nobody {
        fn attribute(&self, _: &str) -> Option<Value> {
            None
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }
    assert!(eval(&checks[1].check, Some(&Nobody), None).is_err());
}

#[test]
fn resource_macro_policies() {
    assert_policies(Ticket::schema().policies);
}

#[test]
fn derive_policies() {
    assert_policies(DerivedTicket::schema().policies);
}

#[test]
fn multitenancy() {
    for schema in [Ticket::schema(), DerivedTicket::schema()] {
        let tenancy = schema.multitenancy.expect("multitenant");
        assert_eq!(tenancy.attribute, "organization_id");
        assert!(!tenancy.global);
    }
    let rep = Representative::schema().multitenancy.expect("multitenant");
    assert_eq!((rep.attribute, rep.global), ("id", true));
}

#[test]
fn no_policies_no_tenancy_by_default() {
    resource! {
        #[derive(Clone)]
        pub struct Plain {
            attributes {
                integer_primary_key id;
            }
        }
    }
    assert!(Plain::schema().policies.is_empty());
    assert!(Plain::schema().multitenancy.is_none());
}

#[test]
fn authorize_read_with() {
    let read_with = |schema: &'static ashore::__private::Schema, name: &str| {
        schema
            .relationships
            .iter()
            .find(|r| r.name == name)
            .unwrap()
            .authorize_read_with
    };
    assert_eq!(
        read_with(Ticket::schema(), "representative"),
        AuthorizeReadWith::Error
    );
    assert_eq!(
        read_with(DerivedTicket::schema(), "representative"),
        AuthorizeReadWith::Error
    );
    assert_eq!(
        read_with(Representative::schema(), "tickets"),
        AuthorizeReadWith::Filter
    );
}
