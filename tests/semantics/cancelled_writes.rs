//! A write cancelled inside a transaction (its future dropped by a timeout or
//! a `select!` while it runs) leaves nothing behind: the transaction goes on,
//! commits its other writes, and the cancelled one is not among them, on
//! every layer. Cancelled at each of its waits in turn, a write is all there
//! or not at all; cancelled while its statement waits on the server for a
//! lock another PostgreSQL session holds (then runs), it is not there.

use std::future::{Future, IntoFuture};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use ashore::data_layer::sql::Postgres;
use ashore::prelude::*;

use crate::common::*;

fn new_ticket(subject: &str) -> Changeset<Ticket> {
    Ticket::changeset()
        .set(Ticket::subject(), subject)
        .set(Ticket::status(), "open")
        .set(Ticket::opened_at(), at(1))
}

async fn subjects(d: &Domain) -> Result<Vec<String>> {
    let tickets = d
        .read(Ticket::query().sort(Ticket::subject().asc()))
        .await?;
    Ok(tickets.into_iter().map(|t| t.subject).collect())
}

/// The subjects among `all` of round `round`, without its prefix.
fn of_round<'a>(all: &'a [String], round: &str) -> Vec<&'a str> {
    all.iter()
        .filter_map(|s| s.strip_prefix(round))
        .map(str::trim)
        .collect()
}

/// Polls `future` (each time it is woken) until it finishes or has waited
/// `polls` times, then drops it at once: `None` when it had not finished,
/// cancelled at its `polls`-th wait as a timeout or a `select!` would.
async fn cancel_after<F: IntoFuture>(polls: usize, future: F) -> Option<F::Output> {
    let mut future = pin!(future.into_future());
    let mut left = polls;
    std::future::poll_fn(move |cx| match future.as_mut().poll(cx) {
        Poll::Ready(output) => Poll::Ready(Some(output)),
        Poll::Pending => {
            left -= 1;
            if left == 0 {
                Poll::Ready(None)
            } else {
                Poll::Pending
            }
        }
    })
    .await
}

layers!(a_write_cancelled_at_any_wait_is_all_there_or_not_at_all);
async fn a_write_cancelled_at_any_wait_is_all_there_or_not_at_all(run: Run) -> Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let mut cancelled_absent = 0;
    for polls in 1.. {
        let round = format!("{polls:03}");
        let finished = d
            .transaction(|tx| {
                let round = round.clone();
                async move {
                    tx.create(new_ticket(&format!("{round} before"))).await?;
                    let write = tx.create_many([
                        new_ticket(&format!("{round} cancelled 1")),
                        new_ticket(&format!("{round} cancelled 2")),
                    ]);
                    let finished = cancel_after(polls, write).await.is_some();
                    // The transaction goes on, reads and writes as before.
                    tx.create(new_ticket(&format!("{round} after"))).await?;
                    let seen = tx.read(Ticket::query()).count().await?;
                    Ok::<_, ashore::Error>((finished, seen))
                }
            })
            .await?;
        let all = subjects(d).await?;
        let mine = of_round(&all, &round);
        let (finished, seen_inside) = finished;
        assert_eq!(seen_inside, all.len(), "round {polls}: {mine:?}");
        if finished {
            assert_eq!(mine, ["after", "before", "cancelled 1", "cancelled 2"]);
            break;
        }
        match mine[..] {
            ["after", "before"] => cancelled_absent += 1,
            // Cancelled once its end was sent: it had finished.
            ["after", "before", "cancelled 1", "cancelled 2"] => {}
            _ => panic!("round {polls}: a cancelled write half there: {mine:?}"),
        }
        assert!(polls < 100, "the write never finished");
    }
    // PostgreSQL: cancelled at its first wait (for `SAVEPOINT`), the write
    // is undone. (Memory writes in one step, which a cancellation never
    // splits; SQLite's one wait is for its whole write, on a blocking thread,
    // which may be done first: `tests/sql/transactions.rs` holds it back.)
    if run.layer == Layer::Postgres {
        assert!(cancelled_absent > 0, "some cancellation undid the write");
    }
    Ok(())
}

layers!(a_call_of_several_writes_cancelled_at_any_wait_is_all_there_or_aborts);
async fn a_call_of_several_writes_cancelled_at_any_wait_is_all_there_or_aborts(
    run: Run,
) -> Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let mut aborted = 0;
    for polls in 1.. {
        let round = format!("{polls:03}");
        let outcome = d
            .transaction(|tx| {
                let round = round.clone();
                async move {
                    tx.create(new_ticket(&format!("{round} before"))).await?;
                    let call = tx
                        .create(
                            Representative::changeset()
                                .set(Representative::name(), format!("{round} rep"))
                                .set(Representative::priority_threshold(), 1)
                                .set(Representative::admin(), false),
                        )
                        .with_related(
                            Representative::tickets(),
                            [
                                new_ticket(&format!("{round} child 1")),
                                new_ticket(&format!("{round} child 2")),
                            ],
                        );
                    Ok::<_, ashore::Error>(cancel_after(polls, call).await.is_some())
                }
            })
            .await;
        let all = subjects(d).await?;
        let mine = of_round(&all, &round);
        match outcome {
            Ok(true) => {
                assert_eq!(mine, ["before", "child 1", "child 2"]);
                break;
            }
            // Cancelled before it wrote anything, or once its end was sent.
            Ok(false) => assert!(
                mine == ["before"] || mine == ["before", "child 1", "child 2"],
                "round {polls}: a cancelled call half there: {mine:?}"
            ),
            // Cancelled after part of it was written: the whole transaction
            // is undone.
            Err(e) => {
                assert!(
                    matches!(e.kind(), ErrorKind::TransactionAborted { .. }),
                    "{e:?}"
                );
                assert!(mine.is_empty(), "round {polls}: {mine:?}");
                aborted += 1;
            }
        }
        assert!(polls < 100, "the call never finished");
    }
    // PostgreSQL waits on the server between the parent's write and its
    // children's: a cancellation there aborts the transaction. (Memory writes
    // without waiting; SQLite's waits may each find their write done.)
    if run.layer == Layer::Postgres {
        assert!(aborted > 0, "some cancellation fell between two writes");
    }
    Ok(())
}

