//! Tests of the in-memory data layer and its filter evaluator, on hand-written
//! resources (the `resource!` macro is not used here); `data_layer::content`'s
//! tests use the same resources and helpers.

use crate::testing::test_resource;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use super::*;
use crate::expr::{ArithOp, CmpOp, Expr};
use crate::resource::{Generated, RelationshipInfo, RelationshipKind, Resource, Row, Through};
use crate::sort::{Order, Sort, compare_for_sort};

mod batches;
mod fast_paths;
mod filters;
mod grouped;
mod parent_hops;
mod reads;
mod transactions;
mod visibility;

const fn rel(
    name: &'static str,
    kind: RelationshipKind,
    destination: fn() -> &'static Schema,
    source_attribute: &'static str,
    destination_attribute: Option<&'static str>,
    through: Option<Through>,
) -> RelationshipInfo {
    RelationshipInfo {
        name,
        kind,
        manual: false,
        no_attributes: false,
        destination,
        source_attribute,
        destination_attribute,
        through,
        filter: None,
        sort: Vec::new,
        condition: None,
        authorize_read_with: crate::policy::AuthorizeReadWith::Filter,
    }
}

test_resource!(pub(crate) Rep in "Rep", id: i64 = Some(Generated::Integer), { name: String, threshold: Option<i64> } &[
    rel("tickets", RelationshipKind::HasMany, Ticket::schema, "id", Some("rep_id"), None),
]);

test_resource!(pub(crate) Ticket in "Ticket", id: i64 = Some(Generated::Integer), {
    rep_id: Option<i64>,
    p: Option<i64>,
    status: Option<String>,
    score: Option<f64>,
    urgent: Option<bool>
} &[
    rel("representative", RelationshipKind::BelongsTo, Rep::schema, "rep_id", None, None),
    rel("tags", RelationshipKind::ManyToMany, Tag::schema, "id", None, Some(Through {
        resource: TicketTag::schema,
        source_attribute_on_join_resource: "ticket_id",
        destination_attribute_on_join_resource: "tag_id",
    })),
]);

test_resource!(pub(crate) Tag in "Tag", id: i64 = Some(Generated::Integer), { label: String } & []);

test_resource!(pub(crate) TicketTag in "TicketTag", id: i64 = Some(Generated::Integer), {
        ticket_id: i64,
        tag_id: i64
    } & []
);

pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = future.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

pub(crate) fn memory() -> Memory {
    let memory = Memory::new();
    for s in [
        Rep::schema(),
        Ticket::schema(),
        Tag::schema(),
        TicketTag::schema(),
    ] {
        memory.register(s).expect("register");
        memory.register(s).expect("register twice");
    }
    memory
}

pub(crate) fn insert<R: Resource>(memory: &Memory, rows: Vec<Row>) -> Result<Vec<R>> {
    block_on(memory.create(R::schema(), crate::testing::flat(rows)))?.into_vec()
}

/// Stores `rows` as they are, without the checks of a create: for records no
/// create accepts (a belongs_to key pointing at no record), which the
/// evaluator must still read alike (a manual loader's records may hold one).
fn store_unchecked<R: Resource>(memory: &Memory, rows: Vec<Row>) {
    let schema = R::schema();
    let mut tables = memory.tables.write().expect("tables");
    let stored = stored_mut(&mut tables, schema).expect("registered");
    let start = stored.table.len();
    let keys: Vec<Value> = rows.iter().map(|r| r[schema.primary_key].clone()).collect();
    push_rows(&mut *stored.table, schema, rows).expect("push");
    for (i, key) in keys.into_iter().enumerate() {
        stored.primary.insert(key, start + i);
    }
}

pub(crate) fn rep(id: i64, name: &str, threshold: Option<i64>) -> Row {
    vec![id.into(), s(name), threshold.into()]
}

pub(crate) fn ticket(id: i64, rep: Option<i64>, p: Option<i64>, status: Option<&str>) -> Row {
    vec![
        id.into(),
        rep.into(),
        p.into(),
        status.map(str::to_owned).into(),
        Value::Null,
        Value::Null,
    ]
}

/// The ids read and, for a partitioned read, each record's key (records come
/// grouped by key, in the order of the partition's keys).
fn read<R: Resource>(memory: &Memory, request: ReadRequest) -> Result<(Vec<i64>, Vec<Value>)> {
    let keys = request.partition.as_ref().map(|p| p.keys.clone());
    let result = block_on(memory.read(request))?;
    let id = |r: &R| match r.get(0) {
        Value::Int(i) => i,
        _ => -1,
    };
    match keys {
        None => Ok((
            result.records.into_vec::<R>()?.iter().map(id).collect(),
            Vec::new(),
        )),
        Some(keys) => {
            let groups = result.into_groups::<R>(keys.len())?;
            let mut ids = Vec::new();
            let mut tags = Vec::new();
            for (key, group) in keys.iter().zip(groups) {
                for r in &group {
                    ids.push(id(r));
                    tags.push(key.clone());
                }
            }
            Ok((ids, tags))
        }
    }
}

