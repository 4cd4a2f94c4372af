//! One record and counts: `Domain::get` (by primary key), `Read::first` and
//! `Read::count` (and `Query::first` / `Query::count` in a scope). A record
//! the scope may not read is never found nor counted; a count is one statement
//! on SQL and fetches nothing. Each test runs on memory, SQLite and PostgreSQL
//! (`layers!`).

use ashore::prelude::*;

use crate::common::*;

layers!(get_finds_a_record_by_its_key_or_none);
async fn get_finds_a_record_by_its_key_or_none(run: Run) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let tickets = d.read(Ticket::query()).await?;
    let a9 = tickets.iter().find(|t| t.subject == "a9").expect("a9");
    let found = d
        .get::<Ticket>(a9.id)
        .load(Ticket::representative())
        .await?
        .expect("a9 by its key");
    assert_eq!(found.subject, "a9");
    assert_eq!(
        found.representative.get()?.as_ref().map(|r| &*r.name),
        Some("Ada")
    );
    assert!(d.get::<Ticket>(Uuid::new_v4()).await?.is_none());
    Ok(())
}

layers!(first_is_the_first_of_the_reads_order);
async fn first_is_the_first_of_the_reads_order(run: Run) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let by_priority = d
        .read(Ticket::query().sort(Ticket::priority().desc_nils_last()))
        .first()
        .await?;
    assert_eq!(by_priority.map(|t| t.subject), Some("a9".to_owned()));
    // Unsorted: insertion order.
    let first = d.read(Ticket::query()).first().await?;
    assert_eq!(first.map(|t| t.subject), Some("a9".to_owned()));
    // After an offset, and none past the end or with a limit of 0.
    let second = d.read(Ticket::query().offset(1)).first().await?;
    assert_eq!(second.map(|t| t.subject), Some("a1".to_owned()));
    assert!(d.read(Ticket::query().offset(5)).first().await?.is_none());
    assert!(d.read(Ticket::query().limit(0)).first().await?.is_none());
    let none = d
        .read(Ticket::query().filter(expr!(subject == "nothing")))
        .first()
        .await?;
    assert!(none.is_none());
    Ok(())
}

layers!(count_is_how_many_a_read_would_find_in_one_statement);
async fn count_is_how_many_a_read_would_find_in_one_statement(run: Run) -> Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let open = || Ticket::query().filter(expr!(status == "open"));
    let window = open().sort(Ticket::priority().desc()).offset(1).limit(2);
    assert_eq!(d.read(window.clone()).await?.len(), 2);
    let before = fx.store.statements();
    let reads = fx.reads.resources().len();
    assert_eq!(d.read(Ticket::query()).count().await?, 5);
    assert_eq!(d.read(open()).count().await?, 4);
    // Through a path, as the read would.
    let ada = || Ticket::query().filter(expr!(representative.name == "Ada"));
    assert_eq!(d.read(ada()).count().await?, 2);
    // Within the offset and limit, whatever the sort.
    assert_eq!(d.read(window).count().await?, 2);
    assert_eq!(d.read(open().offset(3)).count().await?, 1);
    assert_eq!(d.read(open().offset(9)).count().await?, 0);
    assert_eq!(d.read(open().limit(0)).count().await?, 0);
    // One statement each on SQL, and no records fetched.
    if let (Some(before), Some(after)) = (before, fx.store.statements()) {
        assert_eq!(after - before, 7, "one statement per count");
    }
    assert_eq!(fx.reads.resources().len(), reads, "a count fetches nothing");
    Ok(())
}
