//! A `no_attributes` relationship never relates a record the read may not
//! see: one hidden by the destination's read policies, or another tenant's,
//! whether it is loaded, filtered through or aggregated, on every layer.
//!
//! Shelves with a minimum size; notes (multitenant, readable when public)
//! relate to every shelf whose minimum they reach (`big_notes`, no key at
//! all). Notes, in this order: `n1` (acme, public, size 1), `n10` (acme, not
//! public, 10), `n100` (globex, public, 100). Shelves: `low` (min 1), `high`
//! (min 50).

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
    /// Takes the notes at least its minimum in size.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Shelf {
        attributes {
            uuid_primary_key id;
            attribute label: String;
            attribute min_size: i64;
        }
        relationships {
            has_many big_notes: Note {
                no_attributes;
                filter size >= parent(min_size);
                sort size;
            }
        }
        aggregates {
            count big_note_count: big_notes;
            sum big_size: big_notes.size as i64;
        }
    }
}

async fn world(run: &Run) -> Domain {
    let d = domain(run, |b| b.resource::<Note>().resource::<Shelf>()).await;
    for (label, min) in [("low", 1), ("high", 50)] {
        d.create(
            Shelf::changeset()
                .set(Shelf::label(), label)
                .set(Shelf::min_size(), min),
        )
        .await
        .expect("shelf");
    }
    for (size, public, org) in [
        (1, true, "acme"),
        (10, false, "acme"),
        (100, true, "globex"),
    ] {
        d.create(
            Note::changeset()
                .set(Note::size(), size)
                .set(Note::public(), public),
        )
        .tenant(org.to_owned())
        // Seeding: no policy governs creates of Note, which forbids them.
        .authorize(false)
        .await
        .expect("note");
    }
    d
}

/// Each shelf's loaded notes as sizes, `low` first.
fn sizes(shelves: &[Shelf]) -> Vec<Vec<i64>> {
    shelves
        .iter()
        .map(|s| {
            s.big_notes
                .get()
                .expect("loaded")
                .iter()
                .map(|n| n.size)
                .collect()
        })
        .collect()
}

async fn hidden_records_are_never_related(run: Run) -> ashore::Result<()> {
    let d = world(&run).await;
    let query = || {
        Shelf::query()
            .sort(Shelf::label().desc())
            .load(Shelf::big_notes())
    };
    // Acme sees `n1` only (`n10` is not public, `n100` is globex's).
    let seen = d.read(query()).tenant("acme").await?;
    assert_eq!(sizes(&seen), [vec![1], vec![]]);
    let seen = d.read(query()).tenant("acme").authorize(false).await?;
    assert_eq!(sizes(&seen), [vec![1, 10], vec![]]);
    let seen = d.read(query()).tenant("globex").await?;
    assert_eq!(sizes(&seen), [vec![100], vec![100]]);
    // Aggregates and filters see what the load sees.
    let counted = d
        .read(
            Shelf::query()
                .sort(Shelf::label().desc())
                .load(Shelf::big_note_count())
                .load(Shelf::big_size()),
        )
        .tenant("acme")
        .await?;
    let answers: Vec<(i64, Option<i64>)> = counted
        .iter()
        .map(|s| {
            (
                *s.big_note_count.get().expect("loaded"),
                *s.big_size.get().expect("loaded"),
            )
        })
        .collect();
    assert_eq!(answers, [(1, Some(1)), (0, None)]);
    let over = || Shelf::query().filter(expr!(exists(big_notes, size >= 10)));
    assert!(d.read(over()).tenant("acme").await?.is_empty());
    assert_eq!(
        d.read(over()).tenant("acme").authorize(false).await?.len(),
        1
    );
    assert_eq!(d.read(over()).tenant("globex").await?.len(), 2);
    Ok(())
}
layers!(hidden_records_are_never_related);
