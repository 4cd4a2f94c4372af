use ashore::prelude::*;

// A misspelt relationship option is reported once, with the name it is close
// to, and read as that option: the has_many does not also fail for lacking
// its destination attribute (`Agent` has no `team_id`).
resource! {
    #[derive(Debug, Clone)]
    pub struct Team {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            has_many members: Agent { destinaton_attribute crew_id; }
        }
    }
}

resource! {
    #[derive(Debug, Clone)]
    pub struct Agent {
        attributes {
            uuid_primary_key id;
            attribute crew_id: Option<Uuid>;
        }
    }
}

/// The same in the derive.
#[derive(Debug, Clone, Resource)]
pub struct Squad {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    #[resource(has_many(destination = Agent, destinaton_attribute = crew_id))]
    pub agents: Loaded<Vec<Agent>>,
}

fn main() {}
