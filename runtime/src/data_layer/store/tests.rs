//! Tests of the collector: records read into groups, in order.

use super::*;
use crate::data_layer::erased::{groups_of, vec_of};
use crate::resource::{Resource, RowColumns};
use crate::testing::test_resource;

test_resource!(Item in "item", id: i64 = None, { label: String });

/// Pushes item `id` into the group `target` names.
fn push(into: &mut Collector, target: Target<'_>, id: i64) -> Result<()> {
    let mut values = vec![Value::Int(id), Value::from(format!("item {id}"))];
    into.push(
        target,
        &mut RowColumns {
            schema: Item::schema(),
            values: &mut values,
        },
    )
}

fn ids(records: Records) -> Vec<Vec<i64>> {
    match records {
        Records::Grouped(groups) => groups_of::<Item>(groups)
            .expect("items")
            .iter()
            .map(|g| g.iter().map(|i| i.id).collect())
            .collect(),
        Records::Typed(list) => {
            vec![
                vec_of::<Item>(list)
                    .expect("items")
                    .iter()
                    .map(|i| i.id)
                    .collect(),
            ]
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn records_land_in_their_groups_in_read_order() {
    let mut into = collector(Item::schema(), Some(3)).unwrap();
    for (id, group) in [(1, 2), (2, 0), (3, 2), (4, 1), (5, 0)] {
        push(&mut into, Target::Group(group), id).unwrap();
    }
    // A key names its group through the record's attribute.
    let group_of = |key: &Value| match key {
        Value::Int(6) => Ok(1),
        _ => Err(Error::loader("no such key")),
    };
    let keyed = Target::Keyed {
        attribute: 0,
        group_of: &group_of,
    };
    push(&mut into, keyed, 6).unwrap();
    assert!(push(&mut into, keyed, 7).is_err());
    assert_eq!(ids(into.finish()), vec![vec![2, 5], vec![4, 6], vec![1, 3]]);
    // Groups nobody asked for get nothing; a record is never dropped silently.
    let mut into = collector(Item::schema(), Some(2)).unwrap();
    let err = push(&mut into, Target::Group(2), 1).unwrap_err();
    assert!(err.to_string().contains("group 2 of 2"), "{err}");
    assert_eq!(ids(into.finish()), vec![Vec::<i64>::new(), vec![]]);
}

#[test]
fn the_swaps_put_every_item_where_the_order_says() {
    // Every permutation of 5 items, and a scrambled one of 1,000.
    let mut orders: Vec<Vec<usize>> = Vec::new();
    let mut stack = vec![Vec::new()];
    while let Some(prefix) = stack.pop() {
        if prefix.len() == 5 {
            orders.push(prefix);
            continue;
        }
        for i in (0..5).filter(|i| !prefix.contains(i)) {
            let mut next = prefix.clone();
            next.push(i);
            stack.push(next);
        }
    }
    assert_eq!(orders.len(), 120);
    orders.push((0..1000).map(|i| (i * 7919) % 1000).collect());
    for order in orders {
        let mut items: Vec<usize> = (0..order.len()).collect();
        for (a, b) in swaps(&order) {
            items.swap(a, b);
        }
        assert_eq!(items, order);
    }
}

#[test]
fn reordering_sorts_by_the_keys_stably_before_grouping() {
    let mut into = collector(Item::schema(), Some(2)).unwrap();
    for (id, group) in [(1, 0), (2, 1), (3, 0), (4, 0), (5, 1)] {
        push(&mut into, Target::Group(group), id).unwrap();
    }
    into.reorder(&[30, 20, 10, 30, 5]).unwrap();
    assert_eq!(ids(into.finish()), vec![vec![3, 1, 4], vec![5, 2]]);
    // Not grouping: one list, reordered.
    let mut into = collector(Item::schema(), None).unwrap();
    for id in [1, 2, 3] {
        push(&mut into, Target::Group(0), id).unwrap();
    }
    assert!(into.reorder(&[1, 2]).is_err(), "one key per record");
    into.reorder(&[3, 1, 2]).unwrap();
    assert_eq!(ids(into.finish()), vec![vec![2, 3, 1]]);
}

#[test]
fn a_read_of_any_form_becomes_a_table_and_other_forms_are_errors() {
    let ids_in = |table: &dyn Table| -> Vec<Value> {
        (0..table.len()).map(|row| table.get(row, 0)).collect()
    };
    let rows = vec![
        vec![Value::Int(1), Value::from("one")],
        vec![Value::Int(2), Value::from("two")],
    ];
    let table = table_of(Item::schema(), Records::Rows(rows)).unwrap();
    assert_eq!(ids_in(&*table), [Value::Int(1), Value::Int(2)]);
    let typed = vec![Item {
        id: 3,
        label: "three".into(),
    }];
    let table = table_of(Item::schema(), Records::Typed(Box::new(typed))).unwrap();
    assert_eq!(ids_in(&*table), [Value::Int(3)]);

    let bad_row = vec![vec![Value::from("not an id"), Value::from("x")]];
    assert!(table_of(Item::schema(), Records::Rows(bad_row)).is_err());
    let other_type = Records::Typed(Box::new(vec![1_i64]));
    let err = table_of(Item::schema(), other_type).err().unwrap();
    assert!(err.to_string().contains("wrong type for Item"), "{err}");
    let grouped = Records::Grouped(Box::new(Vec::<Vec<Item>>::new()));
    assert!(table_of(Item::schema(), grouped).is_err());
}

#[test]
fn a_vector_cloned_onto_grows_past_the_estimate_then_at_least_twofold() {
    // Room enough: no growth.
    assert_eq!(grown_capacity(10, 100, 90, 5), None);
    // The first estimate, and an eighth more.
    assert_eq!(grown_capacity(0, 0, 36_000, 256), Some(40_500));
    // A later estimate a little higher fits; one past the room, or records
    // past it, at least double it.
    assert_eq!(grown_capacity(20_000, 40_500, 36_400, 256), None);
    assert_eq!(grown_capacity(40_000, 40_500, 40_600, 256), Some(81_000));
    assert_eq!(grown_capacity(100, 100, 0, 1), Some(200));
    let table = new_table::<Item>();
    let mut out = table.select(&[]);
    table
        .select_onto(&[], 1000, &mut *out)
        .expect("records of the type");
    let out = vec_of::<Item>(out).expect("a vector of items");
    assert_eq!((out.len(), out.capacity()), (0, 1125));
    // Onto something else: an error naming the resource.
    let mut other: Box<dyn Any> = Box::new(vec![1_u8]);
    let err = table.select_onto(&[], 10, &mut *other).unwrap_err();
    assert!(err.to_string().contains("wrong type for Item"), "{err}");
}
