//! [`Action`]: what a request does to a resource's records, as policies and
//! errors name it.

/// What a request does to a resource's records: the action a policy governs
/// (Ash's action types).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// A read, and every relationship load and path that reaches the resource.
    Read,
    /// A create (`create`, `create_many`).
    Create,
    /// An update (`update`, `update_all`).
    Update,
    /// A destroy (`destroy`, `destroy_all`).
    Destroy,
}

impl Action {
    /// The action's name as the DSL writes it: `read`, `create`, `update`, `destroy`.
    pub fn name(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Create => "create",
            Action::Update => "update",
            Action::Destroy => "destroy",
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
