//! A has_one and the belongs_to that points back (DESIGN "Semantics" 4): the most
//! common pair of to-one relationships (Ash's `has_one :latest_ticket` next to
//! the ticket's `belongs_to :representative`), and a belongs_to a resource's own
//! kind (`belongs_to parent: Case`), and two resources that each belong to the
//! other (`Desk` and `Clerk`: their foreign keys' types name each other's primary
//! key, which must not make rustc go round in a cycle). Each struct holds the
//! other (or itself) through a to-one field, which compiles because `Loaded`
//! boxes its value.
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

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Desk {
        attributes {
            uuid_primary_key id;
            attribute label: String;
        }
        relationships {
            belongs_to occupant: Clerk;
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Clerk {
        attributes {
            integer_primary_key id;
            attribute name: String;
        }
        relationships {
            belongs_to desk: Desk;
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

async fn two_resources_that_belong_to_each_other_compile_and_load_both_ways(
    run: Run,
) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Desk>().resource::<Clerk>()).await;
    let desk = d
        .create(Desk::changeset().set(Desk::label(), "front"))
        .await?;
    let clerk = d
        .create(
            Clerk::changeset()
                .set(Clerk::name(), "Ada")
                .set(Clerk::desk_id(), desk.id),
        )
        .await?;
    let desk = d
        .update(&desk, Desk::changeset().set(Desk::occupant_id(), clerk.id))
        .await?;
    // The keys are typed as each other's primary key: a Uuid and an i64.
    let (_, _): (Option<Uuid>, Option<i64>) = (clerk.desk_id, desk.occupant_id);

    let mut desks = vec![desk];
    d.load(&mut desks, Desk::occupant().load(Clerk::desk()))
        .await?;
    let occupant = desks[0].occupant.get()?.as_ref().expect("Ada sits there");
    assert_eq!(occupant.name, "Ada");
    let back = occupant.desk.get()?.as_ref().map(|k| k.label.as_str());
    assert_eq!(back, Some("front"));
    Ok(())
}

layers!(two_resources_that_belong_to_each_other_compile_and_load_both_ways);
