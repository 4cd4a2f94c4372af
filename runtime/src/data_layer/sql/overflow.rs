//! An integer `sum` past `i64` in an aggregate statement, reported as the
//! in-memory layer reports it (`the aggregate `sum(items.qty)` of Shelf
//! overflows i64`) rather than in each database's words ("integer
//! overflow", "bigint out of range"), the database's error kept as the
//! source.

use std::error::Error as StdError;

use crate::error::{Error, ErrorKind};
use crate::expr::{Aggregate, AggregateKind};
use crate::resource::Schema;

/// `err`, an aggregate statement's error for `aggregates` of `schema`, named
/// as an overflow when `overflowed` finds the database's in its sources;
/// otherwise `err` itself.
pub(super) fn aggregate_error(
    err: Error,
    schema: &Schema,
    aggregates: &[&Aggregate],
    overflowed: impl Fn(&(dyn StdError + 'static)) -> bool,
) -> Error {
    if !matches!(err.kind(), ErrorKind::DataLayer { .. }) {
        return err;
    }
    let mut source = StdError::source(&err);
    let mut found = false;
    while let Some(s) = source {
        if overflowed(s) {
            found = true;
            break;
        }
        source = s.source();
    }
    if !found {
        return err;
    }
    let sums: Vec<String> = aggregates
        .iter()
        .filter(|a| a.kind == AggregateKind::Sum)
        .map(|a| format!("`{a}`"))
        .collect();
    let message = match sums.as_slice() {
        [one] => format!("the aggregate {one} of {} overflows i64", schema.name),
        _ if sums.is_empty() => format!("an aggregate of {} overflows i64", schema.name),
        many => format!(
            "one of the aggregates {} of {} overflows i64",
            many.join(", "),
            schema.name
        ),
    };
    Error::data_layer_caused(message, err)
}
