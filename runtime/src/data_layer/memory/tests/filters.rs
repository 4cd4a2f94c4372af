//! Filter semantics: nils, Kleene logic, `in`, arithmetic, relationship paths,
//! `exists`, and invalid filters.

use super::*;

#[test]
fn comparisons_with_nils() {
    let m = tickets();
    let cases = [
        (CmpOp::Eq, vec![]),
        (CmpOp::Ne, vec![1, 3]),
        (CmpOp::Lt, vec![1]),
        (CmpOp::Le, vec![1]),
        (CmpOp::Gt, vec![3]),
        (CmpOp::Ge, vec![3]),
    ];
    for (op, expected) in cases {
        assert_eq!(
            matching::<Ticket>(&m, cmp(op, attr("p"), val(3_i64))),
            expected,
            "{op}"
        );
        // Against nil, or between values that do not compare: never true.
        assert_eq!(
            matching::<Ticket>(&m, cmp(op, attr("p"), nil())),
            Vec::<i64>::new()
        );
        assert_eq!(
            matching::<Ticket>(&m, cmp(op, nil(), nil())),
            Vec::<i64>::new()
        );
        assert_eq!(
            matching::<Ticket>(&m, cmp(op, attr("p"), text("3"))),
            Vec::<i64>::new()
        );
        assert_eq!(truth(&m, cmp(op, attr("p"), nil())), None);
        // Negated, nil stays nil: the ticket with p = nil never matches.
        let negated = matching::<Ticket>(&m, cmp(op, attr("p"), val(3_i64)).not());
        assert!(!negated.contains(&2), "{op}");
    }
    // Ints and floats compare by value.
    assert_eq!(
        matching::<Ticket>(&m, cmp(CmpOp::Eq, attr("p"), val(5.0))),
        vec![3]
    );
    assert_eq!(
        matching::<Ticket>(&m, cmp(CmpOp::Eq, attr("status"), text("open"))),
        vec![1]
    );
}

#[test]
fn kleene_truth_tables() {
    let m = tickets();
    let lit = |t: Option<bool>| t.map_or_else(nil, val);
    let all = [Some(true), Some(false), None];
    for a in all {
        assert_eq!(truth(&m, lit(a).not()), a.map(|b| !b));
        for b in all {
            let and = match (a, b) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            };
            let or = match (a, b) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            };
            assert_eq!(truth(&m, lit(a).and(lit(b))), and, "{a:?} and {b:?}");
            assert_eq!(truth(&m, lit(a).or(lit(b))), or, "{a:?} or {b:?}");
        }
    }
    assert_eq!(truth(&m, nil().and(val(false)).not()), Some(true));
    // On rows: ticket 2 has p = nil, so `p > 3 or status == "x"` is nil for it.
    let e = cmp(CmpOp::Gt, attr("p"), val(3_i64)).or(cmp(CmpOp::Eq, attr("p"), val(1_i64)));
    assert_eq!(matching::<Ticket>(&m, e.clone()), vec![1, 3]);
    assert_eq!(matching::<Ticket>(&m, e.not()), Vec::<i64>::new());
    // is_nil is never nil, also of a condition.
    assert_eq!(
        matching::<Ticket>(&m, Expr::IsNil(Box::new(attr("p")))),
        vec![2]
    );
    let unknown = cmp(CmpOp::Gt, attr("p"), val(3_i64));
    assert_eq!(
        matching::<Ticket>(&m, Expr::IsNil(Box::new(unknown))),
        vec![2]
    );
}

