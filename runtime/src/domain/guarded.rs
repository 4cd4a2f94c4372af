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
//! the mark before each call and counting the writes that succeed. Each verb
//! of several writes runs on a domain of its own over the transaction
//! (`Domain::with_doom`), whose layer counts the writes made through it for
//! that verb, and for the verbs it runs in ([`Doom::within`]), not for the
//! calls running beside it in the same block (a `tokio::join!`): a verb that
//! failed having written nothing (its first write refused) leaves the
//! transaction whole, whatever they wrote meanwhile.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::data_layer::{
    BoxFuture, Changes, DataLayer, ReadRequest, ReadResult, Records, Rows, Transaction, Upsert,
};
use crate::error::{Error, ErrorKind, Result};
use crate::expr::Aggregate;
use crate::resource::Schema;
use crate::value::Value;

/// The state of one transaction as its verbs left it, shared by the clones
/// of its domain, and the writes of the verbs the domain runs for.
#[derive(Clone, Default)]
pub(crate) struct Doom {
    /// What aborted the transaction, once something did: one for the whole
    /// transaction.
    failed: Arc<Mutex<Option<String>>>,
    /// In a verb's domain ([`Doom::within`]), the writes that succeeded in
    /// that verb; `None` in the transaction block's own domain, where no
    /// verb of several writes is running.
    tally: Option<Arc<Tally>>,
}

/// The writes of one verb of several writes, and of the verbs it runs in.
struct Tally {
    /// Writes that succeeded in this verb so far (in the verbs it ran too).
    writes: AtomicU64,
    /// The verb this one runs in, when it runs in another.
    outer: Option<Arc<Tally>>,
}

impl Doom {
    /// The same transaction, for a verb starting now in the domain of this
    /// one: writes through its layer count for the verb, and for every verb
    /// it runs in.
    pub(crate) fn within(&self) -> Doom {
        Doom {
            failed: self.failed.clone(),
            tally: Some(Arc::new(Tally {
                writes: AtomicU64::new(0),
                outer: self.tally.clone(),
            })),
        }
    }

    /// Writes that succeeded so far in the verb this is for (see
    /// [`Doom::within`]); 0 outside one.
    fn writes(&self) -> u64 {
        self.tally
            .as_ref()
            .map_or(0, |tally| tally.writes.load(Ordering::Relaxed))
    }

    /// Aborts the transaction: `failed` says what failed (the first is kept).
    pub(crate) fn abort(&self, failed: String) {
        tracing::debug!(failed, "the transaction is aborted");
        self.failed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_or_insert(failed);
    }

    /// The error of a call on an aborted transaction, or of its commit.
    pub(crate) fn failure(&self) -> Option<Error> {
        let failed = self
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

    /// `result` of a write: counted, when it succeeded, for the verb this is
    /// for and every verb that one runs in.
    fn wrote<T>(&self, result: Result<T>) -> Result<T> {
        if result.is_ok() {
            let mut tally = self.tally.as_deref();
            while let Some(t) = tally {
                t.writes.fetch_add(1, Ordering::Relaxed);
                tally = t.outer.as_deref();
            }
        }
        result
    }
}

/// Aborts its transaction when dropped armed: held by a verb of several
/// writes while it runs, so that one cancelled after writing part of itself
/// aborts it too. It counts the verb's own writes, not those of other calls
/// running meanwhile in the same transaction (`tokio::join!` of two calls on
/// its domain): a verb that wrote nothing leaves the transaction whole
/// whatever they wrote.
pub(crate) struct Armed {
    /// The verb's: its domain's layer counts the verb's writes in it.
    doom: Doom,
    done: bool,
}

impl Armed {
    /// Armed for a verb starting now in the domain whose transaction is
    /// `doom`'s; run the verb on a domain with [`Armed::doom`].
    pub(crate) fn new(doom: &Doom) -> Armed {
        Armed {
            doom: doom.within(),
            done: false,
        }
    }

    /// The verb's own state of the transaction: what its domain's layer
    /// should count writes in.
    pub(crate) fn doom(&self) -> &Doom {
        &self.doom
    }

    /// The verb ended with `result`: an error after some of its writes
    /// succeeded aborts the transaction.
    pub(crate) fn ended<T>(mut self, result: Result<T>) -> Result<T> {
        self.done = true;
        if let Err(e) = &result
            && self.doom.writes() != 0
        {
            self.doom
                .abort(format!("{e} (after part of the call was written)"));
        }
        result
    }
}

impl Drop for Armed {
    fn drop(&mut self) {
        if !self.done && self.doom.writes() != 0 {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_counts_for_its_verb_and_those_it_runs_in_not_those_beside_it() {
        let transaction = Doom::default();
        let outer = Armed::new(&transaction);
        let inner = Armed::new(outer.doom());
        let beside = Armed::new(&transaction);
        inner.doom().wrote(Ok(())).expect("written");
        let writes = [&outer, &inner, &beside].map(|armed| armed.doom().writes());
        assert_eq!(writes, [1, 1, 0]);
        // A verb that wrote nothing leaves the transaction whole, whatever
        // the others wrote.
        let failed = beside.ended::<()>(Err(Error::loader("refused")));
        assert!(failed.is_err());
        assert!(transaction.failure().is_none());
        inner.ended(Ok(())).expect("the inner verb");
        // The outer one wrote through the inner: failing, it aborts.
        let failed = outer.ended::<()>(Err(Error::loader("refused")));
        assert!(failed.is_err());
        let err = transaction.failure().expect("aborted");
        assert!(err.to_string().contains("refused"), "{err}");
    }
}
