//! The differential check shared by the database tests: migrate, insert the
//! shared data set with the built statements, then run fixed and random reads on
//! the database and on the in-memory layer and require the same answers
//! (records, their order, their keys, or the same error).

use super::generate::{Gen, Rng};
use super::*;
use crate::data_layer::sql::build::{insert, migrate, read};

/// A database the statements run on.
pub(super) trait Db {
    fn dialect(&self) -> Dialect;
    /// Runs DDL.
    fn execute(&mut self, sql: &str);
    /// Runs a statement; rows hold the attributes of `schema` (then the key, for
    /// `Columns::AttributesAndKey`).
    fn query(
        &mut self,
        statement: &Statement,
        schema: &'static Schema,
    ) -> std::result::Result<Vec<Row>, String>;
}

/// Migrates (twice: idempotent) and inserts the data set, checking what each
/// insert returns.
pub(super) fn load(db: &mut impl Db) {
    for _ in 0..2 {
        for ddl in migrate(db.dialect(), &schemas()) {
            db.execute(&ddl);
        }
    }
    for (schema, rows) in data() {
        let statements = insert(db.dialect(), schema, &crate::testing::flat(rows.clone()))
            .expect("insert statements");
        let mut returned = Vec::new();
        for statement in &statements {
            check_placeholders(statement, db.dialect());
            let rows = db.query(statement, schema).expect("insert");
            if statement.columns != Columns::None {
                returned.extend(rows);
            }
        }
        assert_eq!(
            returned, rows,
            "rows returned by the insert into {}",
            schema.name
        );
    }
}

/// The database's answer to `request`.
pub(super) fn answer(db: &mut impl Db, request: &ReadRequest) -> Answer {
    let statement = read(db.dialect(), request).map_err(|e| e.to_string())?;
    check_placeholders(&statement, db.dialect());
    let rows = db
        .query(&statement, request.schema)
        .unwrap_or_else(|e| panic!("{e}\n{}", statement.sql));
    match &request.partition {
        None => {
            assert!(key_type(&statement).is_none());
            Ok((rows.iter().map(id_of).collect(), Vec::new()))
        }
        Some(partition) => {
            // Through a join the key is the last column; by an attribute, the
            // attribute itself.
            let by_attribute = match (&partition.by, key_type(&statement)) {
                (PartitionBy::Attribute(a), None) => request.schema.attribute_index(a),
                (_, Some(_)) => None,
                (by, None) => panic!("no key column for a partition {by:?}"),
            };
            let tagged = rows
                .into_iter()
                .map(|mut r| {
                    let key = match by_attribute {
                        Some(i) => r[i].clone(),
                        None => r.pop().unwrap_or_default(),
                    };
                    (r, key)
                })
                .collect();
            Ok(group(tagged, &partition.keys))
        }
    }
}

/// Requires the same answer from the database and from memory.
pub(super) fn same(db: &mut impl Db, memory: &Memory, request: &ReadRequest) -> Answer {
    let expected = memory_answer(memory, request);
    let got = answer(db, request);
    if got != expected {
        let sql = read(db.dialect(), request).map(|s| s.sql);
        panic!(
            "{:?}: {}\nmemory:   {expected:?}\ndatabase: {got:?}\nsql: {sql:?}\nrequest: {request:?}",
            db.dialect(),
            request
                .filter
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        );
    }
    got
}

fn ids(db: &mut impl Db, memory: &Memory, request: ReadRequest) -> Vec<i64> {
    same(db, memory, &request).expect("a valid request").0
}