#[test]
fn in_with_nil() {
    let m = tickets();
    let one = || attr("p");
    assert_eq!(
        truth(&m, Expr::is_in(one(), vec![1_i64.into(), 2_i64.into()])),
        Some(true)
    );
    assert_eq!(
        truth(&m, Expr::is_in(one(), vec![2_i64.into()])),
        Some(false)
    );
    assert_eq!(
        truth(&m, Expr::is_in(one(), vec![2_i64.into(), Value::Null])),
        None
    );
    assert_eq!(
        truth(&m, Expr::is_in(one(), vec![Value::Null, 1.0.into()])),
        Some(true)
    );
    assert_eq!(truth(&m, Expr::is_in(nil(), vec![1_i64.into()])), None);
    assert_eq!(truth(&m, Expr::is_in(one(), vec![])), Some(false));
    // Long lists are hashed, with the same semantics: of mixed types as
    // values, of integers only as integers.
    for text in [Some(s("x")), None] {
        let long = |extra: Vec<Value>| {
            let mut list: Vec<Value> = (10..30_i64).map(Value::Int).collect();
            list.extend(text.clone());
            list.extend(extra);
            Expr::is_in(attr("p"), list)
        };
        assert_eq!(truth(&m, long(vec![])), Some(false));
        assert_eq!(truth(&m, long(vec![Value::Null])), None);
        assert_eq!(truth(&m, long(vec![Value::Int(1)])), Some(true));
        assert_eq!(truth(&m, long(vec![Value::Float(1.0)])), Some(true));
        assert_eq!(truth(&m, long(vec![Value::Float(1.5), Value::Null])), None);
    }
    // Of UUIDs only, as UUIDs.
    let uuids: Vec<Value> = (0..20_u128)
        .map(|i| Value::Uuid(uuid::Uuid::from_u128(i)))
        .collect();
    assert_eq!(
        truth(&m, Expr::is_in(attr("p"), uuids.clone())),
        Some(false)
    );
    let one_uuid = Expr::is_in(val(Value::Uuid(uuid::Uuid::from_u128(7))), uuids);
    assert_eq!(truth(&m, one_uuid), Some(true));
    let float = arith(ArithOp::Add, attr("p"), val(9.0));
    let list = (10..30_i64).map(Value::Int).collect();
    assert_eq!(truth(&m, Expr::is_in(float, list)), Some(true));
    let e = Expr::is_in(
        attr("status"),
        (0..20)
            .map(|i| s(&format!("s{i}")))
            .chain([s("open")])
            .collect(),
    );
    assert_eq!(matching::<Ticket>(&m, e), vec![1]);
    let e = Expr::is_in(attr("p"), vec![1_i64.into(), Value::Null]);
    assert_eq!(matching::<Ticket>(&m, e.clone()), vec![1]);
    assert_eq!(matching::<Ticket>(&m, e.not()), Vec::<i64>::new());
}

#[test]
fn arithmetic() {
    let m = tickets();
    let is = |e: Expr, v: Value| truth(&m, cmp(CmpOp::Eq, e, Expr::Value(v)));
    let int = |i: i64| val(i);
    assert_eq!(
        is(arith(ArithOp::Add, int(2), int(3)), Value::Int(5)),
        Some(true)
    );
    assert_eq!(
        is(arith(ArithOp::Sub, int(2), int(3)), Value::Int(-1)),
        Some(true)
    );
    assert_eq!(
        is(arith(ArithOp::Mul, int(2), int(3)), Value::Int(6)),
        Some(true)
    );
    assert_eq!(
        is(arith(ArithOp::Div, int(7), int(2)), Value::Int(3)),
        Some(true)
    );
    assert_eq!(
        is(arith(ArithOp::Div, int(-7), int(2)), Value::Int(-3)),
        Some(true)
    );
    assert_eq!(
        is(arith(ArithOp::Div, val(7.0), int(2)), Value::Float(3.5)),
        Some(true)
    );
    assert_eq!(
        is(arith(ArithOp::Add, attr("p"), val(0.5)), Value::Float(1.5)),
        Some(true)
    );
    let nil_cases = [
        arith(ArithOp::Add, nil(), int(1)),
        arith(ArithOp::Mul, int(1), nil()),
        arith(ArithOp::Div, int(1), int(0)),
        arith(ArithOp::Div, val(1.0), val(0.0)),
        arith(
            ArithOp::Div,
            attr("p"),
            arith(ArithOp::Sub, attr("p"), attr("p")),
        ),
        arith(ArithOp::Add, int(i64::MAX), int(1)),
        arith(ArithOp::Div, int(i64::MIN), int(-1)),
        arith(ArithOp::Add, text("a"), int(1)),
    ];
    for e in nil_cases {
        assert_eq!(
            truth(&m, Expr::IsNil(Box::new(e.clone()))),
            Some(true),
            "{e}"
        );
        assert_eq!(is(e, Value::Int(0)), None);
    }
    let e = cmp(CmpOp::Gt, arith(ArithOp::Mul, attr("p"), int(2)), int(5));
    assert_eq!(matching::<Ticket>(&m, e), vec![3]);
}

