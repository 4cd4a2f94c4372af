//! Hops through `no_attributes` relationships (linked by a filter reading
//! `parent(..)`) against a plain-Rust oracle: the key conjunct
//! `lead_id == parent(id)` that finds the candidates through an index is not
//! tested again, and the rest (`p > parent(threshold)`) is tested row by row
//! for a few candidates and in batches (`parent(..)` read once per call) for
//! many. Nil priorities, nil thresholds, jobs of no lead, hidden jobs and a
//! hop nested in another's test must all come out as the rule says.

use super::*;
use crate::data_layer::eval::Aggregates;
use crate::expr::{Aggregate, AggregateKind};

fn lead_above() -> Expr {
    cmp(CmpOp::Eq, attr("lead_id"), Expr::parent("id")).and(cmp(
        CmpOp::Gt,
        attr("p"),
        Expr::parent("threshold"),
    ))
}

/// Only the key conjunct: every job of the lead.
fn lead_all() -> Expr {
    cmp(CmpOp::Eq, Expr::parent("id"), attr("lead_id"))
}

/// The jobs whose priority is the lead's threshold: a key conjunct whose
/// source attribute is nil on some leads.
fn lead_at_threshold() -> Expr {
    cmp(CmpOp::Eq, attr("p"), Expr::parent("threshold"))
}

/// The other jobs of the same lead with a higher priority.
fn job_higher() -> Expr {
    cmp(CmpOp::Gt, attr("p"), Expr::parent("p")).and(cmp(
        CmpOp::Eq,
        attr("lead_id"),
        Expr::parent("lead_id"),
    ))
}

/// The jobs above the lead's threshold with at least two higher peers: a
/// hop (`higher`, whose `parent(..)` is the job) inside the hop's test.
fn lead_crowded() -> Expr {
    let peers = Expr::Aggregate {
        at: Vec::new(),
        aggregate: Box::new(Aggregate::new(AggregateKind::Count, ["higher"])),
    };
    lead_above().and(cmp(CmpOp::Ge, peers, val(2_i64)))
}

/// A job as the oracle sees it: its lead, its priority, whether closed.
type Job3 = (Option<i64>, Option<i64>, bool);

const fn linked(name: &'static str, filter: fn() -> Expr) -> RelationshipInfo {
    RelationshipInfo {
        name,
        kind: RelationshipKind::HasMany,
        manual: false,
        no_attributes: true,
        destination: Job::schema,
        source_attribute: "id",
        destination_attribute: None,
        through: None,
        filter: Some(filter),
        sort: Vec::new,
        condition: None,
        authorize_read_with: crate::policy::AuthorizeReadWith::Filter,
    }
}

test_resource!(pub(crate) Lead in "Lead", id: i64 = Some(Generated::Integer), { threshold: Option<i64> } &[
    linked("above", lead_above),
    linked("all", lead_all),
    linked("crowded", lead_crowded),
    linked("at_threshold", lead_at_threshold),
]);

test_resource!(pub(crate) Job in "Job", id: i64 = Some(Generated::Integer), {
    lead_id: Option<i64>,
    p: Option<i64>,
    status: Option<String>
} &[linked("higher", job_higher)]);

/// Leads 1-5 (thresholds 2, nil, 0, 1, 3); jobs `(lead, p, status)`: many
/// for leads 1 and 2 (past the row-by-row limit), three for lead 3, none
/// for lead 4, one for lead 5, some of no lead; priorities cycle through nil
/// and 0-5, every third job closed, the leads' jobs interleaved.
fn desk() -> (Memory, Vec<Option<i64>>, Vec<Job3>) {
    let m = Memory::new();
    m.register(Lead::schema()).expect("register");
    m.register(Job::schema()).expect("register");
    let thresholds = vec![Some(2), None, Some(0), Some(1), Some(3)];
    let rows = thresholds
        .iter()
        .enumerate()
        .map(|(i, t)| vec![Value::Int(i as i64 + 1), (*t).into()])
        .collect();
    insert::<Lead>(&m, rows).expect("leads");
    let mut jobs = Vec::new();
    for i in 0..90_i64 {
        let lead = match i % 9 {
            0..=3 => Some(1),
            4..=6 => Some(2),
            7 if i < 27 => Some(3),
            7 if i == 34 => Some(5),
            _ => None,
        };
        let p = (i % 7 != 0).then_some(i % 6);
        jobs.push((lead, p, i % 3 == 0));
    }
    let rows = jobs
        .iter()
        .map(|&(lead, p, closed)| {
            let status = if closed { "closed" } else { "open" };
            vec![Value::Null, lead.into(), p.into(), s(status)]
        })
        .collect();
    insert::<Job>(&m, rows).expect("jobs");
    (m, thresholds, jobs)
}

