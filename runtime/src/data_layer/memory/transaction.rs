//! Transactions of the in-memory layer: serializable, one writing transaction
//! at a time.
//!
//! `begin` waits for the store's writer lock (which every write outside a
//! transaction takes too), then copies the store: the transaction reads and
//! writes its copy, so its writes are seen by its own reads and by nobody
//! else's. Commit puts the copy in the store's place in one step; rollback
//! (or a drop) throws it away. Reads outside the transaction never wait: they
//! see the store as last committed. The copy shares every table with the
//! store until the transaction first writes it (copy on write): a
//! transaction costs one clone of each table it writes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError};

use futures_util::lock::OwnedMutexGuard;

use super::{Memory, Stored};
use crate::data_layer::{
    BoxFuture, Changes, DataLayer, ReadRequest, ReadResult, Records, Transaction, Upsert,
};
use crate::error::{Error, Result};
use crate::resource::{Rows, Schema};
use crate::value::Value;

impl Memory {
    /// Begins a transaction on a copy of the store, holding the writer lock.
    pub(super) async fn begin_now(&self) -> Result<Box<dyn Transaction>> {
        let writer = Arc::clone(&self.writer).lock_owned().await;
        // The tables are shared, each cloned when the transaction (or, after
        // it commits, the store) first writes it.
        let copy = self
            .tables
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let view = Memory {
            tables: Arc::new(std::sync::RwLock::new(copy)),
            writer: Arc::default(),
        };
        Ok(Box::new(MemoryTransaction {
            store: self.clone(),
            layer: Arc::new(InTransaction {
                view,
                open: AtomicBool::new(true),
            }),
            _writer: writer,
        }))
    }
}

impl Clone for Stored {
    /// A copy of the records and their index, for a write to a table a
    /// transaction's copy shares.
    fn clone(&self) -> Stored {
        Stored {
            schema: self.schema,
            table: self.table.duplicate(),
            primary: self.primary.clone(),
            max_int: self.max_int,
        }
    }
}

/// A transaction of a [`Memory`] store.
struct MemoryTransaction {
    store: Memory,
    layer: Arc<InTransaction>,
    /// Held until the transaction ends: no other write meanwhile.
    _writer: OwnedMutexGuard<()>,
}

impl Transaction for MemoryTransaction {
    fn layer(&self) -> Arc<dyn DataLayer> {
        self.layer.clone()
    }

    fn commit(self: Box<Self>) -> BoxFuture<'static, Result<()>> {
        Box::pin(async move {
            self.layer.open.store(false, Ordering::SeqCst);
            let written = std::mem::take(
                &mut *self
                    .layer
                    .view
                    .tables
                    .write()
                    .unwrap_or_else(PoisonError::into_inner),
            );
            *self
                .store
                .tables
                .write()
                .unwrap_or_else(PoisonError::into_inner) = written;
            // Dropping `self` lets the next writer in.
            Ok(())
        })
    }

    fn rollback(self: Box<Self>) -> BoxFuture<'static, Result<()>> {
        self.layer.open.store(false, Ordering::SeqCst);
        Box::pin(async { Ok(()) })
    }
}

impl Drop for MemoryTransaction {
    fn drop(&mut self) {
        // Committed, rolled back, or dropped: its layer is done.
        self.layer.open.store(false, Ordering::SeqCst);
    }
}

/// The layer of a memory transaction: the copy, refusing calls once the
/// transaction has ended.
pub(super) struct InTransaction {
    pub(super) view: Memory,
    open: AtomicBool,
}

impl InTransaction {
    fn check(&self) -> Result<&Memory> {
        if self.open.load(Ordering::SeqCst) {
            Ok(&self.view)
        } else {
            Err(Error::data_layer(
                "memory: the transaction has ended; use the domain, not the transaction's, after it",
            ))
        }
    }
}

impl DataLayer for InTransaction {
    fn name(&self) -> &'static str {
        "memory"
    }

    fn register(&self, schema: &'static Schema) -> Result<()> {
        self.check()?.register(schema)
    }

    fn read<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<ReadResult>> {
        Box::pin(async move { self.check()?.read(request).await })
    }

    fn count<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<usize>> {
        Box::pin(async move { self.check()?.count(request).await })
    }

    fn aggregate<'a>(
        &'a self,
        request: ReadRequest,
        aggregates: Vec<crate::expr::Aggregate>,
    ) -> BoxFuture<'a, Result<Vec<Vec<Value>>>> {
        Box::pin(async move { self.check()?.aggregate(request, aggregates).await })
    }

    fn aggregate_list<'a>(
        &'a self,
        request: ReadRequest,
        aggregate: crate::expr::Aggregate,
    ) -> BoxFuture<'a, Result<Vec<(Value, Value)>>> {
        Box::pin(async move { self.check()?.aggregate_list(request, aggregate).await })
    }

    fn create<'a>(&'a self, schema: &'static Schema, rows: Rows) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move { self.check()?.create(schema, rows).await })
    }

    fn upsert<'a>(
        &'a self,
        schema: &'static Schema,
        rows: Rows,
        upsert: Upsert,
    ) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move { self.check()?.upsert(schema, rows, upsert).await })
    }

    fn update<'a>(
        &'a self,
        request: ReadRequest,
        changes: Changes,
    ) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move { self.check()?.update(request, changes).await })
    }

    fn destroy<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move { self.check()?.destroy(request).await })
    }

    /// Refused, as on the SQL layers: a block that begins a transaction
    /// inside one gets the same answer on every layer.
    fn begin<'a>(&'a self) -> BoxFuture<'a, Result<Box<dyn Transaction>>> {
        Box::pin(async move {
            self.check()?;
            Err(Error::data_layer(
                "memory: a transaction inside a transaction is not supported; \
                 run the inner block in the outer transaction",
            ))
        })
    }
}
