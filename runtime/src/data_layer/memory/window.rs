//! Per-key windows of a partitioned read in memory: the rows linked to each
//! key, sorted (stably: ties keep insertion order) and cut from `offset` to
//! `offset + limit`. Rows are bucketed by key first, so each key's rows are
//! sorted on their own; when the window is small ("the top 3 of each"), a
//! bounded insertion keeps only the rows that can be in it, one comparison for
//! most rows, instead of sorting them all.

use std::cmp::Ordering;

use super::Hit;
use super::eval::SortValues;
use crate::data_layer::store::Table;
use crate::value::Value;

/// Windows up to this size are selected by bounded insertion; larger ones sort
/// the key's rows.
const SELECT_AT_MOST: usize = 64;

/// The rows of each key's window as `(row, key)`, key after key (in key order),
/// each key's rows in sort order. `hits` are in row order.
pub(super) fn windows(
    hits: &[Hit],
    keys: usize,
    table: &dyn Table,
    sort: &SortValues<'_>,
    offset: usize,
    limit: Option<usize>,
) -> Vec<(usize, usize)> {
    let keep = limit.map_or(usize::MAX, |l| offset.saturating_add(l));
    // Bucket the rows by key, each bucket in row order (a counting sort).
    let mut starts = vec![0_usize; keys + 1];
    for h in hits {
        starts[h.key + 1] += 1;
    }
    for k in 0..keys {
        starts[k + 1] += starts[k];
    }
    let mut next = starts.clone();
    let mut rows = vec![0_usize; hits.len()];
    for h in hits {
        rows[next[h.key]] = h.row;
        next[h.key] += 1;
    }

    let width = sort.len();
    let mut values: Vec<Value> = Vec::new();
    let mut chosen: Vec<usize> = Vec::new();
    let mut out = Vec::with_capacity(hits.len().min(keys.saturating_mul(keep)));
    for key in 0..keys {
        let group = &rows[starts[key]..starts[key + 1]];
        if group.is_empty() || keep == 0 {
            continue;
        }
        values.clear();
        for &row in group {
            sort.push_values(table, row, &mut values);
        }
        let compare = |a: usize, b: usize| {
            sort.compare(&values[a * width..][..width], &values[b * width..][..width])
        };
        chosen.clear();
        if keep < group.len() && keep <= SELECT_AT_MOST {
            for i in 0..group.len() {
                // A row joins the window only if it sorts strictly before its
                // last row: a tie comes later in insertion order.
                if chosen.len() == keep && compare(i, chosen[keep - 1]) != Ordering::Less {
                    continue;
                }
                let at = chosen.partition_point(|&c| compare(c, i) != Ordering::Greater);
                chosen.insert(at, i);
                chosen.truncate(keep);
            }
        } else {
            chosen.extend(0..group.len());
            chosen.sort_by(|&a, &b| compare(a, b));
            chosen.truncate(keep);
        }
        out.extend(chosen.iter().skip(offset).map(|&i| (group[i], key)));
    }
    out
}
