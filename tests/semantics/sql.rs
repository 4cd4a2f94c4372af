//! What only the SQL layers can tell (DESIGN "Semantics" 1, counted in
//! statements): a read with nested loads is one statement per relationship per
//! level, whatever the number of parents; and a PostgreSQL server that cannot
//! be reached is an error when connecting, which fails a PostgreSQL run rather
//! than skipping it.

use crate::common::*;
use ashore::ErrorKind;
use ashore::data_layer::sql::Postgres;

/// A PostgreSQL URL nothing listens on.
const UNREACHABLE: &str = "postgres://postgres@127.0.0.1:1/test?connect_timeout=5";

async fn one_statement_per_relationship_per_level(run: Run) -> ashore::Result<()> {
    for n in [1, 3, 500] {
        let fx = helpdesk(&run).await;
        seed_many(&fx.domain, n).await;
        fx.reads.clear();
        let before = fx.store.statements();
        let reps = fx
            .domain
            .read(
                Representative::query().load(
                    Representative::tickets()
                        .load(Ticket::comments())
                        .load(Ticket::tags()),
                ),
            )
            .await?;
        let after = fx.store.statements();

        assert_eq!(reps.len(), n);
        for r in &reps {
            let tickets = r.tickets.get()?;
            assert_eq!(subjects(tickets).len(), 2, "tickets of {}", r.name);
            for t in tickets {
                let bodies: Vec<&str> = t.comments.get()?.iter().map(|c| &*c.body).collect();
                assert_eq!(bodies, [format!("c {}", &t.subject[2..])], "{}", t.subject);
                let tags: Vec<&str> = t.tags.get()?.iter().map(|g| &*g.name).collect();
                assert_eq!(tags, ["urgent"], "{}", t.subject);
            }
        }
        // The representatives, then one read each for tickets, their comments
        // and their tags (many_to_many): 1 + 3.
        assert_eq!(
            fx.reads.resources(),
            ["Representative", "Ticket", "Comment", "Tag"],
            "{n} parents"
        );
        match (run.layer, before, after) {
            (Layer::Memory, None, None) => {}
            (Layer::Sqlite | Layer::Postgres, Some(before), Some(after)) => {
                assert_eq!(after - before, 1 + 3, "statements for {n} parents");
            }
            other => panic!("statements on {other:?}"),
        }
    }
    Ok(())
}

layers!(one_statement_per_relationship_per_level);

#[tokio::test]
async fn connecting_to_an_unreachable_server_is_an_error() {
    let err = Postgres::connect(UNREACHABLE)
        .await
        .expect_err("nothing listens on port 1");
    assert!(matches!(err.kind(), ErrorKind::DataLayer { .. }), "{err:?}");
    let err = Postgres::connect_in_schema(UNREACHABLE, "ashore_t_unreachable")
        .await
        .expect_err("nothing listens on port 1");
    assert!(matches!(err.kind(), ErrorKind::DataLayer { .. }), "{err:?}");
}

#[tokio::test]
#[should_panic(expected = "PostgreSQL at ASHORE_PG_URL=")]
async fn a_postgres_run_on_an_unreachable_server_fails() {
    // What a test on `Layer::Postgres` does first when `ASHORE_PG_URL` points
    // at a server that cannot be reached: it fails, it does not skip.
    let run = Run::postgres_at(UNREACHABLE);
    helpdesk(&run).await;
}
