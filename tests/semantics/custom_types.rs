//! Attribute types of the user's own (`#[derive(Scalar)]`) and `u32`, on every layer: an
//! enum stored as text (snake_case variant names, one renamed) and a newtype
//! stored as the integer it wraps, required and optional. They round-trip
//! through create, read and update; filters compare them by what they are
//! stored as (`==`, `in`, `<`, sorts), with the enum's values or the text it
//! is stored as (the variant's snake_case name, or its rename). A stored
//! value the type refuses is a type mismatch naming the type. A `u32` key
//! relates to an `i64` one, as integers of any width do.

use ashore::prelude::*;

use crate::common::{Run, domain, layers};

/// Where a loan stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Scalar)]
pub enum Status {
    Open,
    InProgress,
    #[scalar(rename = "done")]
    Returned,
}

/// An amount of money, in cents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Scalar)]
pub struct Cents(pub i64);

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Loan {
        attributes {
            uuid_primary_key id;
            attribute title: String;
            attribute status: Status;
            attribute fine: Cents;
            attribute previous: Option<Status>;
            attribute deposit: Option<Cents>;
            attribute copies: u32;
        }
    }
}

fn loan(title: &str, status: Status, fine: i64) -> Changeset<Loan> {
    Loan::changeset()
        .set(Loan::title(), title)
        .set(Loan::status(), status)
        .set(Loan::fine(), Cents(fine))
        .set(
            Loan::copies(),
            4_000_000_000_u32 + u32::try_from(fine).expect("small"),
        )
}

fn titles(loans: &[Loan]) -> Vec<&str> {
    loans.iter().map(|l| l.title.as_str()).collect()
}

async fn own_types_round_trip_and_filter_alike(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Loan>()).await;
    let dune = d.create(loan("Dune", Status::Open, 0)).await?;
    d.create(
        loan("Emma", Status::InProgress, 250)
            .set(Loan::previous(), Some(Status::Open))
            .set(Loan::deposit(), Some(Cents(1_000))),
    )
    .await?;
    d.create(loan("Ubik", Status::Returned, 75)).await?;

    let all = d.read(Loan::query()).await?;
    assert_eq!(all[0], dune);
    assert_eq!(
        (all[1].status, all[1].fine, all[1].previous, all[1].deposit),
        (
            Status::InProgress,
            Cents(250),
            Some(Status::Open),
            Some(Cents(1_000))
        )
    );
    assert_eq!((all[2].status, all[2].previous), (Status::Returned, None));

    let open = Status::Open;
    macro_rules! q {
        ($($f:tt)*) => {
            d.read(Loan::query().filter(expr!($($f)*)))
        };
    }
    assert_eq!(titles(&q!(status == ^open).await?), ["Dune"]);
    assert_eq!(titles(&q!(status == "in_progress").await?), ["Emma"]);
    assert_eq!(titles(&q!(status == "done").await?), ["Ubik"]);
    let some = vec![Status::Open, Status::Returned];
    assert_eq!(titles(&q!(status in ^some).await?), ["Dune", "Ubik"]);
    let limit = Cents(100);
    assert_eq!(titles(&q!(fine > ^limit).await?), ["Emma"]);
    // As the README writes it: a pinned call, a constructor included.
    assert_eq!(titles(&q!(fine > ^Cents(100)).await?), ["Emma"]);
    assert_eq!(titles(&q!(fine >= ^Cents::clone(&limit)).await?), ["Emma"]);
    // A list of literals and pinned values.
    assert_eq!(
        titles(&q!(fine in [0, ^limit.0, 250]).await?),
        ["Dune", "Emma"]
    );
    assert_eq!(
        titles(&q!(status in ["done", ^open]).await?),
        ["Dune", "Ubik"]
    );
    assert_eq!(titles(&q!(fine < 100).await?), ["Dune", "Ubik"]);
    assert_eq!(titles(&q!(is_nil(previous)).await?), ["Dune", "Ubik"]);
    // A `u32` past `i32::MAX` is kept and compared as a number.
    assert_eq!(all[1].copies, 4_000_000_250);
    assert_eq!(titles(&q!(copies > 4_000_000_100).await?), ["Emma"]);
    let sorted = d.read(Loan::query().sort(Loan::fine().desc())).await?;
    assert_eq!(titles(&sorted), ["Emma", "Ubik", "Dune"]);

    let returned = d
        .update(
            &dune,
            Loan::changeset().set(Loan::status(), Status::Returned),
        )
        .await?;
    assert_eq!(returned.status, Status::Returned);
    Ok(())
}
layers!(own_types_round_trip_and_filter_alike);

