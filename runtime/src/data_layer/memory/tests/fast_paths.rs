//! The evaluator's fast paths against the semantics they shortcut: a binding
//! through a to-one relationship is resolved once per row (no record, a
//! dangling key or a hidden record all read as the all-nil record, also under
//! `not`), integer columns compare as `i64`s (nil stays nil, constants on
//! either side), and long lists of integers or UUIDs are probed with the
//! column's own type (a nil or a float in the list keeps `in`'s answers).

use super::*;
use uuid::Uuid;

test_resource!(Doc in "Doc", id: Uuid = Some(Generated::Uuid), { parent: Option<Uuid> } & []);

use CmpOp::{Eq, Gt, Lt, Ne};

fn representative(name: &'static str) -> Expr {
    through(&["representative"], name)
}

fn is_nil(e: Expr) -> Expr {
    Expr::IsNil(Box::new(e))
}

const T: Option<bool> = Some(true);
const F: Option<bool> = Some(false);
const NIL: Option<bool> = None;

/// `support()` and ticket 7 (p = 3), whose representative 99 does not exist.
/// Ticket p: 1, 5, 4, 2, nil, 9, 3; rep: ann (threshold 2), ann, bob (nil),
/// bob, bob, none, missing.
fn with_dangling() -> Memory {
    let m = support();
    let dangling = vec![ticket(7, Some(99), Some(3), Some("open"))];
    let err = insert::<Ticket>(&m, dangling.clone()).expect_err("a dangling key");
    assert!(matches!(err.kind(), ErrorKind::Constraint { .. }), "{err}");
    store_unchecked::<Ticket>(&m, dangling);
    m
}

#[test]
fn a_to_one_binding_without_a_record_reads_all_nil() {
    let m = with_dangling();
    let above = cmp(Gt, attr("p"), representative("threshold"));
    assert_eq!(
        truths::<Ticket>(&m, &above),
        [F, T, NIL, NIL, NIL, NIL, NIL]
    );
    assert_eq!(
        truths::<Ticket>(&m, &above.clone().not()),
        [T, F, NIL, NIL, NIL, NIL, NIL]
    );
    // Every read through the binding sees the same all-nil record.
    assert_eq!(
        truths::<Ticket>(&m, &is_nil(representative("id"))),
        [F, F, F, F, F, T, T]
    );
    let same_name = cmp(Eq, representative("name"), representative("name"));
    assert_eq!(truths::<Ticket>(&m, &same_name), [T, T, T, T, T, NIL, NIL]);
    // The conjunct without a path (the guard) and the bound one, in Kleene's `and`.
    let open_above = cmp(Eq, attr("status"), text("open")).and(above);
    assert_eq!(
        truths::<Ticket>(&m, &open_above),
        [F, F, NIL, NIL, NIL, NIL, NIL]
    );
}

#[test]
fn a_hidden_to_one_record_reads_all_nil_also_under_not() {
    let m = support();
    let read_with = |filter: Expr, visibility: &Visibility| {
        let mut request = ReadRequest::new(Ticket::schema());
        request.filter = Some(filter);
        request.visibility = visibility.clone();
        read::<Ticket>(&m, request).expect("read").0
    };
    let not_bobs = cmp(Eq, representative("name"), text("bob")).not();
    assert_eq!(read_with(not_bobs.clone(), &Visibility::default()), [1, 2]);
    // Bob hidden: his tickets see no representative, so `not (nil == "bob")`
    // is nil, not true.
    let no_bob = Visibility::new(vec![(Rep::schema(), cmp(Ne, attr("name"), text("bob")))]);
    assert_eq!(read_with(not_bobs, &no_bob), [1, 2]);
    assert_eq!(
        read_with(is_nil(representative("name")), &no_bob),
        [3, 4, 5, 6]
    );
    let low = cmp(Lt, attr("p"), representative("threshold")).not();
    assert_eq!(read_with(low, &no_bob), [2]);
}

#[test]
fn integer_comparisons_keep_nil() {
    let m = with_dangling();
    // p: 1, 5, 4, 2, nil, 9, 3.
    assert_eq!(
        truths::<Ticket>(&m, &cmp(Lt, val(3_i64), attr("p"))),
        [F, T, T, F, NIL, T, F]
    );
    assert_eq!(
        truths::<Ticket>(&m, &cmp(Ne, attr("p"), val(4_i64))),
        [T, T, F, T, NIL, T, T]
    );
    // Between two integer columns, either nil makes nil.
    assert_eq!(
        truths::<Ticket>(&m, &cmp(Eq, attr("p"), attr("rep_id"))),
        [T, F, F, T, NIL, NIL, F]
    );
    // A float constant is compared by value, not as an integer.
    assert_eq!(
        truths::<Ticket>(&m, &cmp(Eq, attr("p"), val(4.0))),
        [F, F, T, F, NIL, F, F]
    );
    assert_eq!(
        truths::<Ticket>(&m, &cmp(Gt, attr("p"), val(3.5))),
        [F, T, T, F, NIL, T, F]
    );
}

