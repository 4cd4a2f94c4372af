//! Visibility conditions (`ReadRequest::visibility`) in SQL: the text of the
//! conditions (every value a parameter) and fixed cases run on the databases
//! against the in-memory layer, each with the answer memory gives.

use super::differential::{Db, same};
use super::*;
use crate::data_layer::Visibility;
use crate::data_layer::sql::build::read;

fn open() -> Expr {
    cmp(CmpOp::Eq, attr("status"), text("open"))
}

/// Links 2 and 6 join ticket 1 to tag 2 (vip); link 10 joins ticket 10 to tag 5
/// (vip).
fn hide_links(links: &[i64]) -> Expr {
    Expr::is_in(attr("id"), links.iter().map(|&l| Value::Int(l)).collect()).not()
}

fn with(mut request: ReadRequest, conditions: Vec<(&'static Schema, Expr)>) -> ReadRequest {
    request.visibility = Visibility::new(conditions);
    request
}

fn answer(db: &mut impl Db, m: &Memory, request: ReadRequest) -> (Vec<i64>, Vec<Value>) {
    same(db, m, &request).expect("a valid request")
}

fn ids(db: &mut impl Db, m: &Memory, request: ReadRequest) -> Vec<i64> {
    answer(db, m, request).0
}

fn int(v: &[i64]) -> Vec<Value> {
    v.iter().map(|&i| Value::Int(i)).collect()
}

/// Fixed cases: the root, to-one and to-many paths, `exists`, many_to_many
/// hops and partitions, relationship filters, and conditions with paths.
pub(super) fn fixed(db: &mut impl Db, m: &Memory) {
    let t = Ticket::schema();
    let r = Rep::schema();
    let only_open = || vec![(t, open())];

    // The root.
    let all = with(ReadRequest::new(t), only_open());
    assert_eq!(ids(db, m, all), vec![1, 3, 4, 5, 6, 7]);
    let high = with(
        filtered(t, cmp(CmpOp::Gt, attr("p"), val(3_i64))),
        only_open(),
    );
    assert_eq!(ids(db, m, high), vec![3, 6, 7]);

    // A to-one path to a hidden rep reads nil (reps 2, 3 and 4 are not active).
    let active = || vec![(r, cmp(CmpOp::Eq, attr("active"), val(true)))];
    let no_name = filtered(t, is_nil(through(&["representative"], "name")));
    assert_eq!(ids(db, m, no_name.clone()), vec![6]);
    assert_eq!(
        ids(db, m, with(no_name, active())),
        vec![3, 4, 5, 6, 12, 8, 9]
    );

    // `exists` and to-many paths ignore hidden tickets (ticket 2 is closed).
    let high = || cmp(CmpOp::Gt, attr("p"), val(3_i64));
    let some_high = filtered(r, exists(&["tickets"], high()));
    assert_eq!(ids(db, m, some_high.clone()), vec![1, 2, 5]);
    assert_eq!(ids(db, m, with(some_high, only_open())), vec![2, 5]);
    let path_high = filtered(r, cmp(CmpOp::Gt, through(&["tickets"], "p"), val(3_i64)));
    assert_eq!(ids(db, m, with(path_high, only_open())), vec![2, 5]);
    let lonely = filtered(r, is_nil(through(&["tickets"], "id")));
    assert_eq!(
        ids(db, m, with(lonely, vec![(t, val(false))])),
        vec![1, 2, 5, 3, 4]
    );

    // many_to_many paths skip hidden join records and hidden tags.
    let vip = || filtered(t, cmp(CmpOp::Eq, through(&["tags"], "label"), text("vip")));
    assert_eq!(ids(db, m, vip()), vec![1, 4, 10]);
    let links = |l: &[i64]| vec![(TicketTag::schema(), hide_links(l))];
    assert_eq!(ids(db, m, with(vip(), links(&[2]))), vec![1, 4, 10]);
    assert_eq!(ids(db, m, with(vip(), links(&[2, 6]))), vec![4, 10]);
    let tagged = || filtered(t, exists(&["tags"], val(true)));
    assert_eq!(ids(db, m, tagged()), vec![1, 2, 3, 4, 12, 10]);
    let no_vip = vec![(Tag::schema(), cmp(CmpOp::Ne, attr("label"), text("vip")))];
    assert_eq!(ids(db, m, with(tagged(), no_vip)), vec![1, 2, 3, 12, 10]);
    let tags_of_tag = filtered(Tag::schema(), exists(&["tickets", "tags"], val(true)));
    assert_eq!(ids(db, m, tags_of_tag.clone()), vec![1, 2, 3, 4, 5]);
    assert_eq!(
        ids(db, m, with(tags_of_tag, links(&[1, 3, 8]))),
        vec![2, 3, 4, 5]
    );

    // A relationship filter's own paths are scoped too: vip tickets are those
    // with a vip tag, through visible links.
    let vip_reps = filtered(r, exists(&["vip_tickets"], val(true)));
    assert_eq!(ids(db, m, vip_reps.clone()), vec![1, 2]);
    assert_eq!(ids(db, m, with(vip_reps, links(&[2, 6, 10]))), vec![2]);

    // A many_to_many partition skips hidden join records (ticket 1 is linked
    // to tag 2 twice) and hidden tags.
    let tags_of = |keys: &[i64], sort: Vec<Sort>| {
        let mut request = ReadRequest::new(Tag::schema());
        request.sort = sort;
        request.partition = Some(tags_of_tickets(int(keys)));
        request
    };
    let (ids_, keys) = answer(db, m, tags_of(&[1, 4, 10], vec![]));
    assert_eq!((ids_, keys), (vec![1, 2, 2, 3, 5], int(&[1, 1, 4, 10, 10])));
    let (ids_, _) = answer(db, m, with(tags_of(&[1, 4, 10], vec![]), links(&[2])));
    assert_eq!(ids_, vec![1, 2, 2, 3, 5]);
    let (ids_, keys) = answer(db, m, with(tags_of(&[1, 4, 10], vec![]), links(&[2, 6])));
    assert_eq!((ids_, keys), (vec![1, 2, 3, 5], int(&[1, 4, 10, 10])));
    let by_label = || vec![Sort::new("label", Order::Desc)];
    let mut windowed = tags_of(&[1, 4, 10], by_label());
    windowed.limit = Some(1);
    assert_eq!(ids(db, m, windowed.clone()), vec![2, 2, 5]);
    assert_eq!(ids(db, m, with(windowed, links(&[2, 6]))), vec![1, 2, 5]);
    let not_spam = vec![(Tag::schema(), cmp(CmpOp::Ne, attr("label"), text("spam")))];
    let (ids_, _) = answer(db, m, with(tags_of(&[1, 4, 10], vec![]), not_spam));
    assert_eq!(ids_, vec![1, 2, 2, 5]);

    // A partitioned read skips hidden destinations before its window.
    let by_rep = |sort: Vec<Sort>, limit: Option<usize>| {
        let mut request = with(ReadRequest::new(t), only_open());
        request.sort = sort;
        request.limit = limit;
        request.partition = Some(Partition {
            by: PartitionBy::Attribute("rep_id"),
            keys: int(&[1, 2]),
        });
        request
    };
    let (ids_, keys) = answer(db, m, by_rep(vec![], None));
    assert_eq!((ids_, keys), (vec![1, 3, 4, 5], int(&[1, 2, 2, 2])));
    let p_desc = vec![Sort::new("p", Order::DescNilsLast)];
    assert_eq!(ids(db, m, by_rep(p_desc, Some(1))), vec![1, 3]);
    assert_eq!(ids(db, m, by_rep(vec![], Some(1))), vec![1, 3]);

    // Conditions with paths: their own paths are not scoped. Reps with a closed
    // ticket (1 and 4) are visible, and open tickets of active reps (1 and 5).
    let closed = exists(&["tickets"], cmp(CmpOp::Eq, attr("status"), text("closed")));
    let active_rep = cmp(CmpOp::Eq, through(&["representative"], "active"), val(true));
    let both = || vec![(r, closed.clone()), (t, open().and(active_rep.clone()))];
    assert_eq!(ids(db, m, with(ReadRequest::new(r), both())), vec![1, 4]);
    assert_eq!(ids(db, m, with(ReadRequest::new(t), both())), vec![1, 7]);
    let ann = filtered(
        t,
        cmp(CmpOp::Eq, through(&["representative"], "name"), text("ann")),
    );
    assert_eq!(ids(db, m, with(ann, both())), vec![1]);
    let p5 = filtered(r, cmp(CmpOp::Eq, through(&["tickets"], "p"), val(5_i64)));
    assert_eq!(ids(db, m, with(p5, both())), Vec::<i64>::new());

    // An invalid condition fails the read on every layer alike.
    let nope = vec![(r, cmp(CmpOp::Eq, attr("nope"), val(1_i64)))];
    assert!(same(db, m, &with(ReadRequest::new(r), nope.clone())).is_err());
    let through_rep = filtered(t, is_nil(through(&["representative"], "name")));
    assert!(same(db, m, &with(through_rep, nope)).is_err());
}

#[test]
fn conditions_are_parameters_in_their_place() {
    let t = Ticket::schema();
    let mut request = filtered(Rep::schema(), exists(&["tickets"], attr("urgent")));
    request.visibility = Visibility::new(vec![
        (t, cmp(CmpOp::Gt, attr("p"), val(3_i64))),
        (Rep::schema(), cmp(CmpOp::Ne, attr("name"), text("x"))),
    ]);
    let statement = read(Dialect::Postgres, &request).expect("read");
    check_placeholders(&statement, Dialect::Postgres);
    assert_eq!(
        statement.sql,
        r#"SELECT t0."id", t0."name", t0."threshold", t0."score", t0."active" FROM "rep" t0 WHERE EXISTS (SELECT 1 FROM "ticket" t1 WHERE t1."rep_id" = t0."id" AND (t1."p" > $1::bigint) AND t1."urgent") AND (t0."name" COLLATE "C" <> $2::text) ORDER BY t0."_ashore_seq""#
    );
    assert_eq!(
        statement.params,
        vec![Param::Value(Value::Int(3)), Param::Value(s("x"))]
    );

    // A many_to_many path: the join record's condition sits beside the
    // destination's, inside the parenthesized join.
    let mut request = filtered(t, cmp(CmpOp::Eq, through(&["tags"], "label"), text("vip")));
    request.visibility = Visibility::new(vec![
        (TicketTag::schema(), hide_links(&[2])),
        (Tag::schema(), cmp(CmpOp::Ne, attr("label"), text("spam"))),
    ]);
    let statement = read(Dialect::Sqlite, &request).expect("read");
    check_placeholders(&statement, Dialect::Sqlite);
    let sql = statement
        .sql
        .split(" FROM \"ticket\" t0")
        .nth(1)
        .expect("from");
    assert_eq!(
        sql,
        r#" WHERE EXISTS (SELECT 1 FROM (SELECT 1) AS d3 LEFT JOIN ("ticket_tag" j1 JOIN "tag" t2 ON t2."id" = j1."tag_id" AND (t2."label" <> ?1) AND (NOT (j1."id" IN rarray(?2)))) ON j1."ticket_id" = t0."id" WHERE (t2."label" = ?3)) ORDER BY t0.rowid"#
    );

    // A many_to_many partition: the join records' condition in the subquery.
    let mut request = ReadRequest::new(Tag::schema());
    request.partition = Some(tags_of_tickets(int(&[1])));
    request.visibility = Visibility::new(vec![(TicketTag::schema(), hide_links(&[2]))]);
    let statement = read(Dialect::Sqlite, &request).expect("read");
    check_placeholders(&statement, Dialect::Sqlite);
    assert!(
        statement.sql.contains(
            r#"FROM "ticket_tag" j WHERE j."ticket_id" IN rarray(?1) AND (NOT (j."id" IN rarray(?2)))) AS jk"#
        ),
        "{}",
        statement.sql
    );
}
