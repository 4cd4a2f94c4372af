//! The `statements` field of the `read`, `count` and `load` spans: how many
//! statements the span ran itself (see `data_layer::statements`).

use std::future::Future;

use crate::data_layer::statements::{Counting, StatementCounter};

/// Runs `future`, then records on the current span how many statements it
/// ran (its nested reads and loads count theirs on their own spans). While
/// no subscriber records the span, `future` runs as it is.
pub(crate) async fn counting_statements<T>(future: impl Future<Output = T> + Send) -> T {
    let span = tracing::Span::current();
    if span.is_disabled() {
        return future.await;
    }
    let counter = StatementCounter::default();
    let out = Counting::new(counter.clone(), future).await;
    span.record("statements", counter.get());
    out
}
