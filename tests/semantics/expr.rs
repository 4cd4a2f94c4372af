//! Operators, nil and sort (DESIGN "Semantics" 10-12): every operator of
//! `expr!` on a resource's own attributes, SQL's three-valued logic with nil
//! (Kleene tables, nil comparisons, `in`, arithmetic, `is_nil`), arithmetic that
//! overflows, and where nils sort. Relationship paths and `exists` are in
//! `paths.rs`.
//! Each test runs on memory, SQLite and PostgreSQL (`layers!`).

use ashore::prelude::*;

use crate::common::*;

resource! {
    /// Two nullable booleans: every pair of the Kleene truth tables is a record.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Truth {
        attributes {
            integer_primary_key id;
            attribute a: Option<bool>;
            attribute b: Option<bool>;
        }
    }
}

resource! {
    /// Nullable numbers and text.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Num {
        attributes {
            integer_primary_key id;
            attribute x: Option<i64>;
            attribute y: Option<i64>;
            attribute f: Option<f64>;
            attribute label: Option<String>;
        }
    }
}

/// A truth value of three-valued logic: `None` is nil.
pub(crate) type B = Option<bool>;

fn and3(a: B, b: B) -> B {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn or3(a: B, b: B) -> B {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

fn not3(a: B) -> B {
    a.map(|v| !v)
}

/// A comparison with SQL's nil rule.
fn cmp3(a: Option<i64>, b: Option<i64>, op: fn(&i64, &i64) -> bool) -> B {
    Some(op(&a?, &b?))
}

/// Records of one resource, stored, and the filter checks run against them
/// (the `text` suite's too).
pub(crate) struct Table<R> {
    pub(crate) domain: Domain,
    pub(crate) rows: Vec<R>,
}

impl<R: Resource<PrimaryKey = i64>> Table<R> {
    pub(crate) async fn new(run: &Run, changesets: Vec<Changeset<R>>) -> Self {
        let domain = domain(run, |b| b.resource::<R>()).await;
        let rows = domain.create_many(changesets).await.expect("create");
        Table { domain, rows }
    }

    /// Ids of the records `query` returns, sorted.
    pub(crate) async fn ids(&self, query: Query<R>) -> Vec<i64> {
        let found = self.domain.read(query).await.expect("read");
        let mut ids: Vec<i64> = found.iter().map(Resource::primary_key).collect();
        ids.sort_unstable();
        ids
    }

    /// Checks that `query` returns exactly the records for which `want` is true
    /// (not false, not nil).
    pub(crate) async fn check(&self, query: Query<R>, want: impl Fn(&R) -> B) {
        let shown = format!("{query:?}");
        let mut expected: Vec<i64> = self
            .rows
            .iter()
            .filter(|r| want(r) == Some(true))
            .map(Resource::primary_key)
            .collect();
        expected.sort_unstable();
        assert_eq!(self.ids(query).await, expected, "{shown}");
    }
}

/// Every pair of nil, false and true.
async fn truths(run: &Run) -> Table<Truth> {
    let values = [None, Some(false), Some(true)];
    let rows = values.iter().flat_map(|a| {
        let row = move |b: &B| Truth::changeset().set(Truth::a(), *a).set(Truth::b(), *b);
        values.iter().map(row)
    });
    Table::new(run, rows.collect()).await
}

/// x in nil, 1, 2, 3 times y in nil, 1, 2; f = x + 0.5; label "a" for x = 1,
/// "b" for 2 and 3, nil for nil.
async fn nums(run: &Run) -> Table<Num> {
    let mut changesets = Vec::new();
    for x in [None, Some(1), Some(2), Some(3)] {
        for y in [None, Some(1), Some(2)] {
            let label = x.map(|v| String::from(if v == 1 { "a" } else { "b" }));
            changesets.push(
                Num::changeset()
                    .set(Num::x(), x)
                    .set(Num::y(), y)
                    .set(Num::f(), x.map(|v| v as f64 + 0.5))
                    .set(Num::label(), label),
            );
        }
    }
    Table::new(run, changesets).await
}

async fn kleene_truth_tables_for_and_or_not(run: Run) -> ashore::Result<()> {
    let t = truths(&run).await;
    let q = Truth::query;
    t.check(q().filter(expr!(a and b)), |r| and3(r.a, r.b))
        .await;
    t.check(q().filter(expr!(a or b)), |r| or3(r.a, r.b)).await;
    t.check(q().filter(expr!(not a)), |r| not3(r.a)).await;
    t.check(q().filter(expr!(not (a and b))), |r| not3(and3(r.a, r.b)))
        .await;
    t.check(q().filter(expr!(not (a or b))), |r| not3(or3(r.a, r.b)))
        .await;
    t.check(q().filter(expr!(a && b)), |r| and3(r.a, r.b)).await;
    t.check(q().filter(expr!(a || b)), |r| or3(r.a, r.b)).await;
    t.check(q().filter(expr!(!a)), |r| not3(r.a)).await;
    t.check(q().filter(expr!(!(a && b))), |r| not3(and3(r.a, r.b)))
        .await;
    t.check(q().filter(expr!(a)), |r| r.a).await;
    t.check(q().filter(expr!(a and true)), |r| and3(r.a, Some(true)))
        .await;
    t.check(q().filter(expr!(a or false)), |r| or3(r.a, Some(false)))
        .await;
    t.check(q().filter(expr!(a == true)), |r| r.a).await;
    t.check(q().filter(expr!(a != true)), |r| not3(r.a)).await;
    t.check(q().filter(expr!(a == b)), |r| Some(r.a? == r.b?))
        .await;
    Ok(())
}

layers!(kleene_truth_tables_for_and_or_not);

async fn the_corners_where_ash_ets_and_sql_disagree_follow_sql(run: Run) -> ashore::Result<()> {
    let t = truths(&run).await;
    let q = Truth::query;
    let id_of = |a: B, b: B| {
        t.rows
            .iter()
            .find(|r| r.a == a && r.b == b)
            .expect("row")
            .id
    };
    let (nil_false, nil_true) = (id_of(None, Some(false)), id_of(None, Some(true)));
    // not (nil and false) = not false = true
    assert!(
        t.ids(q().filter(expr!(not (a and b))))
            .await
            .contains(&nil_false)
    );
    // nil and true = nil: neither it nor its negation matches
    assert!(!t.ids(q().filter(expr!(a and b))).await.contains(&nil_true));
    assert!(
        !t.ids(q().filter(expr!(not (a and b))))
            .await
            .contains(&nil_true)
    );
    // nil or true = true; nil or false = nil
    assert!(t.ids(q().filter(expr!(a or b))).await.contains(&nil_true));
    assert!(!t.ids(q().filter(expr!(a or b))).await.contains(&nil_false));
    assert!(
        !t.ids(q().filter(expr!(not (a or b))))
            .await
            .contains(&nil_false)
    );

    // The same with a nil comparison instead of a nil attribute.
    let n = nums(&run).await;
    let q = Num::query;
    n.check(q().filter(expr!(not (x > 1 and false))), |_| Some(true))
        .await;
    n.check(q().filter(expr!(x > 1 or true)), |_| Some(true))
        .await;
    let gt1 = |r: &Num| cmp3(r.x, Some(1), i64::gt);
    n.check(q().filter(expr!(not (x > 1 or false))), |r| not3(gt1(r)))
        .await;
    Ok(())
}

layers!(the_corners_where_ash_ets_and_sql_disagree_follow_sql);

async fn comparison_operators_and_nil_comparisons_never_match(run: Run) -> ashore::Result<()> {
    let n = nums(&run).await;
    let q = Num::query;
    n.check(q().filter(expr!(x == 2)), |r| cmp3(r.x, Some(2), i64::eq))
        .await;
    n.check(q().filter(expr!(x != 2)), |r| cmp3(r.x, Some(2), i64::ne))
        .await;
    n.check(q().filter(expr!(x < 2)), |r| cmp3(r.x, Some(2), i64::lt))
        .await;
    n.check(q().filter(expr!(x <= 2)), |r| cmp3(r.x, Some(2), i64::le))
        .await;
    n.check(q().filter(expr!(x > 2)), |r| cmp3(r.x, Some(2), i64::gt))
        .await;
    n.check(q().filter(expr!(x >= 2)), |r| cmp3(r.x, Some(2), i64::ge))
        .await;
    n.check(q().filter(expr!(x == y)), |r| cmp3(r.x, r.y, i64::eq))
        .await;
    n.check(q().filter(expr!(x != y)), |r| cmp3(r.x, r.y, i64::ne))
        .await;
    n.check(q().filter(expr!(not(x == 2))), |r| {
        cmp3(r.x, Some(2), i64::ne)
    })
    .await;
    n.check(q().filter(expr!(not(x != 2))), |r| {
        cmp3(r.x, Some(2), i64::eq)
    })
    .await;
    // nil == nil is nil, not true
    n.check(q().filter(expr!(x == y or not (x == y))), |r| {
        cmp3(r.x, r.y, i64::eq).map(|_| true)
    })
    .await;
    // Floats compare with integers; text compares with text.
    n.check(q().filter(expr!(f > 2)), |r| r.f.map(|f| f > 2.0))
        .await;
    n.check(q().filter(expr!(label < "b")), |r| {
        r.label.as_ref().map(|l| l.as_str() < "b")
    })
    .await;
    // Pinned values, including a pinned None (nil: matches nothing).
    let (two, none, text) = (2_i64, None::<i64>, "b".to_owned());
    n.check(q().filter(expr!(x >= ^two)), |r| {
        cmp3(r.x, Some(2), i64::ge)
    })
    .await;
    n.check(q().filter(expr!(x == ^none)), |_| None).await;
    n.check(q().filter(expr!(not (x == ^none))), |_| None).await;
    n.check(q().filter(expr!(label == ^text)), |r| {
        r.label.as_ref().map(|l| *l == text)
    })
    .await;
    // and binds tighter than or
    let x_is = |r: &Num, v| cmp3(r.x, Some(v), i64::eq);
    n.check(q().filter(expr!(x == 1 or x == 2 and y == 1)), |r| {
        or3(x_is(r, 1), and3(x_is(r, 2), cmp3(r.y, Some(1), i64::eq)))
    })
    .await;
    // Several filters must all hold.
    n.check(q().filter(expr!(x > 1)).filter(expr!(y < 2)), |r| {
        and3(cmp3(r.x, Some(1), i64::gt), cmp3(r.y, Some(2), i64::lt))
    })
    .await;
    Ok(())
}

layers!(comparison_operators_and_nil_comparisons_never_match);

async fn in_is_nil_when_its_operand_is_nil(run: Run) -> ashore::Result<()> {
    let n = nums(&run).await;
    let q = Num::query;
    let is_in = |x: Option<i64>, list: &[i64]| x.map(|v| list.contains(&v));
    n.check(q().filter(expr!(x in [1, 3])), |r| is_in(r.x, &[1, 3]))
        .await;
    n.check(q().filter(expr!(not (x in [1, 3]))), |r| {
        not3(is_in(r.x, &[1, 3]))
    })
    .await;
    let pinned = vec![2_i64, 3];
    n.check(q().filter(expr!(x in ^pinned)), |r| is_in(r.x, &[2, 3]))
        .await;
    n.check(q().filter(expr!(label in ["a"])), |r| {
        r.label.as_ref().map(|l| l == "a")
    })
    .await;
    Ok(())
}

layers!(in_is_nil_when_its_operand_is_nil);

async fn in_a_list_holding_nil_is_nil_for_values_not_in_it(run: Run) -> ashore::Result<()> {
    // SQL: 2 IN (1, NULL) is NULL, so NOT (2 IN (1, NULL)) does not match either.
    let n = nums(&run).await;
    let q = Num::query;
    let with_nil = vec![Some(1_i64), None];
    n.check(q().filter(expr!(x in ^with_nil)), |r| {
        r.x.and_then(|v| (v == 1).then_some(true))
    })
    .await;
    n.check(q().filter(expr!(not (x in ^with_nil))), |_| None)
        .await;
    Ok(())
}

layers!(in_a_list_holding_nil_is_nil_for_values_not_in_it);

async fn in_an_empty_list_is_false_and_nil_for_nil(run: Run) -> ashore::Result<()> {
    // No value is in an empty list; a nil one is still nil, as for any list
    // (SQL's `NULL IN ()` is false: every layer keeps the nil rule instead).
    let n = nums(&run).await;
    let q = Num::query;
    let empty: Vec<i64> = Vec::new();
    n.check(q().filter(expr!(x in ^empty)), |r| r.x.map(|_| false))
        .await;
    n.check(q().filter(expr!(not (x in ^empty))), |r| r.x.map(|_| true))
        .await;
    let no_labels: Vec<Option<String>> = Vec::new();
    n.check(q().filter(expr!(not (label in ^no_labels))), |r| {
        r.label.as_ref().map(|_| true)
    })
    .await;
    Ok(())
}

layers!(in_an_empty_list_is_false_and_nil_for_nil);

async fn arithmetic_with_nil_is_nil(run: Run) -> ashore::Result<()> {
    let n = nums(&run).await;
    let q = Num::query;
    let add = |a: Option<i64>, b: Option<i64>| Some(a? + b?);
    let is = |v: Option<i64>, want: i64| cmp3(v, Some(want), i64::eq);
    n.check(q().filter(expr!(x + 1 == 3)), |r| is(add(r.x, Some(1)), 3))
        .await;
    n.check(q().filter(expr!(x - 1 == 0)), |r| is(r.x.map(|v| v - 1), 0))
        .await;
    n.check(q().filter(expr!(x * 2 == 6)), |r| is(r.x.map(|v| v * 2), 6))
        .await;
    n.check(q().filter(expr!(x * 4 / 2 == 4)), |r| is(r.x, 2))
        .await;
    n.check(q().filter(expr!(x + y == 3)), |r| is(add(r.x, r.y), 3))
        .await;
    n.check(q().filter(expr!(x + y * 2 == 5)), |r| {
        is(add(r.x, r.y.map(|y| y * 2)), 5)
    })
    .await;
    n.check(q().filter(expr!((x + y) * 2 == 6)), |r| {
        is(add(r.x, r.y), 3)
    })
    .await;
    n.check(q().filter(expr!(is_nil(x + 1))), |r| Some(r.x.is_none()))
        .await;
    n.check(q().filter(expr!(not(x + y > 100))), |r| {
        add(r.x, r.y).map(|s| s <= 100)
    })
    .await;
    n.check(q().filter(expr!(is_nil(x / 0))), |_| Some(true))
        .await;
    n.check(q().filter(expr!(-x < -1)), |r| cmp3(r.x, Some(1), i64::gt))
        .await;
    n.check(q().filter(expr!(x > y - 1)), |r| {
        cmp3(r.x, r.y.map(|y| y - 1), i64::gt)
    })
    .await;
    Ok(())
}

layers!(arithmetic_with_nil_is_nil);

async fn is_nil_is_never_nil(run: Run) -> ashore::Result<()> {
    let n = nums(&run).await;
    let q = Num::query;
    n.check(q().filter(expr!(is_nil(x))), |r| Some(r.x.is_none()))
        .await;
    n.check(q().filter(expr!(not is_nil(x))), |r| Some(r.x.is_some()))
        .await;
    n.check(q().filter(expr!(is_nil(label) or is_nil(y))), |r| {
        Some(r.label.is_none() || r.y.is_none())
    })
    .await;
    Ok(())
}

layers!(is_nil_is_never_nil);

async fn integer_overflow_is_nil_not_a_panic(run: Run) -> ashore::Result<()> {
    // DESIGN 13: no panics on any input. An integer result that does not fit
    // an i64 is nil, like a division by zero.
    let n = nums(&run).await;
    let q = Num::query;
    let (max, min) = (i64::MAX, i64::MIN);
    // 1 * MAX fits; 2 * MAX and 3 * MAX do not.
    n.check(q().filter(expr!(x * ^max > 0)), |r| {
        r.x.and_then(|x| (x == 1).then_some(true))
    })
    .await;
    n.check(q().filter(expr!(is_nil(x * ^max))), |r| {
        Some(r.x != Some(1))
    })
    .await;
    n.check(q().filter(expr!(is_nil(x + ^max))), |_| Some(true))
        .await;
    // MIN / -1 (x = 1) overflows, MIN / 0 (x = 2) divides by zero, MIN / 1 is MIN.
    n.check(q().filter(expr!(is_nil(^min / (x - 2)))), |r| {
        Some(r.x != Some(3))
    })
    .await;
    n.check(q().filter(expr!(^min / (x - 2) < 0)), |r| {
        r.x.and_then(|x| (x == 3).then_some(true))
    })
    .await;
    // -(MIN) overflows (x = 1); -(MIN + 1) is MAX (x = 2).
    n.check(q().filter(expr!(is_nil(-(x - 1 + ^min)))), |r| {
        Some(r.x.is_none_or(|x| x == 1))
    })
    .await;
    Ok(())
}

layers!(integer_overflow_is_nil_not_a_panic);

async fn sort_puts_nils_where_the_order_says(run: Run) -> ashore::Result<()> {
    let n = nums(&run).await;
    let d = &n.domain;
    let xs = |records: Vec<Num>| -> Vec<Option<i64>> {
        let mut out: Vec<Option<i64>> = records.into_iter().map(|r| r.x).collect();
        out.dedup();
        out
    };
    let by = |s: Sort| Num::query().sort(s).sort(Num::id().asc());
    assert_eq!(
        xs(d.read(by(Num::x().asc())).await?),
        [Some(1), Some(2), Some(3), None]
    );
    assert_eq!(
        xs(d.read(by(Num::x().desc())).await?),
        [None, Some(3), Some(2), Some(1)]
    );
    assert_eq!(
        xs(d.read(by(Num::x().asc_nils_first())).await?),
        [None, Some(1), Some(2), Some(3)]
    );
    assert_eq!(
        xs(d.read(by(Num::x().desc_nils_last())).await?),
        [Some(3), Some(2), Some(1), None]
    );

    // Two keys: label ascending (nils last), then y descending (nils first).
    let rows = d
        .read(
            Num::query()
                .sort([Num::label().asc(), Num::y().desc()])
                .limit(6),
        )
        .await?;
    let got: Vec<(Option<String>, Option<i64>)> =
        rows.into_iter().map(|r| (r.label, r.y)).collect();
    let a = || Some("a".to_owned());
    let b = || Some("b".to_owned());
    assert_eq!(
        got,
        [
            (a(), None),
            (a(), Some(2)),
            (a(), Some(1)),
            (b(), None),
            (b(), None),
            (b(), Some(2))
        ]
    );

    // Per parent in a relationship load.
    let fx = helpdesk(&run).await;
    let ada = rep(&fx.domain, "Ada", 0).await;
    for (i, p) in [Some(2), None, Some(1), Some(3)].into_iter().enumerate() {
        ticket(
            &fx.domain,
            Some(&ada),
            &format!("t{i}"),
            "open",
            p,
            i as i64,
        )
        .await;
    }
    for (sort, want) in [
        (Ticket::priority().asc(), [Some(1), Some(2), Some(3), None]),
        (Ticket::priority().desc(), [None, Some(3), Some(2), Some(1)]),
        (
            Ticket::priority().asc_nils_first(),
            [None, Some(1), Some(2), Some(3)],
        ),
        (
            Ticket::priority().desc_nils_last(),
            [Some(3), Some(2), Some(1), None],
        ),
    ] {
        let mut reps = vec![ada.clone()];
        fx.domain
            .load(&mut reps, Representative::tickets().sort(sort.clone()))
            .await?;
        assert_eq!(priorities(reps[0].tickets.get()?), want, "{sort}");
    }
    Ok(())
}

layers!(sort_puts_nils_where_the_order_says);
