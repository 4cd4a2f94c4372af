//! A sort through a to-one relationship never reveals a related record the
//! read may not see: a record hidden by the destination's read policies, or
//! another tenant's, sorts as nil, in reads and in loads, on every layer.
//!
//! Owners (multitenant, readable when public), created in this order: Ann
//! (acme, public), Hal (acme, not public), Gus (globex, public). Items (not
//! multitenant, no policies), on one shelf, in this order: `i-hal`, `i-gus`,
//! `i-ann`, `i-none` (no owner).

use ashore::prelude::*;
use ashore::{RelatedField, Sort};

use crate::common::{Run, domain, layers};

resource! {
    /// Who owns an item: readable in its organisation when public.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Owner {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            attribute public: bool;
            attribute org: String;
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

resource! {
    /// An item, seen by everyone.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Item {
        attributes {
            uuid_primary_key id;
            attribute label: String;
        }
        relationships {
            belongs_to owner: Owner;
            belongs_to shelf: Shelf;
        }
    }
}

resource! {
    /// Holds the items.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Shelf {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            has_many items: Item;
        }
    }
}

async fn world(run: &Run) -> Domain {
    let d = domain(run, |b| {
        b.resource::<Owner>().resource::<Item>().resource::<Shelf>()
    })
    .await;
    let owner = |name: &str, org: &str, public: bool| {
        let create = d
            .create(
                Owner::changeset()
                    .set(Owner::name(), name)
                    .set(Owner::public(), public),
            )
            .tenant(org.to_owned())
            // Seeding: no policy governs creates of Owner, which forbids them.
            .authorize(false);
        async move { create.await.expect("owner") }
    };
    let ann = owner("Ann", "acme", true).await;
    let hal = owner("Hal", "acme", false).await;
    let gus = owner("Gus", "globex", true).await;
    let shelf = d.create(Shelf::changeset()).await.expect("shelf");
    for (label, owner) in [
        ("i-hal", Some(&hal)),
        ("i-gus", Some(&gus)),
        ("i-ann", Some(&ann)),
        ("i-none", None),
    ] {
        d.create(
            Item::changeset()
                .set(Item::label(), label)
                .set(Item::owner_id(), owner.map(|o| o.id))
                .set(Item::shelf_id(), Some(shelf.id)),
        )
        .await
        .expect("item");
    }
    d
}

fn labels(items: &[Item]) -> Vec<&str> {
    items.iter().map(|i| i.label.as_str()).collect()
}

fn owner_name() -> RelatedField<Item, String> {
    Item::owner().field(Owner::name())
}

async fn a_hidden_related_record_sorts_as_nil(run: Run) -> ashore::Result<()> {
    let d = world(&run).await;
    let read = |sort: Sort| d.read(Item::query().sort(sort));
    // In acme, Hal is hidden by the policy and Gus is globex's: both nil, so
    // descending they come first with `i-none`, in insertion order. Sorted by
    // their names they would be `i-none`, `i-hal`, `i-gus`, `i-ann`.
    let items = read(owner_name().desc()).tenant("acme").await?;
    assert_eq!(labels(&items), ["i-hal", "i-gus", "i-none", "i-ann"]);
    let items = read(owner_name().asc()).tenant("acme").await?;
    assert_eq!(labels(&items), ["i-ann", "i-hal", "i-gus", "i-none"]);
    // Without the policies, Hal is seen; Gus is still another tenant's.
    let items = read(owner_name().desc())
        .tenant("acme")
        .authorize(false)
        .await?;
    assert_eq!(labels(&items), ["i-gus", "i-none", "i-hal", "i-ann"]);
    // In globex only Gus is seen.
    let items = read(owner_name().desc_nils_last()).tenant("globex").await?;
    assert_eq!(labels(&items), ["i-gus", "i-hal", "i-ann", "i-none"]);
    // The same in a load, with a window.
    let load = Shelf::items().sort(owner_name().desc()).offset(1).limit(2);
    let shelves = d.read(Shelf::query().load(load)).tenant("acme").await?;
    assert_eq!(labels(shelves[0].items.get()?), ["i-gus", "i-none"]);
    Ok(())
}

layers!(a_hidden_related_record_sorts_as_nil);
