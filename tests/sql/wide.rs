//! A record of twenty attributes of mixed types: every attribute comes back
//! from SQLite in its own field (the generated `read_columns` reads each column
//! at its own index, in chunks of sixteen: the last four are a second chunk),
//! and a wrong value in the tenth or the nineteenth names it.

use ashore::data_layer::sql::Sqlite;
use ashore::prelude::*;

/// A resource on the table `wide`: twenty attributes of mixed types, the
/// nineteenth (`r`, in the second chunk) of type `$r`.
macro_rules! wide {
    ($(#[$doc:meta])* $name:ident, $r:ty) => {
        resource! {
            $(#[$doc])*
            #[derive(Debug, Clone, PartialEq)]
            pub struct $name {
                table "wide";
                attributes {
                    integer_primary_key id;
                    attribute a: String;
                    attribute b: i64;
                    attribute c: Option<String>;
                    attribute d: bool;
                    attribute e: f64;
                    attribute f: Option<i64>;
                    attribute g: String;
                    attribute h: i64;
                    attribute i: Option<String>;
                    attribute j: i64;
                    attribute k: String;
                    attribute l: bool;
                    attribute m: i64;
                    attribute n: String;
                    attribute o: i64;
                    attribute p: Option<i64>;
                    attribute q: String;
                    attribute r: $r;
                    attribute s: String;
                }
            }
        }
    };
}

wide!(
    /// Twenty attributes of mixed types.
    Wide,
    i64
);

wide!(
    /// The same table, `r` read as an `i32`, which its value does not fit.
    WideRAsI32,
    i32
);

resource! {
    /// The same table, its last attribute read as an integer.
    #[derive(Debug, Clone, PartialEq)]
    pub struct WideAsInt {
        table "wide";
        attributes {
            integer_primary_key id;
            attribute i: i64;
        }
    }
}

#[tokio::test]
async fn sqlite_reads_every_attribute_of_a_wide_record() {
    let sqlite = Sqlite::memory().expect("SQLite in memory");
    let domain = Domain::builder()
        .data_layer(sqlite.clone())
        .resource::<Wide>()
        .build()
        .expect("the domain builds");
    domain.migrate().await.expect("migrate");
    let created = domain
        .create(
            Wide::changeset()
                .set(Wide::a(), "first")
                .set(Wide::b(), 2)
                .set(Wide::c(), Some("third".to_owned()))
                .set(Wide::d(), true)
                .set(Wide::e(), 5.5)
                .set(Wide::f(), None)
                .set(Wide::g(), "seventh")
                .set(Wide::h(), 8)
                .set(Wide::i(), Some("ninth".to_owned()))
                .set(Wide::j(), 10)
                .set(Wide::k(), "eleventh")
                .set(Wide::l(), false)
                .set(Wide::m(), 13)
                .set(Wide::n(), "fourteenth")
                .set(Wide::o(), 15)
                .set(Wide::p(), Some(16))
                .set(Wide::q(), "seventeenth")
                .set(Wide::r(), 18_000_000_000_i64)
                .set(Wide::s(), "nineteenth"),
        )
        .await
        .expect("create");
    let read = domain.read(Wide::query()).await.expect("read");
    assert_eq!(read, vec![created.clone()]);
    let wide = &read[0];
    assert_eq!(
        (wide.g.as_str(), wide.h, wide.i.as_deref()),
        ("seventh", 8, Some("ninth"))
    );
    assert_eq!(
        (wide.o, wide.p, wide.q.as_str(), wide.r, wide.s.as_str()),
        (15, Some(16), "seventeenth", 18_000_000_000, "nineteenth")
    );

    let err = read_error::<WideRAsI32>(sqlite.clone()).await;
    assert!(
        err.contains("attribute `r` of WideRAsI32"),
        "18,000,000,000 is not an i32: {err}"
    );
    let err = read_error::<WideAsInt>(sqlite).await;
    assert!(
        err.contains("attribute `i` of WideAsInt"),
        "text is not an integer: {err}"
    );
}

/// The error of reading every `R` of the table `wide` through `sqlite`.
async fn read_error<R: Resource + std::fmt::Debug>(sqlite: Sqlite) -> String {
    let domain = Domain::builder()
        .data_layer(sqlite)
        .resource::<R>()
        .build()
        .expect("the domain builds");
    let err = domain
        .read(Query::<R>::new())
        .await
        .expect_err("a value does not fit its attribute");
    err.to_string()
}
