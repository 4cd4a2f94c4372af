//! The in-memory data layer (Ash's ETS data layer): the embedded default.
//! (Being written.)
use super::*;

/// The in-memory data layer.
#[derive(Default)]
pub struct Memory;

impl Memory {
    /// An empty store.
    pub fn new() -> Self {
        Memory
    }
}

impl DataLayer for Memory {
    fn name(&self) -> &'static str {
        "memory"
    }
    fn register(&self, _schema: &'static Schema) -> Result<()> {
        Ok(())
    }
    fn read<'a>(&'a self, _request: ReadRequest) -> BoxFuture<'a, Result<ReadResult>> {
        todo!()
    }
    fn create<'a>(
        &'a self,
        _schema: &'static Schema,
        _rows: Vec<Row>,
    ) -> BoxFuture<'a, Result<Records>> {
        todo!()
    }
}
