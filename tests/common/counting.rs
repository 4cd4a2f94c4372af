//! `Counting`, a data layer that delegates to another (memory, SQLite or
//! PostgreSQL), records every read request (`Reads`) and can be told to fail
//! reads of one resource (`FailSwitch`) or to hold them until let go (`Gate`).

use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{Notify, watch};

use ashore::data_layer::{
    BoxFuture, Changes, DataLayer, ReadRequest, ReadResult, Records, Transaction, Upsert,
};
use ashore::prelude::*;
use ashore::{Rows, Schema, Value};

/// Every read request a `Counting` layer received.
#[derive(Clone, Default)]
pub struct Reads(Arc<Mutex<Vec<ReadRequest>>>);

impl Reads {
    fn lock(&self) -> MutexGuard<'_, Vec<ReadRequest>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
    /// All requests so far.
    pub fn all(&self) -> Vec<ReadRequest> {
        self.lock().clone()
    }
    /// How many reads so far.
    pub fn count(&self) -> usize {
        self.lock().len()
    }
    /// The requests for `resource`.
    pub fn of(&self, resource: &str) -> Vec<ReadRequest> {
        self.lock()
            .iter()
            .filter(|r| r.schema.name == resource)
            .cloned()
            .collect()
    }
    /// The resources read, in order.
    pub fn resources(&self) -> Vec<&'static str> {
        self.lock().iter().map(|r| r.schema.name).collect()
    }
    /// Forgets the requests so far.
    pub fn clear(&self) {
        self.lock().clear();
    }
}

/// The partition keys of a request (empty when it is not partitioned).
pub fn partition_keys(request: &ReadRequest) -> Vec<Value> {
    request
        .partition
        .as_ref()
        .map(|p| p.keys.clone())
        .unwrap_or_default()
}

/// Makes a `Counting` layer fail reads of one resource.
#[derive(Clone, Default)]
pub struct FailSwitch(Arc<Mutex<Option<&'static str>>>);

impl FailSwitch {
    /// Reads of `resource` fail from now on.
    pub fn fail_reads_of(&self, resource: &'static str) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(resource);
    }
    fn fails(&self, resource: &str) -> bool {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) == Some(resource)
    }
}

/// Makes a `Counting` layer hold reads of one resource (before they reach
/// the layer under it) until `open`: a call that reads it stops there, at a
/// point a test chooses, while others run.
#[derive(Clone, Default)]
pub struct Gate(Arc<Mutex<Option<Held>>>);

/// The resource a `Gate` holds the reads of.
#[derive(Clone)]
struct Held {
    resource: &'static str,
    /// Told when a read is held.
    reached: Arc<Notify>,
    /// `true` once the gate is open.
    open: Arc<watch::Sender<bool>>,
}

impl Gate {
    fn lock(&self) -> MutexGuard<'_, Option<Held>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
    /// Reads of `resource` wait from now on, until `open`.
    pub fn hold_reads_of(&self, resource: &'static str) {
        *self.lock() = Some(Held {
            resource,
            reached: Arc::default(),
            open: Arc::new(watch::Sender::new(false)),
        });
    }
    /// Returns once a read is held (at once when one was already).
    pub async fn reached(&self) {
        let reached = self.lock().as_ref().map(|held| held.reached.clone());
        reached.expect("a gate holding reads").notified().await;
    }
    /// Lets the held reads go, and holds no more.
    pub fn open(&self) {
        if let Some(held) = self.lock().take() {
            held.open.send_replace(true);
        }
    }
    fn holds(&self, resource: &str) -> Option<Held> {
        self.lock()
            .as_ref()
            .filter(|held| held.resource == resource)
            .cloned()
    }
}

/// A data layer with every read recorded.
pub struct Counting {
    inner: Arc<dyn DataLayer>,
    reads: Reads,
    fail: FailSwitch,
    gate: Gate,
}

