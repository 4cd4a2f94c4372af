//! End to end through the statement builder: migrate (twice), create, filtered,
//! sorted and windowed reads, partitioned reads (by attribute and through a join
//! resource) with per-key windows. Every read is checked against the in-memory
//! layer given the same records and the same request, and is one statement.

use super::*;
use crate::Memory;
use crate::data_layer::{Partition, PartitionBy};
use crate::domain::Domain;
use crate::error::Constraint;
use crate::expr::{CmpOp, Expr};
use crate::query::Query;
use crate::resource::{RelationshipInfo, RelationshipKind, Row, Through};
use crate::sort::{Order, Sort};
use crate::testing::flat;

const fn rel(
    name: &'static str,
    kind: RelationshipKind,
    destination: fn() -> &'static Schema,
    source_attribute: &'static str,
    destination_attribute: Option<&'static str>,
    through: Option<Through>,
) -> RelationshipInfo {
    let info = RelationshipInfo::new(
        name,
        kind,
        destination,
        source_attribute,
        destination_attribute,
    );
    match through {
        Some(through) => info.with_through(through),
        None => info,
    }
}

pg_resource!(ERep "e_rep" Some(Generated::Integer), {
    name: String,
    threshold: Option<i64>,
} &[
    rel("tickets", RelationshipKind::HasMany, ETicket::schema, "id", Some("rep_id"), None),
]);

pg_resource!(ETicket "e_ticket" Some(Generated::Integer), {
    rep_id: Option<i64>,
    priority: Option<i64>,
    status: Option<String>,
    score: Option<f64>,
} &[
    rel("representative", RelationshipKind::BelongsTo, ERep::schema, "rep_id", None, None),
    rel("tags", RelationshipKind::ManyToMany, ETag::schema, "id", None, Some(Through {
        resource: ETicketTag::schema,
        source_attribute_on_join_resource: "ticket_id",
        destination_attribute_on_join_resource: "tag_id",
    })),
]);

pg_resource!(ETag "e_tag" Some(Generated::Integer), { label: String });

pg_resource!(ETicketTag "e_ticket_tag" Some(Generated::Integer), {
    ticket_id: i64,
    tag_id: i64,
});

fn schemas() -> Vec<&'static Schema> {
    vec![
        ERep::schema(),
        ETag::schema(),
        ETicket::schema(),
        ETicketTag::schema(),
    ]
}

fn reps() -> Vec<Row> {
    [("Alice", Some(3)), ("Bob", None), ("Carol", Some(1))]
        .into_iter()
        .map(|(name, threshold)| vec![Value::Null, s(name), threshold.into()])
        .collect()
}

fn tickets() -> Vec<Row> {
    let open = Some("open");
    let closed = Some("closed");
    [
        (Some(1), Some(5), open, Some(0.5)),
        (Some(1), Some(2), closed, None),
        (Some(2), Some(5), open, Some(1.5)),
        (Some(1), None, open, Some(-2.0)),
        (Some(3), Some(1), None, Some(0.0)),
        (Some(1), Some(4), Some("Open"), None),
        (None, Some(9), open, Some(9.0)),
        (Some(2), Some(3), closed, Some(3.25)),
        (Some(1), Some(5), Some("ópen"), Some(0.5)),
        (Some(3), Some(7), open, None),
        (Some(2), None, None, None),
        (Some(1), Some(1), closed, Some(1.0)),
    ]
    .into_iter()
    .map(|(rep, priority, status, score)| {
        vec![
            Value::Null,
            Value::from(rep.map(i64::from)),
            Value::from(priority.map(i64::from)),
            status.map(str::to_owned).into(),
            score.into(),
        ]
    })
    .collect()
}

fn tags() -> Vec<Row> {
    ["bug", "billing", "urgent"]
        .into_iter()
        .map(|label| vec![Value::Null, s(label)])
        .collect()
}

fn ticket_tags() -> Vec<Row> {
    [
        (1, 1),
        (1, 3),
        (3, 2),
        (3, 3),
        (4, 3),
        (9, 1),
        (9, 2),
        (9, 3),
        (12, 1),
    ]
    .into_iter()
    .map(|(t, g)| vec![Value::Null, Value::Int(t), Value::Int(g)])
    .collect()
}

