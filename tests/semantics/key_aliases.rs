//! A derive's primary key may be declared with an alias of its type
//! (`type NoteId = Uuid;`), as application code often names its keys: the
//! resource reads, writes and relates by it as by the type itself.

use ashore::prelude::*;

/// The key of a `Shelf`.
pub type ShelfId = i64;
/// The key of a `Note`.
pub type NoteId = Uuid;

#[derive(Debug, Clone, PartialEq, Resource)]
pub struct Shelf {
    #[resource(integer_primary_key)]
    pub id: ShelfId,
    pub name: String,
    #[resource(has_many)]
    pub notes: Loaded<Vec<Note>>,
}

#[derive(Debug, Clone, PartialEq, Resource)]
pub struct Note {
    #[resource(uuid_primary_key)]
    pub id: NoteId,
    pub body: String,
    pub shelf_id: Option<ShelfId>,
    #[resource(belongs_to)]
    pub shelf: Loaded<Option<Shelf>>,
}

#[tokio::test]
async fn keys_declared_with_aliases_read_write_and_relate() -> ashore::Result<()> {
    let domain = Domain::builder()
        .resource::<Shelf>()
        .resource::<Note>()
        .build()?;
    let shelf = domain
        .create(Shelf::changeset().set(Shelf::name(), "top"))
        .await?;
    let note = domain
        .create(
            Note::changeset()
                .set(Note::body(), "hello")
                .set(Note::shelf_id(), Some(shelf.id)),
        )
        .await?;
    let found: Option<Note> = domain.get::<Note>(note.id).await?;
    assert_eq!(found.map(|n| n.body), Some("hello".to_owned()));
    let shelves = domain.read(Shelf::query().load(Shelf::notes())).await?;
    assert_eq!(shelves[0].notes.get()?.len(), 1);
    Ok(())
}