impl Counting {
    /// `inner`, recording its reads in `reads`, failing the reads `fail`
    /// names and holding those `gate` holds.
    pub fn new(inner: Arc<dyn DataLayer>, reads: Reads, fail: FailSwitch, gate: Gate) -> Self {
        Counting {
            inner,
            reads,
            fail,
            gate,
        }
    }
}

impl DataLayer for Counting {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn register(&self, schema: &'static Schema) -> ashore::Result<()> {
        self.inner.register(schema)
    }

    fn read<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, ashore::Result<ReadResult>> {
        self.reads.lock().push(request.clone());
        let resource = request.schema.name;
        if self.fail.fails(resource) {
            return Box::pin(async move {
                Err(Error::new(ErrorKind::DataLayer {
                    message: format!("reading {resource}"),
                    source: Some(Box::new(std::io::Error::new(
                        std::io::ErrorKind::ConnectionReset,
                        "connection reset by peer",
                    ))),
                }))
            });
        }
        if let Some(held) = self.gate.holds(resource) {
            return Box::pin(async move {
                let mut open = held.open.subscribe();
                held.reached.notify_one();
                let _ = open.wait_for(|open| *open).await;
                self.inner.read(request).await
            });
        }
        self.inner.read(request)
    }

    fn count<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, ashore::Result<usize>> {
        // Counts are not reads: `reads` lists what was fetched.
        self.inner.count(request)
    }

    fn aggregate<'a>(
        &'a self,
        request: ReadRequest,
        aggregates: Vec<ashore::Aggregate>,
    ) -> BoxFuture<'a, ashore::Result<Vec<Vec<Value>>>> {
        // A read of the records the aggregates are computed for.
        self.reads.lock().push(request.clone());
        self.inner.aggregate(request, aggregates)
    }

    fn aggregate_list<'a>(
        &'a self,
        request: ReadRequest,
        aggregate: ashore::Aggregate,
    ) -> BoxFuture<'a, ashore::Result<Vec<(Value, Value)>>> {
        self.reads.lock().push(request.clone());
        self.inner.aggregate_list(request, aggregate)
    }

    fn create<'a>(
        &'a self,
        schema: &'static Schema,
        rows: Rows,
    ) -> BoxFuture<'a, ashore::Result<Records>> {
        self.inner.create(schema, rows)
    }

    fn update<'a>(
        &'a self,
        request: ReadRequest,
        changes: Changes,
    ) -> BoxFuture<'a, ashore::Result<Records>> {
        self.inner.update(request, changes)
    }

    fn destroy<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, ashore::Result<Records>> {
        self.inner.destroy(request)
    }

    fn upsert<'a>(
        &'a self,
        schema: &'static Schema,
        rows: Rows,
        upsert: Upsert,
    ) -> BoxFuture<'a, ashore::Result<Records>> {
        self.inner.upsert(schema, rows, upsert)
    }

    fn migrate<'a>(&'a self, schemas: Vec<&'static Schema>) -> BoxFuture<'a, ashore::Result<()>> {
        self.inner.migrate(schemas)
    }

    fn begin<'a>(&'a self) -> BoxFuture<'a, ashore::Result<Box<dyn Transaction>>> {
        Box::pin(async move {
            let inner = self.inner.begin().await?;
            let layer = Arc::new(Counting::new(
                inner.layer(),
                self.reads.clone(),
                self.fail.clone(),
                self.gate.clone(),
            ));
            Ok(Box::new(CountingTransaction { inner, layer }) as Box<dyn Transaction>)
        })
    }
}

/// A transaction of the inner layer, its reads recorded as the layer's are.
struct CountingTransaction {
    inner: Box<dyn Transaction>,
    layer: Arc<Counting>,
}

impl Transaction for CountingTransaction {
    fn layer(&self) -> Arc<dyn DataLayer> {
        self.layer.clone()
    }
    fn commit(self: Box<Self>) -> BoxFuture<'static, ashore::Result<()>> {
        self.inner.commit()
    }
    fn rollback(self: Box<Self>) -> BoxFuture<'static, ashore::Result<()>> {
        self.inner.rollback()
    }
}
