//! `Domain::transaction` on every layer: all or nothing, reads inside see the
//! transaction's writes and reads outside do not, an `Err` or a panic rolls
//! back, a failed write inside is undone alone, a failed read inside aborts
//! the transaction on PostgreSQL only (its commit then fails), a cancelled
//! transaction writes nothing and lets the next one in, and the transaction's
//! domain refuses calls once it has ended.

use std::time::Duration;

use ashore::prelude::*;
use ashore::{Constraint, ErrorKind};

use crate::common::*;

fn subject_is(subject: &'static str) -> Query<Ticket> {
    Ticket::query().filter(expr!(subject == ^subject))
}

async fn count(d: &Domain, subject: &'static str) -> usize {
    d.read(subject_is(subject))
        .count()
        .await
        .expect("count tickets")
}

fn new_ticket(subject: &str, rep: Option<&Representative>) -> Changeset<Ticket> {
    Ticket::changeset()
        .set(Ticket::subject(), subject)
        .set(Ticket::status(), "open")
        .set(Ticket::opened_at(), at(1))
        .set(Ticket::representative_id(), rep.map(|r| r.id))
}

layers!(a_transaction_commits_what_it_wrote_and_reads_its_own_writes);
async fn a_transaction_commits_what_it_wrote_and_reads_its_own_writes(run: Run) -> Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    // SQLite in memory (these tests' store) has no WAL: a read outside would
    // wait for the transaction's end. On a file in WAL mode it reads the last
    // commit, as memory and PostgreSQL do.
    let outside = (run.layer != Layer::Sqlite).then(|| d.clone());
    let (rep, seen_outside) = d
        .transaction(|tx| async move {
            let rep = rep(&tx, "Ada", 3).await;
            tx.create_many([new_ticket("t1", Some(&rep)), new_ticket("t2", Some(&rep))])
                .await?;
            // Inside: its own writes, through reads, counts, gets and loads.
            assert_eq!(tx.read(Ticket::query()).count().await?, 2);
            let reps = tx
                .read(Representative::query().load(Representative::tickets()))
                .await?;
            assert_eq!(reps[0].tickets.get()?.len(), 2);
            assert!(tx.get::<Representative>(rep.id).await?.is_some());
            // Outside, before the commit: nothing yet.
            let seen_outside = match outside {
                Some(outside) => outside.read(Ticket::query()).count().await?,
                None => 0,
            };
            Ok::<_, ashore::Error>((rep, seen_outside))
        })
        .await?;
    assert_eq!(seen_outside, 0, "uncommitted writes are not seen outside");
    assert_eq!(count(d, "t1").await + count(d, "t2").await, 2);
    assert!(d.get::<Representative>(rep.id).await?.is_some());
    Ok(())
}

layers!(an_error_rolls_back_everything_and_is_returned);
async fn an_error_rolls_back_everything_and_is_returned(run: Run) -> Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    #[derive(Debug)]
    enum AppError {
        #[allow(dead_code)] // Read through `Debug`.
        Ashore(ashore::Error),
        Refused(&'static str),
    }
    impl From<ashore::Error> for AppError {
        fn from(e: ashore::Error) -> Self {
            AppError::Ashore(e)
        }
    }
    let outcome: std::result::Result<(), AppError> = d
        .transaction(|tx| async move {
            tx.create(new_ticket("kept?", None)).await?;
            Err(AppError::Refused("the customer cancelled"))
        })
        .await;
    assert!(
        matches!(outcome, Err(AppError::Refused("the customer cancelled"))),
        "{outcome:?}"
    );
    assert_eq!(count(d, "kept?").await, 0);
    // The next transaction runs as usual.
    d.transaction(|tx| async move {
        tx.create(new_ticket("after", None)).await?;
        Ok::<_, AppError>(())
    })
    .await
    .map_err(|e| ashore::Error::loader(format!("{e:?}")))?;
    assert_eq!(count(d, "after").await, 1);
    Ok(())
}

layers!(a_panic_rolls_back_and_is_resumed);
async fn a_panic_rolls_back_and_is_resumed(run: Run) -> Result<()> {
    let fx = helpdesk(&run).await;
    let d = fx.domain.clone();
    let task = tokio::spawn(async move {
        d.transaction(|tx| async move {
            tx.create(new_ticket("panicked", None)).await?;
            if tx.read(Ticket::query()).count().await? == 1 {
                panic!("a bug in the block");
            }
            Ok::<_, ashore::Error>(())
        })
        .await
    });
    let joined = task.await;
    assert!(joined.is_err_and(|e| e.is_panic()), "the panic is resumed");
    assert_eq!(count(&fx.domain, "panicked").await, 0);
    Ok(())
}

