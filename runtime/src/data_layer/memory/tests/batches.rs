//! The batch evaluator (`eval::batch`) against the semantics: nil operands,
//! `and`/`or` deciding rows their left side decided, to-one hops to no record
//! (no key, a dangling key), and tables longer than a chunk, read whole, with a
//! limit, and partitioned. (`truths` also checks every expression the other
//! tests try in batches against the row-by-row closures.)

use super::*;
use crate::data_layer::eval::CHUNK;

use CmpOp::{Eq, Gt, Lt};

const T: Option<bool> = Some(true);
const F: Option<bool> = Some(false);
const NIL: Option<bool> = None;

fn representative(name: &'static str) -> Expr {
    through(&["representative"], name)
}

/// Whether `expr` on tickets has a batch plan, and its truth on each ticket
/// in batches.
fn batched(m: &Memory, expr: &Expr) -> (Vec<Option<bool>>, bool) {
    let tables = m.tables.read().expect("lock");
    let filter = Filter::compile(
        Ticket::schema(),
        Some(expr),
        &Visibility::default(),
        &*tables,
    )
    .expect("compile")
    .expect("a filter");
    let rows: Vec<usize> = (0..tables.table(Ticket::schema()).expect("table").len()).collect();
    filter.eval_batched(&rows)
}

/// `support()` and ticket 7 (p = 3), whose representative 99 does not exist.
/// Ticket p: 1, 5, 4, 2, nil, 9, 3; rep: ann (threshold 2), ann, bob (nil),
/// bob, bob, none, missing.
fn with_dangling() -> Memory {
    let m = support();
    store_unchecked::<Ticket>(&m, vec![ticket(7, Some(99), Some(3), Some("open"))]);
    m
}

#[test]
fn or_and_and_keep_what_their_left_side_decided() {
    let m = with_dangling();
    let small = cmp(Lt, attr("p"), val(3));
    let high = cmp(Gt, representative("threshold"), val(100));
    let or = small.clone().or(high.clone());
    assert_eq!(batched(&m, &or), (vec![T, F, NIL, T, NIL, NIL, NIL], true));
    assert_eq!(truths::<Ticket>(&m, &or), [T, F, NIL, T, NIL, NIL, NIL]);
    let and = cmp(Gt, attr("p"), val(100)).and(cmp(Gt, representative("threshold"), val(0)));
    assert_eq!(batched(&m, &and), (vec![F, F, F, F, NIL, F, F], true));
    // Nested: each side sees only the rows left undecided by the sides before.
    let nested = small
        .or(Expr::IsNil(Box::new(attr("p"))))
        .and(cmp(Eq, representative("name"), text("bob")).or(high).not());
    assert_eq!(batched(&m, &nested), (vec![T, F, F, F, F, F, F], true));
    assert_eq!(truths::<Ticket>(&m, &nested), [T, F, F, F, F, F, F]);
}

#[test]
fn hops_to_no_record_read_nil_in_batches() {
    let m = with_dangling();
    let above = cmp(Gt, attr("p"), representative("threshold"));
    let guide = Expr::is_in(
        attr("rep_id"),
        (1..20_i64).chain([99]).map(Value::Int).collect(),
    )
    .and(above);
    // Tickets 6 (no rep) and 7 (rep 99, missing) pass the `in` or not, and
    // read nil through the hop.
    assert_eq!(
        batched(&m, &guide),
        (vec![F, T, NIL, NIL, NIL, NIL, NIL], true)
    );
    let no_rep = Expr::IsNil(Box::new(representative("id")));
    assert_eq!(batched(&m, &no_rep), (vec![F, F, F, F, F, T, T], true));
    // Arithmetic has no batch form: row by row, the same answers.
    let sum = cmp(Gt, arith(ArithOp::Add, attr("p"), val(1)), val(4));
    assert_eq!(batched(&m, &sum), (vec![F, T, T, F, NIL, T, F], false));
}

/// The truth of the guide's `rep_id in [..] and p > representative.threshold`
/// on ticket `i` of `many()`.
fn guide_truth(i: i64) -> Option<bool> {
    let p = (i % 11 != 0).then_some(i % 13);
    // No rep (a nil `in`), rep 3's nil threshold, the missing rep 99: nil.
    let threshold = match i % 8 {
        0 | 3 | 7 => None,
        r => Some(r),
    };
    Some(p? > threshold?)
}

/// Reps 1..=6 (threshold its id, rep 3's nil) and 1,300 tickets: ticket `i`
/// has rep `i % 8` (none for 0, the missing rep 99 for 7) and p `i % 13`
/// (nil when `i % 11 == 0`).
fn many() -> Memory {
    let m = memory();
    let reps = (1..=6)
        .map(|r| rep(r, "rep", (r != 3).then_some(r)))
        .collect();
    insert::<Rep>(&m, reps).expect("reps");
    let tickets = (1..=1300_i64)
        .map(|i| {
            let rep = match i % 8 {
                0 => None,
                7 => Some(99),
                r => Some(r),
            };
            ticket(i, rep, (i % 11 != 0).then_some(i % 13), Some("open"))
        })
        .collect();
    store_unchecked::<Ticket>(&m, tickets);
    m
}

fn guide() -> Expr {
    let ids = (1..=6_i64)
        .chain([99])
        .chain(200..210)
        .map(Value::Int)
        .collect();
    Expr::is_in(attr("rep_id"), ids).and(cmp(Gt, attr("p"), representative("threshold")))
}