/// The ids read, one list per partition key (one list when not partitioned).
async fn ids<R: Resource>(layer: &dyn DataLayer, request: ReadRequest) -> Result<Vec<Vec<i64>>> {
    let keys = request.partition.as_ref().map(|p| p.keys.len());
    let result = layer.read(request).await?;
    let id = |r: &R| match r.get(0) {
        Value::Int(i) => i,
        _ => -1,
    };
    Ok(match keys {
        None => vec![result.records.into_vec::<R>()?.iter().map(id).collect()],
        Some(n) => result
            .into_groups::<R>(n)?
            .iter()
            .map(|g| g.iter().map(id).collect())
            .collect(),
    })
}

/// Reads with both layers: same ids, in the same order, in one statement.
async fn same<R: Resource>(pg: &Postgres, memory: &Memory, request: ReadRequest) -> Vec<Vec<i64>> {
    let before = pg.statements();
    let from_pg = ids::<R>(pg, request.clone())
        .await
        .unwrap_or_else(|e| panic!("{request:?}: {e}"));
    assert_eq!(pg.statements() - before, 1, "{request:?}");
    let from_memory = ids::<R>(memory, request.clone()).await.expect("memory");
    assert_eq!(from_pg, from_memory, "{request:?}");
    from_pg
}

fn attr(name: &'static str) -> Expr {
    Expr::attr(name)
}

fn request(schema: &'static Schema) -> ReadRequest {
    ReadRequest::new(schema)
}