fn matching<R: Resource>(memory: &Memory, filter: Expr) -> Vec<i64> {
    let mut request = ReadRequest::new(R::schema());
    request.filter = Some(filter);
    read::<R>(memory, request).expect("read").0
}

fn attr(name: &'static str) -> Expr {
    Expr::attr(name)
}

fn through(path: &[&'static str], name: &'static str) -> Expr {
    Expr::path_attr(path.iter().copied(), name)
}

fn val(v: impl Into<Value>) -> Expr {
    Expr::value(v)
}

fn text(v: &str) -> Expr {
    Expr::Value(s(v))
}

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

fn nil() -> Expr {
    Expr::Value(Value::Null)
}

fn cmp(op: CmpOp, l: Expr, r: Expr) -> Expr {
    Expr::cmp(op, l, r)
}

fn arith(op: ArithOp, l: Expr, r: Expr) -> Expr {
    Expr::Arith(op, Box::new(l), Box::new(r))
}

/// The truth of `expr` on the first ticket, row by row and in a batch alike.
fn truth(memory: &Memory, expr: Expr) -> Option<bool> {
    let tables = memory.tables.read().expect("lock");
    let filter = Filter::compile(
        Ticket::schema(),
        Some(&expr),
        &Visibility::default(),
        &*tables,
    );
    let filter = filter.expect("compile").expect("a filter");
    let row = filter.eval(0);
    assert_eq!(filter.eval_batched(&[0]).0, [row], "in a batch: {expr}");
    row
}

/// The truth of `expr` on each record of `R` (`None` is nil), row by row and
/// in batches alike.
fn truths<R: Resource>(m: &Memory, expr: &Expr) -> Vec<Option<bool>> {
    let tables = m.tables.read().expect("lock");
    let filter = Filter::compile(R::schema(), Some(expr), &Visibility::default(), &*tables)
        .expect("compile")
        .expect("a filter");
    let rows: Vec<usize> = (0..tables.table(R::schema()).expect("table").len()).collect();
    let truths: Vec<Option<bool>> = rows.iter().map(|&row| filter.eval(row)).collect();
    // Batches (where the expression has a batch plan) answer alike.
    assert_eq!(filter.eval_batched(&rows).0, truths, "in batches: {expr}");
    truths
}

fn kind_of(err: &Error) -> &ErrorKind {
    err.kind()
}

/// Three tickets: p = 1, nil, 5.
fn tickets() -> Memory {
    let m = memory();
    insert::<Ticket>(
        &m,
        vec![
            ticket(1, None, Some(1), Some("open")),
            ticket(2, None, None, None),
            ticket(3, None, Some(5), Some("closed")),
        ],
    )
    .expect("insert");
    m
}

/// Reps 1 (threshold 2), 2 (threshold nil), 3 (no tickets); tickets of rep 1:
/// p = 1 open, 5 closed; of rep 2: p = 4 open, 2 open, nil; ticket 6 has no rep.
fn support() -> Memory {
    let m = memory();
    let reps = vec![
        rep(1, "ann", Some(2)),
        rep(2, "bob", None),
        rep(3, "cy", Some(0)),
    ];
    insert::<Rep>(&m, reps).expect("reps");
    let rows = vec![
        ticket(1, Some(1), Some(1), Some("open")),
        ticket(2, Some(1), Some(5), Some("closed")),
        ticket(3, Some(2), Some(4), Some("open")),
        ticket(4, Some(2), Some(2), Some("open")),
        ticket(5, Some(2), None, Some("open")),
        ticket(6, None, Some(9), Some("open")),
    ];
    insert::<Ticket>(&m, rows).expect("tickets");
    m
}

fn tagged() -> Memory {
    let m = support();
    let tags = vec![
        vec![1_i64.into(), s("urgent")],
        vec![2_i64.into(), s("vip")],
        vec![3_i64.into(), s("spam")],
    ];
    insert::<Tag>(&m, tags).expect("tags");
    let links = [(1, 1), (1, 2), (3, 1), (4, 2), (2, 3)];
    let rows = links
        .iter()
        .map(|&(t, g)| vec![Value::Null, Value::Int(t), Value::Int(g)]);
    insert::<TicketTag>(&m, rows.collect()).expect("links");
    m
}
