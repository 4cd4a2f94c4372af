//! Writes of the PostgreSQL layer: the inserts of a create or upsert in one
//! transaction of their own (or, inside a caller's transaction, a savepoint;
//! an upsert that returns fewer records than its rows is undone, see
//! `Upsert::visibility`),
//! and an update or delete as its one statement (a savepoint inside a
//! transaction, undone if the write is cancelled: see `savepoint`), each
//! within the statement timeout. Inside a transaction, a failure undone in
//! the write's savepoint leaves the transaction whole; the savepoint's own
//! statements failing abort it (see `aborted`).

use deadpool_postgres::{GenericClient, Object};

use super::errors::{data_layer, destroy_error, write_error};
use super::savepoint::Savepoint;
use super::{Postgres, decode};
use crate::data_layer::sql::{Columns, Statement};
use crate::data_layer::store::collector;
use crate::data_layer::{Records, Upsert};
use crate::error::Result;
use crate::resource::Schema;

impl Postgres {
    /// Runs write statements for `schema` in one transaction and returns the
    /// records they return, within the statement timeout.
    pub(super) async fn write(
        &self,
        schema: &'static Schema,
        statements: &[Statement],
    ) -> Result<Records> {
        self.write_expecting(schema, statements, None).await
    }

    /// [`write`](Self::write), where `expected`, when given, is how many
    /// records the statements must return (an upsert's rows): fewer undo them
    /// all and fail with [`Upsert::forbidden`] (a row's record found was not
    /// one it may update).
    pub(super) async fn write_expecting(
        &self,
        schema: &'static Schema,
        statements: &[Statement],
        expected: Option<usize>,
    ) -> Result<Records> {
        let mut lease = self.lease().await?;
        let outcome = self
            .limited(self.write_on(&mut lease, schema, statements, expected))
            .await;
        self.settle(lease, outcome)
    }

    /// Runs write statements for `schema` in one transaction on `client` and
    /// returns the records they return.
    async fn write_on(
        &self,
        client: &mut Object,
        schema: &'static Schema,
        statements: &[Statement],
        expected: Option<usize>,
    ) -> Result<Records> {
        if let Some(held) = &self.held {
            // Inside the caller's transaction: a savepoint of its own, whose
            // own failure aborts the transaction (see `aborted`).
            let savepoint = Savepoint::begin(client, &held.savepoint)
                .await
                .map_err(|e| held.aborted.fail(write_error(schema, e)))?;
            let written = self
                .write_statements(&*client, schema, statements, expected)
                .await;
            let ended = match savepoint.end(written.is_ok()).await {
                Ok(()) => {
                    held.aborted.answered();
                    Ok(())
                }
                Err(e) => Err(held.aborted.fail(write_error(schema, e))),
            };
            return written.and_then(|records| ended.map(|()| records));
        }
        let tx = client
            .transaction()
            .await
            .map_err(|e| data_layer("starting a transaction", e))?;
        let created = self
            .write_statements(&tx, schema, statements, expected)
            .await?;
        tx.commit().await.map_err(|e| write_error(schema, e))?;
        Ok(created)
    }

    /// Runs write statements for `schema` on `client` (inside a transaction
    /// or savepoint) and returns the records they return.
    async fn write_statements<C: GenericClient + Sync>(
        &self,
        client: &C,
        schema: &'static Schema,
        statements: &[Statement],
        expected: Option<usize>,
    ) -> Result<Records> {
        let deferred = statements.len() > 1;
        if deferred {
            // One create in several INSERTs: its keys are checked once all its
            // rows are written (foreign keys `migrate` made are deferrable),
            // so a row may name one of a later statement.
            client
                .batch_execute("SET CONSTRAINTS ALL DEFERRED")
                .await
                .map_err(|e| write_error(schema, e))?;
        }
        let mut created = collector(schema, None)?;
        for stmt in statements {
            let pg_rows = self
                .run(client, stmt)
                .await
                .map_err(|e| write_error(schema, e))?;
            if stmt.columns != Columns::None {
                decode::records_into(schema, &stmt.columns, &pg_rows, &mut created)?;
            }
        }
        if deferred {
            // Checked now, by this write (inside the caller's transaction, in
            // its savepoint, so a failure is undone alone), and every later
            // statement of the transaction checked as it runs again: left
            // deferred, a failed destroy later in the block was only reported
            // at COMMIT, failing the whole transaction.
            client
                .batch_execute("SET CONSTRAINTS ALL IMMEDIATE")
                .await
                .map_err(|e| write_error(schema, e))?;
        }
        if expected.is_some_and(|n| created.len() < n) {
            return Err(Upsert::forbidden(schema));
        }
        Ok(created.finish())
    }

    /// Runs `stmt`, one update or delete of `schema`'s records (one statement
    /// is atomic: no transaction is opened), within the statement timeout,
    /// and returns the records it returns in insertion order.
    pub(super) async fn write_returning(
        &self,
        schema: &'static Schema,
        stmt: &Statement,
        destroying: bool,
    ) -> Result<Records> {
        let lease = self.lease().await?;
        // Inside the caller's transaction, in a savepoint: a failed statement
        // is undone alone instead of aborting the transaction.
        let work = async {
            let savepoint = match &self.held {
                Some(held) => Some((
                    Savepoint::begin(&lease, &held.savepoint)
                        .await
                        .map_err(|e| held.aborted.fail(write_error(schema, e)))?,
                    &held.aborted,
                )),
                None => None,
            };
            let ran = self.run(&*lease, stmt).await.map_err(|e| {
                if destroying {
                    destroy_error(schema, e)
                } else {
                    write_error(schema, e)
                }
            });
            if let Some((savepoint, aborted)) = savepoint {
                match savepoint.end(ran.is_ok()).await {
                    Ok(()) => aborted.answered(),
                    Err(e) => return Err(aborted.fail(write_error(schema, e))),
                }
            }
            decode::records_in_sequence(schema, &stmt.columns, &ran?)
        };
        let outcome = self.limited(work).await;
        self.settle(lease, outcome)
    }
}
