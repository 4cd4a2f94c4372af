//! A key's `in` fused with the hop that key follows: in `key in ^ids and
//! parent.x > 0`, where `parent` is a to-one hop through `key` into the
//! primary-key index of its destination, each row's `key` would be looked up
//! twice, once in the list and once in the index. Fused, the list is turned
//! (once per read, on first use) into a map from each element to the row of the
//! destination it keys, and one lookup per row gives both the `in`'s truth and
//! the hop's row.
//!
//! Only an `in` that is a conjunct of the scope's guard (the conjuncts that read
//! no binding, evaluated first) is fused, and only when its list holds no nil:
//! a row whose `in` is false then fails the guard, so the hop rows the fused
//! `in` leaves out (rows it did not see or did not find) are never read. A row
//! whose key is nil has no related record either way. The hop's conditions
//! (the relationship's filter, the destination's visibility) depend on the
//! destination row alone, so they are applied to the map's rows when it is
//! built.

use foldhash::HashMap;
use std::cell::OnceCell;
use std::rc::Rc;

use super::super::keys::IntKeys;
use super::super::list::InList;
use super::super::{Binding, Index, KeyIndex};
use super::{Chunk, Col, FALSE, NIL, NO_ROW, Plan, TRUE, each, is_in};

/// In a fused map: an element of the list that keys no (visible) record.
/// Not `IntKeys`' empty slot (`usize::MAX`, also `NO_ROW`).
const MISSING: usize = usize::MAX - 1;

/// `col in list`, where `col` is also the key binding `binding` follows.
pub(super) struct Fused {
    /// The key column (a position in `Batch::reads`).
    pub(super) col: usize,
    binding: usize,
    list: Rc<InList>,
    /// Element → destination row (`MISSING` when none), built on first use.
    map: OnceCell<Hop>,
}

/// The list's elements, each with the row it keys.
enum Hop {
    Ints(IntKeys),
    /// Keyed by `Uuid::as_u128`, which hashes faster than the UUID's bytes.
    Uuids(HashMap<u128, usize>),
}

/// Fuses the `in`s among the conjuncts of `guard` whose column is the key of a
/// binding (`keys[b]`, the read of binding `b`'s key when its hop probes a
/// primary-key index) and whose long list of the key's type holds no nil.
pub(super) fn fuse(
    guard: &mut Plan,
    keys: &[Option<usize>],
    bindings: &[Binding<'_>],
    ix: &[Index<'_>],
) {
    match guard {
        Plan::And(l, r) => {
            fuse(l, keys, bindings, ix);
            fuse(r, keys, bindings, ix);
        }
        Plan::In(col, list) if list.miss() == Some(false) => {
            let Some(binding) = keys.iter().position(|k| *k == Some(*col)) else {
                return;
            };
            let typed = match &ix[bindings[binding].step.dest_index] {
                Index::Primary(KeyIndex::Ints(_)) => list.int_set().is_some(),
                Index::Primary(KeyIndex::Uuids(_)) => list.uuid_set().is_some(),
                _ => false,
            };
            if typed && bindings[binding].parent == 0 {
                *guard = Plan::Fused(Box::new(Fused {
                    col: *col,
                    binding,
                    list: list.clone(),
                    map: OnceCell::new(),
                }));
            }
        }
        _ => {}
    }
}

impl Fused {
    /// The map of the list's elements to the rows they key.
    fn map<'a>(&self, bindings: &[Binding<'a>], ix: &[Index<'a>]) -> &Hop {
        self.map.get_or_init(|| {
            let step = &bindings[self.binding].step;
            let row = |found: Option<&usize>| match found {
                Some(&r) if step.conditions.iter().all(|c| c.eval(r, ix) == Some(true)) => r,
                _ => MISSING,
            };
            match (
                &ix[step.dest_index],
                self.list.int_set(),
                self.list.uuid_set(),
            ) {
                (Index::Primary(KeyIndex::Ints(index)), Some(set), _) => {
                    // In order, so that dense keys stay a vector.
                    let mut keys: Vec<i64> = set.iter().copied().collect();
                    keys.sort_unstable();
                    let mut map = IntKeys::default();
                    for k in keys {
                        map.insert(k, row(index.get(&k)));
                    }
                    Hop::Ints(map)
                }
                (Index::Primary(KeyIndex::Uuids(index)), _, Some(set)) => Hop::Uuids(
                    set.iter()
                        .map(|u| (u.as_u128(), row(index.get(&u.as_u128()))))
                        .collect(),
                ),
                // `fuse` checked the types.
                _ => Hop::Uuids(HashMap::default()),
            }
        })
    }
}

impl Chunk<'_, '_> {
    /// `f.col in list` on the positions of `sel`, and, unless found already,
    /// binding `f.binding`'s rows: its record for each row found in the list,
    /// none for any other.
    pub(super) fn fused(&mut self, f: &Fused, sel: &[u32], out: &mut [u8]) {
        self.col(f.col);
        let slot = f.binding + 1;
        let mut rows = std::mem::take(&mut self.slots[slot]);
        let hop = !self.ready[slot];
        // Every row's hop written in order when `sel` is every row; else in
        // place, the rows `sel` leaves out (failing the guard) holding none.
        let dense = sel.len() == out.len();
        if hop {
            rows.clear();
            if !dense {
                rows.resize(out.len(), NO_ROW);
            }
        }
        let rows_out = hop.then_some(&mut rows);
        match (&self.cols[f.col], f.map(self.bindings, self.ix)) {
            (Col::Ints(keys), Hop::Ints(map)) => {
                lookups(keys, |k| map.get(&k).copied(), sel, out, rows_out);
            }
            (Col::Uuids(keys), Hop::Uuids(map)) => {
                lookups(keys, |k| map.get(&k.as_u128()).copied(), sel, out, rows_out);
            }
            // Unreachable (`fuse` checked the types): the plain `in`, no hop.
            (col, _) => {
                is_in(col, &f.list, sel, out);
                self.slots[slot] = rows;
                return;
            }
        }
        self.slots[slot] = rows;
        self.ready[slot] = true;
    }
}

/// `key in list` on each position `p` of `sel` (`keys[p]` the key, `find` the
/// row an element keys, `MISSING` when none, `None` for no element), written
/// to `out`; and, given `rows`, each position's row: pushed when `sel` is
/// every position, else written in place.
#[inline(always)]
fn lookups<K: Copy>(
    keys: &[Option<K>],
    find: impl Fn(K) -> Option<usize>,
    sel: &[u32],
    out: &mut [u8],
    rows: Option<&mut Vec<usize>>,
) {
    let look = |key: Option<K>| match key.map(&find) {
        None => (NIL, NO_ROW),
        Some(None) => (FALSE, NO_ROW),
        Some(Some(MISSING)) => (TRUE, NO_ROW),
        Some(Some(row)) => (TRUE, row),
    };
    match rows {
        Some(rows) if sel.len() == out.len() => {
            for (o, &key) in out.iter_mut().zip(keys) {
                let (code, row) = look(key);
                *o = code;
                rows.push(row);
            }
        }
        Some(rows) => {
            for &p in sel {
                let p = p as usize;
                (out[p], rows[p]) = look(keys[p]);
            }
        }
        None => each(sel, out, |p| look(keys[p]).0),
    }
}