#[tokio::test]
async fn migrate_create_and_read_like_memory() {
    let Some(db) = layer("end_to_end").await else {
        return;
    };
    let pg = &db.pg;
    pg.migrate(schemas()).await.expect("migrate");
    pg.migrate(schemas()).await.expect("migrate again");

    let memory = Memory::new();
    for schema in schemas() {
        memory.register(schema).expect("register");
    }
    for (schema, rows) in [
        (ERep::schema(), reps()),
        (ETag::schema(), tags()),
        (ETicket::schema(), tickets()),
        (ETicketTag::schema(), ticket_tags()),
    ] {
        let created = pg
            .create(schema, flat(rows.clone()))
            .await
            .unwrap_or_else(|e| panic!("create {}: {e}", schema.name));
        let expected = memory
            .create(schema, flat(rows))
            .await
            .expect("memory create");
        let rows_of = match schema.name {
            "ERep" => rows_of::<ERep>,
            "ETag" => rows_of::<ETag>,
            "ETicket" => rows_of::<ETicket>,
            _ => rows_of::<ETicketTag>,
        };
        let (created, expected) = (rows_of(created), rows_of(expected));
        assert_eq!(created, expected, "{}", schema.name);
    }
    // Creating nothing runs nothing.
    let before = pg.statements();
    pg.create(ERep::schema(), flat(Vec::new()))
        .await
        .expect("empty");
    assert_eq!(pg.statements(), before);
    // Migrating again keeps the records.
    pg.migrate(schemas()).await.expect("migrate a third time");

    // Whole table, insertion order.
    let all = same::<ETicket>(pg, &memory, request(ETicket::schema())).await;
    assert_eq!(all, vec![(1..=12).collect::<Vec<i64>>()]);

    // Filters (three-valued: nil matches nothing, `not` of nil is nil).
    for filter in [
        Expr::cmp(CmpOp::Gt, attr("priority"), Expr::value(2_i64)),
        Expr::cmp(CmpOp::Eq, attr("status"), Expr::Value(s("open"))),
        Expr::cmp(CmpOp::Eq, attr("status"), Expr::Value(s("open"))).not(),
        Expr::is_in(attr("status"), vec![s("closed"), s("Open")]),
        Expr::IsNil(Box::new(attr("priority"))),
        Expr::cmp(CmpOp::Ge, attr("score"), Expr::value(1_i64)).or(Expr::cmp(
            CmpOp::Lt,
            attr("priority"),
            Expr::value(3_i64),
        )),
        Expr::cmp(CmpOp::Gt, attr("status"), Expr::Value(s("open"))),
        Expr::cmp(
            CmpOp::Eq,
            Expr::path_attr(["representative"], "name"),
            Expr::Value(s("Alice")),
        ),
    ] {
        let mut r = request(ETicket::schema());
        r.filter = Some(filter);
        same::<ETicket>(pg, &memory, r).await;
    }
    let mut r = request(ETicket::schema());
    r.filter = Some(Expr::cmp(CmpOp::Gt, attr("priority"), Expr::value(4_i64)));
    assert_eq!(
        same::<ETicket>(pg, &memory, r).await,
        vec![vec![1, 3, 7, 9, 10]]
    );

    // Sorts (ties keep insertion order, nils per the order), with windows.
    for (field, order) in [
        ("priority", Order::Desc),
        ("priority", Order::Asc),
        ("priority", Order::AscNilsFirst),
        ("priority", Order::DescNilsLast),
        ("status", Order::Asc),
        ("score", Order::Desc),
    ] {
        for (offset, limit) in [
            (0, None),
            (0, Some(3)),
            (2, Some(4)),
            (11, Some(5)),
            (20, None),
        ] {
            let mut r = request(ETicket::schema());
            r.sort = vec![Sort::new(field, order)];
            r.offset = offset;
            r.limit = limit;
            same::<ETicket>(pg, &memory, r).await;
        }
    }

    // Partitioned by attribute: each rep's tickets, windows per key; a key with
    // no records gets an empty group.
    let keys: Vec<Value> = [3_i64, 1, 99, 2].into_iter().map(Value::Int).collect();
    for (sort, offset, limit) in [
        (vec![], 0, None),
        (vec![], 0, Some(2)),
        (vec![], 1, Some(1)),
        (vec![Sort::new("priority", Order::Desc)], 0, Some(2)),
        (vec![Sort::new("priority", Order::Asc)], 1, Some(2)),
    ] {
        let mut r = request(ETicket::schema());
        r.partition = Some(Partition {
            by: PartitionBy::Attribute("rep_id"),
            keys: keys.clone(),
        });
        r.sort = sort;
        r.offset = offset;
        r.limit = limit;
        r.filter = Some(Expr::cmp(CmpOp::Ne, attr("priority"), Expr::value(2_i64)));
        same::<ETicket>(pg, &memory, r).await;
    }
    let mut r = request(ETicket::schema());
    r.partition = Some(Partition {
        by: PartitionBy::Attribute("rep_id"),
        keys: keys.clone(),
    });
    r.sort = vec![Sort::new("priority", Order::Desc)];
    r.limit = Some(2);
    assert_eq!(
        same::<ETicket>(pg, &memory, r).await,
        vec![vec![10, 5], vec![4, 1], vec![], vec![11, 3]]
    );

    // Partitioned through the join resource: each ticket's tags.
    let ticket_keys: Vec<Value> = [9_i64, 1, 2, 3, 12].into_iter().map(Value::Int).collect();
    for (sort, limit) in [
        (vec![], None),
        (vec![], Some(1)),
        (vec![Sort::new("label", Order::Asc)], Some(2)),
    ] {
        let mut r = request(ETag::schema());
        r.partition = Some(Partition {
            by: PartitionBy::Through {
                join: ETicketTag::schema(),
                source_attribute_on_join: "ticket_id",
                destination_attribute_on_join: "tag_id",
                destination_attribute: "id",
            },
            keys: ticket_keys.clone(),
        });
        r.sort = sort;
        r.limit = limit;
        same::<ETag>(pg, &memory, r).await;
    }

    // Constraints through create.
    let err = pg
        .create(
            ERep::schema(),
            flat(vec![vec![Value::Int(1), s("Again"), Value::Null]]),
        )
        .await
        .expect_err("duplicate primary key");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Constraint {
                constraint: Constraint::Unique,
                attribute: Some("id"),
                ..
            }
        ),
        "{err:?}"
    );
    let err = pg
        .create(
            ERep::schema(),
            flat(vec![
                reps()[0].clone(),
                vec![Value::Null, Value::Null, Value::Null],
            ]),
        )
        .await
        .expect_err("nil name");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Constraint {
                constraint: Constraint::NotNull,
                attribute: Some("name"),
                ..
            }
        ),
        "{err:?}"
    );
    // belongs_to foreign keys are enforced.
    let err = pg
        .create(
            ETicket::schema(),
            flat(vec![vec![
                Value::Null,
                Value::Int(99),
                Value::Null,
                Value::Null,
                Value::Null,
            ]]),
        )
        .await
        .expect_err("no rep 99");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Constraint {
                constraint: Constraint::ForeignKey,
                attribute: Some("rep_id"),
                ..
            }
        ),
        "{err:?}"
    );
    // Nothing of the failed creates was kept.
    assert_eq!(
        same::<ERep>(pg, &memory, request(ERep::schema())).await,
        vec![vec![1, 2, 3]]
    );

    // Through a domain: migrate, read, and the layer reached by its type.
    let domain = Domain::builder()
        .data_layer(pg.clone())
        .resource::<ERep>()
        .resource::<ETicket>()
        .resource::<ETag>()
        .resource::<ETicketTag>()
        .build()
        .expect("domain");
    domain.migrate().await.expect("domain migrate");
    let layer = domain
        .data_layer_as::<Postgres>()
        .expect("a Postgres layer");
    let before = layer.statements();
    let names: Vec<String> = domain
        .read(Query::<ERep>::new().sort(Sort::new("name", Order::Desc)))
        .await
        .expect("domain read")
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(names, ["Carol", "Bob", "Alice"]);
    assert_eq!(layer.statements() - before, 1);
    // Raw SQL over the migrated tables.
    let busy = layer
        .query::<ERep>(
            "SELECT r.* FROM e_rep r WHERE (SELECT count(*) FROM e_ticket t \
             WHERE t.rep_id = r.id) > $1 ORDER BY r.id",
            vec![Value::Int(3)],
        )
        .await
        .expect("raw query");
    assert_eq!(busy.iter().map(|r| r.id).collect::<Vec<_>>(), vec![1]);
    db.drop().await;
}

