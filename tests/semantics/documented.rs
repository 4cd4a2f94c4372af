//! A schema under `#![deny(missing_docs)]`: everything `resource!` generates
//! for what the user documented is documented too (a belongs_to's implied key
//! accessor included), so the lint can be met. Nor does what it generates
//! raise lints of its own: a manual relationship's loader in parentheses is
//! not `unused_parens`, and under clippy (`.ci/run` denies warnings) the
//! accessors meet the pedantic `must_use_candidate`.
#![deny(missing_docs, unused_parens)]
#![warn(clippy::must_use_candidate)]

use ashore::prelude::*;

resource! {
    /// A shelf.
    #[derive(Debug, Clone)]
    pub struct Shelf {
        attributes {
            /// Its key.
            integer_primary_key id;
        }
        relationships {
            /// Its books.
            has_many books: Book;
            /// Its books, from a loader of this crate (named in parentheses).
            has_many shelved: Book { manual (Shelved); }
        }
    }
}

resource! {
    /// A book.
    #[derive(Debug, Clone)]
    pub struct Book {
        attributes {
            /// Its key.
            integer_primary_key id;
            /// Its code.
            attribute code: String;
        }
        relationships {
            /// The shelf it is on.
            belongs_to shelf: Shelf;
        }
        identities {
            /// One book per code.
            identity unique_code [code];
        }
        aggregates {
            /// How many books share its shelf.
            count neighbours: shelf.books;
        }
    }
}

/// The books of each shelf, as a manual relationship loads them.
struct Shelved;

impl ManualRelationship for Shelved {
    type Source = Shelf;
    type Destination = Book;

    async fn load(
        &self,
        shelves: &[Shelf],
        ctx: &LoadContext<'_, Book>,
    ) -> ashore::Result<Related<Shelf, Book>> {
        let ids: Vec<i64> = shelves.iter().map(|s| s.id).collect();
        let books = ctx
            .query
            .clone()
            .filter(expr!(shelf_id in ^ids))
            .read(ctx)
            .await?;
        Ok(Related::group_by(books, |b| b.shelf_id))
    }
}

#[tokio::test]
async fn the_manual_relationship_in_parentheses_loads() -> ashore::Result<()> {
    let domain = Domain::builder()
        .resource::<Shelf>()
        .resource::<Book>()
        .build()?;
    let shelf = domain.create(Shelf::changeset()).await?;
    domain
        .create(
            Book::changeset()
                .set(Book::code(), "b1")
                .set(Book::shelf_id(), Some(shelf.id)),
        )
        .await?;
    let shelves = domain.read(Shelf::query().load(Shelf::shelved())).await?;
    assert_eq!(shelves[0].shelved.get()?.len(), 1);
    Ok(())
}

#[test]
fn the_implied_key_has_its_accessor_documented() {
    assert_eq!(Book::shelf_id().name(), "shelf_id");
}
