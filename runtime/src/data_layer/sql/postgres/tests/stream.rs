//! Reads decode rows while later ones are still arriving: a read that fails
//! partway through its rows stops there, and the connection it abandoned mid-
//! stream serves the next statement.

use super::*;
use crate::expr::{CmpOp, Expr};

pg_resource!(SItem "s_item" None, { label: String });

#[tokio::test]
async fn a_read_failing_partway_leaves_the_connection_usable() {
    let Some(db) = layer("stream").await else {
        return;
    };
    // One connection, so the second read runs where the first one stopped.
    db.pg.pool().resize(1);
    // A table made by hand, where `label` may be NULL, which the attribute
    // cannot hold: row 2,000 of 5,000 fails to decode.
    db.execute(
        "CREATE TABLE s_item (id BIGINT PRIMARY KEY, label TEXT, _ashore_seq BIGSERIAL NOT NULL); \
         INSERT INTO s_item (id, label) \
         SELECT i, CASE WHEN i = 2000 THEN NULL ELSE 'item ' || i END \
         FROM generate_series(1, 5000) AS i",
    )
    .await;
    let err = db
        .pg
        .read(ReadRequest::new(SItem::schema()))
        .await
        .expect_err("item 2000 has no label");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::TypeMismatch {
                resource: "SItem",
                attribute: "label",
                found: Value::Null,
                ..
            }
        ),
        "{err:?}"
    );

    let mut first = ReadRequest::new(SItem::schema());
    first.filter = Some(Expr::cmp(CmpOp::Lt, Expr::attr("id"), Expr::value(4_i64)));
    let records = db
        .pg
        .read(first)
        .await
        .expect("the connection serves the next read")
        .records
        .into_vec::<SItem>()
        .expect("items");
    let labels: Vec<&str> = records.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(labels, ["item 1", "item 2", "item 3"]);
    assert_eq!(db.pg.pool().status().size, 1);
    db.drop().await;
}
