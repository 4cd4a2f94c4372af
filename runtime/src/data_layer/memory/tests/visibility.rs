//! Visibility conditions (`ReadRequest::visibility`): at the root of a read, on
//! the destinations and join records of partitioned reads, and at every
//! relationship hop of a filter.

use super::*;

fn visibility(conditions: Vec<(&'static Schema, Expr)>) -> Visibility {
    Visibility::new(conditions)
}

fn is_nil(e: Expr) -> Expr {
    Expr::IsNil(Box::new(e))
}

fn open() -> Expr {
    cmp(CmpOp::Eq, attr("status"), text("open"))
}

/// The ids of `R`s matching `filter` (all of them without one) under
/// `visibility`.
fn visible<R: Resource>(m: &Memory, filter: Option<Expr>, visibility: &Visibility) -> Vec<i64> {
    let mut request = ReadRequest::new(R::schema());
    request.filter = filter;
    request.visibility = visibility.clone();
    read::<R>(m, request).expect("read").0
}

#[test]
fn the_root_records_must_be_visible() {
    let m = support();
    let only_open = visibility(vec![(Ticket::schema(), open())]);
    assert_eq!(visible::<Ticket>(&m, None, &only_open), vec![1, 3, 4, 5, 6]);
    let high = cmp(CmpOp::Gt, attr("p"), val(3_i64));
    assert_eq!(
        visible::<Ticket>(&m, Some(high.clone()), &Visibility::default()),
        vec![2, 3, 6]
    );
    assert_eq!(visible::<Ticket>(&m, Some(high), &only_open), vec![3, 6]);
    // A condition on another resource leaves the root alone.
    let reps = visibility(vec![(Rep::schema(), val(false))]);
    assert_eq!(visible::<Ticket>(&m, None, &reps).len(), 6);

    // The condition and the filter bind their paths separately: rep 1 has a
    // closed ticket and a ticket with p = 1, but no closed ticket with p = 1.
    let closed = cmp(CmpOp::Eq, through(&["tickets"], "status"), text("closed"));
    let with_closed = visibility(vec![(Rep::schema(), closed)]);
    let p1 = cmp(CmpOp::Eq, through(&["tickets"], "p"), val(1_i64));
    assert_eq!(visible::<Rep>(&m, Some(p1), &with_closed), vec![1]);
    // A nil condition hides the record.
    let threshold = visibility(vec![(
        Rep::schema(),
        cmp(CmpOp::Ge, attr("threshold"), val(0_i64)),
    )]);
    assert_eq!(visible::<Rep>(&m, None, &threshold), vec![1, 3]);
}

#[test]
fn a_to_one_path_to_a_hidden_record_reads_nil() {
    let m = support();
    let no_bob = visibility(vec![(
        Rep::schema(),
        cmp(CmpOp::Ne, attr("name"), text("bob")),
    )]);
    let name = || through(&["representative"], "name");
    assert_eq!(
        visible::<Ticket>(&m, Some(is_nil(name())), &Visibility::default()),
        vec![6]
    );
    assert_eq!(
        visible::<Ticket>(&m, Some(is_nil(name())), &no_bob),
        vec![3, 4, 5, 6]
    );
    let bob = cmp(CmpOp::Eq, name(), text("bob"));
    assert_eq!(visible::<Ticket>(&m, Some(bob), &no_bob), Vec::<i64>::new());
}

#[test]
fn exists_and_to_many_paths_ignore_hidden_records() {
    let m = support();
    let only_open = visibility(vec![(Ticket::schema(), open())]);
    let high = || cmp(CmpOp::Gt, attr("p"), val(3_i64));
    let exists = |e: Expr| Expr::Exists {
        path: vec!["tickets".into()],
        expr: Box::new(e),
    };
    assert_eq!(
        visible::<Rep>(&m, Some(exists(high())), &Visibility::default()),
        vec![1, 2]
    );
    // Rep 1's only high ticket is closed.
    assert_eq!(
        visible::<Rep>(&m, Some(exists(high())), &only_open),
        vec![2]
    );
    let path_high = cmp(CmpOp::Gt, through(&["tickets"], "p"), val(3_i64));
    assert_eq!(visible::<Rep>(&m, Some(path_high), &only_open), vec![2]);
    let closed = cmp(CmpOp::Eq, through(&["tickets"], "status"), text("closed"));
    assert_eq!(
        visible::<Rep>(&m, Some(closed), &only_open),
        Vec::<i64>::new()
    );
    // Without a visible ticket, a rep is tested against an all-nil ticket.
    let none = visibility(vec![(Ticket::schema(), val(false))]);
    let lonely = is_nil(through(&["tickets"], "id"));
    assert_eq!(visible::<Rep>(&m, Some(lonely), &none), vec![1, 2, 3]);
    assert_eq!(
        visible::<Rep>(&m, Some(exists(val(true))), &none),
        Vec::<i64>::new()
    );
}

#[test]
fn many_to_many_hops_skip_hidden_join_and_destination_records() {
    let m = tagged();
    let vip = || cmp(CmpOp::Eq, through(&["tags"], "label"), text("vip"));
    assert_eq!(
        visible::<Ticket>(&m, Some(vip()), &Visibility::default()),
        vec![1, 4]
    );
    // Link 2 joins ticket 1 to tag 2 (vip).
    let no_link_2 = visibility(vec![(
        TicketTag::schema(),
        cmp(CmpOp::Ne, attr("id"), val(2_i64)),
    )]);
    assert_eq!(visible::<Ticket>(&m, Some(vip()), &no_link_2), vec![4]);
    let any_tag = Expr::Exists {
        path: vec!["tags".into()],
        expr: Box::new(val(true)),
    };
    assert_eq!(
        visible::<Ticket>(&m, Some(any_tag.clone()), &Visibility::default()),
        vec![1, 2, 3, 4]
    );
    let not_urgent = cmp(CmpOp::Ne, attr("label"), text("urgent"));
    let no_urgent = visibility(vec![(Tag::schema(), not_urgent)]);
    assert_eq!(
        visible::<Ticket>(&m, Some(any_tag), &no_urgent),
        vec![1, 2, 4]
    );
}

fn tags_of(
    m: &Memory,
    tickets: &[i64],
    sort: Vec<Sort>,
    visibility: &Visibility,
) -> Vec<(i64, Value)> {
    let mut request = ReadRequest::new(Tag::schema());
    request.sort = sort;
    request.visibility = visibility.clone();
    request.partition = Some(Partition {
        by: PartitionBy::Through {
            join: TicketTag::schema(),
            source_attribute_on_join: "ticket_id",
            destination_attribute_on_join: "tag_id",
            destination_attribute: "id",
        },
        keys: tickets.iter().map(|&t| Value::Int(t)).collect(),
    });
    let (ids, keys) = read::<Tag>(m, request).expect("read");
    ids.into_iter().zip(keys).collect()
}

#[test]
fn a_many_to_many_partition_skips_hidden_join_records() {
    let m = tagged();
    let k = |tag: i64, ticket: i64| (tag, Value::Int(ticket));
    let all = tags_of(&m, &[1, 3, 4], vec![], &Visibility::default());
    assert_eq!(all, vec![k(1, 1), k(2, 1), k(1, 3), k(2, 4)]);
    let no_link_2 = visibility(vec![(
        TicketTag::schema(),
        cmp(CmpOp::Ne, attr("id"), val(2_i64)),
    )]);
    for sort in [vec![], vec![Sort::new("label", Order::Desc)]] {
        let seen = tags_of(&m, &[1, 3, 4], sort, &no_link_2);
        assert_eq!(seen, vec![k(1, 1), k(1, 3), k(2, 4)]);
    }
    // Hidden destinations are skipped too.
    let no_vip = visibility(vec![(
        Tag::schema(),
        cmp(CmpOp::Ne, attr("label"), text("vip")),
    )]);
    let seen = tags_of(&m, &[1, 3, 4], vec![], &no_vip);
    assert_eq!(seen, vec![k(1, 1), k(1, 3)]);
}

#[test]
fn a_partitioned_read_skips_hidden_destinations_before_the_window() {
    let m = support();
    let only_open = visibility(vec![(Ticket::schema(), open())]);
    let by_rep = |sort: Vec<Sort>, limit: Option<usize>| {
        let mut request = ReadRequest::new(Ticket::schema());
        request.sort = sort;
        request.limit = limit;
        request.visibility = only_open.clone();
        request.partition = Some(Partition {
            by: PartitionBy::Attribute("rep_id"),
            keys: vec![Value::Int(1), Value::Int(2)],
        });
        read::<Ticket>(&m, request).expect("read")
    };
    let (ids, keys) = by_rep(vec![], None);
    assert_eq!(ids, vec![1, 3, 4, 5]);
    assert_eq!(keys, [1, 2, 2, 2].map(Value::Int));
    // Ticket 2 (p = 5, closed) would come first for rep 1.
    let (ids, _) = by_rep(vec![Sort::new("p", Order::DescNilsLast)], Some(1));
    assert_eq!(ids, vec![1, 3]);
    let (ids, _) = by_rep(vec![], Some(1));
    assert_eq!(ids, vec![1, 3]);
}

#[test]
fn a_visibility_conditions_own_paths_are_not_scoped() {
    let m = support();
    // Reps are visible when they have a closed ticket; tickets when open, and
    // when their rep is visible. Neither condition sees the other: rep 1 stays
    // visible through its closed ticket, and compiling terminates.
    let closed = Expr::Exists {
        path: vec!["tickets".into()],
        expr: Box::new(cmp(CmpOp::Eq, attr("status"), text("closed"))),
    };
    let rep_visible = cmp(CmpOp::Eq, through(&["representative"], "name"), text("ann"));
    let both = visibility(vec![
        (Rep::schema(), closed),
        (Ticket::schema(), open().and(rep_visible)),
    ]);
    assert_eq!(visible::<Rep>(&m, None, &both), vec![1]);
    assert_eq!(visible::<Ticket>(&m, None, &both), vec![1]);
    // The read's own paths are scoped: from rep 1, only ticket 1 is visible.
    let p5 = cmp(CmpOp::Eq, through(&["tickets"], "p"), val(5_i64));
    assert_eq!(visible::<Rep>(&m, Some(p5), &both), Vec::<i64>::new());
    let ann = cmp(CmpOp::Eq, through(&["representative"], "name"), text("ann"));
    assert_eq!(visible::<Ticket>(&m, Some(ann), &both), vec![1]);
}

#[test]
fn an_invalid_condition_fails_the_read() {
    let m = support();
    let nope = visibility(vec![(
        Rep::schema(),
        cmp(CmpOp::Eq, attr("nope"), val(1_i64)),
    )]);
    let mut request = ReadRequest::new(Rep::schema());
    request.visibility = nope.clone();
    let err = read::<Rep>(&m, request).expect_err("unknown attribute");
    assert!(
        matches!(kind_of(&err), ErrorKind::InvalidQuery { resource: "Rep", message } if message.contains("nope")),
        "{err}"
    );
    // Met through a path, it fails the read too.
    let mut request = ReadRequest::new(Ticket::schema());
    request.filter = Some(is_nil(through(&["representative"], "name")));
    request.visibility = nope;
    assert!(read::<Ticket>(&m, request).is_err());
}
