//! Relationship writes under tenants and policies, on every layer: join
//! records are created in the write's tenant and may not name another
//! tenant's record; the join resource's create and destroy policies govern
//! relate and unrelate (`ErrorKind::Forbidden`, nothing written); a has_many
//! whose key cannot be nil cannot be unrelated.
//!
//! Two organisations, `acme` and `globex`; Ada is acme's admin, Bob is not
//! (`Member` is `write_policies`').

use ashore::prelude::*;
use ashore::{Action, ErrorKind};

use crate::common::write_policy_resources::Member;
use crate::common::{Run, domain, layers};
use crate::relationship_writes::assert_foreign_key;

resource! {
    /// A card on an organisation's board.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Card {
        attributes {
            uuid_primary_key id;
            attribute title: String;
            attribute org: String;
        }
        relationships {
            many_to_many labels: Label {
                through CardLabel;
                source_attribute_on_join_resource card_id;
                destination_attribute_on_join_resource label_id;
            }
            has_many tasks: Task { destination_attribute card_key; }
        }
        multitenancy {
            attribute org;
        }
    }
}

resource! {
    /// A label of an organisation.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Label {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            attribute org: String;
        }
        multitenancy {
            attribute org;
        }
    }
}

resource! {
    /// A label on a card: anyone reads, only an admin adds or removes one.
    #[derive(Debug, Clone, PartialEq)]
    pub struct CardLabel {
        attributes {
            uuid_primary_key id;
            attribute org: String;
        }
        relationships {
            belongs_to card: Card;
            belongs_to label: Label;
        }
        policies {
            policy action_type(read) {
                authorize_if always();
            }
            policy action_type(create, destroy) {
                authorize_if actor_attribute_equals(admin, true);
            }
        }
        multitenancy {
            attribute org;
        }
    }
}

resource! {
    /// A task, always of a card (its key cannot be nil).
    #[derive(Debug, Clone, PartialEq)]
    pub struct Task {
        attributes {
            uuid_primary_key id;
            attribute title: String;
            attribute card_key: Uuid;
        }
    }
}

struct World {
    domain: Domain,
    ada: Member,
    bob: Member,
    card: Card,
    labels: Vec<Label>,
    theirs: Label,
}

async fn world(run: &Run) -> World {
    let d = domain(run, |b| {
        b.resource::<Member>()
            .resource::<Card>()
            .resource::<Label>()
            .resource::<CardLabel>()
            .resource::<Task>()
    })
    .await;
    let member = |name: &str, admin: bool| {
        d.create(
            Member::changeset()
                .set(Member::name(), name)
                .set(Member::admin(), admin),
        )
        .tenant("acme".to_owned())
    };
    let ada = member("Ada", true).await.expect("Ada");
    let bob = member("Bob", false).await.expect("Bob");
    let card = d
        .create(Card::changeset().set(Card::title(), "Launch"))
        .tenant("acme".to_owned())
        .await
        .expect("a card");
    let labels = d
        .create_many(["red", "blue"].map(|n| Label::changeset().set(Label::name(), n)))
        .tenant("acme".to_owned())
        .await
        .expect("labels");
    let theirs = d
        .create(Label::changeset().set(Label::name(), "green"))
        .tenant("globex".to_owned())
        .await
        .expect("globex's label");
    World {
        domain: d,
        ada,
        bob,
        card,
        labels,
        theirs,
    }
}

/// Asserts `err` is the `Forbidden` of `action` on `CardLabel`.
fn assert_forbidden(err: &ashore::Error, action: Action) {
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Forbidden { resource: "CardLabel", action: a, .. } if *a == action
        ),
        "{err:?}"
    );
}

/// Every join record of acme's, whoever may see it.
async fn links(w: &World) -> Result<Vec<CardLabel>> {
    w.domain
        .read(CardLabel::query())
        .authorize(false)
        .tenant("acme".to_owned())
        .await
}

layers!(join_records_are_created_in_the_tenant_and_only_for_its_records);
async fn join_records_are_created_in_the_tenant_and_only_for_its_records(run: Run) -> Result<()> {
    let w = world(&run).await;
    let d = &w.domain;
    let done = d
        .relate(&w.card, Card::labels(), &w.labels)
        .actor(&w.ada)
        .tenant("acme".to_owned())
        .await?;
    assert_eq!(done.related, 2);
    let made = links(&w).await?;
    assert_eq!(made.len(), 2);
    assert!(made.iter().all(|l| l.org == "acme"));

    // Another tenant's label: the same error as a label that does not exist,
    // and nothing written.
    let err = d
        .replace(&w.card, Card::labels(), std::slice::from_ref(&w.theirs))
        .actor(&w.ada)
        .tenant("acme".to_owned())
        .await
        .unwrap_err();
    assert_foreign_key(&err);
    assert_eq!(links(&w).await?, made);

    // Without a tenant: refused.
    let err = d
        .unrelate(&w.card, Card::labels(), &w.labels)
        .actor(&w.ada)
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::TenantRequired { .. }),
        "{err:?}"
    );
    assert_eq!(links(&w).await?, made);
    Ok(())
}

layers!(the_join_resources_policies_govern_relate_and_unrelate);
async fn the_join_resources_policies_govern_relate_and_unrelate(run: Run) -> Result<()> {
    let w = world(&run).await;
    let d = &w.domain;
    let err = d
        .relate(&w.card, Card::labels(), &w.labels)
        .actor(&w.bob)
        .tenant("acme".to_owned())
        .await
        .unwrap_err();
    assert_forbidden(&err, Action::Create);
    assert!(links(&w).await?.is_empty());

    d.relate(&w.card, Card::labels(), &w.labels)
        .actor(&w.ada)
        .tenant("acme".to_owned())
        .await?;
    let err = d
        .unrelate(&w.card, Card::labels(), &w.labels[..1])
        .actor(&w.bob)
        .tenant("acme".to_owned())
        .await
        .unwrap_err();
    assert_forbidden(&err, Action::Destroy);
    assert_eq!(links(&w).await?.len(), 2);
    Ok(())
}

layers!(a_key_that_cannot_be_nil_cannot_be_unrelated);
async fn a_key_that_cannot_be_nil_cannot_be_unrelated(run: Run) -> Result<()> {
    let w = world(&run).await;
    let d = &w.domain;
    let card = d
        .create(Card::changeset().set(Card::title(), "Ship"))
        .tenant("acme".to_owned())
        .with_related(
            Card::tasks(),
            [Task::changeset().set(Task::title(), "Pack")],
        )
        .await?;
    let tasks = card.tasks.get()?.clone();
    assert_eq!(tasks[0].card_key, card.id);
    let err = d
        .unrelate(&card, Card::tasks(), &tasks)
        .tenant("acme".to_owned())
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::InvalidQuery { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("card_key"), "{err}");
    assert_eq!(d.read(Task::query()).await?, tasks);
    // Relating them to another card moves them.
    let other = d
        .create(Card::changeset().set(Card::title(), "Other"))
        .tenant("acme".to_owned())
        .await?;
    d.relate(&other, Card::tasks(), &tasks)
        .tenant("acme".to_owned())
        .await?;
    assert_eq!(d.read(Task::query()).await?[0].card_key, other.id);
    Ok(())
}
