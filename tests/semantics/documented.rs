//! A schema under `#![deny(missing_docs)]`: everything `resource!` generates
//! for what the user documented is documented too (a belongs_to's implied key
//! accessor included), so the lint can be met.
#![deny(missing_docs)]

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

#[test]
fn the_implied_key_has_its_accessor_documented() {
    assert_eq!(Book::shelf_id().name(), "shelf_id");
}