#[test]
fn tables_longer_than_a_chunk_are_read_whole() {
    const { assert!(1300 > 2 * CHUNK, "three chunks") };
    let m = many();
    let expected: Vec<Option<bool>> = (1..=1300).map(guide_truth).collect();
    // Rep 99 is in the list but missing: nil through the hop; no rep: nil `in`.
    assert_eq!(expected[6], NIL);
    assert_eq!(batched(&m, &guide()), (expected.clone(), true));
    assert_eq!(truths::<Ticket>(&m, &guide()), expected);
    let ids: Vec<i64> = (1..=1300).filter(|&i| guide_truth(i) == T).collect();
    assert!(ids.len() > 300, "{}", ids.len());
    assert_eq!(matching::<Ticket>(&m, guide()), ids);
    // A guard keeping few rows of each chunk (rep 4's, one in eight): their
    // hops are followed row by row, with the same answers.
    let ids_of_4 = (4..=4_i64).chain(200..210).map(Value::Int).collect();
    let sparse =
        Expr::is_in(attr("rep_id"), ids_of_4).and(cmp(Gt, attr("p"), representative("threshold")));
    let expected_4: Vec<Option<bool>> = (1..=1300_i64)
        .map(|i| {
            if i % 8 == 0 {
                NIL
            } else if i % 8 == 4 {
                guide_truth(i)
            } else {
                F
            }
        })
        .collect();
    assert_eq!(batched(&m, &sparse), (expected_4.clone(), true));
    assert_eq!(truths::<Ticket>(&m, &sparse), expected_4);
    // A limit: small batches first, the same first matches. The records are
    // cloned 256 kept rows at a time, so windows start and end on both sides
    // of those batches too, and none is cut short.
    let windows = [
        (0, Some(1)),
        (2, Some(3)),
        (400, Some(10)),
        (0, Some(1000)),
        (255, Some(2)),
        (0, Some(257)),
        (100, Some(300)),
        (0, None),
        (256, None),
        (300, None),
        (ids.len(), None),
    ];
    assert!(ids.len() > 256, "{} matches: one batch", ids.len());
    for (offset, limit) in windows {
        let mut request = ReadRequest::new(Ticket::schema());
        request.filter = Some(guide());
        request.offset = offset;
        request.limit = limit;
        let got = read::<Ticket>(&m, request).expect("read").0;
        let want: Vec<i64> = ids
            .iter()
            .copied()
            .skip(offset)
            .take(limit.unwrap_or(usize::MAX))
            .collect();
        assert_eq!(got, want, "offset {offset}, limit {limit:?}");
    }
    // Partitioned by rep, with and without a sort.
    for sort in [vec![], vec![Sort::new("p", crate::sort::Order::Asc)]] {
        let mut request = ReadRequest::new(Ticket::schema());
        request.filter = Some(guide());
        request.sort = sort.clone();
        request.partition = Some(Partition {
            by: PartitionBy::Attribute("rep_id"),
            keys: vec![Value::Int(4), Value::Int(1)],
        });
        let (got, _) = read::<Ticket>(&m, request).expect("read");
        let of = |r: i64| {
            let mut ids: Vec<i64> = ids.iter().copied().filter(|i| i % 8 == r).collect();
            if !sort.is_empty() {
                ids.sort_by_key(|i| i % 13);
            }
            ids
        };
        assert_eq!(got, [of(4), of(1)].concat(), "sorted: {}", !sort.is_empty());
    }
}

/// `rep_id in ids and is_nil(representative.name)` on `many()`: the `in` on the
/// key the hop follows is fused with the hop (`batch/fused.rs`), so every row
/// the `in` keeps must still find its representative, or none.
#[test]
fn an_in_on_the_key_a_hop_follows_finds_the_hop_too() {
    let m = many();
    let ids: Vec<Value> = (1..=6_i64)
        .chain([99])
        .chain(200..210)
        .map(Value::Int)
        .collect();
    let no_name = || Expr::IsNil(Box::new(representative("name")));
    let missing = Expr::is_in(attr("rep_id"), ids.clone()).and(no_name());
    // No rep: a nil `in`, a true `is_nil`: nil. Rep 99, in the list but
    // missing: true. Any other rep has a name: false.
    let expected: Vec<Option<bool>> = (1..=1300_i64)
        .map(|i| match i % 8 {
            0 => NIL,
            7 => T,
            _ => F,
        })
        .collect();
    assert_eq!(batched(&m, &missing), (expected.clone(), true));
    assert_eq!(truths::<Ticket>(&m, &missing), expected);
    // The `in` after another conjunct of the guard sees only the rows it left.
    let after = cmp(Gt, attr("p"), val(6)).and(missing);
    let expected_after: Vec<Option<bool>> = (1..=1300_i64)
        .map(|i| match (i % 11 != 0).then_some(i % 13 > 6) {
            Some(false) => F,
            p => match (i % 8, p) {
                (0, _) | (7, None) => NIL,
                (7, _) => T,
                _ => F,
            },
        })
        .collect();
    assert_eq!(batched(&m, &after), (expected_after.clone(), true));
    assert_eq!(truths::<Ticket>(&m, &after), expected_after);
    // A representative hidden by visibility is no record to the hop either:
    // rep 2's tickets now read a nil name, as rep 99's do.
    let mut request = ReadRequest::new(Ticket::schema());
    request.filter = Some(Expr::is_in(attr("rep_id"), ids).and(no_name()));
    request.visibility = Visibility::new(vec![(Rep::schema(), cmp(CmpOp::Ne, attr("id"), val(2)))]);
    let got = read::<Ticket>(&m, request).expect("read").0;
    let want: Vec<i64> = (1..=1300).filter(|i| matches!(i % 8, 2 | 7)).collect();
    assert_eq!(got, want);
}