#[test]
fn to_one_path() {
    let m = support();
    let e = cmp(
        CmpOp::Gt,
        attr("p"),
        through(&["representative"], "threshold"),
    );
    assert_eq!(matching::<Ticket>(&m, e), vec![2]);
    let e = cmp(CmpOp::Eq, through(&["representative"], "name"), text("bob"));
    assert_eq!(matching::<Ticket>(&m, e), vec![3, 4, 5]);
    // A ticket without a representative sees an all-nil one.
    let e = Expr::IsNil(Box::new(through(&["representative"], "name")));
    assert_eq!(matching::<Ticket>(&m, e), vec![6]);
}

#[test]
fn to_many_path_binds_one_record() {
    let m = support();
    let high = cmp(CmpOp::Gt, through(&["tickets"], "p"), val(3_i64));
    let open = cmp(CmpOp::Eq, through(&["tickets"], "status"), text("open"));
    assert_eq!(matching::<Rep>(&m, high.clone()), vec![1, 2]);
    // Rep 1's high ticket is closed and its open one is low: no single ticket.
    assert_eq!(matching::<Rep>(&m, high.clone().and(open)), vec![2]);
    // A rep without tickets binds to an all-nil ticket.
    assert_eq!(
        matching::<Rep>(&m, Expr::IsNil(Box::new(through(&["tickets"], "p")))),
        vec![2, 3]
    );
    assert_eq!(matching::<Rep>(&m, high.not()), vec![1, 2]);
    // Paths through a path: tickets.representative is each ticket's own rep.
    let own = cmp(
        CmpOp::Eq,
        through(&["tickets", "representative"], "id"),
        attr("id"),
    );
    assert_eq!(matching::<Rep>(&m, own), vec![1, 2]);
}

#[test]
fn exists() {
    let m = support();
    let high_open =
        cmp(CmpOp::Gt, attr("p"), val(3_i64)).and(cmp(CmpOp::Eq, attr("status"), text("open")));
    let e = Expr::Exists {
        path: vec!["tickets".into()],
        expr: Box::new(high_open),
    };
    assert_eq!(matching::<Rep>(&m, e.clone()), vec![2]);
    // Never nil: rep 3 has no tickets, so `not exists` is true for it.
    assert_eq!(matching::<Rep>(&m, e.not()), vec![1, 3]);
    let nil_inner = Expr::Exists {
        path: vec!["tickets".into()],
        expr: Box::new(cmp(CmpOp::Gt, attr("p"), nil())),
    };
    assert_eq!(matching::<Rep>(&m, nil_inner.not()), vec![1, 2, 3]);
    // Inside exists, a path starts from the related record.
    let above = cmp(
        CmpOp::Gt,
        attr("p"),
        through(&["representative"], "threshold"),
    );
    let e = Expr::Exists {
        path: vec!["tickets".into()],
        expr: Box::new(above),
    };
    assert_eq!(matching::<Rep>(&m, e), vec![1]);
}

#[test]
fn errors() {
    let m = support();
    let invalid = |e: Expr, name: &str| {
        let mut request = ReadRequest::new(Ticket::schema());
        request.filter = Some(e);
        let err = read::<Ticket>(&m, request).expect_err("invalid");
        assert!(
            matches!(kind_of(&err), ErrorKind::InvalidQuery { resource: "Ticket", message } if message.contains(name)),
            "{err}"
        );
    };
    invalid(cmp(CmpOp::Eq, attr("nope"), val(1_i64)), "nope");
    invalid(
        cmp(CmpOp::Eq, through(&["representative"], "nope"), val(1_i64)),
        "nope",
    );
    invalid(
        cmp(CmpOp::Eq, through(&["nowhere"], "id"), val(1_i64)),
        "nowhere",
    );
    invalid(
        Expr::Exists {
            path: vec!["nowhere".into()],
            expr: Box::new(val(true)),
        },
        "nowhere",
    );
    invalid(attr("p"), "not a condition");
    // A bool attribute is a condition.
    assert_eq!(matching::<Ticket>(&m, attr("urgent")), Vec::<i64>::new());

    let err = read::<Ticket>(&Memory::new(), ReadRequest::new(Ticket::schema()))
        .expect_err("unregistered");
    assert!(matches!(
        kind_of(&err),
        ErrorKind::NotRegistered { resource: "Ticket" }
    ));
    let err = block_on(Memory::new().create(Ticket::schema(), crate::testing::flat(vec![])))
        .expect_err("unregistered");
    assert!(matches!(
        kind_of(&err),
        ErrorKind::NotRegistered { resource: "Ticket" }
    ));
}

