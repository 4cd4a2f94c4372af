//! A has_one that may reach several records (a `no_attributes` one whose
//! filter reads `parent(..)`, or one whose destination attribute is not
//! unique) is one record everywhere, as in Ash: the first in the
//! relationship's own sort, then insertion order, among the records the read
//! may see — the record a load attaches. Filters through it, `exists`
//! through it, aggregates over it or through it and sort keys all read that
//! one record, on every layer.
//!
//! Agents: Alice (threshold 3), Bob (3), Cy (10). Tasks, created in this
//! order: `a4` (Alice, 4, sw, two notes), `a5` (Alice, 5, hw, one note), `b2`
//! (Bob, 2, sw), `b7` (Bob, 7, hw, one note), `c1` (Cy, 1, sw). `top_above`
//! (the agent's tasks above its threshold, highest first) is `a5`, `b7` and
//! none; `first_task` (by `agent_id`, no sort: insertion order) is `a4`,
//! `b2`, `c1`.
//!
//! Desks and memos (multitenant, readable when public), for what the read
//! may not see: see [`hidden_first_records_give_way_to_the_next_visible`].

use ashore::prelude::*;

use crate::common::{Run, domain, layers};

resource! {
    /// Someone with tasks above a threshold.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Agent {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            attribute threshold: i64;
        }
        relationships {
            has_many tasks: Task;
            has_one top_above: Task {
                no_attributes;
                filter agent_id == parent(id) and priority > parent(threshold);
                sort priority desc;
            }
            has_one first_task: Task;
        }
        aggregates {
            count top_n: top_above;
            exists has_top: top_above { filter priority < 5; }
            first top_p: top_above.priority as i64;
            sum top_sum: top_above.priority as i64;
            min top_min: top_above.priority as i64;
            count top_notes: top_above.notes;
            first top_category: top_above.category.name as String;
            count first_n: first_task;
            max first_max: first_task.priority as i64;
            count first_notes: first_task.notes;
        }
    }
}

resource! {
    /// A task of an agent.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Task {
        attributes {
            uuid_primary_key id;
            attribute title: String;
            attribute priority: i64;
        }
        relationships {
            belongs_to agent: Agent;
            belongs_to category: Category;
            has_many notes: TaskNote;
        }
    }
}

resource! {
    /// What a task is about.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Category {
        attributes {
            uuid_primary_key id;
            attribute name: String;
        }
    }
}

resource! {
    /// A note on a task.
    #[derive(Debug, Clone, PartialEq)]
    pub struct TaskNote {
        attributes {
            uuid_primary_key id;
            attribute body: String;
        }
        relationships {
            belongs_to task: Task;
        }
    }
}

async fn world(run: &Run) -> Domain {
    let d = domain(run, |b| {
        b.resource::<Agent>()
            .resource::<Task>()
            .resource::<Category>()
            .resource::<TaskNote>()
    })
    .await;
    let mut agents = Vec::new();
    for (name, threshold) in [("Alice", 3), ("Bob", 3), ("Cy", 10)] {
        let agent = d
            .create(
                Agent::changeset()
                    .set(Agent::name(), name)
                    .set(Agent::threshold(), threshold),
            )
            .await
            .expect("agent");
        agents.push(agent);
    }
    let mut categories = Vec::new();
    for name in ["sw", "hw"] {
        let category = d
            .create(Category::changeset().set(Category::name(), name))
            .await
            .expect("category");
        categories.push(category);
    }
    let (sw, hw) = (&categories[0], &categories[1]);
    for (title, agent, priority, category, notes) in [
        ("a4", &agents[0], 4, sw, 2),
        ("a5", &agents[0], 5, hw, 1),
        ("b2", &agents[1], 2, sw, 0),
        ("b7", &agents[1], 7, hw, 1),
        ("c1", &agents[2], 1, sw, 0),
    ] {
        let task = d
            .create(
                Task::changeset()
                    .set(Task::title(), title)
                    .set(Task::priority(), priority)
                    .set(Task::agent_id(), Some(agent.id))
                    .set(Task::category_id(), Some(category.id)),
            )
            .await
            .expect("task");
        for n in 0..notes {
            d.create(
                TaskNote::changeset()
                    .set(TaskNote::body(), format!("{title}-{n}"))
                    .set(TaskNote::task_id(), Some(task.id)),
            )
            .await
            .expect("note");
        }
    }
    d
}