/// A stored value the attribute's own type refuses (text that names no
/// variant, an integer out of a `u32`'s range, written by raw SQL) is a type
/// mismatch naming that type, not the type it is stored as (`expects
/// String, found "lost"` said the value was of another type), and the record
/// by its key, through a read and through raw SQL alike. Memory holds only
/// values its types made, so this runs on the SQL layers (a row of another
/// layer that does not fit: `errors::rows_that_do_not_fit_the_resource_are_errors`).
async fn a_stored_value_its_type_refuses_names_the_type(run: Run) -> ashore::Result<()> {
    let fx = crate::common::counted(&run, |b| b.resource::<Loan>()).await;
    if let crate::common::Store::Memory = fx.store {
        return Ok(());
    }
    let d = &fx.domain;
    let dune = d.create(loan("Dune", Status::Open, 0)).await?;
    for (sql, expected, found) in [
        ("UPDATE loan SET status = 'lost'", "Status", "\"lost\""),
        ("UPDATE loan SET status = 'open', copies = -1", "u32", "-1"),
    ] {
        match &fx.store {
            crate::common::Store::Memory => unreachable!("returned above"),
            crate::common::Store::Sqlite(s) => {
                let sql = sql.to_owned();
                s.with_connection(move |c| c.execute_batch(&sql)).await?;
            }
            crate::common::Store::Postgres(p) => {
                let client = p.client().await?;
                client.batch_execute(sql).await.expect(sql);
            }
        }
        let read = d.read(Loan::query()).await.unwrap_err();
        let raw = match &fx.store {
            crate::common::Store::Memory => unreachable!("returned above"),
            crate::common::Store::Sqlite(s) => s.query::<Loan>("SELECT * FROM loan", vec![]).await,
            crate::common::Store::Postgres(p) => {
                p.query::<Loan>("SELECT * FROM loan", vec![]).await
            }
        }
        .unwrap_err();
        for err in [read, raw] {
            match err.kind() {
                ErrorKind::TypeMismatch {
                    resource: "Loan",
                    expected: e,
                    key,
                    ..
                } => {
                    assert_eq!(*e, expected, "{err}");
                    assert_eq!(key, &Some(ashore::Value::Uuid(dune.id)), "{err}");
                }
                _ => panic!("not a type mismatch: {err:?}"),
            }
            let message = format!("of Loan {} expects {expected}, found {found}", dune.id);
            assert!(err.to_string().ends_with(&message), "{err}");
        }
    }
    Ok(())
}
layers!(a_stored_value_its_type_refuses_names_the_type);

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Shelf {
        attributes {
            integer_primary_key id;
            attribute label: String;
        }
        relationships {
            has_many books: Book;
        }
    }
}

resource! {
    /// A book whose key to its shelf is a `u32` (stored as a 64-bit integer,
    /// as the shelf's `i64` key is).
    #[derive(Debug, Clone, PartialEq)]
    pub struct Book {
        attributes {
            integer_primary_key id;
            attribute title: String;
            attribute shelf_id: Option<u32>;
        }
        relationships {
            belongs_to shelf: Shelf;
        }
    }
}

/// Integer keys of any width relate, `u32` included: a `u32` foreign key to
/// an `i64` primary key loads both ways on every layer.
async fn a_u32_key_relates_to_an_i64_key(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Shelf>().resource::<Book>()).await;
    let shelf = d
        .create(Shelf::changeset().set(Shelf::label(), "A"))
        .await?;
    let key = u32::try_from(shelf.id).expect("a small key");
    d.create(
        Book::changeset()
            .set(Book::title(), "Dune")
            .set(Book::shelf_id(), Some(key)),
    )
    .await?;
    let shelves = d.read(Shelf::query().load(Shelf::books())).await?;
    let titles: Vec<&str> = shelves[0]
        .books
        .get()?
        .iter()
        .map(|b| b.title.as_str())
        .collect();
    assert_eq!(titles, ["Dune"]);
    let books = d.read(Book::query().load(Book::shelf())).await?;
    assert_eq!(books[0].shelf.get()?.as_ref().map(|s| s.id), Some(shelf.id));
    Ok(())
}
layers!(a_u32_key_relates_to_an_i64_key);
