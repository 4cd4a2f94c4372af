//! Loads through the large schema on the memory layer: down the chain, back up
//! it, and round the cycle; with the load spawned on another task and the
//! records sent to another thread, which is what needs them `Send` and `Sync`.

use ashore::prelude::*;
use ashore_large_schema::*;

/// Every auto trait of a record holds, at both ends of the chain and round the
/// cycle: each is proved through the relationship fields without walking the
/// graph (rustdoc proves them all for the types it documents, so this is also
/// what `cargo doc` on a large schema needs).
#[test]
fn records_have_every_auto_trait() {
    fn auto<T: Send + Sync + Unpin + std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}
    auto::<Chain000>();
    auto::<Chain099>();
    auto::<Cycle0>();
    auto::<Cycle3>();
}

fn domain() -> Result<Domain> {
    register(Domain::builder().data_layer(Memory::new())).build()
}

/// Three links at the head of the chain and the last link at its tail.
async fn seed_chain(d: &Domain) -> Result<()> {
    d.create(
        Chain000::changeset()
            .set(Chain000::id(), 1)
            .set(Chain000::name(), "head"),
    )
    .await?;
    d.create(
        Chain001::changeset()
            .set(Chain001::id(), 2)
            .set(Chain001::name(), "second")
            .set(Chain001::prev_id(), 1),
    )
    .await?;
    d.create_many((3..=4).map(|id| {
        Chain002::changeset()
            .set(Chain002::id(), id)
            .set(Chain002::name(), format!("third {id}"))
            .set(Chain002::prev_id(), 2)
    }))
    .await?;
    d.create(
        Chain098::changeset()
            .set(Chain098::id(), 98)
            .set(Chain098::name(), "98"),
    )
    .await?;
    d.create(
        Chain099::changeset()
            .set(Chain099::id(), 99)
            .set(Chain099::name(), "tail")
            .set(Chain099::prev_id(), 98),
    )
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spawned_load_runs_down_the_chain_across_both_front_ends() -> Result<()> {
    let d = domain()?;
    seed_chain(&d).await?;
    let spawned = d.clone();
    let heads = tokio::spawn(async move {
        spawned
            .read(
                Chain000::query()
                    .load(Chain000::next().load(Chain001::next().sort(Chain002::id().desc()))),
            )
            .await
    })
    .await
    .expect("the spawned load does not panic")?;
    assert_eq!(heads.len(), 1);
    let second = &heads[0].next.get()?[0];
    assert_eq!(second.name, "second");
    let thirds: Vec<&str> = second.next.get()?.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(thirds, ["third 4", "third 3"]);
    assert!(!second.next.get()?[0].next.is_loaded());

    // The loaded records go to another thread and come back intact.
    let copy = heads.clone();
    let names = std::thread::spawn(move || copy[0].next.get().map(|n| n[0].name.clone()))
        .join()
        .expect("the thread does not panic")?;
    assert_eq!(names, "second");
    Ok(())
}

#[tokio::test]
async fn the_tail_loads_its_belongs_to() -> Result<()> {
    let d = domain()?;
    seed_chain(&d).await?;
    let tails = d.read(Chain099::query().load(Chain099::prev())).await?;
    assert_eq!(tails[0].prev.get()?.as_ref().map(|p| p.id), Some(98));
    let orphans = d.read(Chain000::query().load(Chain000::next())).await?;
    assert_eq!(orphans[0].next.get()?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn loads_go_round_the_cycle_back_to_the_start() -> Result<()> {
    let d = domain()?;
    // A belongs_to key must point at a record that exists, so the cycle of
    // records starts from a `Cycle0` without a `prev` and comes back to
    // another `Cycle0`.
    d.create(
        Cycle0::changeset()
            .set(Cycle0::id(), 10)
            .set(Cycle0::name(), "c0"),
    )
    .await?;
    d.create(
        Cycle1::changeset()
            .set(Cycle1::id(), 11)
            .set(Cycle1::name(), "c1")
            .set(Cycle1::prev_id(), 10),
    )
    .await?;
    d.create(
        Cycle2::changeset()
            .set(Cycle2::id(), 12)
            .set(Cycle2::name(), "c2")
            .set(Cycle2::prev_id(), 11),
    )
    .await?;
    d.create(
        Cycle3::changeset()
            .set(Cycle3::id(), 13)
            .set(Cycle3::name(), "c3")
            .set(Cycle3::prev_id(), 12),
    )
    .await?;
    d.create(
        Cycle0::changeset()
            .set(Cycle0::id(), 14)
            .set(Cycle0::name(), "c0 again")
            .set(Cycle0::prev_id(), 13),
    )
    .await?;
    let round = d
        .read(Cycle0::query().filter(expr!(id == 10)).load(
            Cycle0::next().load(
                Cycle1::next().load(Cycle2::next().load(Cycle3::next().load(Cycle0::prev()))),
            ),
        ))
        .await?;
    let c3 = &round[0].next.get()?[0].next.get()?[0].next.get()?[0];
    let back = &c3.next.get()?[0];
    assert_eq!((c3.name.as_str(), back.id), ("c3", 14));
    assert_eq!(
        back.prev.get()?.as_ref().map(|p| p.name.as_str()),
        Some("c3")
    );
    Ok(())
}