fn names(agents: &[Agent]) -> Vec<&str> {
    agents.iter().map(|a| a.name.as_str()).collect()
}

/// The names of the agents `query` selects, in insertion order.
async fn selected(d: &Domain, query: Query<Agent>) -> ashore::Result<Vec<String>> {
    let agents = d.read(query).await?;
    Ok(names(&agents).into_iter().map(str::to_owned).collect())
}

async fn aggregates_read_the_loaded_record(run: Run) -> ashore::Result<()> {
    let d = world(&run).await;
    let agents = d
        .read(
            Agent::query()
                .load(Agent::top_above())
                .load(Agent::first_task())
                .load(Agent::top_n())
                .load(Agent::has_top())
                .load(Agent::top_p())
                .load(Agent::top_sum())
                .load(Agent::top_min())
                .load(Agent::top_notes())
                .load(Agent::top_category())
                .load(Agent::first_n())
                .load(Agent::first_max())
                .load(Agent::first_notes()),
        )
        .await?;
    assert_eq!(names(&agents), ["Alice", "Bob", "Cy"]);
    let title = |t: &Option<Task>| t.as_ref().map(|t| t.title.clone());
    let loaded: Vec<(Option<String>, Option<String>)> = agents
        .iter()
        .map(|a| {
            (
                title(a.top_above.get().expect("loaded")),
                title(a.first_task.get().expect("loaded")),
            )
        })
        .collect();
    let s = |t: &str| Some(t.to_owned());
    assert_eq!(
        loaded,
        [(s("a5"), s("a4")), (s("b7"), s("b2")), (None, s("c1"))]
    );
    // Over `top_above`: 0 or 1 record, the loaded one's values.
    let top: Vec<_> = agents
        .iter()
        .map(|a| {
            (
                *a.top_n.get().expect("loaded"),
                *a.has_top.get().expect("loaded"),
                *a.top_p.get().expect("loaded"),
                *a.top_sum.get().expect("loaded"),
                *a.top_min.get().expect("loaded"),
            )
        })
        .collect();
    assert_eq!(
        top,
        [
            (1, false, Some(5), Some(5), Some(5)),
            (1, false, Some(7), Some(7), Some(7)),
            (0, false, None, None, None),
        ]
    );
    // Through it: the loaded record's notes and category alone.
    let through: Vec<_> = agents
        .iter()
        .map(|a| {
            (
                *a.top_notes.get().expect("loaded"),
                a.top_category.get().expect("loaded").clone(),
            )
        })
        .collect();
    assert_eq!(through, [(1, s("hw")), (1, s("hw")), (0, None)]);
    // A has_one by a key that is not unique: the first by insertion order.
    let first: Vec<_> = agents
        .iter()
        .map(|a| {
            (
                *a.first_n.get().expect("loaded"),
                *a.first_max.get().expect("loaded"),
                *a.first_notes.get().expect("loaded"),
            )
        })
        .collect();
    assert_eq!(first, [(1, Some(4), 2), (1, Some(2), 0), (1, Some(1), 0)]);
    Ok(())
}

layers!(aggregates_read_the_loaded_record);

