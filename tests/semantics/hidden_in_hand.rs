//! Aggregates loaded onto records in hand (`Domain::load`) that the read may
//! not see itself: the README's "a record the read may not see itself keeps
//! its field not loaded (a `list` gives it an empty list)", on every layer
//! and both front ends;
//! the records it may see get their answers, and `.authorize(false)` sees all.

use ashore::prelude::*;

use crate::common::hidden_in_hand_resources::{Bin, Part};
use crate::common::{Run, domain, layers};

/// Bins `open` (public, parts 1 and 2) and `shut` (not public, part 5), read
/// without policies, in that order.
async fn bins(run: &Run) -> (Domain, Vec<Bin>) {
    let d = domain(run, |b| b.resource::<Bin>().resource::<Part>()).await;
    for (label, public, sizes) in [("open", true, &[1_i64, 2][..]), ("shut", false, &[5][..])] {
        let bin = d
            .create(
                Bin::changeset()
                    .set(Bin::label(), label)
                    .set(Bin::public(), public),
            )
            .authorize(false)
            .await
            .expect("a bin");
        for size in sizes {
            d.create(
                Part::changeset()
                    .set(Part::size(), *size)
                    .set(Part::bin_id(), bin.id),
            )
            .await
            .expect("a part");
        }
    }
    let all = d
        .read(Bin::query())
        .authorize(false)
        .await
        .expect("the bins");
    (d, all)
}

layers!(a_hidden_record_in_hand_keeps_its_aggregates_not_loaded);
async fn a_hidden_record_in_hand_keeps_its_aggregates_not_loaded(run: Run) -> Result<()> {
    let (d, mut all) = bins(&run).await;
    d.load(&mut all, Bin::part_count()).await?;
    d.load(&mut all, Bin::total_size()).await?;
    d.load(&mut all, Bin::sizes()).await?;
    assert_eq!(*all[0].part_count.get()?, 2);
    assert_eq!(*all[0].total_size.get()?, Some(3));
    assert_eq!(*all[0].sizes.get()?, [1, 2]);
    // `shut` is not the read's to see: not loaded, its list empty.
    assert!(all[1].part_count.get().is_err(), "{:?}", all[1].part_count);
    assert!(all[1].total_size.get().is_err(), "{:?}", all[1].total_size);
    assert!(all[1].sizes.get()?.is_empty());
    // Without the policies every record gets its answer.
    let (d, mut all) = bins(&run).await;
    d.load(&mut all, Bin::part_count()).authorize(false).await?;
    d.load(&mut all, Bin::sizes()).authorize(false).await?;
    assert_eq!(*all[1].part_count.get()?, 1);
    assert_eq!(*all[1].sizes.get()?, [5]);
    Ok(())
}
