//! Records turned into JSON with serde (feature `serde`), with both front
//! ends: a loaded relationship is its value (a list, a record or `null`), one
//! not loaded is left out, and so is an aggregate; `resource!` does it for a
//! struct that derives `Serialize` (and reads no relationship or aggregate
//! with `Deserialize`), a
//! `#[derive(Resource)]` struct with one attribute per relationship field.

use ashore::prelude::*;
use serde_json::json;

mod by_macro {
    use ashore::prelude::*;
    use serde::{Deserialize, Serialize};

    resource! {
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct Shelf {
            attributes {
                integer_primary_key id;
                attribute label: String;
            }
            relationships {
                has_many books: Book;
            }
            aggregates {
                count book_count: books;
            }
        }
    }

    resource! {
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct Book {
            attributes {
                integer_primary_key id;
                attribute title: String;
            }
            relationships {
                belongs_to shelf: Shelf;
                has_many notes: Note;
            }
        }
    }

    resource! {
        #[derive(Debug, Clone, PartialEq, Serialize)]
        pub struct Note {
            attributes {
                integer_primary_key id;
                attribute text: String;
            }
            relationships {
                belongs_to book: Book;
            }
        }
    }
}

mod by_derive {
    use ashore::prelude::*;
    use serde::Serialize;

    #[derive(Debug, Clone, PartialEq, Serialize, Resource)]
    pub struct Shelf {
        #[resource(integer_primary_key)]
        pub id: i64,
        pub label: String,
        #[resource(has_many)]
        #[serde(skip_serializing_if = "Loaded::is_not_loaded")]
        pub books: Loaded<Vec<Book>>,
        #[resource(aggregate(count, books))]
        #[serde(skip_serializing_if = "Loaded::is_not_loaded")]
        pub book_count: Loaded<i64>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Resource)]
    pub struct Book {
        #[resource(integer_primary_key)]
        pub id: i64,
        pub title: String,
        pub shelf_id: Option<i64>,
        #[resource(belongs_to)]
        #[serde(skip_serializing_if = "Loaded::is_not_loaded")]
        pub shelf: Loaded<Option<Shelf>>,
        #[resource(has_many)]
        #[serde(skip_serializing_if = "Loaded::is_not_loaded")]
        pub notes: Loaded<Vec<Note>>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Resource)]
    pub struct Note {
        #[resource(integer_primary_key)]
        pub id: i64,
        pub text: String,
        pub book_id: Option<i64>,
        #[resource(belongs_to)]
        #[serde(skip_serializing_if = "Loaded::is_not_loaded")]
        pub book: Loaded<Option<Book>>,
    }
}

/// What both front ends give for the same nested load.
fn expected() -> serde_json::Value {
    json!([{
        "id": 1,
        "label": "Fiction",
        "books": [
            {"id": 1, "title": "Dune", "shelf_id": 1,
             "notes": [{"id": 1, "text": "spice", "book_id": 1}]},
            {"id": 2, "title": "Emma", "shelf_id": 1, "notes": []},
        ],
    }])
}

macro_rules! nested_load_as_json {
    ($m:ident) => {{
        use $m::{Book, Note, Shelf};
        let support = Domain::builder()
            .resource::<Shelf>()
            .resource::<Book>()
            .resource::<Note>()
            .build()?;
        let shelf = support
            .create(Shelf::changeset().set(Shelf::label(), "Fiction"))
            .await?;
        let mut books = Vec::new();
        for title in ["Dune", "Emma"] {
            books.push(
                support
                    .create(
                        Book::changeset()
                            .set(Book::title(), title)
                            .set(Book::shelf_id(), Some(shelf.id)),
                    )
                    .await?,
            );
        }
        support
            .create(
                Note::changeset()
                    .set(Note::text(), "spice")
                    .set(Note::book_id(), Some(books[0].id)),
            )
            .await?;
        let shelves = support
            .read(Shelf::query().load(Shelf::books().load(Book::notes())))
            .await?;
        let json = serde_json::to_value(&shelves).expect("serializes");
        assert_eq!(json, expected(), "{}", stringify!($m));
        // A to-one relationship loaded is its record; what it did not load is absent.
        let notes = support.read(Note::query().load(Note::book())).await?;
        let note = serde_json::to_value(&notes[0]).expect("serializes");
        assert_eq!(note["book"]["title"], "Dune");
        assert!(note["book"].get("shelf").is_none(), "{note}");
        let book = support
            .read(Book::query().load(Book::shelf()))
            .await?
            .remove(0);
        assert_eq!(
            serde_json::to_value(&book).expect("serializes")["shelf"]["label"],
            "Fiction"
        );
        // An aggregate is left out until loaded, then is its value.
        let counted = support
            .read(Shelf::query().load(Shelf::book_count()))
            .await?;
        let counted = serde_json::to_value(&counted).expect("serializes");
        assert_eq!(counted, json!([{"id": 1, "label": "Fiction", "book_count": 2}]));
        // A to-one loaded that found nothing is `null`, not left out.
        let lost = support
            .create(Book::changeset().set(Book::title(), "Lost"))
            .await?;
        let lost = support
            .read(Book::query().filter(expr!(id == ^lost.id)).load(Book::shelf()))
            .await?;
        let lost = serde_json::to_value(&lost[0]).expect("serializes");
        assert_eq!(
            lost,
            json!({"id": 3, "title": "Lost", "shelf_id": null, "shelf": null})
        );
        Ok::<_, ashore::Error>(())
    }};
}

