//! How the in-memory layer selects rows: a scan that evaluates the filter on
//! batches of rows ([`scan`]), the stable sort of what it kept ([`sorted`]),
//! the rows a sorted unpartitioned read or a write selects ([`selected`]), and
//! the records an unsorted unpartitioned read clones as it scans
//! ([`selected_records`]).

use std::any::Any;

use super::ReadRequest;
use super::eval::{CHUNK, Filter, SortValues, Tables};
use crate::data_layer::sort_path;
use crate::data_layer::store::Table;
use crate::error::Result;
use crate::value::Value;

/// A row kept by a read, with the position of its partition key (0 without one).
#[derive(Clone, Copy)]
pub(super) struct Hit {
    pub(super) row: usize,
    pub(super) key: usize,
}

/// The sort keys of `request`, compiled over `tables`; an error naming what
/// a key names that the resource lacks (see `sort_path`).
pub(super) fn sort_keys<'a>(
    request: &ReadRequest,
    tables: &'a dyn Tables,
) -> Result<SortValues<'a>> {
    let targets = sort_path::resolve_all(request.schema, &request.sort)?;
    SortValues::compile(request.schema, targets, &request.visibility, tables)
}

/// The rows of `table` an unpartitioned read selects, in its order: those
/// `filter` passes, sorted by `sort` (ties in insertion order), windowed.
pub(super) fn selected(
    table: &dyn Table,
    filter: Option<&Filter<'_>>,
    sort: &SortValues<'_>,
    offset: usize,
    limit: Option<usize>,
) -> Vec<usize> {
    if sort.is_empty() {
        // Unsorted (a manual loader's read): the first `offset + limit`
        // matches are the answer, their rows collected into a vector sized
        // once for the most it can hold (a word per stored row at worst,
        // never grown and copied).
        let enough = limit.map_or(usize::MAX, |l| offset.saturating_add(l));
        let mut rows = Vec::with_capacity(enough.min(table.len()));
        if enough > 0 {
            // Small batches first when few matches are wanted.
            scan(table.len(), enough, filter, Some, |row, _| {
                rows.push(row);
                rows.len() < enough
            });
        }
        rows.drain(..offset.min(rows.len()));
        return rows;
    }
    // Sorted: every match.
    let mut hits: Vec<Hit> = Vec::new();
    scan(table.len(), CHUNK, filter, Some, |row, _| {
        hits.push(Hit { row, key: 0 });
        true
    });
    let hits = sorted(hits, table, sort);
    hits.iter()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .map(|h| h.row)
        .collect()
}

/// How many kept rows an unsorted read clones at a time ([`selected_records`]).
const CLONE_BATCH: usize = 256;

/// The records an unsorted, unpartitioned read selects (a manual loader's
/// read), as a `Vec<R>`: those `filter` passes, in insertion order, windowed.
///
/// Cloned a few hundred at a time as the scan keeps them, while the records
/// the filter has just read are still in cache: collecting every row first and
/// cloning afterwards read each kept record from memory twice. The vector is
/// sized from the share of rows kept so far, so it is rarely grown and copied.
pub(super) fn selected_records(
    table: &dyn Table,
    filter: Option<&Filter<'_>>,
    offset: usize,
    limit: Option<usize>,
) -> Result<Box<dyn Any + Send>> {
    let enough = limit.map_or(usize::MAX, |l| offset.saturating_add(l));
    let mut out = table.select(&[]);
    if enough == 0 {
        return Ok(out);
    }
    let total = table.len();
    let wanted = enough - offset.min(enough);
    let (mut matched, mut copied) = (0_usize, 0_usize);
    let mut pending = Vec::with_capacity(CLONE_BATCH);
    let mut result = Ok(());
    let mut flush = |pending: &mut Vec<usize>, scanned: usize, copied: &mut usize| {
        // The records expected in all: the share kept so far of the rows
        // scanned, over the whole table (at most what the window wants).
        let expected = (*copied + pending.len())
            .saturating_mul(total)
            .checked_div(scanned)
            .unwrap_or(0)
            .min(wanted);
        let done = table.select_onto(pending, expected, &mut *out);
        *copied += pending.len();
        pending.clear();
        done
    };
    scan(total, enough, filter, Some, |row, _| {
        matched += 1;
        if matched > offset {
            pending.push(row);
            if pending.len() == CLONE_BATCH {
                result = flush(&mut pending, row + 1, &mut copied);
            }
        }
        matched < enough && result.is_ok()
    });
    result?;
    flush(&mut pending, total, &mut copied)?;
    Ok(out)
}

/// Sorts hits stably by the sort keys, reading each sort value once.
pub(super) fn sorted(hits: Vec<Hit>, table: &dyn Table, sort: &SortValues<'_>) -> Vec<Hit> {
    let width = sort.len();
    sort.prepare(&hits.iter().map(|h| h.row).collect::<Vec<_>>());
    let mut values: Vec<Value> = Vec::with_capacity(hits.len() * width);
    for h in &hits {
        sort.push_values(table, h.row, &mut values);
    }
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_by(|&a, &b| {
        sort.compare(&values[a * width..][..width], &values[b * width..][..width])
    });
    order.into_iter().map(|i| hits[i]).collect()
}

/// Calls `each` on every row of a table of `len` rows that `candidate`
/// accepts (with what it gave) and `filter` passes, in order, until `each`
/// returns false. The filter is evaluated on a batch of candidates at a time
/// (`Filter::matching`): the first of `first` rows (at least one), each next
/// one twice as many, up to `CHUNK`, so a read wanting few matches evaluates
/// few rows past them. Without a filter, row by row. The batches' buffers are
/// reused from one to the next.
pub(super) fn scan<T: Copy>(
    len: usize,
    first: usize,
    filter: Option<&Filter<'_>>,
    mut candidate: impl FnMut(usize) -> Option<T>,
    mut each: impl FnMut(usize, T) -> bool,
) {
    let Some(filter) = filter else {
        for row in 0..len {
            if let Some(t) = candidate(row)
                && !each(row, t)
            {
                return;
            }
        }
        return;
    };
    let mut size = first.clamp(1, CHUNK);
    let mut start = 0;
    let mut rows = Vec::with_capacity(size);
    let mut found = Vec::with_capacity(size);
    let mut kept = Vec::with_capacity(size);
    while start < len {
        let end = start.saturating_add(size).min(len);
        rows.clear();
        found.clear();
        kept.clear();
        for row in start..end {
            if let Some(t) = candidate(row) {
                rows.push(row);
                found.push(t);
            }
        }
        filter.matching(&rows, &mut kept);
        for &i in &kept {
            if !each(rows[i], found[i]) {
                return;
            }
        }
        start = end;
        size = (size * 2).min(CHUNK);
    }
}
