//! An aggregate computed for every record in one pass over the destination
//! (`eval::grouped`) against the same aggregate computed record by record:
//! every kind, through a hop by key and hops linked by a condition (a key
//! conjunct on the source's primary key, one on an attribute several sources
//! share, one with a hop inside its test), with and without the aggregate's
//! filter and the destination's visibility, over more rows than one chunk,
//! with nil keys, keys of no record and nil values.

use super::parent_hops::{Job, Lead};
use super::*;
use crate::data_layer::eval::Aggregates;
use crate::expr::{Aggregate, AggregateKind};

/// A small deterministic generator (an LCG), so a failure repeats.
struct Draw(u64);

impl Draw {
    /// A number below `n`.
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

const LEADS: i64 = 40;
const REPS: i64 = 30;
/// Past two chunks of the pass (`CHUNK`).
const JOBS: i64 = 1300;

/// Leads with thresholds 0-5 or nil (shared by many); jobs of a lead, of
/// none or of a lead that does not exist, priorities 0-6 or nil, open,
/// closed or nil; representatives and their tickets likewise.
fn desk() -> Memory {
    let m = Memory::new();
    let schemas = [Lead::schema, Job::schema, Rep::schema, Ticket::schema];
    for schema in schemas {
        m.register(schema()).expect("register");
    }
    let mut draw = Draw(14);
    let maybe = |draw: &mut Draw, n: u64| (draw.below(5) != 0).then(|| draw.below(n) as i64);
    let leads = (1..=LEADS)
        .map(|id| vec![Value::Int(id), maybe(&mut draw, 6).into()])
        .collect();
    insert::<Lead>(&m, leads).expect("leads");
    let status = |draw: &mut Draw| match draw.below(3) {
        0 => Value::Null,
        1 => s("closed"),
        _ => s("open"),
    };
    let jobs = (0..JOBS)
        .map(|_| {
            let lead = match draw.below(16) {
                0 | 1 => Value::Null,
                2 => Value::Int(99),
                _ => Value::Int(1 + draw.below(LEADS as u64) as i64),
            };
            vec![
                Value::Null,
                lead,
                maybe(&mut draw, 7).into(),
                status(&mut draw),
            ]
        })
        .collect();
    insert::<Job>(&m, jobs).expect("jobs");
    let reps = (1..=REPS).map(|id| rep(id, "r", None)).collect();
    insert::<Rep>(&m, reps).expect("reps");
    let tickets = (0..JOBS)
        .map(|_| {
            let rep = (draw.below(8) != 0).then(|| 1 + draw.below(REPS as u64) as i64);
            let mut row = ticket(0, rep, maybe(&mut draw, 7), None);
            row[0] = Value::Null;
            row[3] = status(&mut draw);
            row
        })
        .collect();
    insert::<Ticket>(&m, tickets).expect("tickets");
    m
}

#[test]
fn the_grouped_pass_gives_each_record_its_own_value() {
    let m = desk();
    let tables = m.tables.read().expect("lock");
    let open = cmp(CmpOp::Eq, attr("status"), text("closed")).not();
    // Every kind a value can be read of (`list` is no value).
    let kinds = {
        use AggregateKind::*;
        [Count, Exists, Sum, Min, Max, Avg, First]
    };
    let hops = [
        (Lead::schema(), "above", LEADS),
        (Lead::schema(), "all", LEADS),
        (Lead::schema(), "at_threshold", LEADS),
        (Lead::schema(), "crowded", LEADS),
        (Rep::schema(), "tickets", REPS),
    ];
    let mut differ = 0;
    for (schema, hop, records) in hops {
        let dest = if hop == "tickets" {
            Ticket::schema()
        } else {
            Job::schema()
        };
        for kind in kinds {
            for filtered in [false, true] {
                for visible in [false, true] {
                    let mut aggregate = Aggregate::new(kind, [hop]);
                    if !matches!(kind, AggregateKind::Count | AggregateKind::Exists) {
                        aggregate = aggregate.field("p");
                    }
                    if filtered {
                        aggregate = aggregate.filter(open.clone());
                    }
                    let visibility = if visible {
                        Visibility::new(vec![(dest, open.clone())])
                    } else {
                        Visibility::default()
                    };
                    let compile = || {
                        let one = std::slice::from_ref(&aggregate);
                        Aggregates::compile(schema, one, &visibility, &*tables).expect("compile")
                    };
                    let rows = 0..records as usize;
                    let per_record = compile();
                    let expected: Vec<Value> = rows
                        .clone()
                        .map(|r| per_record.values_per_record(r).expect("value").remove(0))
                        .collect();
                    let grouped = compile();
                    assert_eq!(grouped.grouped(), [true], "{aggregate}");
                    let got: Vec<Value> = rows
                        .clone()
                        .map(|r| grouped.values(r).expect("value").remove(0))
                        .collect();
                    assert_eq!(got, expected, "{aggregate}, visible {visible}");
                    // Computed for some records only (a load's), then asked
                    // for those and others.
                    let some = compile();
                    let wanted: Vec<usize> = rows.clone().filter(|r| r % 3 == 1).collect();
                    some.prepare(&wanted);
                    let got: Vec<Value> = rows
                        .clone()
                        .map(|r| some.values(r).expect("value").remove(0))
                        .collect();
                    assert_eq!(got, expected, "{aggregate} of some, visible {visible}");
                    differ += usize::from(expected.windows(2).any(|w| w[0] != w[1]));
                }
            }
        }
    }
    // Not a comparison of nothing: the values vary from record to record
    // (all but some `exists`, `min` and `max` over every job of a lead,
    // the same for every lead with ~30 of them).
    assert!(differ > 100, "{differ}");
}

/// `aggregate`'s value for each lead, computed record by record.
fn per_lead(m: &Memory, aggregate: &Aggregate) -> Vec<Value> {
    let tables = m.tables.read().expect("lock");
    let one = std::slice::from_ref(aggregate);
    let c = Aggregates::compile(Lead::schema(), one, &Visibility::default(), &*tables)
        .expect("compile");
    (0..LEADS as usize)
        .map(|r| c.values_per_record(r).expect("value").remove(0))
        .collect()
}

/// A filter whose aggregate is grouped keeps the records whose own value
/// passes, through a hop linked by a condition and one by key.
#[test]
fn a_grouped_aggregate_in_a_filter_keeps_the_right_records() {
    let m = desk();
    for (hop, n) in [("above", 8_i64), ("at_threshold", 5), ("crowded", 2)] {
        let aggregate = Aggregate::new(AggregateKind::Count, [hop]);
        let expected: Vec<i64> = per_lead(&m, &aggregate)
            .iter()
            .enumerate()
            .filter(|(_, v)| matches!(v, Value::Int(v) if *v > n))
            .map(|(r, _)| r as i64 + 1)
            .collect();
        assert!(
            !expected.is_empty() && expected.len() < LEADS as usize,
            "{hop}"
        );
        let count = Expr::Aggregate {
            at: Vec::new(),
            aggregate: Box::new(aggregate),
        };
        assert_eq!(
            matching::<Lead>(&m, cmp(CmpOp::Gt, count, val(n))),
            expected,
            "{hop}"
        );
    }
}

/// A filter's aggregate is computed first for the records the rest of the
/// filter selects (`id in ^ids`): the same records come out, in whatever
/// order the conjuncts are, and the pass tests the related rows of those
/// records, not of every lead.
#[test]
fn the_rest_of_a_filter_restricts_its_grouped_aggregate() {
    use crate::data_layer::eval::TESTED;
    let m = desk();
    let aggregate = Aggregate::new(AggregateKind::Count, ["above"]);
    let values = per_lead(&m, &aggregate);
    let count = || Expr::Aggregate {
        at: Vec::new(),
        aggregate: Box::new(aggregate.clone()),
    };
    let ids = [3_i64, 17, 30];
    let some = || Expr::is_in(attr("id"), ids.iter().map(|&i| Value::Int(i)).collect());
    let tested = |filter: Expr| {
        TESTED.with(|t| t.set(0));
        let got = matching::<Lead>(&m, filter);
        (got, TESTED.with(std::cell::Cell::get))
    };
    let mut kept_some = false;
    for n in [0_i64, 8, 11, 14] {
        let more = || cmp(CmpOp::Gt, count(), val(n));
        let expected: Vec<i64> = ids
            .into_iter()
            .filter(|&id| matches!(values[id as usize - 1], Value::Int(v) if v > n))
            .collect();
        kept_some |= !expected.is_empty() && expected.len() < ids.len();
        let (all, every) = tested(more());
        assert!(expected.iter().all(|id| all.contains(id)), "more than {n}");
        let (got, restricted) = tested(some().and(more()));
        assert_eq!(got, expected, "ids and more than {n}");
        assert!(restricted * 5 < every, "{restricted} of {every} tested");
        // The aggregate before the restriction, and inside an `or`.
        assert_eq!(
            tested(more().and(some())).0,
            expected,
            "more than {n} and ids"
        );
        let or_nothing = more().or(cmp(CmpOp::Eq, attr("threshold"), val(99_i64)));
        let (got, restricted) = tested(some().and(or_nothing));
        assert_eq!(got, expected, "ids and (more than {n} or nothing)");
        assert!(restricted * 5 < every, "{restricted} of {every} tested");
    }
    assert!(kept_some);
}

/// A sort key on an aggregate is computed for the records the read keeps
/// (the pass tests their related rows only), and orders them as their
/// values computed record by record do (ties in insertion order).
#[test]
fn a_sort_on_a_grouped_aggregate_orders_the_records_kept() {
    use crate::data_layer::eval::TESTED;
    let m = desk();
    let aggregate = Aggregate::new(AggregateKind::Sum, ["above"]).field("p");
    let values = per_lead(&m, &aggregate);
    let ids: Vec<i64> = (1..=LEADS).filter(|id| id % 4 != 1).collect();
    let mut expected = ids.clone();
    // Descending, nils first (`Order::Desc`), ties in insertion order.
    expected.sort_by(|a, b| {
        let (a, b) = (&values[*a as usize - 1], &values[*b as usize - 1]);
        match (a.is_null(), b.is_null()) {
            (true, true) => std::cmp::Ordering::Equal,
            (true, false) => std::cmp::Ordering::Less,
            (false, true) => std::cmp::Ordering::Greater,
            (false, false) => Value::sort_cmp(b, a),
        }
    });
    let mut request = ReadRequest::new(Lead::schema());
    request.filter = Some(Expr::is_in(
        attr("id"),
        ids.iter().map(|&i| Value::Int(i)).collect(),
    ));
    let sort = vec![Sort::aggregate("sum_above", aggregate, Order::Desc)];
    request.sort = sort.clone();
    TESTED.with(|t| t.set(0));
    let got = read::<Lead>(&m, request).expect("read").0;
    let some = TESTED.with(std::cell::Cell::get);
    assert_eq!(got, expected);
    let mut every = ReadRequest::new(Lead::schema());
    every.sort = sort;
    TESTED.with(|t| t.set(0));
    assert_eq!(
        read::<Lead>(&m, every).expect("read").0.len(),
        LEADS as usize
    );
    let all = TESTED.with(std::cell::Cell::get);
    assert!(some * 10 < all * 9, "{some} of {all} tested");
    assert!(values.iter().any(Value::is_null) && values.iter().any(|v| !v.is_null()));
}
