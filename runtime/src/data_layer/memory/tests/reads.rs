//! Reads and creates: sort, offset and limit, partitions, primary keys.

use super::*;

/// Five tickets with p = 3, nil, 1, nil, 2.
fn sortable() -> Memory {
    let m = memory();
    let ps = [Some(3), None, Some(1), None, Some(2)];
    let rows = ps
        .iter()
        .enumerate()
        .map(|(i, p)| ticket(i as i64 + 1, None, *p, None));
    insert::<Ticket>(&m, rows.collect()).expect("insert");
    m
}

fn sorted_ids(m: &Memory, order: Order, offset: usize, limit: Option<usize>) -> Vec<i64> {
    let mut request = ReadRequest::new(Ticket::schema());
    request.sort = vec![Sort::new("p", order)];
    request.offset = offset;
    request.limit = limit;
    read::<Ticket>(m, request).expect("read").0
}

#[test]
fn sort_with_nils() {
    let m = sortable();
    assert_eq!(sorted_ids(&m, Order::Asc, 0, None), vec![3, 5, 1, 2, 4]);
    assert_eq!(sorted_ids(&m, Order::Desc, 0, None), vec![2, 4, 1, 5, 3]);
    assert_eq!(
        sorted_ids(&m, Order::AscNilsFirst, 0, None),
        vec![2, 4, 3, 5, 1]
    );
    assert_eq!(
        sorted_ids(&m, Order::DescNilsLast, 0, None),
        vec![1, 5, 3, 2, 4]
    );
    // A second key breaks ties; an unknown key is an error.
    let mut request = ReadRequest::new(Ticket::schema());
    request.sort = vec![Sort::new("p", Order::Asc), Sort::new("id", Order::Desc)];
    assert_eq!(
        read::<Ticket>(&m, request).expect("read").0,
        vec![3, 5, 1, 4, 2]
    );
    let mut request = ReadRequest::new(Ticket::schema());
    request.sort = vec![Sort::new("nope", Order::Asc)];
    let err = read::<Ticket>(&m, request).expect_err("unknown sort key");
    assert!(
        matches!(kind_of(&err), ErrorKind::InvalidQuery { resource: "Ticket", message } if message.contains("nope"))
    );
}

#[test]
fn limit_and_offset() {
    let m = sortable();
    assert_eq!(sorted_ids(&m, Order::Asc, 1, Some(2)), vec![5, 1]);
    assert_eq!(sorted_ids(&m, Order::Asc, 4, Some(2)), vec![4]);
    assert_eq!(sorted_ids(&m, Order::Asc, 9, None), Vec::<i64>::new());
    assert_eq!(sorted_ids(&m, Order::Asc, 0, Some(0)), Vec::<i64>::new());
    let mut request = ReadRequest::new(Ticket::schema());
    request.offset = 1;
    request.limit = Some(2);
    assert_eq!(
        read::<Ticket>(&m, request.clone()).expect("read").0,
        vec![2, 3]
    );
    request.filter = Some(Expr::IsNil(Box::new(attr("p"))).not());
    assert_eq!(read::<Ticket>(&m, request).expect("read").0, vec![3, 5]);
}

fn partitioned(
    m: &Memory,
    keys: &[i64],
    sort: Vec<Sort>,
    offset: usize,
    limit: Option<usize>,
) -> (Vec<i64>, Vec<Value>) {
    let mut request = ReadRequest::new(Ticket::schema());
    request.sort = sort;
    request.offset = offset;
    request.limit = limit;
    request.partition = Some(Partition {
        by: PartitionBy::Attribute("rep_id"),
        keys: keys.iter().map(|&k| Value::Int(k)).collect(),
    });
    read::<Ticket>(m, request).expect("read")
}

#[test]
fn partition_by_attribute() {
    let m = support();
    let int = |v: &[i64]| v.iter().map(|&i| Value::Int(i)).collect::<Vec<_>>();
    // Grouped in the order of the keys; unsorted groups keep insertion order.
    let (ids, keys) = partitioned(&m, &[2, 3, 1], vec![], 0, None);
    assert_eq!(ids, vec![3, 4, 5, 1, 2]);
    assert_eq!(keys, int(&[2, 2, 2, 1, 1]));
    // Limit and offset apply per key, in sort order.
    let (ids, keys) = partitioned(&m, &[1, 2], vec![Sort::new("p", Order::Desc)], 0, Some(1));
    assert_eq!(ids, vec![2, 5]);
    assert_eq!(keys, int(&[1, 2]));
    // In sort order 1, 4, 3, 2, 5: the second of each key.
    let (ids, keys) = partitioned(&m, &[1, 2], vec![Sort::new("p", Order::Asc)], 1, Some(1));
    assert_eq!(ids, vec![2, 3]);
    assert_eq!(keys, int(&[1, 2]));
    // Ties in the sort keep insertion order.
    let (ids, _) = partitioned(&m, &[2, 1], vec![Sort::new("status", Order::Asc)], 0, None);
    assert_eq!(ids, vec![3, 4, 5, 2, 1]);
    // The filter applies before the window.
    let mut request = ReadRequest::new(Ticket::schema());
    request.filter = Some(cmp(CmpOp::Eq, attr("status"), text("open")));
    request.limit = Some(1);
    request.partition = Some(Partition {
        by: PartitionBy::Attribute("rep_id"),
        keys: vec![Value::Int(1), Value::Int(2)],
    });
    assert_eq!(read::<Ticket>(&m, request).expect("read").0, vec![1, 3]);
}

