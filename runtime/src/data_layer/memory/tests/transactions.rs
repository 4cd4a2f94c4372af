//! Memory transactions copy on write: a table the transaction never writes
//! stays shared with the store, one it writes is cloned once, and commit puts
//! the transaction's tables in the store's place.

use std::sync::Arc;

use super::*;
use crate::data_layer::memory::transaction::InTransaction;

/// The store's and the transaction's `Arc` of `schema`'s table.
fn tables_of(
    store: &Memory,
    tx: &dyn DataLayer,
    schema: &'static Schema,
) -> (Arc<Stored>, Arc<Stored>) {
    let view = tx
        .as_any()
        .downcast_ref::<InTransaction>()
        .expect("a memory transaction's layer");
    let of = |m: &Memory| {
        let tables = m.tables.read().expect("tables");
        Arc::clone(tables.get(schema.name).expect("registered"))
    };
    (of(store), of(&view.view))
}

#[test]
fn a_transaction_clones_only_the_tables_it_writes() {
    let memory = memory();
    insert::<Rep>(&memory, vec![vec![Value::Null, "Ada".into(), Value::Null]]).expect("rep");
    let tx = block_on(memory.begin()).expect("begin");
    let layer = tx.layer();
    let (before, inside) = tables_of(&memory, &*layer, Rep::schema());
    assert!(Arc::ptr_eq(&before, &inside), "shared until written");
    let row = vec![
        Value::Null,
        Value::Null,
        Value::Int(1),
        Value::Null,
        Value::Null,
        Value::Null,
    ];
    block_on(layer.create(Ticket::schema(), crate::testing::flat(vec![row]))).expect("ticket");
    let (store_tickets, tx_tickets) = tables_of(&memory, &*layer, Ticket::schema());
    assert!(!Arc::ptr_eq(&store_tickets, &tx_tickets), "written: cloned");
    assert_eq!((store_tickets.table.len(), tx_tickets.table.len()), (0, 1));
    let (store_reps, tx_reps) = tables_of(&memory, &*layer, Rep::schema());
    assert!(
        Arc::ptr_eq(&store_reps, &tx_reps),
        "never written: still shared"
    );
    drop((
        store_tickets,
        tx_tickets,
        store_reps,
        tx_reps,
        before,
        inside,
    ));
    block_on(tx.commit()).expect("commit");
    let tables = memory.tables.read().expect("tables");
    assert_eq!(tables.get("Ticket").expect("tickets").table.len(), 1);
    assert_eq!(tables.get("Rep").expect("reps").table.len(), 1);
}