async fn filters_and_exists_agree_with_the_loaded_record(run: Run) -> ashore::Result<()> {
    let d = world(&run).await;
    let none: Vec<String> = Vec::new();
    let just = |names: &[&str]| names.iter().map(|&n| n.to_owned()).collect::<Vec<_>>();
    // Alice's `a4` is above her threshold but not her top task.
    assert_eq!(
        selected(&d, Agent::query().filter(expr!(top_above.priority < 5))).await?,
        none
    );
    assert_eq!(
        selected(
            &d,
            Agent::query().filter(expr!(exists(top_above, priority < 5)))
        )
        .await?,
        none
    );
    assert_eq!(
        selected(
            &d,
            Agent::query().filter(expr!(not(exists(top_above, priority < 5))))
        )
        .await?,
        just(&["Alice", "Bob", "Cy"])
    );
    assert_eq!(
        selected(&d, Agent::query().filter(expr!(top_above.priority == 5))).await?,
        just(&["Alice"])
    );
    assert_eq!(
        selected(&d, Agent::query().filter(expr!(is_nil(top_above.id)))).await?,
        just(&["Cy"])
    );
    assert_eq!(
        selected(&d, Agent::query().filter(expr!(first_task.priority == 5))).await?,
        none
    );
    assert_eq!(
        selected(
            &d,
            Agent::query().filter(expr!(exists(first_task, priority > 3)))
        )
        .await?,
        just(&["Alice"])
    );
    // Aggregates in a filter and in a sort.
    assert_eq!(
        selected(&d, Agent::query().filter(expr!(top_n > 1))).await?,
        none
    );
    assert_eq!(
        selected(&d, Agent::query().filter(expr!(top_sum == 5))).await?,
        just(&["Alice"])
    );
    assert_eq!(
        selected(&d, Agent::query().filter(expr!(first_max < 3))).await?,
        just(&["Bob", "Cy"])
    );
    let sorted = d
        .read(Agent::query().sort(Agent::top_sum().desc_nils_last()))
        .await?;
    assert_eq!(names(&sorted), ["Bob", "Alice", "Cy"]);
    let sorted = d
        .read(Agent::query().sort(Agent::first_task().field(Task::priority()).desc_nils_last()))
        .await?;
    assert_eq!(names(&sorted), ["Alice", "Bob", "Cy"]);
    Ok(())
}

layers!(filters_and_exists_agree_with_the_loaded_record);

async fn paths_of_several_hops_go_through_the_one_record(run: Run) -> ashore::Result<()> {
    let d = world(&run).await;
    let none: Vec<String> = Vec::new();
    let just = |names: &[&str]| names.iter().map(|&n| n.to_owned()).collect::<Vec<_>>();
    // Alice's `a4` is sw, but her top task `a5` is hw.
    assert_eq!(
        selected(
            &d,
            Agent::query().filter(expr!(top_above.category.name == "sw"))
        )
        .await?,
        none
    );
    assert_eq!(
        selected(
            &d,
            Agent::query().filter(expr!(top_above.category.name == "hw"))
        )
        .await?,
        just(&["Alice", "Bob"])
    );
    assert_eq!(
        selected(
            &d,
            Agent::query().filter(expr!(exists(top_above.category, name == "sw")))
        )
        .await?,
        none
    );
    // `a5`'s one note, not `a4`'s two; Bob's first task `b2` has none.
    assert_eq!(
        selected(
            &d,
            Agent::query().filter(expr!(exists(top_above.notes, body == "a4-1")))
        )
        .await?,
        none
    );
    assert_eq!(
        selected(
            &d,
            Agent::query().filter(expr!(top_above.notes.body == "a5-0"))
        )
        .await?,
        just(&["Alice"])
    );
    assert_eq!(
        selected(
            &d,
            Agent::query().filter(expr!(exists(first_task.notes, body == "b7-0")))
        )
        .await?,
        none
    );
    assert_eq!(
        selected(&d, Agent::query().filter(expr!(first_notes == 2))).await?,
        just(&["Alice"])
    );
    // From a task, through its agent, then the has_one.
    let tasks = d
        .read(
            Task::query()
                .filter(expr!(agent.top_above.title == "a5"))
                .sort(Task::title()),
        )
        .await?;
    let titles: Vec<&str> = tasks.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, ["a4", "a5"]);
    let tasks = d
        .read(
            Task::query()
                .filter(expr!(agent.top_above.priority == 4))
                .sort(Task::title()),
        )
        .await?;
    assert!(tasks.is_empty());
    Ok(())
}