#[test]
fn many_to_many() {
    let m = tagged();
    let mut request = ReadRequest::new(Tag::schema());
    request.partition = Some(Partition {
        by: PartitionBy::Through {
            join: TicketTag::schema(),
            source_attribute_on_join: "ticket_id",
            destination_attribute_on_join: "tag_id",
            destination_attribute: "id",
        },
        keys: vec![Value::Int(4), Value::Int(1), Value::Int(3)],
    });
    // Tag 2 is linked to tickets 1 and 4, tag 1 to tickets 1 and 3: each appears
    // in the group of every ticket it is linked to.
    let (ids, keys) = read::<Tag>(&m, request.clone()).expect("read");
    assert_eq!(ids, vec![2, 1, 2, 1]);
    assert_eq!(keys, [4, 1, 1, 3].map(Value::Int).to_vec());
    request.sort = vec![Sort::new("label", Order::Desc)];
    request.limit = Some(1);
    let (ids, keys) = read::<Tag>(&m, request).expect("read");
    assert_eq!(ids, vec![2, 2, 1]);
    assert_eq!(keys, [4, 1, 3].map(Value::Int).to_vec());
    // Filters through many_to_many.
    let e = cmp(CmpOp::Eq, through(&["tags"], "label"), text("urgent"));
    assert_eq!(matching::<Ticket>(&m, e), vec![1, 3]);
    let e = cmp(
        CmpOp::Eq,
        through(&["tickets", "tags"], "label"),
        text("vip"),
    );
    assert_eq!(matching::<Rep>(&m, e), vec![1, 2]);
    let e = Expr::Exists {
        path: vec!["tickets".into(), "tags".into()],
        expr: Box::new(cmp(CmpOp::Eq, attr("label"), text("spam"))),
    };
    assert_eq!(matching::<Rep>(&m, e), vec![1]);
}

#[test]
fn duplicate_key_rejected() {
    let m = support();
    let err = insert::<Rep>(&m, vec![rep(7, "new", None), rep(1, "again", None)]).expect_err("dup");
    assert!(matches!(
        kind_of(&err),
        ErrorKind::Constraint {
            resource: "Rep",
            attribute: Some("id"),
            constraint: crate::Constraint::Unique,
            ..
        }
    ));
    assert!(
        err.to_string()
            .ends_with("unique constraint violated on Rep.id"),
        "{err}"
    );
    let source = std::error::Error::source(&err).map(ToString::to_string);
    assert_eq!(
        source.as_deref(),
        Some("another Rep record has primary key 1")
    );
    let err = insert::<Rep>(&m, vec![rep(8, "a", None), rep(8, "b", None)]).expect_err("dup");
    let source = std::error::Error::source(&err).map(ToString::to_string);
    assert_eq!(
        source.as_deref(),
        Some("another Rep record has primary key 8")
    );
    // Nothing of either batch was inserted.
    assert_eq!(
        read::<Rep>(&m, ReadRequest::new(Rep::schema()))
            .expect("read")
            .0,
        vec![1, 2, 3]
    );
}

#[test]
fn integer_key_assigned() {
    let m = memory();
    let created = insert::<Rep>(
        &m,
        vec![rep(0, "a", None), rep(0, "b", None)]
            .into_iter()
            .map(|mut r| {
                r[0] = Value::Null;
                r
            })
            .collect(),
    )
    .expect("insert");
    assert_eq!(created.iter().map(|r| r.id).collect::<Vec<_>>(), vec![1, 2]);
    let rows = vec![vec![Value::Null, s("c"), Value::Null], rep(10, "d", None)];
    let created = insert::<Rep>(&m, rows).expect("insert");
    assert_eq!(
        created.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![11, 10]
    );
    assert_eq!(created[0].name, "c");
    let rows = vec![vec![Value::Null, s("e"), Value::Null]];
    assert_eq!(insert::<Rep>(&m, rows).expect("insert")[0].id, 12);
}

