//! Relationships keyed by decimals and JSON documents relate the records whose
//! keys are equal as values, on every layer: a till keyed `1.5` has the slips
//! keyed `1.50` and `1.500` (SQLite stores the text as written, so its keys
//! compare through the `ashore_decimal` collation), and a document keys the
//! notes of an equal document written otherwise (`ashore_json_key`). Loads
//! (windowed too, in insertion order), paths and `exists` in filters, sorts
//! through a relationship, aggregates loaded, in filters (grouped and
//! restricted) and in sorts, and a many_to_many whose join records hold keys
//! of other scales.

use ashore::prelude::*;
use ashore::rust_decimal::Decimal;
use ashore::serde_json::{Value as Json, json};

use crate::common::{Run, domain, layers};

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Till {
        attributes {
            integer_primary_key id;
            attribute amount: Option<Decimal>;
        }
        relationships {
            has_many slips: Slip { source_attribute amount; destination_attribute amount; }
            many_to_many labels: Label {
                through TillLabel;
                source_attribute amount;
                destination_attribute code;
                source_attribute_on_join_resource till_amount;
                destination_attribute_on_join_resource label_code;
            }
        }
        aggregates {
            count slip_count: slips;
            count counted_slips: slips { filter id > 0; }
            count label_count: labels;
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Slip {
        attributes {
            integer_primary_key id;
            attribute amount: Option<Decimal>;
        }
        relationships {
            belongs_to till: Till { source_attribute amount; destination_attribute amount; }
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct TillLabel {
        attributes {
            integer_primary_key id;
            attribute till_amount: Option<Decimal>;
            attribute label_code: Option<Decimal>;
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Label {
        attributes {
            integer_primary_key id;
            attribute code: Option<Decimal>;
        }
    }
}

fn dec(s: &str) -> Option<Decimal> {
    Some(s.parse().expect("a decimal"))
}

/// The ids of the records of `$r` the filter selects, in insertion order.
macro_rules! q {
    ($d:ident, $r:ident; $($f:tt)*) => {
        $d.read($r::query().filter(expr!($($f)*))).await?.iter().map(|r| r.id).collect::<Vec<_>>()
    };
}

fn ids<T>(records: &[T], id: impl Fn(&T) -> i64) -> Vec<i64> {
    records.iter().map(id).collect()
}

async fn decimal_keys_relate_equal_numbers(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| {
        b.resource::<Till>()
            .resource::<Slip>()
            .resource::<TillLabel>()
            .resource::<Label>()
    })
    .await;
    let till = d
        .create(Till::changeset().set(Till::amount(), dec("1.5")))
        .await?;
    let other = d
        .create(Till::changeset().set(Till::amount(), dec("3")))
        .await?;
    let slip = |amount: &str| Slip::changeset().set(Slip::amount(), dec(amount));
    // "1.50" sorts before "1.500" as text: the insertion order is not the text's.
    let s1 = d.create(slip("1.500")).await?;
    let s2 = d.create(slip("2")).await?;
    let s3 = d.create(slip("1.50")).await?;
    let label = d
        .create(Label::changeset().set(Label::code(), dec("7.0")))
        .await?;
    // Two join records linking the same pair, at other scales.
    for (t, l) in [("1.50", "7"), ("1.500", "7.00")] {
        d.create(
            TillLabel::changeset()
                .set(TillLabel::till_amount(), dec(t))
                .set(TillLabel::label_code(), dec(l)),
        )
        .await?;
    }

    let tills = d
        .read(
            Till::query()
                .load(Till::slips())
                .load(Till::slip_count())
                .load(Till::counted_slips())
                .load(Till::labels())
                .load(Till::label_count()),
        )
        .await?;
    assert_eq!(ids(tills[0].slips.get()?, |s| s.id), [s1.id, s3.id]);
    assert_eq!(tills[0].slip_count.get()?, &2);
    assert_eq!(tills[0].counted_slips.get()?, &2);
    assert_eq!(ids(tills[0].labels.get()?, |l| l.id), [label.id]);
    // Counted once per join record, as every layer counts a path.
    assert_eq!(tills[0].label_count.get()?, &2);
    assert!(tills[1].slips.get()?.is_empty());
    assert_eq!(tills[1].counted_slips.get()?, &0);

    let first = d.read(Till::query().load(Till::slips().limit(1))).await?;
    assert_eq!(
        ids(first[0].slips.get()?, |s| s.id),
        [s1.id],
        "one per till"
    );
    let first = d.read(Till::query().load(Till::labels().limit(1))).await?;
    assert_eq!(ids(first[0].labels.get()?, |l| l.id), [label.id]);

    let slips = d.read(Slip::query().load(Slip::till())).await?;
    let tills_of: Vec<Option<i64>> = slips
        .iter()
        .map(|s| s.till.get().map(|t| t.as_ref().map(|t| t.id)))
        .collect::<ashore::Result<_>>()?;
    assert_eq!(tills_of, [Some(till.id), None, Some(till.id)]);

    let (s1_id, s3_id, till_id, label_id) = (s1.id, s3.id, till.id, label.id);
    assert_eq!(q!(d, Till; exists(slips, id == ^s3_id)), [till.id]);
    assert_eq!(q!(d, Till; slips.id == ^s1_id), [till.id]);
    assert_eq!(q!(d, Till; exists(labels, id == ^label_id)), [till.id]);
    assert_eq!(q!(d, Till; labels.id == ^label_id), [till.id]);
    // Grouped (a count with a filter is not the index's), once per till.
    assert_eq!(q!(d, Till; counted_slips == 2), [till.id]);
    assert_eq!(q!(d, Till; counted_slips == 0), [other.id]);
    // Grouped and restricted to the statement's other conjuncts.
    assert_eq!(
        q!(d, Till; id == ^till_id and counted_slips == 2),
        [till.id]
    );
    assert_eq!(q!(d, Till; label_count == 2), [till.id]);
    let sorted = d
        .read(Till::query().sort(Till::counted_slips().desc()))
        .await?;
    assert_eq!(ids(&sorted, |t| t.id), [till.id, other.id]);

    assert_eq!(q!(d, Slip; till.id == ^till_id), [s1.id, s3.id]);
    assert_eq!(q!(d, Slip; exists(till, id == ^till_id)), [s1.id, s3.id]);
    let by_till = d
        .read(Slip::query().sort([Slip::till().field(Till::id()).asc(), Slip::id().asc()]))
        .await?;
    assert_eq!(ids(&by_till, |s| s.id), [s1.id, s3.id, s2.id]);
    Ok(())
}
layers!(decimal_keys_relate_equal_numbers);

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Doc {
        attributes {
            integer_primary_key id;
            attribute meta: Option<Json>;
        }
        relationships {
            has_many notes: Note { source_attribute meta; destination_attribute meta; }
        }
        aggregates {
            count counted_notes: notes { filter id > 0; }
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Note {
        attributes {
            integer_primary_key id;
            attribute meta: Option<Json>;
        }
        relationships {
            belongs_to doc: Doc { source_attribute meta; destination_attribute meta; }
        }
    }
}

async fn json_keys_relate_equal_documents(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Doc>().resource::<Note>()).await;
    let doc = d
        .create(Doc::changeset().set(Doc::meta(), Some(json!({"a": 1, "b": 2}))))
        .await?;
    let note = |meta: Json| Note::changeset().set(Note::meta(), Some(meta));
    let n1 = d.create(note(json!({"b": 2.0, "a": 1}))).await?;
    d.create(note(json!({"a": 2}))).await?;
    let n3 = d.create(note(json!({"a": 1.0, "b": 2}))).await?;

    let docs = d
        .read(Doc::query().load(Doc::notes()).load(Doc::counted_notes()))
        .await?;
    assert_eq!(ids(docs[0].notes.get()?, |n| n.id), [n1.id, n3.id]);
    assert_eq!(docs[0].counted_notes.get()?, &2);
    let first = d.read(Doc::query().load(Doc::notes().limit(1))).await?;
    assert_eq!(ids(first[0].notes.get()?, |n| n.id), [n1.id]);
    let notes = d.read(Note::query().load(Note::doc())).await?;
    assert_eq!(notes[0].doc.get()?.as_ref().map(|d| d.id), Some(doc.id));
    assert_eq!(notes[1].doc.get()?.as_ref().map(|d| d.id), None);

    let (n3_id, doc_id) = (n3.id, doc.id);
    assert_eq!(q!(d, Doc; exists(notes, id == ^n3_id)), [doc.id]);
    assert_eq!(q!(d, Doc; notes.id == ^n3_id), [doc.id]);
    assert_eq!(q!(d, Doc; counted_notes == 2), [doc.id]);
    assert_eq!(q!(d, Note; doc.id == ^doc_id), [n1.id, n3.id]);
    Ok(())
}
layers!(json_keys_relate_equal_documents);
