//! Policies and tenants turned into filters: Ash's evaluation order, its
//! defaults, and the templates.

use std::any::Any;

use super::*;
use crate::actor::Actor;
use crate::expr::CmpOp;
use crate::policy::{Action, Multitenancy, PolicyCheck};
use crate::testing::test_resource;

test_resource!(Doc in "doc", id: i64 = None, { owner: i64, tenant: String });

/// An actor with an `id` and, when given, an `admin` flag.
struct User {
    id: i64,
    admin: Option<bool>,
}

impl Actor for User {
    fn attribute(&self, name: &str) -> Option<Value> {
        match name {
            "id" => Some(Value::Int(self.id)),
            "admin" => self.admin.map(Value::Bool),
            _ => None,
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn owned(t: &Templates<'_>) -> Result<Expr> {
    Ok(Expr::cmp(
        CmpOp::Eq,
        Expr::attr("owner"),
        Expr::Value(t.actor("id")?),
    ))
}

fn yes() -> Value {
    Value::Bool(true)
}

fn schema(policies: &'static [Policy], multitenancy: Option<Multitenancy>) -> &'static Schema {
    Box::leak(Box::new(Schema {
        policies,
        multitenancy,
        ..*Doc::schema()
    }))
}

fn filter(schema: &'static Schema, actor: Option<&User>) -> Result<Option<Expr>> {
    let actor = actor.map(|a| a as &dyn Actor);
    policy_filter(
        schema,
        &Templates::new(schema.name, Action::Read, actor, None),
    )
}

const NOTHING: Option<Expr> = None;

fn none_match() -> Option<Expr> {
    Some(Expr::Value(Value::Bool(false)))
}

#[test]
fn no_policies_no_filter() {
    assert_eq!(filter(Doc::schema(), None).unwrap(), NOTHING);
}

#[test]
fn first_decisive_check_wins_and_no_decision_forbids() {
    static POLICIES: [Policy; 1] = [Policy {
        condition: Check::Always,
        checks: &[
            PolicyCheck {
                effect: Effect::AuthorizeIf,
                check: Check::ActorAttributeEquals {
                    attribute: "admin",
                    value: yes,
                },
            },
            PolicyCheck {
                effect: Effect::ForbidUnless,
                check: Check::ActorPresent,
            },
            PolicyCheck {
                effect: Effect::AuthorizeIf,
                check: Check::Expr(owned),
            },
        ],
    }];
    let s = schema(&POLICIES, None);
    let admin = User {
        id: 1,
        admin: Some(true),
    };
    let user = User {
        id: 7,
        admin: Some(false),
    };
    // The admin is authorized before anything else is looked at.
    assert_eq!(filter(s, Some(&admin)).unwrap(), NOTHING);
    // Nobody: forbidden by `forbid_unless actor_present()`.
    assert_eq!(filter(s, None).unwrap(), none_match());
    // Another user: only what the expression allows.
    assert_eq!(
        filter(s, Some(&user)).unwrap().unwrap().to_string(),
        "owner == 7"
    );
}

#[test]
fn every_applicable_policy_must_pass_and_none_applying_forbids() {
    static POLICIES: [Policy; 2] = [
        Policy {
            condition: Check::ActorPresent,
            checks: &[PolicyCheck {
                effect: Effect::AuthorizeIf,
                check: Check::Expr(owned),
            }],
        },
        Policy {
            condition: Check::Always,
            checks: &[
                PolicyCheck {
                    effect: Effect::ForbidIf,
                    check: Check::Expr(|_| {
                        Ok(Expr::cmp(
                            CmpOp::Eq,
                            Expr::attr("owner"),
                            Expr::Value(Value::Int(0)),
                        ))
                    }),
                },
                PolicyCheck {
                    effect: Effect::AuthorizeUnless,
                    check: Check::ActorAttributeEquals {
                        attribute: "admin",
                        value: yes,
                    },
                },
            ],
        },
    ];
    let s = schema(&POLICIES, None);
    let user = User { id: 7, admin: None };
    // An actor without `admin` is an error, never a silent mismatch.
    let err = filter(s, Some(&user)).unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::ActorAttribute {
            resource: "Doc",
            attribute: "admin"
        }
    ));
    let user = User {
        id: 7,
        admin: Some(false),
    };
    assert_eq!(
        filter(s, Some(&user)).unwrap().unwrap().to_string(),
        "(owner == 7 and not owner == 0)"
    );
    // Without an actor only the second policy applies.
    assert_eq!(
        filter(s, None).unwrap().unwrap().to_string(),
        "not owner == 0"
    );

    static ONLY_WITH_ACTOR: [Policy; 1] = [Policy {
        condition: Check::ActorPresent,
        checks: &[PolicyCheck {
            effect: Effect::AuthorizeIf,
            check: Check::Always,
        }],
    }];
    assert_eq!(
        filter(schema(&ONLY_WITH_ACTOR, None), None).unwrap(),
        none_match()
    );
}

#[test]
fn templates_without_an_actor_or_tenant_are_nil() {
    let templates = Templates::new("Doc", Action::Read, None, None);
    assert_eq!(templates.actor("id").unwrap(), Value::Null);
    assert_eq!(templates.tenant(), Value::Null);
    let tenant = Value::from("acme");
    let templates = Templates::new("Doc", Action::Read, None, Some(&tenant));
    assert_eq!(templates.tenant(), tenant);
}

#[test]
fn tenants_scope_reads_and_creates() {
    let m = Multitenancy {
        attribute: "tenant",
        global: false,
    };
    let s = schema(&[], Some(m));
    let acme = Value::from("acme");
    assert_eq!(
        tenant_filter(s, Some(&acme)).unwrap().unwrap().to_string(),
        "tenant == \"acme\""
    );
    let err = tenant_filter(s, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Doc is multitenant: give the call a tenant with `.tenant(..)`"
    );
    let global = schema(
        &[],
        Some(Multitenancy {
            attribute: "tenant",
            global: true,
        }),
    );
    assert_eq!(tenant_filter(global, None).unwrap(), NOTHING);

    let mut rows = crate::testing::flat(vec![
        vec![Value::Int(1), Value::Int(1), Value::Null],
        vec![Value::Int(2), Value::Int(1), acme.clone()],
    ]);
    tenant_rows(s, Some(&acme), &mut rows).unwrap();
    assert!(rows.iter().all(|r| r[2] == acme));
    let mut other = crate::testing::flat(vec![vec![
        Value::Int(3),
        Value::Int(1),
        Value::from("globex"),
    ]]);
    let err = tenant_rows(s, Some(&acme), &mut other).unwrap_err();
    assert!(err.to_string().contains("not the tenant"), "{err}");
    assert!(tenant_rows(s, None, &mut rows).is_err());
}

#[test]
fn checks_after_a_decision_are_not_run() {
    static POLICIES: [Policy; 1] = [Policy {
        condition: Check::Always,
        checks: &[
            PolicyCheck {
                effect: Effect::AuthorizeIf,
                check: Check::ActorPresent,
            },
            // Would fail on an actor without `id`, but is never reached.
            PolicyCheck {
                effect: Effect::AuthorizeIf,
                check: Check::Expr(owned),
            },
        ],
    }];
    struct NoFields;
    impl Actor for NoFields {
        fn attribute(&self, _: &str) -> Option<Value> {
            None
        }
        fn as_any(&self) -> &dyn Any {
            self
        }
    }
    let s = schema(&POLICIES, None);
    let templates = Templates::new(s.name, Action::Read, Some(&NoFields), None);
    assert_eq!(policy_filter(s, &templates).unwrap(), NOTHING);
}

#[test]
fn a_resource_the_walk_did_not_foresee_is_hidden() {
    let (listed, free, unforeseen) = (schema(&[], None), schema(&[], None), schema(&[], None));
    let condition = Expr::cmp(CmpOp::Eq, Expr::attr("owner"), Expr::Value(Value::Int(1)));
    let visibility = Visibility::hiding_the_rest(vec![(listed, condition.clone())], vec![free]);
    assert_eq!(visibility.of(listed), Some(&condition));
    assert_eq!(visibility.of(free), None);
    assert_eq!(
        visibility.of(unforeseen),
        Some(&Expr::Value(Value::Bool(false)))
    );
    // `new` leaves every resource it does not list unrestricted.
    let open = Visibility::new(vec![(listed, condition)]);
    assert_eq!(open.of(unforeseen), None);
}
