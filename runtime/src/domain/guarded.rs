//! What a transaction's domain knows of the verbs run in it.
//!
//! A verb of several data-layer writes (a create with related records, a
//! many_to_many relate or replace) is all or nothing: outside a transaction it
//! begins one of its own. Inside a caller's transaction it cannot, so when it
//! fails, or is cancelled, after writing part of itself, the part it wrote
//! would stay, and a block that ignored the error would commit it. Instead
//! the transaction is then aborted ([`Doom`]), as Ash aborts a transaction
//! whose inner one fails, and as PostgreSQL aborts one on a failed statement:
//! the transaction's layer ([`Guarded`]) refuses every later call, and the
//! commit rolls back, each with [`ErrorKind::TransactionAborted`] naming what
//! failed.
//!
//! [`Guarded`] wraps the layer a data layer's transaction hands out, checking
//! the mark before each call and counting the writes that succeed: a verb
//! that failed having written nothing (its first write refused) leaves the
//! transaction whole.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::data_layer::{
    BoxFuture, Changes, DataLayer, ReadRequest, ReadResult, Records, Rows, Transaction, Upsert,
};
use crate::error::{Error, ErrorKind, Result};
use crate::expr::Aggregate;
use crate::resource::Schema;
use crate::value::Value;

/// The state of one transaction as its verbs left it; shared by the clones
/// of its domain.
#[derive(Clone, Default)]
pub(crate) struct Doom(Arc<State>);

#[derive(Default)]
struct State {
    /// What aborted the transaction, once something did.
    failed: Mutex<Option<String>>,
    /// Writes that succeeded in it so far.
    writes: AtomicU64,
}

impl Doom {
    /// Writes that succeeded so far.
    pub(crate) fn writes(&self) -> u64 {
        self.0.writes.load(Ordering::Relaxed)
    }

    /// Aborts the transaction: `failed` says what failed (the first is kept).
    pub(crate) fn abort(&self, failed: String) {
        tracing::debug!(failed, "the transaction is aborted");
        self.0
            .failed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_or_insert(failed);
    }

    /// The error of a call on an aborted transaction, or of its commit.
    pub(crate) fn failure(&self) -> Option<Error> {
        let failed = self
            .0
            .failed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()?;
        Some(Error::new(ErrorKind::TransactionAborted { failed }))
    }

    fn check(&self) -> Result<()> {
        match self.failure() {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }

    /// `result` of a write: counted when it succeeded.
    fn wrote<T>(&self, result: Result<T>) -> Result<T> {
        if result.is_ok() {
            self.0.writes.fetch_add(1, Ordering::Relaxed);
        }
        result
    }
}

/// Aborts its transaction when dropped armed: held by a verb of several
/// writes while it runs, so that one cancelled after writing part of itself
/// aborts it too.
pub(crate) struct Armed {
    doom: Doom,
    writes: u64,
    done: bool,
}

impl Armed {
    /// Armed for a verb starting now.
    pub(crate) fn new(doom: &Doom) -> Armed {
        Armed {
            doom: doom.clone(),
            writes: doom.writes(),
            done: false,
        }
    }

    /// The verb ended with `result`: an error after some of its writes
    /// succeeded aborts the transaction.
    pub(crate) fn ended<T>(mut self, result: Result<T>) -> Result<T> {
        self.done = true;
        if let Err(e) = &result
            && self.doom.writes() != self.writes
        {
            self.doom
                .abort(format!("{e} (after part of the call was written)"));
        }
        result
    }
}

impl Drop for Armed {
    fn drop(&mut self) {
        if !self.done && self.doom.writes() != self.writes {
            self.doom.abort(
                "a call of several writes whose caller stopped waiting after part of it was \
                 written"
                    .to_owned(),
            );
        }
    }
}

/// A transaction's layer, refusing every call once its transaction is
/// aborted (see the module docs).
pub(crate) struct Guarded {
    pub(crate) inner: Arc<dyn DataLayer>,
    pub(crate) doom: Doom,
}

impl DataLayer for Guarded {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn register(&self, schema: &'static Schema) -> Result<()> {
        self.inner.register(schema)
    }

    fn read<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<ReadResult>> {
        Box::pin(async move {
            self.doom.check()?;
            self.inner.read(request).await
        })
    }

    fn count<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<usize>> {
        Box::pin(async move {
            self.doom.check()?;
            self.inner.count(request).await
        })
    }

    fn aggregate<'a>(
        &'a self,
        request: ReadRequest,
        aggregates: Vec<Aggregate>,
    ) -> BoxFuture<'a, Result<Vec<Vec<Value>>>> {
        Box::pin(async move {
            self.doom.check()?;
            self.inner.aggregate(request, aggregates).await
        })
    }

    fn aggregate_list<'a>(
        &'a self,
        request: ReadRequest,
        aggregate: Aggregate,
    ) -> BoxFuture<'a, Result<Vec<(Value, Value)>>> {
        Box::pin(async move {
            self.doom.check()?;
            self.inner.aggregate_list(request, aggregate).await
        })
    }

    fn create<'a>(&'a self, schema: &'static Schema, rows: Rows) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move {
            self.doom.check()?;
            self.doom.wrote(self.inner.create(schema, rows).await)
        })
    }

    fn update<'a>(
        &'a self,
        request: ReadRequest,
        changes: Changes,
    ) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move {
            self.doom.check()?;
            self.doom.wrote(self.inner.update(request, changes).await)
        })
    }

    fn destroy<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move {
            self.doom.check()?;
            self.doom.wrote(self.inner.destroy(request).await)
        })
    }

    fn upsert<'a>(
        &'a self,
        schema: &'static Schema,
        rows: Rows,
        upsert: Upsert,
    ) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move {
            self.doom.check()?;
            self.doom
                .wrote(self.inner.upsert(schema, rows, upsert).await)
        })
    }

    fn begin<'a>(&'a self) -> BoxFuture<'a, Result<Box<dyn Transaction>>> {
        Box::pin(async move {
            self.doom.check()?;
            self.inner.begin().await
        })
    }

    fn migrate<'a>(&'a self, schemas: Vec<&'static Schema>) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            self.doom.check()?;
            self.inner.migrate(schemas).await
        })
    }

    fn migration_plan<'a>(
        &'a self,
        schemas: Vec<&'static Schema>,
    ) -> BoxFuture<'a, Result<Vec<String>>> {
        self.inner.migration_plan(schemas)
    }
}