layers!(a_failed_write_inside_is_undone_alone);
async fn a_failed_write_inside_is_undone_alone(run: Run) -> Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let ghost = Representative {
        id: Uuid::new_v4(),
        ..rep(d, "Ghost", 1).await
    };
    d.transaction(|tx| async move {
        let first = tx.create(new_ticket("first", None)).await?;
        // A batch that breaks the primary key writes none of its records.
        let duplicate = Ticket::changeset()
            .set(Ticket::id(), first.id)
            .set(Ticket::subject(), "dup")
            .set(Ticket::status(), "open")
            .set(Ticket::opened_at(), at(2));
        let err = tx
            .create_many([new_ticket("batch", None), duplicate])
            .await
            .unwrap_err();
        assert!(
            matches!(
                err.kind(),
                ErrorKind::Constraint {
                    constraint: Constraint::Unique,
                    ..
                }
            ),
            "{err}"
        );
        // A key naming no record is refused when written, as outside.
        let err = tx
            .create(new_ticket("orphaned", Some(&ghost)))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err.kind(),
                ErrorKind::Constraint {
                    constraint: Constraint::ForeignKey,
                    ..
                }
            ),
            "{err}"
        );
        assert_eq!(tx.read(Ticket::query()).count().await?, 1);
        tx.create(new_ticket("last", None)).await?;
        Ok::<_, ashore::Error>(())
    })
    .await?;
    let subjects: Vec<String> = d
        .read(Ticket::query())
        .await?
        .into_iter()
        .map(|t| t.subject)
        .collect();
    assert_eq!(subjects, ["first", "last"]);
    Ok(())
}

layers!(a_failed_read_inside_aborts_the_transaction_on_postgres_only);
async fn a_failed_read_inside_aborts_the_transaction_on_postgres_only(run: Run) -> Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let max = rep(d, "Max", 1).await;
    ticket(d, Some(&max), "big", "open", Some(i64::MAX), 1).await;
    ticket(d, Some(&max), "one more", "open", Some(1), 2).await;
    let committed = d
        .transaction(|tx| async move {
            tx.create(new_ticket("written", None)).await?;
            // A sum past i64 fails on every layer; the block ignores it.
            let failed = tx
                .read(Representative::query().load(Representative::total_priority()))
                .await;
            assert!(failed.is_err(), "{failed:?}");
            Ok::<_, ashore::Error>(())
        })
        .await;
    if run.layer == Layer::Postgres {
        // The server aborted the transaction: its commit is an error, never
        // a silent rollback, and nothing it wrote is kept.
        let err = committed.unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::TransactionAborted { .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("out of range"), "{err}");
        assert_eq!(count(d, "written").await, 0);
    } else {
        // Memory and SQLite: a failed read leaves the transaction whole.
        committed?;
        assert_eq!(count(d, "written").await, 1);
    }
    Ok(())
}

layers!(a_cancelled_transaction_writes_nothing_and_lets_the_next_in);
async fn a_cancelled_transaction_writes_nothing_and_lets_the_next_in(run: Run) -> Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let stalled = d.transaction(|tx| async move {
        tx.create(new_ticket("cancelled", None)).await?;
        std::future::pending::<()>().await;
        Ok::<_, ashore::Error>(())
    });
    let timed_out = tokio::time::timeout(Duration::from_millis(200), stalled).await;
    assert!(timed_out.is_err(), "the block never ends by itself");
    assert_eq!(count(d, "cancelled").await, 0);
    // The writer lock (memory) or the database's (SQL) was let go.
    let next = tokio::time::timeout(
        Duration::from_secs(3),
        d.transaction(|tx| async move {
            tx.create(new_ticket("next", None)).await?;
            Ok::<_, ashore::Error>(())
        }),
    )
    .await;
    assert!(matches!(next, Ok(Ok(()))), "{next:?}");
    d.create(new_ticket("outside", None)).await?;
    assert_eq!(count(d, "next").await + count(d, "outside").await, 2);
    Ok(())
}

layers!(the_transactions_domain_refuses_calls_after_it_ends);
async fn the_transactions_domain_refuses_calls_after_it_ends(run: Run) -> Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let kept = d
        .transaction(|tx| async move { Ok::<_, ashore::Error>(tx) })
        .await?;
    let err = kept.create(new_ticket("late", None)).await.unwrap_err();
    assert!(err.to_string().contains("transaction has ended"), "{err}");
    assert!(kept.read(Ticket::query()).await.is_err());
    assert_eq!(count(d, "late").await, 0);
    Ok(())
}

layers!(a_failed_destroy_after_a_keyed_create_is_undone_alone);
/// A create with a given integer key is more than one statement on
/// PostgreSQL, which checks its foreign keys once all are written: that
/// deferral ends with the create, so a destroy refused later in the block is
/// refused there and undone alone, and the block commits (it was reported at
/// COMMIT, failing the whole transaction).
async fn a_failed_destroy_after_a_keyed_create_is_undone_alone(run: Run) -> Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let owner = rep(d, "Owner", 1).await;
    d.create(new_ticket("owned", Some(&owner))).await?;
    d.transaction(|tx| {
        let owner = owner.clone();
        async move {
            tx.create(
                Tag::changeset()
                    .set(Tag::id(), 500)
                    .set(Tag::name(), "keyed"),
            )
            .await?;
            let err = tx.destroy(&owner).await.unwrap_err();
            assert!(
                matches!(
                    err.kind(),
                    ErrorKind::Constraint {
                        constraint: Constraint::ForeignKey,
                        ..
                    }
                ),
                "{err}"
            );
            Ok::<_, ashore::Error>(())
        }
    })
    .await?;
    let tags: Vec<i64> = d
        .read(Tag::query())
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(tags, [500]);
    assert_eq!(d.read(Representative::query()).count().await?, 1);
    Ok(())
}