/// Fixed cases, each with the answer memory gives (so that no case is vacuous).
pub(super) fn fixed(db: &mut impl Db, memory: &Memory) {
    let t = Ticket::schema();
    let r = Rep::schema();
    let m = memory;
    let p = || attr("p");
    let gt3 = || cmp(CmpOp::Gt, p(), val(3_i64));

    // Comparisons, nils, values that do not compare.
    assert_eq!(ids(db, m, filtered(t, gt3())), vec![2, 3, 6, 7]);
    for op in [
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
    ] {
        ids(db, m, filtered(t, cmp(op, p(), val(4_i64))));
        ids(db, m, filtered(t, cmp(op, p(), val(4.5))));
        ids(db, m, filtered(t, cmp(op, attr("status"), text("open"))));
        ids(db, m, filtered(t, cmp(op, attr("opened"), val(at(3)))));
        ids(db, m, filtered(t, cmp(op, attr("ext"), val(uuid(2)))));
        ids(db, m, filtered(t, cmp(op, attr("urgent"), val(false))));
        let none = ids(db, m, filtered(t, cmp(op, p(), text("4"))));
        assert_eq!(none, Vec::<i64>::new());
        let none = ids(db, m, filtered(t, cmp(op, p(), nil()).not()));
        assert_eq!(none, Vec::<i64>::new());
    }
    // `1 == 1.0`; an integer beyond 2^53 compares as a float.
    assert_eq!(
        ids(db, m, filtered(t, cmp(CmpOp::Eq, p(), val(5.0)))),
        vec![2]
    );
    let huge = cmp(CmpOp::Eq, p(), val(9_223_372_036_854_775_807.0));
    assert_eq!(ids(db, m, filtered(t, huge)), vec![7]);
    // Kleene logic.
    let e = gt3().or(cmp(CmpOp::Eq, p(), val(1_i64)));
    assert_eq!(
        ids(db, m, filtered(t, e.clone().not())),
        vec![4, 12, 8, 10, 9]
    );
    assert_eq!(ids(db, m, filtered(t, is_nil(gt3()))), vec![5]);
    assert_eq!(
        ids(db, m, filtered(t, nil().and(val(false)).not())).len(),
        11
    );
    assert_eq!(ids(db, m, filtered(t, attr("urgent"))), vec![1, 4, 7, 8]);
    assert_eq!(
        ids(db, m, filtered(t, attr("urgent").not())),
        vec![2, 6, 10]
    );

    // `in`, with nils and mixed numbers.
    let is_in = |x: Expr, list: Vec<Value>| filtered(t, Expr::is_in(x, list));
    assert_eq!(
        ids(db, m, is_in(p(), vec![Value::Int(1), Value::Float(4.0)])),
        vec![1, 3]
    );
    assert_eq!(
        ids(db, m, is_in(p(), vec![Value::Int(1), Value::Null])),
        vec![1]
    );
    let not_in = Expr::is_in(p(), vec![Value::Int(1), Value::Null]).not();
    assert_eq!(ids(db, m, filtered(t, not_in)), Vec::<i64>::new());
    let not_in = Expr::is_in(p(), vec![Value::Int(1)]).not();
    assert_eq!(ids(db, m, filtered(t, not_in)).len(), 9);
    let not_in = Expr::is_in(p(), vec![]).not();
    assert_eq!(ids(db, m, filtered(t, not_in)).len(), 10);
    let not_in = Expr::is_in(p(), vec![s("x")]).not();
    assert_eq!(ids(db, m, filtered(t, not_in)).len(), 10);
    let not_in = Expr::is_in(p(), vec![s("x"), Value::Null]).not();
    assert_eq!(ids(db, m, filtered(t, not_in)).len(), 0);
    assert_eq!(
        ids(
            db,
            m,
            is_in(attr("score"), vec![Value::Int(4), Value::Float(0.5)])
        ),
        vec![1, 3]
    );
    assert_eq!(
        ids(db, m, is_in(attr("status"), vec![s("Open"), s("")])),
        vec![12, 10]
    );
    assert_eq!(
        ids(db, m, is_in(attr("ext"), vec![Value::Uuid(uuid(2))])),
        vec![3, 12]
    );
    assert_eq!(
        ids(db, m, is_in(attr("opened"), vec![Value::DateTime(at(1))])),
        vec![2]
    );
    assert_eq!(
        ids(db, m, is_in(attr("urgent"), vec![Value::Bool(false)])),
        vec![2, 6, 10]
    );
    assert_eq!(
        ids(db, m, is_in(nil(), vec![Value::Int(1)])),
        Vec::<i64>::new()
    );

    // Arithmetic: truncating division, nil on /0 and on overflow.
    let int = |i: i64| val(i);
    let is = |e: Expr, v: i64| filtered(t, cmp(CmpOp::Eq, e, int(v)));
    assert_eq!(
        ids(db, m, is(arith(ArithOp::Div, int(-7), int(2)), -3)).len(),
        11
    );
    assert_eq!(
        ids(db, m, is(arith(ArithOp::Div, p(), int(2)), -3)),
        vec![9]
    );
    let overflow = |e: Expr| filtered(t, is_nil(e));
    assert_eq!(
        ids(db, m, overflow(arith(ArithOp::Add, p(), int(1)))),
        vec![5, 7]
    );
    assert_eq!(
        ids(db, m, overflow(arith(ArithOp::Sub, p(), int(1)))),
        vec![5, 8]
    );
    assert_eq!(
        ids(db, m, overflow(arith(ArithOp::Mul, p(), int(2)))),
        vec![5, 7, 8]
    );
    assert_eq!(
        ids(db, m, overflow(arith(ArithOp::Div, p(), int(-1)))),
        vec![5, 8]
    );
    assert_eq!(
        ids(db, m, overflow(arith(ArithOp::Div, int(1), p()))),
        vec![5, 10]
    );
    assert_eq!(
        ids(
            db,
            m,
            overflow(arith(ArithOp::Div, val(1.0), attr("score")))
        ),
        vec![2, 5, 10]
    );
    // The overflow is nil even when a later step would bring it back in range.
    let back = arith(ArithOp::Sub, arith(ArithOp::Add, p(), int(1)), int(1));
    assert_eq!(ids(db, m, overflow(back)), vec![5, 7]);
    let float = arith(ArithOp::Add, arith(ArithOp::Add, p(), int(1)), val(0.5));
    assert_eq!(ids(db, m, overflow(float)), vec![5, 7]);
    let small = arith(ArithOp::Add, attr("small"), attr("small"));
    assert_eq!(ids(db, m, is(small, 65_534)), vec![4]);
    assert_eq!(
        ids(db, m, overflow(arith(ArithOp::Add, attr("status"), int(1)))).len(),
        11
    );
    let e = cmp(CmpOp::Gt, arith(ArithOp::Mul, p(), int(2)), int(5));
    assert_eq!(ids(db, m, filtered(t, e)), vec![2, 3, 6]);

    // To-one paths.
    let threshold = || through(&["representative"], "threshold");
    assert_eq!(
        ids(db, m, filtered(t, cmp(CmpOp::Gt, p(), threshold()))),
        vec![2]
    );
    let name = cmp(CmpOp::Eq, through(&["representative"], "name"), text("bob"));
    assert_eq!(ids(db, m, filtered(t, name)), vec![3, 4, 5]);
    assert_eq!(
        ids(
            db,
            m,
            filtered(t, is_nil(through(&["representative"], "name")))
        ),
        vec![6]
    );

    // Joined to-one paths: `not` over nil stays nil; two to-one hops; a
    // has_one to the primary key, with a relationship filter (rep 2's twin is
    // closed); to-one then to-many; a has_one not to the key reads its first ticket.
    let above = || cmp(CmpOp::Gt, p(), threshold());
    assert_eq!(
        ids(db, m, filtered(t, above().not())),
        vec![1, 12, 7, 8, 10, 9]
    );
    let twin_open = cmp(
        CmpOp::Eq,
        through(&["representative", "twin"], "status"),
        text("open"),
    );
    assert_eq!(
        ids(db, m, filtered(t, twin_open)),
        vec![1, 2, 12, 7, 8, 10, 9]
    );
    let no_open_twin = is_nil(through(&["open_twin"], "id"));
    assert_eq!(ids(db, m, filtered(r, no_open_twin)), vec![2]);
    let twin_low = cmp(CmpOp::Gt, through(&["open_twin"], "p"), val(1_i64)).not();
    assert_eq!(ids(db, m, filtered(r, twin_low)), vec![1]);
    let busy = cmp(
        CmpOp::Gt,
        through(&["representative", "tickets"], "p"),
        threshold(),
    );
    assert_eq!(ids(db, m, filtered(t, busy)), vec![1, 2, 10]);
    // `latest` reads each rep's first ticket alone (rep 1's is not above 4).
    let latest = cmp(CmpOp::Gt, through(&["latest"], "p"), val(4_i64));
    assert_eq!(ids(db, m, filtered(r, latest)), vec![5]);

    // To-many paths bind one record for every reference through the same path.
    let high = || cmp(CmpOp::Gt, through(&["tickets"], "p"), val(3_i64));
    let open = || cmp(CmpOp::Eq, through(&["tickets"], "status"), text("open"));
    assert_eq!(ids(db, m, filtered(r, high())), vec![1, 2, 5]);
    assert_eq!(ids(db, m, filtered(r, high().and(open()))), vec![2, 5]);
    assert_eq!(
        ids(db, m, filtered(r, is_nil(through(&["tickets"], "p")))),
        vec![2]
    );
    assert_eq!(ids(db, m, filtered(r, high().not())), vec![1, 2, 3, 4]);
    let own = cmp(
        CmpOp::Eq,
        through(&["tickets", "representative"], "id"),
        attr("id"),
    );
    assert_eq!(ids(db, m, filtered(r, own)), vec![1, 2, 5, 3, 4]);
    // A rep without tickets is tested against an all-nil ticket.
    let none = Rep::schema();
    let lonely = is_nil(through(&["tickets"], "id"));
    assert_eq!(ids(db, m, filtered(none, lonely)), Vec::<i64>::new());
    // Relationship filters: only open tickets; only tickets tagged vip (a path in
    // the filter).
    let closed = cmp(
        CmpOp::Eq,
        through(&["open_tickets"], "status"),
        text("closed"),
    );
    assert_eq!(ids(db, m, filtered(r, closed)), Vec::<i64>::new());
    let nil_open = is_nil(through(&["open_tickets"], "id"));
    assert_eq!(ids(db, m, filtered(r, nil_open)), vec![3, 4]);
    let vip = cmp(CmpOp::Ge, through(&["vip_tickets"], "id"), val(1_i64));
    assert_eq!(ids(db, m, filtered(r, vip)), vec![1, 2]);
    // many_to_many, with a join row to a missing tag and a filtered relationship.
    let label = |l: &str| cmp(CmpOp::Eq, through(&["tags"], "label"), text(l));
    assert_eq!(ids(db, m, filtered(t, label("urgent"))), vec![1, 3]);
    assert_eq!(
        ids(db, m, filtered(t, is_nil(through(&["tags"], "label")))),
        vec![5, 6, 7, 8, 9]
    );
    let urgent_nil = is_nil(through(&["urgent_tags"], "label"));
    assert_eq!(
        ids(db, m, filtered(t, urgent_nil)),
        vec![2, 4, 5, 6, 12, 7, 8, 10, 9]
    );
    let vip_path = cmp(
        CmpOp::Eq,
        through(&["tickets", "tags"], "label"),
        text("vip"),
    );
    assert_eq!(ids(db, m, filtered(r, vip_path)), vec![1, 2]);

    // exists: never nil, paths inside start from the related record.
    let high_open =
        cmp(CmpOp::Gt, attr("p"), val(3_i64)).and(cmp(CmpOp::Eq, attr("status"), text("open")));
    let e = exists(&["tickets"], high_open);
    assert_eq!(ids(db, m, filtered(r, e.clone())), vec![2, 5]);
    assert_eq!(ids(db, m, filtered(r, e.not())), vec![1, 3, 4]);
    let nil_inner = exists(&["tickets"], cmp(CmpOp::Gt, attr("p"), nil()));
    assert_eq!(ids(db, m, filtered(r, nil_inner.not())).len(), 5);
    let above = cmp(
        CmpOp::Gt,
        attr("p"),
        through(&["representative"], "threshold"),
    );
    assert_eq!(
        ids(db, m, filtered(r, exists(&["tickets"], above))),
        vec![1]
    );
    let spam = cmp(CmpOp::Eq, attr("label"), text("spam"));
    assert_eq!(
        ids(db, m, filtered(r, exists(&["tickets", "tags"], spam))),
        vec![1]
    );
    let any = exists(&["urgent_tags"], val(true));
    assert_eq!(ids(db, m, filtered(t, any)), vec![1, 3]);
    assert_eq!(
        ids(db, m, filtered(t, exists(&[], gt3()))),
        vec![2, 3, 6, 7]
    );

    // Errors, with memory's messages.
    for e in [
        cmp(CmpOp::Eq, attr("nope"), val(1_i64)),
        cmp(CmpOp::Eq, through(&["representative"], "nope"), val(1_i64)),
        cmp(CmpOp::Eq, through(&["nowhere"], "id"), val(1_i64)),
        exists(&["nowhere"], val(true)),
        p(),
        arith(ArithOp::Add, p(), p()),
        val(1_i64),
        cmp(CmpOp::Eq, attr("nope"), through(&["nowhere"], "id")),
    ] {
        assert!(same(db, m, &filtered(t, e)).is_err());
    }
    let manual = cmp(CmpOp::Eq, through(&["remote"], "id"), val(1_i64));
    let err = same(db, m, &filtered(r, manual)).expect_err("manual");
    assert!(err.contains("remote") && err.contains("Rep"), "{err}");

    // Sorts with every order, ties in insertion order, windows.
    for order in [
        Order::Asc,
        Order::Desc,
        Order::AscNilsFirst,
        Order::DescNilsLast,
    ] {
        for field in [
            "p", "status", "score", "urgent", "opened", "ext", "small", "id",
        ] {
            for (offset, limit) in [
                (0, None),
                (1, Some(2)),
                (4, None),
                (0, Some(0)),
                (20, Some(1)),
            ] {
                let mut request = ReadRequest::new(t);
                request.sort = vec![Sort::new(field, order)];
                request.offset = offset;
                request.limit = limit;
                ids(db, m, request.clone());
                request.sort.push(Sort::new("rep_id", Order::Desc));
                ids(db, m, request);
            }
        }
    }
    // Sorts through to-one paths: joined, or the first of a has_one that may
    // reach several (`latest`), with windows.
    let paths: [(&'static Schema, &[&'static str], &'static str); 6] = [
        (t, &["representative"], "name"),
        (t, &["representative"], "score"),
        (r, &["latest"], "p"),
        (r, &["twin"], "status"),
        (r, &["open_twin", "representative"], "threshold"),
        (r, &["latest", "representative"], "name"),
    ];
    for (schema, path, field) in paths {
        for order in [Order::Asc, Order::Desc, Order::AscNilsFirst] {
            for (offset, limit) in [(0, None), (1, Some(2))] {
                let mut request = ReadRequest::new(schema);
                request.sort = vec![Sort::path(path.iter().copied(), field, order)];
                request.offset = offset;
                request.limit = limit;
                ids(db, m, request);
            }
        }
    }
    let mut request = ReadRequest::new(t);
    request.sort = vec![Sort::new("status", Order::Asc)];
    assert_eq!(ids(db, m, request), vec![10, 12, 2, 9, 1, 3, 4, 5, 6, 7, 8]);
    assert_eq!(ids(db, m, ReadRequest::new(r)), vec![1, 2, 5, 3, 4]);
    let mut request = ReadRequest::new(t);
    request.sort = vec![Sort::new("nope", Order::Asc)];
    assert!(same(db, m, &request).is_err());

    // Partitions: by attribute and through a join resource, with and without a
    // window.
    let int = |v: &[i64]| v.iter().map(|&i| Value::Int(i)).collect::<Vec<_>>();
    let by_rep = |keys: &[i64], sort: Vec<Sort>, offset: usize, limit: Option<usize>| {
        let mut request = ReadRequest::new(t);
        request.sort = sort;
        request.offset = offset;
        request.limit = limit;
        request.partition = Some(Partition {
            by: PartitionBy::Attribute("rep_id"),
            keys: int(keys),
        });
        request
    };
    let (ids_, keys) = same(db, m, &by_rep(&[2, 3, 1, 42], vec![], 0, None)).expect("read");
    assert_eq!(ids_, vec![3, 4, 5, 12, 8, 1, 2, 10]);
    assert_eq!(keys, int(&[2, 2, 2, 3, 3, 1, 1, 1]));
    let desc = || vec![Sort::new("p", Order::Desc)];
    let (ids_, _) = same(db, m, &by_rep(&[1, 2], desc(), 0, Some(1))).expect("read");
    assert_eq!(ids_, vec![2, 5]);
    let (ids_, _) = same(db, m, &by_rep(&[1, 2, 3], desc(), 1, Some(1))).expect("read");
    assert_eq!(ids_, vec![1, 3, 8]);
    let (ids_, _) = same(db, m, &by_rep(&[1, 2, 3], vec![], 1, None)).expect("read");
    assert_eq!(ids_, vec![2, 10, 4, 5, 8]);
    let mut request = by_rep(&[1, 2], vec![], 0, Some(1));
    request.filter = Some(cmp(CmpOp::Eq, attr("status"), text("open")));
    assert_eq!(same(db, m, &request).expect("read").0, vec![1, 3]);
    let mut request = by_rep(&[1, 2], vec![], 0, None);
    request.partition = Some(Partition {
        by: PartitionBy::Attribute("nope"),
        keys: int(&[1]),
    });
    assert!(same(db, m, &request).is_err());

    let tagged = |keys: &[i64], sort: Vec<Sort>, limit: Option<usize>| {
        let mut request = ReadRequest::new(Tag::schema());
        request.sort = sort;
        request.limit = limit;
        request.partition = Some(tags_of_tickets(int(keys)));
        request
    };
    // Ticket 1 is linked to tag 2 twice: it appears once.
    let (ids_, keys) = same(db, m, &tagged(&[4, 1, 3, 99], vec![], None)).expect("read");
    assert_eq!(ids_, vec![2, 1, 2, 1, 1]);
    assert_eq!(keys, int(&[4, 1, 1, 3, 99]));
    let label_desc = vec![Sort::new("label", Order::Desc)];
    let (ids_, keys) = same(db, m, &tagged(&[4, 1, 3, 10], label_desc, Some(1))).expect("read");
    assert_eq!(ids_, vec![2, 2, 1, 5]);
    assert_eq!(keys, int(&[4, 1, 3, 10]));
}