/// Filters, sort keys and values display as Ash writes them: what error messages
/// and logs show (once the examples of `Expr`'s and `Sort`'s `Display`).
#[test]
fn filters_sorts_and_values_display_as_ash_writes_them() {
    use chrono::{TimeZone, Utc};

    let above = cmp(CmpOp::Gt, attr("p"), through(&["rep"], "threshold"));
    let filter = above
        .or(Expr::IsNil(Box::new(attr("p"))))
        .and(Expr::is_in(attr("status"), vec![s("open"), Value::Null]));
    assert_eq!(
        filter.to_string(),
        r#"((p > rep.threshold or is_nil(p)) and status in ["open", nil])"#
    );
    let exists = Expr::Exists {
        path: vec!["tickets".into()],
        expr: Box::new(cmp(
            CmpOp::Ge,
            arith(ArithOp::Mul, attr("p"), val(2_i64)),
            val(18_i64),
        )),
    };
    assert_eq!(exists.to_string(), "exists(tickets, (p * 2) >= 18)");
    assert_eq!(
        exists.not().to_string(),
        "not exists(tickets, (p * 2) >= 18)"
    );

    let opened = Utc.with_ymd_and_hms(2024, 5, 1, 9, 30, 0).unwrap();
    assert_eq!(Value::from(opened).to_string(), "2024-05-01T09:30:00+00:00");
    assert_eq!(Value::Float(2.5).to_string(), "2.5");

    let keys: Vec<String> = [
        Sort::new("p", Order::Asc),
        Sort::new("p", Order::Desc),
        Sort::new("p", Order::AscNilsFirst),
        Sort::new("p", Order::DescNilsLast),
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        keys,
        ["p asc", "p desc", "p asc_nils_first", "p desc_nils_last"]
    );
}

fn kleene_and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// A conjunct that reads no related record is tried before any is looked up;
/// whatever it is (true, false or nil), `free and bound` stays Kleene's `and`
/// of the two, wherever the free conjunct sits among the others.
#[test]
fn conjuncts_without_paths_go_first_and_change_nothing() {
    let m = support();
    // On representatives: `tickets` is to-many, so `bound` ranges over tickets.
    let free = [
        cmp(CmpOp::Gt, attr("threshold"), val(1_i64)), // nil for bob
        cmp(CmpOp::Eq, attr("name"), text("ann")),
        Expr::IsNil(Box::new(attr("threshold"))),
        cmp(CmpOp::Eq, attr("threshold"), nil()), // nil for everyone
    ];
    let bound = [
        cmp(CmpOp::Gt, through(&["tickets"], "p"), val(3_i64)),
        cmp(CmpOp::Eq, through(&["tickets"], "status"), text("open")).and(cmp(
            CmpOp::Lt,
            through(&["tickets"], "p"),
            val(3_i64),
        )),
        cmp(CmpOp::Gt, through(&["tickets"], "p"), attr("threshold")),
        cmp(CmpOp::Gt, through(&["tickets"], "p"), val(10_i64)), // false for ann
    ];
    for f in &free {
        for b in &bound {
            let expected: Vec<_> = truths::<Rep>(&m, f)
                .into_iter()
                .zip(truths::<Rep>(&m, b))
                .map(|(f, b)| kleene_and(f, b))
                .collect();
            assert_eq!(
                truths::<Rep>(&m, &f.clone().and(b.clone())),
                expected,
                "{f} and {b}"
            );
            assert_eq!(
                truths::<Rep>(&m, &b.clone().and(f.clone())),
                expected,
                "{b} and {f}"
            );
        }
    }
    // On tickets: `representative` is to-one; the free conjunct in the middle.
    let above = cmp(
        CmpOp::Gt,
        attr("p"),
        through(&["representative"], "threshold"),
    );
    let named = cmp(CmpOp::Ne, through(&["representative"], "name"), text("cy"));
    for f in [
        cmp(CmpOp::Gt, attr("p"), val(1_i64)),
        cmp(CmpOp::Eq, attr("status"), text("open")),
    ] {
        let expected: Vec<_> = truths::<Ticket>(&m, &above)
            .into_iter()
            .zip(truths::<Ticket>(&m, &f))
            .zip(truths::<Ticket>(&m, &named))
            .map(|((a, f), n)| kleene_and(kleene_and(a, f), n))
            .collect();
        let e = above.clone().and(f.clone()).and(named.clone());
        assert_eq!(truths::<Ticket>(&m, &e), expected, "{e}");
    }
    assert_eq!(
        matching::<Ticket>(&m, above.and(cmp(CmpOp::Eq, attr("status"), text("open")))),
        Vec::<i64>::new()
    );
}
