//! The model of read policies and multitenancy: what `policies { }` and
//! `multitenancy { }` (or the derive's `policy(..)` and `multitenancy(..)`)
//! declare, kept as written with the user's tokens for spans.

use syn::Ident;

use crate::expr::Expr;

/// `policy <condition> { <checks> }`.
pub struct Policy {
    /// The `policy` keyword (in the derive, the `policy` of `policy(..)`).
    pub keyword: Ident,
    /// When the policy applies.
    pub condition: Check,
    /// Its checks, in order.
    pub checks: Vec<PolicyLine>,
    /// Some lines were left out after an error: an empty policy is then not
    /// reported again.
    pub incomplete: bool,
}

/// One line of a policy: `authorize_if <check>;`.
pub struct PolicyLine {
    /// The effect's keyword, for spans.
    pub keyword: Ident,
    pub effect: Effect,
    pub check: Check,
}

/// What a policy line does with its check.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Effect {
    AuthorizeIf,
    ForbidIf,
    AuthorizeUnless,
    ForbidUnless,
}

impl Effect {
    /// Every effect, in the order the docs list them.
    pub const ALL: [Effect; 4] = [
        Effect::AuthorizeIf,
        Effect::ForbidIf,
        Effect::AuthorizeUnless,
        Effect::ForbidUnless,
    ];

    /// The DSL keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            Effect::AuthorizeIf => "authorize_if",
            Effect::ForbidIf => "forbid_if",
            Effect::AuthorizeUnless => "authorize_unless",
            Effect::ForbidUnless => "forbid_unless",
        }
    }

    /// The effect a keyword names.
    pub fn from_keyword(word: &str) -> Option<Effect> {
        Effect::ALL.into_iter().find(|e| e.keyword() == word)
    }
}

/// A check, with the span of its name.
pub struct Check {
    /// `always`, `actor_present`, `actor_attribute_equals` or `expr`.
    pub name: Ident,
    pub kind: CheckKind,
}

/// The names of the checks, as written.
pub const CHECKS: [&str; 5] = [
    "always",
    "action_type",
    "actor_present",
    "actor_attribute_equals",
    "expr",
];

/// The actions `action_type(..)` names, as written (the runtime's `Action`).
pub const ACTIONS: [&str; 4] = ["read", "create", "update", "destroy"];

/// What a check tests.
pub enum CheckKind {
    /// `always()`.
    Always,
    /// `action_type(read)`, `action_type(create, update)`: the actions as
    /// written (checked against [`ACTIONS`] by validation).
    ActionType(Vec<Ident>),
    /// `actor_present()`.
    ActorPresent,
    /// `actor_attribute_equals(attribute, value)`.
    ActorAttributeEquals {
        attribute: Ident,
        /// A literal or any Rust expression of an attribute type.
        value: syn::Expr,
    },
    /// `expr(<filter>)`, where `^actor(field)` and `^tenant()` may appear.
    Expr(Expr),
}

/// `multitenancy { attribute organization_id; global; }`.
pub struct Multitenancy {
    /// The `multitenancy` keyword.
    pub keyword: Ident,
    /// `attribute x;` (`None` when not given: reported by validation).
    pub attribute: Option<Ident>,
    /// `global;`.
    pub global: bool,
}
