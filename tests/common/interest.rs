//! A global `tracing` subscriber that records nothing but keeps every
//! callsite's interest at "sometimes", for the tests that record spans with a
//! subscriber of their own set for their thread (`set_default`).
//!
//! `tracing` caches, per callsite, whether any subscriber wants it. A callsite
//! first hit on another thread (another test, with no subscriber) while a test
//! sets its own can be cached as wanted by none, and that test then misses its
//! spans (tracing-core computes the interest and stores the callsite in two
//! steps). With this subscriber as the global default, no callsite is ever
//! cached as wanted by none: each span asks the subscriber of its thread.

use std::sync::Once;

use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber};

/// Makes [`Sometimes`] the global default subscriber, once per test binary.
pub fn interest_in_every_callsite() {
    static SET: Once = Once::new();
    SET.call_once(|| {
        tracing::subscriber::set_global_default(Sometimes)
            .expect("no other global tracing subscriber in the tests");
    });
}

/// Interested in every callsite "sometimes", enabled for none.
struct Sometimes;

impl Subscriber for Sometimes {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::sometimes()
    }
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        false
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}