/// An integer column of a small table, read through a to-one hop from every
/// row of a larger one (many rows per record, nil thresholds, tickets without
/// a representative), against the answers worked out by hand.
#[test]
fn integer_columns_through_a_to_one_hop_answer_row_by_row() {
    let m = support();
    // Tickets 10..40 cycle through reps 1 (threshold 2), 2 (nil), 3 (0) and
    // none, with p = 0..3 and nil.
    let rep_of = |i: i64| [Some(1), Some(2), Some(3), None][(i % 4) as usize];
    let p_of = |i: i64| (i % 5 != 4).then_some(i % 5);
    let rows = (10..40)
        .map(|i| ticket(i, rep_of(i), p_of(i), None))
        .collect();
    insert::<Ticket>(&m, rows).expect("tickets");
    let threshold = |rep: Option<i64>| match rep {
        Some(1) => Some(2),
        Some(3) => Some(0),
        _ => None,
    };
    // Tickets 1..6 of `support()`, then the formula.
    let mut expected = vec![F, T, NIL, NIL, NIL, NIL];
    expected.extend((10..40).map(|i| match (p_of(i), threshold(rep_of(i))) {
        (Some(p), Some(t)) => Some(p > t),
        _ => None,
    }));
    let above = cmp(Gt, attr("p"), representative("threshold"));
    assert_eq!(truths::<Ticket>(&m, &above), expected);
    // The same column against a constant, and in a long list: true for the
    // tickets of rep 1 only (threshold 2), nil without a threshold.
    let over_one = cmp(Lt, val(1_i64), representative("threshold"));
    let listed = Expr::is_in(
        representative("threshold"),
        (10..20_i64).chain([2]).map(Value::Int).collect(),
    );
    let expected: Vec<_> = [Some(1), Some(1), Some(2), Some(2), Some(2), None]
        .into_iter()
        .chain((10..40).map(rep_of))
        .map(|rep| threshold(rep).map(|t| t > 1))
        .collect();
    assert_eq!(truths::<Ticket>(&m, &over_one), expected);
    assert_eq!(truths::<Ticket>(&m, &listed), expected);
}

#[test]
fn long_integer_lists_answer_as_in_does() {
    let m = with_dangling();
    let long = |extra: Vec<Value>| {
        let mut list: Vec<Value> = (10..30_i64).map(Value::Int).collect();
        list.push(Value::Int(5));
        list.extend(extra);
        Expr::is_in(attr("p"), list)
    };
    // p: 1, 5, 4, 2, nil, 9, 3.
    assert_eq!(truths::<Ticket>(&m, &long(vec![])), [F, T, F, F, NIL, F, F]);
    assert_eq!(
        truths::<Ticket>(&m, &long(vec![Value::Null])),
        [NIL, T, NIL, NIL, NIL, NIL, NIL]
    );
    // A float equal to an integer counts.
    assert_eq!(
        truths::<Ticket>(&m, &long(vec![Value::Float(4.0)])),
        [F, T, T, F, NIL, F, F]
    );
    // Through a to-one path: ann's threshold is 2, bob's nil, the others absent.
    let thresholds = Expr::is_in(
        representative("threshold"),
        (10..20_i64).chain([2]).map(Value::Int).collect(),
    );
    assert_eq!(
        truths::<Ticket>(&m, &thresholds),
        [T, T, NIL, NIL, NIL, NIL, NIL]
    );
}

#[test]
fn long_uuid_lists_answer_as_in_does() {
    let m = memory();
    m.register(Doc::schema()).expect("register");
    let id = |i: u128| Value::Uuid(Uuid::from_u128(i));
    let rows = vec![
        vec![id(1), id(3)],
        vec![id(2), Value::Null],
        vec![id(3), id(40)],
    ];
    insert::<Doc>(&m, rows).expect("docs");
    let list = |extra: Option<Value>| {
        let mut list: Vec<Value> = (3..20).map(id).collect();
        list.extend(extra);
        Expr::is_in(attr("parent"), list)
    };
    assert_eq!(truths::<Doc>(&m, &list(None)), [T, NIL, F]);
    assert_eq!(truths::<Doc>(&m, &list(Some(Value::Null))), [T, NIL, NIL]);
    // Values of another type equal no UUID.
    assert_eq!(truths::<Doc>(&m, &list(Some(Value::Int(40)))), [T, NIL, F]);
}
