//! An aggregate never counts a record the read may not see: one hidden by
//! the destination's read policies, or another tenant's, on every layer; and
//! one behind a hidden record of a path's first hop neither.
//!
//! Notes (multitenant, readable when public) in boxes (seen by everyone), in
//! this order: `n1` (acme, public, size 1), `n10` (acme, not public, 10),
//! `n100` (globex, public, 100), all in one box; another box is empty.

use ashore::prelude::*;

use crate::common::{Run, domain, layers};

resource! {
    /// A note, readable in its organisation when public.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Note {
        attributes {
            uuid_primary_key id;
            attribute size: i64;
            attribute public: bool;
            attribute org: String;
        }
        relationships {
            belongs_to container: Container;
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
    /// Holds notes.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Container {
        attributes {
            uuid_primary_key id;
            attribute label: String;
        }
        relationships {
            has_many notes: Note;
        }
        aggregates {
            count note_count: notes;
            sum total_size: notes.size as i64;
            exists has_big_note: notes { filter size >= 10; }
            list sizes: notes.size as i64;
        }
    }
}

async fn world(run: &Run) -> Domain {
    let d = domain(run, |b| b.resource::<Note>().resource::<Container>()).await;
    let full = d
        .create(Container::changeset().set(Container::label(), "full"))
        .await
        .expect("container");
    d.create(Container::changeset().set(Container::label(), "empty"))
        .await
        .expect("container");
    for (size, public, org) in [
        (1, true, "acme"),
        (10, false, "acme"),
        (100, true, "globex"),
    ] {
        d.create(
            Note::changeset()
                .set(Note::size(), size)
                .set(Note::public(), public)
                .set(Note::container_id(), Some(full.id)),
        )
        .tenant(org.to_owned())
        // Seeding: no policy governs creates of Note, which forbids them.
        .authorize(false)
        .await
        .expect("note");
    }
    d
}

/// (note_count, total_size, has_big_note) of the full container, then the empty one.
fn answers(containers: &[Container]) -> Vec<(i64, Option<i64>, bool)> {
    containers
        .iter()
        .map(|c| {
            (
                *c.note_count.get().expect("loaded"),
                *c.total_size.get().expect("loaded"),
                *c.has_big_note.get().expect("loaded"),
            )
        })
        .collect()
}

async fn hidden_records_are_never_aggregated(run: Run) -> ashore::Result<()> {
    let d = world(&run).await;
    let query = || {
        Container::query()
            .sort(Container::label().desc())
            .load(Container::note_count())
            .load(Container::total_size())
            .load(Container::has_big_note())
    };
    // In acme, `n10` is hidden by the policy and `n100` is globex's.
    let seen = d.read(query()).tenant("acme").await?;
    assert_eq!(answers(&seen), [(1, Some(1), false), (0, None, false)]);
    let lists = d
        .read(Container::query().load(Container::sizes()))
        .tenant("acme")
        .await?;
    let sizes: Vec<&Vec<i64>> = lists
        .iter()
        .map(|c| c.sizes.get().expect("loaded"))
        .collect();
    assert_eq!(sizes, [&vec![1], &vec![]]);
    // Without the policies, `n10` counts; `n100` is still another tenant's.
    let seen = d.read(query()).tenant("acme").authorize(false).await?;
    assert_eq!(answers(&seen), [(2, Some(11), true), (0, None, false)]);
    let seen = d.read(query()).tenant("globex").await?;
    assert_eq!(answers(&seen), [(1, Some(100), true), (0, None, false)]);
    // In filters too: acme sees no big note; without its policies it does.
    let big = || Container::query().filter(expr!(has_big_note or total_size > 5));
    assert!(d.read(big()).tenant("acme").await?.is_empty());
    let found = d.read(big()).tenant("acme").authorize(false).await?;
    assert_eq!(found.len(), 1);
    assert_eq!(d.read(big()).tenant("globex").await?.len(), 1);
    // And in sorts: by the sizes acme may see, the full container (1) after
    // the empty one (nil sum, nils first when descending).
    let by_size = d
        .read(Container::query().sort(Container::total_size().desc()))
        .tenant("acme")
        .await?;
    let labels: Vec<&str> = by_size.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["empty", "full"]);
    let by_count = d
        .read(Container::query().sort(Container::note_count().desc()))
        .tenant("acme")
        .authorize(false)
        .await?;
    assert_eq!(by_count[0].label, "full");
    // Without a tenant, no note of any tenant is met.
    let seen = d.read(query()).await?;
    assert_eq!(answers(&seen), [(0, None, false), (0, None, false)]);
    let lists = d
        .read(
            Container::query()
                .load(Container::sizes())
                .sort(Container::label().desc()),
        )
        .tenant("globex")
        .await?;
    assert_eq!(*lists[0].sizes.get()?, [100]);
    Ok(())
}

layers!(hidden_records_are_never_aggregated);