layers!(paths_of_several_hops_go_through_the_one_record);

resource! {
    /// Holds memos; its top memo is the largest it may see.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Desk {
        attributes {
            uuid_primary_key id;
            attribute label: String;
        }
        relationships {
            has_one top_memo: Memo { sort size desc; }
        }
        aggregates {
            count top_memo_n: top_memo;
            sum top_memo_size: top_memo.size as i64;
        }
    }
}

resource! {
    /// A memo, readable in its organisation when public.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Memo {
        attributes {
            uuid_primary_key id;
            attribute size: i64;
            attribute public: bool;
            attribute org: String;
        }
        relationships {
            belongs_to desk: Desk;
        }
        policies {
            policy action_type(read) {
                authorize_if expr(public == true);
            }
        }
        multitenancy {
            attribute org;
        }
    }
}

/// What a read in `org` (with its policies when `authorize`) finds for desk
/// `d`: its loaded top memo's size, the count and the sum over `top_memo`,
/// and how many desks a filter through it (`size > 7`) and an `exists`
/// through it (`size < 7`) select.
async fn top_memo(
    d: &Domain,
    org: &'static str,
    authorize: bool,
) -> ashore::Result<(Option<i64>, i64, Option<i64>, usize, usize)> {
    let desks = d
        .read(
            Desk::query()
                .filter(expr!(label == "d"))
                .load(Desk::top_memo())
                .load(Desk::top_memo_n())
                .load(Desk::top_memo_size()),
        )
        .tenant(org)
        .authorize(authorize)
        .await?;
    let desk = &desks[0];
    let loaded = desk.top_memo.get()?.as_ref().map(|m| m.size);
    let above = d
        .read(Desk::query().filter(expr!(top_memo.size > 7)))
        .tenant(org)
        .authorize(authorize)
        .await?;
    let below = d
        .read(Desk::query().filter(expr!(exists(top_memo, size < 7))))
        .tenant(org)
        .authorize(authorize)
        .await?;
    Ok((
        loaded,
        *desk.top_memo_n.get()?,
        *desk.top_memo_size.get()?,
        above.len(),
        below.len(),
    ))
}

/// Desk `d` with memos, in this order: 100 (acme, not public), 50 (globex,
/// public), 10 (acme, public), 5 (acme, public); desk `e` with none. In acme
/// the read sees 10 and 5 (10 without the policies, 100 first); in globex 50.
async fn hidden_first_records_give_way_to_the_next_visible(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Desk>().resource::<Memo>()).await;
    let desk = d
        .create(Desk::changeset().set(Desk::label(), "d"))
        .await
        .expect("desk");
    d.create(Desk::changeset().set(Desk::label(), "e"))
        .await
        .expect("desk");
    for (size, public, org) in [
        (100, false, "acme"),
        (50, true, "globex"),
        (10, true, "acme"),
        (5, true, "acme"),
    ] {
        d.create(
            Memo::changeset()
                .set(Memo::size(), size)
                .set(Memo::public(), public)
                .set(Memo::desk_id(), Some(desk.id)),
        )
        .tenant(org.to_owned())
        // Seeding: no policy governs creates of Memo, which forbids them.
        .authorize(false)
        .await
        .expect("memo");
    }
    // Acme: 100 is not public, 50 is globex's: the top is 10, and 5 is not
    // reached.
    assert_eq!(
        top_memo(&d, "acme", true).await?,
        (Some(10), 1, Some(10), 1, 0)
    );
    assert_eq!(
        top_memo(&d, "acme", false).await?,
        (Some(100), 1, Some(100), 1, 0)
    );
    assert_eq!(
        top_memo(&d, "globex", true).await?,
        (Some(50), 1, Some(50), 1, 0)
    );
    Ok(())
}

layers!(hidden_first_records_give_way_to_the_next_visible);