fn rows_of<R: Resource>(records: Records) -> Vec<Row> {
    let n = R::schema().attributes.len();
    records
        .into_vec::<R>()
        .expect("records")
        .iter()
        .map(|r| (0..n).map(|i| r.get(i)).collect())
        .collect()
}

/// An unsorted partitioned read has no ORDER BY: the layer puts the rows in
/// insertion order, even when the table's physical order is another (rows
/// moved by an update).
#[tokio::test]
async fn unsorted_partitions_keep_insertion_order() {
    let Some(db) = layer("unsorted_partitions").await else {
        return;
    };
    let pg = &db.pg;
    pg.migrate(schemas()).await.expect("migrate");
    let memory = Memory::new();
    for schema in schemas() {
        memory.register(schema).expect("register");
    }
    for (schema, rows) in [
        (ERep::schema(), reps()),
        (ETag::schema(), tags()),
        (ETicket::schema(), tickets()),
        (ETicketTag::schema(), ticket_tags()),
    ] {
        pg.create(schema, flat(rows.clone())).await.expect("create");
        memory
            .create(schema, flat(rows))
            .await
            .expect("memory create");
    }
    // New row versions go after the others, and (not being HOT updates, since
    // the indexed key changes) are found there through the index too: the rows
    // come out of insertion order.
    db.execute(
        "UPDATE e_ticket SET rep_id = NULL WHERE id IN (1, 3, 4); \
         UPDATE e_ticket SET rep_id = CASE id WHEN 3 THEN 2 ELSE 1 END WHERE id IN (1, 3, 4)",
    )
    .await;
    db.execute("UPDATE e_tag SET label = label WHERE id = 1")
        .await;

    let mut by_rep = request(ETicket::schema());
    by_rep.partition = Some(Partition {
        by: PartitionBy::Attribute("rep_id"),
        keys: vec![Value::Int(2), Value::Int(1), Value::Int(3)],
    });
    let statement = build::read(Dialect::Postgres, &by_rep).expect("statement");
    assert_eq!(statement.columns, Columns::AttributesAndSeq);
    assert!(!statement.sql.contains("ORDER BY"), "{}", statement.sql);
    // The statement's own rows are out of order, so the layer's sort is tested.
    let seqs: Vec<i64> = pg
        .client()
        .await
        .expect("client")
        .query(
            &statement
                .sql
                .replace("$1::bigint[]", "ARRAY[2, 1, 3]::bigint[]"),
            &[],
        )
        .await
        .expect("raw read")
        .iter()
        .map(|row| row.get(row.len() - 1))
        .collect();
    assert!(!seqs.is_sorted(), "{seqs:?}");
    assert_eq!(
        same::<ETicket>(pg, &memory, by_rep).await,
        vec![vec![3, 8, 11], vec![1, 2, 4, 6, 9, 12], vec![5, 10]]
    );

    let mut by_ticket = request(ETag::schema());
    by_ticket.partition = Some(Partition {
        by: PartitionBy::Through {
            join: ETicketTag::schema(),
            source_attribute_on_join: "ticket_id",
            destination_attribute_on_join: "tag_id",
            destination_attribute: "id",
        },
        keys: vec![Value::Int(9), Value::Int(1), Value::Int(3)],
    });
    assert_eq!(
        same::<ETag>(pg, &memory, by_ticket).await,
        vec![vec![1, 2, 3], vec![1, 3], vec![2, 3]]
    );
    db.drop().await;
}