/// Random requests on every resource.
pub(super) fn random(db: &mut impl Db, memory: &Memory, seed: u64, count: usize) {
    let mut generator = Gen {
        rng: Rng::new(seed),
    };
    let resources = [Ticket::schema(), Rep::schema(), Tag::schema()];
    let mut answered = 0;
    let mut nonempty = 0;
    let mut aggregated = 0;
    let mut text_matched = 0;
    let mut through_parent = 0;
    for _ in 0..count {
        let schema = resources[generator.rng.below(resources.len())];
        let request = generator.request(schema);
        let shown = format!("{:?}", request.filter);
        if let Ok((ids, _)) = same(db, memory, &request) {
            answered += 1;
            nonempty += usize::from(!ids.is_empty());
            aggregated += usize::from(shown.contains("Aggregate {"));
            let text = request.filter.as_ref().is_some_and(uses_text_functions);
            text_matched += usize::from(text && !ids.is_empty());
            let parent = reads_no_attributes(&request) && !ids.is_empty();
            through_parent += usize::from(parent);
        }
    }
    // Relationships with no attributes (`parent(..)`) among them, in paths,
    // `exists`, aggregates and partitions, matching something.
    assert!(
        through_parent > count / 20,
        "{through_parent} of {count} went through a relationship with no attributes"
    );
    // Aggregates among them (`Gen::aggregate`), answered alike.
    assert!(
        aggregated > count / 50,
        "{aggregated} of {count} with aggregates"
    );
    assert!(
        text_matched > count / 40,
        "{text_matched} of {count} matched something with text functions"
    );
    // The generator must mostly make valid requests, many of them matching.
    assert!(answered > count * 3 / 4, "{answered} of {count} answered");
    assert!(
        nonempty > count / 4,
        "{nonempty} of {count} matched something"
    );
}

/// Whether `request` reaches records through a relationship with no
/// attributes: in a path of its filter (`exists`, aggregates) or as its
/// partition.
fn reads_no_attributes(request: &ReadRequest) -> bool {
    if let Some(Partition {
        by: PartitionBy::Parent { .. },
        ..
    }) = &request.partition
    {
        return true;
    }
    let names = [
        "above",
        "peers",
        "siblings",
        "remote_open_above",
        "top_above",
    ];
    let shown = format!("{:?} {:?}", request.filter, request.sort);
    names.iter().any(|n| shown.contains(&format!("\"{n}\"")))
}

/// Whether `filter` calls a text function somewhere.
fn uses_text_functions(filter: &Expr) -> bool {
    let mut stack = vec![filter];
    while let Some(e) = stack.pop() {
        if matches!(e, Expr::Func(..) | Expr::TextOp(..)) {
            return true;
        }
        stack.extend(e.operands().into_iter().flatten());
    }
    false
}
