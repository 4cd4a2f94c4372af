//! The typed loops over a chunk's columns: comparisons, `in`, primary-key
//! probes, each a plain loop over the positions a selection keeps (over the
//! whole chunk when it keeps every row).

use super::super::list::InList;
use super::super::lower::Accepts;
use super::{Chunk, Col, NIL, NO_ROW, Operand, TRUE, code};
use crate::value::Value;

impl Chunk<'_, '_> {
    /// `l op r` on the positions of `sel`, integers compared as `i64`s.
    pub(super) fn compare(
        &self,
        accepts: Accepts,
        l: &Operand,
        r: &Operand,
        sel: &[u32],
        out: &mut [u8],
    ) {
        let ints = |o: &Operand| match self.column(o) {
            Some(Col::Ints(v)) => Some(v.as_slice()),
            _ => None,
        };
        let test = |a: Option<i64>, b: Option<i64>| match (a, b) {
            (Some(a), Some(b)) => code(Some(accepts.ordering(a.cmp(&b)))),
            _ => NIL,
        };
        match (self.constant(l), self.constant(r), ints(l), ints(r)) {
            (_, Some(Value::Int(b)), Some(a), _) => {
                each(sel, out, |p| test(a[p], Some(*b)));
            }
            (Some(Value::Int(a)), _, _, Some(b)) => {
                each(sel, out, |p| test(Some(*a), b[p]));
            }
            (_, _, Some(a), Some(b)) => each(sel, out, |p| test(a[p], b[p])),
            _ => {
                for &p in sel {
                    let p = p as usize;
                    out[p] = code(accepts.values(&self.value(l, p), &self.value(r, p)));
                }
            }
        }
    }
}

/// Appends the row each of `keys` finds through `find` to `rows`, `NO_ROW`
/// for nil or none; true.
#[inline]
pub(super) fn probe<'m, K>(
    keys: &[Option<K>],
    rows: &mut Vec<usize>,
    find: impl Fn(&K) -> Option<&'m usize>,
) -> bool {
    rows.extend(keys.iter().map(|key| match key {
        Some(key) => find(key).copied().unwrap_or(NO_ROW),
        None => NO_ROW,
    }));
    true
}

/// Sets `out[p]` to `f(p)` for each position `p` of `sel`: a plain loop over
/// `out` when `sel` is every position (the rows a guard kept all), which the
/// compiler can check and unroll once for the whole chunk.
#[inline(always)]
pub(super) fn each(sel: &[u32], out: &mut [u8], mut f: impl FnMut(usize) -> u8) {
    if sel.len() == out.len() {
        // `sel` is ascending without repeats, so it is `0..out.len()`.
        for (p, o) in out.iter_mut().enumerate() {
            *o = f(p);
        }
    } else {
        for &p in sel {
            out[p as usize] = f(p as usize);
        }
    }
}

/// `x in list` on the positions of `sel`, `x` read in `col`.
pub(super) fn is_in(col: &Col, list: &InList, sel: &[u32], out: &mut [u8]) {
    let miss = code(list.miss());
    let found = |x: Option<bool>| match x {
        Some(true) => TRUE,
        Some(false) => miss,
        None => NIL,
    };
    match (col, list.int_set(), list.uuid_set()) {
        (Col::Ints(v), Some(set), _) => each(sel, out, |p| found(v[p].map(|x| set.contains(&x)))),
        (Col::Uuids(v), _, Some(set)) => {
            for &p in sel {
                out[p as usize] = found(v[p as usize].map(|x| set.contains(&x)));
            }
        }
        _ => {
            for &p in sel {
                out[p as usize] = code(list.contains(&col.value(p as usize)));
            }
        }
    }
}
