//! `NaiveDate` and `Vec<u8>` attributes on every layer and through both front
//! ends: they round-trip through create, read and update (PostgreSQL `date`
//! and `bytea`, SQLite `YYYY-MM-DD` text and a blob); dates compare and sort
//! as dates (`==`, `<`, `>=`, `in`, nils last), bytes byte by byte (a prefix
//! first); nil follows SQL's rules; a date outside the years 1 to 9999 is
//! refused, as SQLite's text would misorder it.

use ashore::prelude::*;

use crate::common::{Run, domain, layers};

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Booking {
        attributes {
            integer_primary_key id;
            attribute title: String;
            attribute due: NaiveDate;
            attribute returned: Option<NaiveDate>;
            attribute scan: Vec<u8>;
            attribute thumb: Option<Vec<u8>>;
        }
    }
}

/// `Booking` through `#[derive(Resource)]`.
#[derive(Debug, Clone, PartialEq, Resource)]
pub struct DerivedBooking {
    #[resource(integer_primary_key)]
    pub id: i64,
    pub title: String,
    pub due: NaiveDate,
    pub returned: Option<NaiveDate>,
    pub scan: Vec<u8>,
    pub thumb: Option<Vec<u8>>,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// The records of `$r` the filter selects, in insertion order.
macro_rules! q {
    ($d:ident, $r:ident; $($f:tt)*) => {
        $d.read($r::query().filter(expr!($($f)*))).await?
    };
}

/// The test body, for either front end's `$r`.
macro_rules! dates_and_bytes {
    ($r:ident, $run:expr) => {{
        let d = domain(&$run, |b| b.resource::<$r>()).await;
        let make = |title: &str, due: NaiveDate, scan: &[u8]| {
            $r::changeset()
                .set($r::title(), title)
                .set($r::due(), due)
                .set($r::scan(), scan.to_vec())
        };
        let dune = d
            .create(make("Dune", day(2024, 3, 9), &[1, 2, 3]).set($r::thumb(), Some(vec![0, 255])))
            .await?;
        d.create(make("Emma", day(1999, 12, 31), &[1, 2]).set($r::returned(), Some(day(2000, 1, 2))))
            .await?;
        d.create(make("Ubik", day(2024, 10, 1), &[]).set($r::thumb(), Some(vec![]))).await?;
        d.create(make("Old", day(1, 1, 1), &[0, 0, 0, 0])).await?;
        d.create(make("Late", day(9999, 12, 31), &[255])).await?;

        let all = d.read($r::query()).await?;
        assert_eq!(all[0], dune);
        assert_eq!(
            (&all[0].due, &all[0].scan, &all[0].thumb, &all[0].returned),
            (&day(2024, 3, 9), &vec![1, 2, 3], &Some(vec![0, 255]), &None)
        );
        assert_eq!(all[1].returned, Some(day(2000, 1, 2)));
        assert_eq!(all[2].thumb, Some(Vec::new()), "an empty blob is not nil");

        let titles = |rs: &[$r]| rs.iter().map(|r| r.title.clone()).collect::<Vec<_>>();
        let march = day(2024, 3, 9);
        assert_eq!(titles(&q!(d, $r; due == ^march)), ["Dune"]);
        assert_eq!(titles(&q!(d, $r; due >= ^march)), ["Dune", "Ubik", "Late"]);
        let y2k = day(2000, 1, 1);
        assert_eq!(titles(&q!(d, $r; due < ^y2k)), ["Emma", "Old"]);
        assert_eq!(titles(&q!(d, $r; returned > ^y2k)), ["Emma"]);
        assert_eq!(titles(&q!(d, $r; returned < ^y2k)), Vec::<String>::new(), "nil compares as unknown");
        assert_eq!(titles(&q!(d, $r; not (returned < ^y2k))), ["Emma"], "nil stays unknown under not");
        let days = vec![day(1, 1, 1), day(9999, 12, 31)];
        assert_eq!(titles(&q!(d, $r; due in ^days)), ["Old", "Late"]);
        assert_eq!(titles(&q!(d, $r; is_nil(returned))), ["Dune", "Ubik", "Old", "Late"]);

        let scan = vec![1_u8, 2, 3];
        assert_eq!(titles(&q!(d, $r; scan == ^scan)), ["Dune"]);
        assert_eq!(titles(&q!(d, $r; scan != ^scan)), ["Emma", "Ubik", "Old", "Late"]);
        let prefix = vec![1_u8, 2];
        assert_eq!(titles(&q!(d, $r; scan > ^prefix)), ["Dune", "Late"], "a prefix orders first");
        let scans = vec![vec![], vec![255_u8]];
        assert_eq!(titles(&q!(d, $r; scan in ^scans)), ["Ubik", "Late"]);
        let empty: Vec<u8> = Vec::new();
        assert_eq!(titles(&q!(d, $r; thumb == ^empty)), ["Ubik"]);
        assert_eq!(titles(&q!(d, $r; thumb != ^empty)), ["Dune"]);

        let by_due = d.read($r::query().sort($r::due().desc())).await?;
        assert_eq!(titles(&by_due), ["Late", "Ubik", "Dune", "Emma", "Old"]);
        let by_returned = d.read($r::query().sort([$r::returned().asc(), $r::due().asc()])).await?;
        assert_eq!(titles(&by_returned), ["Emma", "Old", "Dune", "Ubik", "Late"]);
        let by_scan = d.read($r::query().sort($r::scan().asc())).await?;
        assert_eq!(titles(&by_scan), ["Ubik", "Old", "Emma", "Dune", "Late"]);

        let moved = d
            .update(&dune, $r::changeset().set($r::due(), day(2025, 2, 28)).set($r::thumb(), None))
            .await?;
        assert_eq!((moved.due, moved.thumb.clone()), (day(2025, 2, 28), None));
        assert_eq!(d.read($r::query()).await?[0], moved);

        let too_early = NaiveDate::from_ymd_opt(0, 12, 31).expect("year 0");
        let err = d.create(make("Ancient", too_early, &[])).await.unwrap_err();
        assert!(
            err.to_string().contains("outside the years 1 to 9999"),
            "{err}"
        );
        Ok(())
    }};
}

async fn dates_and_bytes_round_trip_and_compare_alike(run: Run) -> ashore::Result<()> {
    dates_and_bytes!(Booking, run)
}
layers!(dates_and_bytes_round_trip_and_compare_alike);

async fn the_derive_takes_dates_and_bytes_alike(run: Run) -> ashore::Result<()> {
    dates_and_bytes!(DerivedBooking, run)
}
layers!(the_derive_takes_dates_and_bytes_alike);