/// `kind(path)` with `filter`, for each lead, under `visibility`.
fn per_lead(m: &Memory, aggregate: Aggregate, visibility: &Visibility) -> Vec<Value> {
    let tables = m.tables.read().expect("lock");
    let compiled =
        Aggregates::compile(Lead::schema(), &[aggregate], visibility, &*tables).expect("compile");
    (0..5)
        .map(|row| compiled.values(row).expect("values").remove(0))
        .collect()
}

fn counts(counts: impl Iterator<Item = usize>) -> Vec<Value> {
    counts.map(|n| Value::Int(n as i64)).collect()
}

/// Whether a job of `lead` with priority `p` is above `threshold`: nil
/// anywhere is not.
fn above(job: &Job3, lead: i64, threshold: Option<i64>) -> bool {
    job.0 == Some(lead) && matches!((job.1, threshold), (Some(p), Some(t)) if p > t)
}

#[test]
fn counts_through_a_parent_hop_follow_the_nil_rules() {
    let (m, thresholds, jobs) = desk();
    let expected = |keep: &dyn Fn(&Job3) -> bool| {
        counts(thresholds.iter().enumerate().map(|(i, &t)| {
            let lead = i as i64 + 1;
            jobs.iter().filter(|j| above(j, lead, t) && keep(j)).count()
        }))
    };
    let count = Aggregate::new(AggregateKind::Count, ["above"]);
    let all = expected(&|_| true);
    assert_eq!(per_lead(&m, count.clone(), &Visibility::default()), all);
    // Lead 1 has many jobs above (batches), lead 3 few (row by row), lead
    // 2's nil threshold none.
    assert!(
        matches!(all[..], [Value::Int(a), Value::Int(0), Value::Int(c), Value::Int(0), _] if a > 16 && c > 0)
    );
    // A job hidden by visibility is not counted.
    let closed = cmp(CmpOp::Eq, attr("status"), text("closed"));
    let open_only = visibility_of(Job::schema(), closed.clone().not());
    let open = expected(&|j| !j.2);
    assert_eq!(per_lead(&m, count.clone(), &open_only), open);
    assert_ne!(open, all);
    // The aggregate's own filter, on the records reached.
    let filtered = count.filter(closed);
    assert_eq!(
        per_lead(&m, filtered, &Visibility::default()),
        expected(&|j| j.2)
    );
    // Only the key conjunct: every job of the lead, nil priorities too.
    let every = counts((1..=5).map(|lead| jobs.iter().filter(|j| j.0 == Some(lead)).count()));
    let all_jobs = Aggregate::new(AggregateKind::Count, ["all"]);
    assert_eq!(
        per_lead(&m, all_jobs.clone(), &Visibility::default()),
        every
    );
    // A condition on nothing but visibility.
    let open_every =
        counts((1..=5).map(|lead| jobs.iter().filter(|j| j.0 == Some(lead) && !j.2).count()));
    assert_eq!(per_lead(&m, all_jobs, &open_only), open_every);
    // A sum reads the rows gathered, not counted.
    let sum = Aggregate::new(AggregateKind::Sum, ["above"]).field("p");
    let sums: Vec<Value> = thresholds
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            let ps = jobs.iter().filter(|j| above(j, i as i64 + 1, t));
            let ps: Vec<i64> = ps.filter_map(|j| j.1).collect();
            if ps.is_empty() {
                Value::Null
            } else {
                Value::Int(ps.iter().sum())
            }
        })
        .collect();
    assert_eq!(per_lead(&m, sum, &Visibility::default()), sums);
}

