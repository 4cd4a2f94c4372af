//! A has_one and the belongs_to that points back (DESIGN "Semantics" 4): the most
//! common pair of to-one relationships (Ash's `has_one :latest_ticket` next to
//! the ticket's `belongs_to :representative`), and a belongs_to a resource's own
//! kind (`belongs_to parent: Case`). Each struct holds the other (or itself)
//! through a to-one field, which compiles because `Loaded` boxes its value.
//! Each test runs on memory, SQLite and PostgreSQL (`layers!`).

use ashore::prelude::*;

use crate::common::*;

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Agent {
        attributes {
            uuid_primary_key id;
            attribute name: String;
        }
        relationships {
            has_many cases: Case;
            has_one latest_case: Case { sort opened_at desc; }
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Case {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
            attribute opened_at: i64;
        }
        relationships {
            belongs_to agent: Agent;
            belongs_to parent: Case;
        }
    }
}

async fn has_one_and_the_belongs_to_back_compile_and_load_both_ways(
    run: Run,
) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Agent>().resource::<Case>()).await;
    let ada = d
        .create(Agent::changeset().set(Agent::name(), "Ada"))
        .await?;
    let idle = d
        .create(Agent::changeset().set(Agent::name(), "Idle"))
        .await?;
    let mut parent = None;
    for (subject, at) in [("old", 1), ("newest", 3), ("middle", 2)] {
        let case = d
            .create(
                Case::changeset()
                    .set(Case::subject(), subject)
                    .set(Case::opened_at(), at)
                    .set(Case::agent_id(), ada.id)
                    .set(Case::parent_id(), parent),
            )
            .await?;
        parent = Some(case.id);
    }

    let mut agents = vec![ada, idle];
    d.load(
        &mut agents,
        Agent::latest_case()
            .load(Case::agent())
            .load(Case::parent()),
    )
    .await?;
    let latest = agents[0]
        .latest_case
        .get()?
        .as_ref()
        .expect("Ada has cases");
    assert_eq!(latest.subject, "newest");
    let back = latest.agent.get()?.as_ref().map(|a| a.name.as_str());
    assert_eq!(back, Some("Ada"));
    let parent = latest.parent.get()?.as_ref().map(|c| c.subject.as_str());
    assert_eq!(parent, Some("old"));
    assert!(agents[1].latest_case.get()?.is_none());
    Ok(())
}

layers!(has_one_and_the_belongs_to_back_compile_and_load_both_ways);
