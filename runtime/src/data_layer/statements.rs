//! How many statements a read or a load ran: the `statements` field of its
//! `tracing` span. The engine makes a [`StatementCounter`] current while it
//! polls the read's or load's future ([`Counting`]); a data layer calls
//! [`count_statement`] for each statement it runs, on the polling thread or on
//! one it carried the counter to ([`StatementCounter::current`] and
//! [`StatementCounter::in_scope`], as the SQLite layer does for its blocking
//! threads). A nested read or load makes its own counter current while it
//! runs, so each span counts the statements it ran itself; its children (a
//! nested load, a manual loader's own reads) count theirs. Nothing is counted,
//! and no future wrapped, while no subscriber records the span.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

thread_local! {
    static CURRENT: RefCell<Option<StatementCounter>> = const { RefCell::new(None) };
}

/// A count of statements, shared by the future that counts and the threads a
/// data layer runs its statements on.
#[derive(Clone, Debug, Default)]
pub(crate) struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    /// How many statements were counted.
    pub(crate) fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    /// The counter current on this thread, to carry to another.
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) fn current() -> Option<StatementCounter> {
        CURRENT.with(|c| c.borrow().clone())
    }

    /// Runs `f` with `counter` current on this thread (none: none), then
    /// restores the one that was.
    pub(crate) fn in_scope<T>(counter: Option<StatementCounter>, f: impl FnOnce() -> T) -> T {
        let _restore = Restore(CURRENT.with(|c| c.replace(counter)));
        f()
    }
}

/// Puts the counter that was current back, however `f` ends.
struct Restore(Option<StatementCounter>);

impl Drop for Restore {
    fn drop(&mut self) {
        let previous = self.0.take();
        // Fails only while the thread's locals are torn down: nothing to restore.
        let _ = CURRENT.try_with(|c| c.replace(previous));
    }
}

/// Counts one statement on the counter current on this thread, if any.
#[cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]
pub(crate) fn count_statement() {
    CURRENT.with(|c| {
        if let Some(counter) = &*c.borrow() {
            counter.0.fetch_add(1, Ordering::Relaxed);
        }
    });
}

/// A future polled with its counter current.
pub(crate) struct Counting<'a, T> {
    counter: StatementCounter,
    future: Pin<Box<dyn Future<Output = T> + Send + 'a>>,
}

impl<'a, T> Counting<'a, T> {
    /// `future`, counting the statements it runs on `counter`.
    pub(crate) fn new(
        counter: StatementCounter,
        future: impl Future<Output = T> + Send + 'a,
    ) -> Self {
        Counting {
            counter,
            future: Box::pin(future),
        }
    }
}

impl<T> Future for Counting<'_, T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        let counter = Some(this.counter.clone());
        StatementCounter::in_scope(counter, || this.future.as_mut().poll(cx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nested_counter_counts_its_own_and_restores_the_outer() {
        let outer = StatementCounter::default();
        let inner = StatementCounter::default();
        StatementCounter::in_scope(Some(outer.clone()), || {
            count_statement();
            StatementCounter::in_scope(Some(inner.clone()), count_statement);
            count_statement();
        });
        count_statement();
        assert_eq!((outer.get(), inner.get()), (2, 1));
        assert!(StatementCounter::current().is_none());
    }
}