#[test]
fn memory_is_send_sync_and_shared() {
    fn check<T: Send + Sync + Clone>() {}
    check::<Memory>();
    let m = memory();
    let handle = m.clone();
    insert::<Rep>(&m, vec![rep(1, "a", None)]).expect("insert");
    assert_eq!(
        read::<Rep>(&handle, ReadRequest::new(Rep::schema()))
            .expect("read")
            .0,
        vec![1]
    );
}

/// Per-key windows, whether chosen by bounded insertion (small windows) or by
/// sorting each key's rows, agree with sorting all the rows of each key
/// stably and cutting the window: many ties, nils, several sort keys, offsets,
/// and windows larger than a key's rows and than the insertion bound.
#[test]
fn per_key_windows_agree_with_sorting_each_key() {
    let m = memory();
    let reps = (0..5).map(|i| rep(i, "r", None)).collect();
    insert::<Rep>(&m, reps).expect("reps");
    let rows = (0..400_i64).map(|i| {
        let rep = (i % 13 != 0).then_some(i * 7 % 5);
        let p = (i % 4 != 0).then_some(i * 11 % 6);
        ticket(
            i + 1,
            rep,
            p,
            [None, Some("a"), Some("b")][(i % 3) as usize],
        )
    });
    let stored = insert::<Ticket>(&m, rows.collect()).expect("insert");
    let keys = [3_i64, 0, 4, 9, 1];
    let sorts = [
        vec![Sort::new("p", Order::Desc)],
        vec![
            Sort::new("p", Order::Asc),
            Sort::new("status", Order::DescNilsLast),
        ],
        vec![Sort::new("status", Order::AscNilsFirst)],
    ];
    for sort in &sorts {
        for (offset, limit) in [
            (0, Some(0)),
            (0, Some(1)),
            (0, Some(3)),
            (2, Some(5)),
            (1, Some(70)),
            (0, Some(200)),
            (5, None),
            (0, None),
        ] {
            let mut expected = (Vec::new(), Vec::new());
            for &key in &keys {
                let mut mine: Vec<&Ticket> = stored
                    .iter()
                    .filter(|t| t.get(1) == Value::Int(key))
                    .collect();
                mine.sort_by(|a, b| {
                    sort.iter()
                        .map(|s| {
                            let attr = Ticket::schema().attribute_index(&s.field).expect("attr");
                            compare_for_sort(&a.get(attr), &b.get(attr), s.order)
                        })
                        .find(|o| o.is_ne())
                        .unwrap_or(std::cmp::Ordering::Equal)
                });
                for t in mine
                    .into_iter()
                    .skip(offset)
                    .take(limit.unwrap_or(usize::MAX))
                {
                    expected.0.push(match t.get(0) {
                        Value::Int(i) => i,
                        _ => -1,
                    });
                    expected.1.push(Value::Int(key));
                }
            }
            let got = partitioned(&m, &keys, sort.clone(), offset, limit);
            assert_eq!(got, expected, "{sort:?}, offset {offset}, limit {limit:?}");
        }
    }
}

/// Integer and UUID partition keys are hashed as such; keys of mixed types
/// (or any other type) go through `Value`. Either way a key given twice gets
/// its records in its first group, a nil key links nothing, and a key of
/// another type than the attribute's links nothing.
#[test]
fn typed_and_mixed_partition_keys_link_alike() {
    let m = support();
    let read = |keys: Vec<Value>| {
        let n = keys.len();
        let mut request = ReadRequest::new(Ticket::schema());
        request.partition = Some(Partition {
            by: PartitionBy::Attribute("rep_id"),
            keys,
        });
        let groups = block_on(m.read(request))
            .expect("read")
            .into_groups::<Ticket>(n)
            .expect("groups");
        groups
            .iter()
            .map(|g| g.iter().map(|t| t.get(0)).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    };
    let ids = |v: &[i64]| v.iter().map(|&i| Value::Int(i)).collect::<Vec<_>>();
    let typed = read(vec![
        Value::Int(2),
        Value::Null,
        Value::Int(2),
        Value::Int(1),
    ]);
    assert_eq!(typed, [ids(&[3, 4, 5]), vec![], vec![], ids(&[1, 2])]);
    let mixed = read(vec![
        Value::Int(2),
        Value::Null,
        s("2"),
        Value::Int(1),
        Value::Float(1.0),
    ]);
    assert_eq!(
        mixed,
        [ids(&[3, 4, 5]), vec![], vec![], ids(&[1, 2]), vec![]]
    );
    let uuid = read(vec![Value::Uuid(uuid::Uuid::nil())]);
    assert_eq!(uuid, [Vec::<Value>::new()]);
}