/// Runs `write` while another session holds `lock` (taken in a transaction
/// of its own) and drops it as soon as one of its statements waits on the
/// server for that lock (a `select!` whose other branch won); then lets the
/// lock go, and the statement runs to its end. Returns the process id of the
/// session that waited (the transaction's connection).
async fn cancel_while_blocked<F>(postgres: &Postgres, lock: &str, write: F) -> Result<i32>
where
    F: IntoFuture,
    F::Output: std::fmt::Debug,
{
    let holder = postgres.client().await?;
    holder
        .batch_execute(&format!("BEGIN; {lock}"))
        .await
        .expect("take the lock");
    let pid: i32 = holder
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .expect("the holder's pid")
        .get(0);
    let watcher = postgres.client().await?;
    let blocked = async {
        loop {
            let waiting = watcher
                .query(
                    "SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))",
                    &[&pid],
                )
                .await
                .expect("read pg_stat_activity");
            if let Some(row) = waiting.first() {
                return row.get::<_, i32>(0);
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    let waited = tokio::select! {
        written = write.into_future() => panic!("the write waits for the lock: {written:?}"),
        pid = blocked => pid,
    };
    holder.batch_execute("ROLLBACK").await.expect("unlock");
    Ok(waited)
}

// PostgreSQL only: SQLite runs a statement to its end once started, on a
// blocking thread (`tests/sql/transactions.rs` cancels a write before its
// work runs there); memory writes in one step.

layers!(a_create_cancelled_while_its_statement_waits_is_undone);
async fn a_create_cancelled_while_its_statement_waits_is_undone(run: Run) -> Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let Store::Postgres(postgres) = &fx.store else {
        return Ok(());
    };
    let ada = rep(d, "Ada", 1).await;
    d.transaction(|tx| async move {
        tx.create(new_ticket("before")).await?;
        let write =
            tx.create(new_ticket("cancelled").set(Ticket::representative_id(), Some(ada.id)));
        // The insert's foreign key check waits for the representative's row.
        let lock = "SELECT * FROM representative FOR UPDATE";
        cancel_while_blocked(postgres, lock, write).await?;
        // The next statement undoes it first.
        assert_eq!(tx.read(Ticket::query()).count().await?, 1);
        tx.create(new_ticket("after")).await?;
        Ok::<_, ashore::Error>(())
    })
    .await?;
    assert_eq!(subjects(d).await?, ["after", "before"]);
    Ok(())
}

layers!(an_update_cancelled_while_its_statement_waits_is_undone);
async fn an_update_cancelled_while_its_statement_waits_is_undone(run: Run) -> Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let Store::Postgres(postgres) = &fx.store else {
        return Ok(());
    };
    let ticket = d.create(new_ticket("kept")).await?;
    d.transaction(|tx| async move {
        tx.create(new_ticket("before")).await?;
        let write = tx.update(
            &ticket,
            Ticket::changeset().set(Ticket::subject(), "cancelled"),
        );
        // The update waits for the ticket's row.
        let lock = "SELECT * FROM ticket WHERE subject = 'kept' FOR UPDATE";
        cancel_while_blocked(postgres, lock, write).await?;
        // Straight to the commit, which undoes it first.
        Ok::<_, ashore::Error>(())
    })
    .await?;
    assert_eq!(subjects(d).await?, ["before", "kept"]);
    Ok(())
}

layers!(a_commit_that_cannot_undo_a_cancelled_write_is_aborted);
async fn a_commit_that_cannot_undo_a_cancelled_write_is_aborted(run: Run) -> Result<()> {
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    let Store::Postgres(postgres) = &fx.store else {
        return Ok(());
    };
    let ada = rep(d, "Ada", 1).await;
    let committed = d
        .transaction(|tx| async move {
            tx.create(new_ticket("before")).await?;
            let write =
                tx.create(new_ticket("cancelled").set(Ticket::representative_id(), Some(ada.id)));
            let lock = "SELECT * FROM representative FOR UPDATE";
            let pid = cancel_while_blocked(postgres, lock, write).await?;
            // The transaction's session ends under it: the commit cannot undo
            // the cancelled write first, and nothing is committed.
            postgres
                .client()
                .await?
                .execute("SELECT pg_terminate_backend($1)", &[&pid])
                .await
                .expect("terminate the transaction's session");
            Ok::<_, ashore::Error>(())
        })
        .await;
    let err = committed.expect_err("the commit fails");
    assert!(
        matches!(err.kind(), ErrorKind::TransactionAborted { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("undoing a cancelled write"),
        "{err}"
    );
    assert!(subjects(d).await?.is_empty());
    Ok(())
}