#[tokio::test]
async fn a_nested_load_serializes_with_resource_macro() -> ashore::Result<()> {
    nested_load_as_json!(by_macro)
}

#[tokio::test]
async fn a_nested_load_serializes_with_the_derive() -> ashore::Result<()> {
    nested_load_as_json!(by_derive)
}

#[test]
fn a_resource_macro_record_deserializes_with_nothing_loaded() {
    let book: by_macro::Book = serde_json::from_value(
        json!({"id": 7, "title": "Dune", "shelf_id": null, "notes": [{"id": 1}]}),
    )
    .expect("deserializes");
    assert_eq!((book.id, book.title.as_str()), (7, "Dune"));
    assert!(!book.notes.is_loaded(), "relationships are never read");
    // Nor aggregates: a count in the JSON is not taken as loaded.
    let shelf: by_macro::Shelf =
        serde_json::from_value(json!({"id": 1, "label": "Fiction", "book_count": 2}))
            .expect("deserializes");
    assert!(!shelf.book_count.is_loaded(), "aggregates are never read");
}

/// serde's derives under `cfg_attr`: on (`all()` always holds, here also
/// nested in a second `cfg_attr`) the fields get their attributes as with a
/// plain derive; off (`any()` never holds), none, and the struct compiles
/// without serde. `#[derive(Resource)]` takes the field attributes the user
/// writes, under the same `cfg_attr`, and serializes alike.
mod under_cfg_attr {
    use ashore::prelude::*;

    resource! {
        #[derive(Debug, Clone)]
        #[cfg_attr(all(), cfg_attr(not(any()), derive(serde::Serialize)), derive(serde::Deserialize))]
        pub struct Bin {
            attributes {
                integer_primary_key id;
                attribute label: String;
            }
            relationships {
                has_many parcels: Parcel;
            }
            aggregates {
                count parcel_count: parcels;
            }
        }
    }

    resource! {
        #[derive(Debug, Clone)]
        #[cfg_attr(all(), derive(serde::Serialize))]
        pub struct Parcel {
            attributes {
                integer_primary_key id;
            }
            relationships {
                belongs_to bin: Bin;
            }
        }
    }

    resource! {
        #[derive(Debug, Clone)]
        #[cfg_attr(any(), derive(serde::Serialize, serde::Deserialize))]
        pub struct Shed {
            attributes {
                integer_primary_key id;
            }
            relationships {
                belongs_to parent: Shed;
            }
        }
    }

    #[derive(Debug, Clone, Resource)]
    #[cfg_attr(all(), derive(serde::Serialize))]
    pub struct Pallet {
        #[resource(integer_primary_key)]
        pub id: i64,
        pub label: String,
        #[resource(has_many)]
        #[cfg_attr(all(), serde(skip_serializing_if = "Loaded::is_not_loaded"))]
        pub cartons: Loaded<Vec<Carton>>,
    }

    #[derive(Debug, Clone, Resource)]
    #[cfg_attr(all(), derive(serde::Serialize))]
    pub struct Carton {
        #[resource(integer_primary_key)]
        pub id: i64,
        pub pallet_id: Option<i64>,
        #[resource(belongs_to)]
        #[cfg_attr(all(), serde(skip_serializing_if = "Loaded::is_not_loaded"))]
        pub pallet: Loaded<Option<Pallet>>,
    }
}

#[tokio::test]
async fn serde_derives_under_cfg_attr_behave_as_plain_ones() -> ashore::Result<()> {
    use under_cfg_attr::{Bin, Carton, Pallet, Parcel, Shed};
    let support = Domain::builder()
        .resource::<Bin>()
        .resource::<Parcel>()
        .resource::<Shed>()
        .resource::<Pallet>()
        .resource::<Carton>()
        .build()?;
    let bin = support
        .create(Bin::changeset().set(Bin::label(), "A"))
        .await?;
    support
        .create(Parcel::changeset().set(Parcel::bin_id(), Some(bin.id)))
        .await?;
    // Not loaded: left out.
    let plain = support.read(Bin::query()).await?;
    assert_eq!(
        serde_json::to_value(&plain).expect("serializes"),
        json!([{"id": 1, "label": "A"}])
    );
    // Loaded: its value.
    let loaded = support
        .read(Bin::query().load(Bin::parcel_count()).load(Bin::parcels()))
        .await?;
    assert_eq!(
        serde_json::to_value(&loaded).expect("serializes"),
        json!([{"id": 1, "label": "A", "parcels": [{"id": 1, "bin_id": 1}], "parcel_count": 1}])
    );
    // Read back with nothing loaded, whatever the JSON holds.
    let read: Bin =
        serde_json::from_value(json!({"id": 2, "label": "B", "parcels": [], "parcel_count": 4}))
            .expect("deserializes");
    assert!(!read.parcels.is_loaded() && !read.parcel_count.is_loaded());
    // Off: a plain record, without serde.
    support.create(Shed::changeset()).await?;
    // The derive's front end alike.
    let pallet = support
        .create(Pallet::changeset().set(Pallet::label(), "P"))
        .await?;
    assert_eq!(
        serde_json::to_value(&pallet).expect("serializes"),
        json!({"id": 1, "label": "P"})
    );
    Ok(())
}
