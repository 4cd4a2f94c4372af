//! Conditions evaluated on returned content, on the in-memory layer's test
//! resources: paths start from the returned records' own values, through
//! to-one, to-many and many_to_many hops, and hops back into the same resource
//! read the stored records, never the returned ones.

use super::visible;
use crate::data_layer::Visibility;
use crate::data_layer::memory::tests::{
    Rep, Tag, Ticket, TicketTag, block_on, insert, memory, rep, ticket,
};
use crate::data_layer::store::new_table;
use crate::expr::{CmpOp, Expr};
use crate::resource::{Resource, Row};
use crate::value::Value;

/// Ada (threshold 5) has stored tickets 1 (open, tagged vip) and 2 (closed);
/// Bob (threshold 1) has ticket 3 (closed).
fn stored() -> crate::data_layer::memory::Memory {
    let memory = memory();
    insert::<Rep>(
        &memory,
        vec![rep(1, "Ada", Some(5)), rep(2, "Bob", Some(1))],
    )
    .unwrap();
    insert::<Ticket>(
        &memory,
        vec![
            ticket(1, Some(1), None, Some("open")),
            ticket(2, Some(1), None, Some("closed")),
            ticket(3, Some(2), None, Some("closed")),
        ],
    )
    .unwrap();
    insert::<Tag>(&memory, vec![vec![1.into(), "vip".into()]]).unwrap();
    let link: Row = vec![1.into(), 1.into(), 1.into()];
    insert::<TicketTag>(&memory, vec![link]).unwrap();
    memory
}

/// Whether each of `returned` (ticket rows, as a loader returned them)
/// satisfies `condition` on Ticket.
fn judged(condition: Expr, returned: Vec<Row>) -> Vec<bool> {
    let memory = stored();
    let records: Vec<Ticket> = returned
        .into_iter()
        .map(|row| Ticket::from_row(row).unwrap())
        .collect();
    let mut table = new_table::<Ticket>();
    table.append(Box::new(records)).unwrap();
    let visibility = Visibility::new(vec![(Ticket::schema(), condition)]);
    block_on(visible(&memory, Ticket::schema(), &visibility, &*table)).unwrap()
}

fn eq(l: Expr, r: impl Into<Value>) -> Expr {
    Expr::cmp(CmpOp::Eq, l, Expr::Value(r.into()))
}

fn exists(path: &[&'static str], expr: Expr) -> Expr {
    Expr::Exists {
        path: path.iter().map(|&p| p.into()).collect(),
        expr: Box::new(expr),
    }
}

#[test]
fn a_to_one_path_starts_from_the_returned_key() {
    // Stored ticket 1 is Ada's; returned as Bob's, it is judged as Bob's.
    let above = Expr::cmp(
        CmpOp::Gt,
        Expr::path_attr(["representative"], "threshold"),
        Expr::value(3),
    );
    let returned = vec![
        ticket(1, Some(2), None, Some("open")),
        ticket(3, Some(1), None, Some("closed")),
        ticket(9, None, None, None),
    ];
    assert_eq!(judged(above, returned), [false, true, false]);
}

#[test]
fn a_many_to_many_path_reads_the_links_of_the_returned_keys() {
    let vip = exists(&["tags"], eq(Expr::attr("label"), "vip"));
    let returned = vec![
        ticket(1, Some(2), None, Some("closed")),
        ticket(2, Some(1), None, Some("open")),
    ];
    assert_eq!(judged(vip, returned), [true, false]);
}

#[test]
fn a_path_back_into_the_resource_reads_the_stored_records() {
    // Ticket 2 returned as open, under Bob: Bob's stored tickets are all
    // closed (the returned content is not one of them); under Ada, ticket 1
    // is open.
    let sibling_open = exists(
        &["representative", "tickets"],
        eq(Expr::attr("status"), "open"),
    );
    let returned = vec![
        ticket(2, Some(2), None, Some("open")),
        ticket(2, Some(1), None, Some("closed")),
    ];
    assert_eq!(judged(sibling_open, returned), [false, true]);
}

#[test]
fn a_condition_without_paths_is_judged_on_the_content() {
    // Stored ticket 1 is open; returned closed, it is judged closed.
    let open = eq(Expr::attr("status"), "open");
    let returned = vec![
        ticket(1, Some(1), None, Some("closed")),
        ticket(7, None, None, Some("open")),
    ];
    assert_eq!(judged(open, returned), [false, true]);
}