#[test]
fn a_parent_hop_inside_another_reads_its_own_parent() {
    let (m, thresholds, jobs) = desk();
    // A job's higher peers: the same lead, a higher priority.
    let higher = |job: &Job3| {
        jobs.iter()
            .filter(|o| {
                o.0.is_some() && o.0 == job.0 && matches!((o.1, job.1), (Some(a), Some(b)) if a > b)
            })
            .count()
    };
    let crowded = counts(thresholds.iter().enumerate().map(|(i, &t)| {
        let lead = i as i64 + 1;
        jobs.iter()
            .filter(|j| above(j, lead, t) && higher(j) >= 2)
            .count()
    }));
    let count = Aggregate::new(AggregateKind::Count, ["crowded"]);
    assert_eq!(per_lead(&m, count, &Visibility::default()), crowded);
    // The filter of a read through the hop, and an exists inside it whose
    // own hop reads the job as its parent.
    let more_than = |n: i64| {
        let above_count = Expr::Aggregate {
            at: Vec::new(),
            aggregate: Box::new(Aggregate::new(AggregateKind::Count, ["above"])),
        };
        cmp(CmpOp::Gt, above_count, val(n))
    };
    let all = per_lead(
        &m,
        Aggregate::new(AggregateKind::Count, ["above"]),
        &Visibility::default(),
    );
    for n in [0, 1, 5, 100] {
        let ids: Vec<i64> = (1..=5)
            .filter(|&lead| matches!(all[lead as usize - 1], Value::Int(c) if c > n))
            .collect();
        assert_eq!(matching::<Lead>(&m, more_than(n)), ids, "more than {n}");
    }
    let closed_peer = Expr::Exists {
        path: vec!["above".into()],
        expr: Box::new(Expr::Exists {
            path: vec!["higher".into()],
            expr: Box::new(cmp(CmpOp::Eq, attr("status"), text("closed"))),
        }),
    };
    let ids: Vec<i64> = (1..=5_i64)
        .filter(|&lead| {
            let t = thresholds[lead as usize - 1];
            jobs.iter().any(|j| {
                above(j, lead, t)
                    && jobs.iter().any(|o| {
                        o.0 == j.0 && o.2 && matches!((o.1, j.1), (Some(a), Some(b)) if a > b)
                    })
            })
        })
        .collect();
    assert_eq!(matching::<Lead>(&m, closed_peer), ids);
}

fn visibility_of(schema: &'static Schema, condition: Expr) -> Visibility {
    Visibility::new(vec![(schema, condition)])
}

/// An aggregate in a read's filter has, for each lead, the value a load
/// computes (`per_lead`), whatever the kind, the hop (a key of nil source
/// values, jobs of no lead, nil priorities), the visibility (hidden jobs)
/// and the aggregate's filter: a filter computing it another way (for every
/// lead at once, say) must not miscount.
#[test]
fn a_filter_aggregate_has_each_records_loaded_value() {
    let (m, _, jobs) = desk();
    let closed = cmp(CmpOp::Eq, attr("status"), text("closed"));
    let open_only = visibility_of(Job::schema(), closed.clone().not());
    let kinds = [
        AggregateKind::Count,
        AggregateKind::Sum,
        AggregateKind::Min,
        AggregateKind::Max,
        AggregateKind::Avg,
        AggregateKind::First,
    ];
    let mut checked = 0;
    for hop in ["above", "all", "at_threshold", "crowded"] {
        for kind in kinds {
            for filtered in [false, true] {
                for visibility in [Visibility::default(), open_only.clone()] {
                    let mut aggregate = Aggregate::new(kind, [hop]);
                    if kind != AggregateKind::Count {
                        aggregate = aggregate.field("p");
                    }
                    if filtered {
                        aggregate = aggregate.filter(closed.clone().not());
                    }
                    let values = per_lead(&m, aggregate.clone(), &visibility);
                    // Each lead's own value picks it out, and no other lead
                    // is kept for a wrong one.
                    let value = || Expr::Aggregate {
                        at: Vec::new(),
                        aggregate: Box::new(aggregate.clone()),
                    };
                    for (i, v) in values.iter().enumerate() {
                        let is = match v {
                            Value::Null => Expr::IsNil(Box::new(value())),
                            v => cmp(CmpOp::Eq, value(), val(v.clone())),
                        };
                        let same: Vec<i64> =
                            (1..=5).filter(|&l| values[l as usize - 1] == *v).collect();
                        let mut request = ReadRequest::new(Lead::schema());
                        request.filter = Some(is);
                        request.visibility = visibility.clone();
                        let got = read::<Lead>(&m, request).expect("read").0;
                        assert_eq!(got, same, "{aggregate} of lead {}", i + 1);
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 4 * 6 * 2 * 2 * 5);
    // The values are not all alike: counts of the jobs above each lead's
    // threshold, open ones only, as the rule says (lead 2's nil threshold
    // and lead 4's no jobs: zero).
    let open_above = counts((1..=5).map(|lead| {
        let t = [Some(2), None, Some(0), Some(1), Some(3)][lead as usize - 1];
        jobs.iter().filter(|j| above(j, lead, t) && !j.2).count()
    }));
    let count = Aggregate::new(AggregateKind::Count, ["above"]);
    assert_eq!(per_lead(&m, count, &open_only), open_above);
}
