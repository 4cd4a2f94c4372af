//! A resource whose belongs_to names its own resource (`Node.parent`): the
//! README's "records that name each other go together in one `destroy_all`",
//! on every layer and both front ends. A parent named by a child that stays is refused
//! (`Constraint::ForeignKey` on the resource, no attribute, nothing
//! destroyed); a parent and its child in one `destroy_all` go together, and so
//! do two records naming each other. Inside a transaction, a create, an
//! upsert or an update whose key names no record is refused as it is written,
//! naming the key, as outside.

use ashore::Constraint;
use ashore::prelude::*;

use crate::common::self_reference_resources::Node;
use crate::common::{Run, domain, layers};

/// Creates `name` under `parent`.
async fn node(d: &Domain, name: &str, parent: Option<i64>) -> Node {
    d.create(
        Node::changeset()
            .set(Node::name(), name)
            .set(Node::parent_id(), parent),
    )
    .await
    .expect("a node")
}

/// The names of the nodes stored, in insertion order.
async fn names(d: &Domain) -> Vec<String> {
    let nodes = d.read(Node::query()).await.expect("the nodes");
    nodes.into_iter().map(|n| n.name).collect()
}

/// Asserts `err` is the foreign-key refusal of destroying a `Node`.
fn assert_named_by_another(err: &Error) {
    match err.kind() {
        ErrorKind::Constraint {
            resource,
            attribute,
            constraint: Constraint::ForeignKey,
            ..
        } => {
            assert_eq!(*resource, "Node", "{err:?}");
            assert_eq!(*attribute, None, "{err:?}");
        }
        _ => panic!("not a foreign key error: {err:?}"),
    }
}

layers!(records_that_name_each_other_go_together);
async fn records_that_name_each_other_go_together(run: Run) -> Result<()> {
    let d = &domain(&run, |b| b.resource::<Node>()).await;
    let root = node(d, "root", None).await;
    let child = node(d, "child", Some(root.id)).await;
    node(d, "grandchild", Some(child.id)).await;
    node(d, "other", None).await;
    // The root alone: its child names it.
    let err = d.destroy(&root).await.unwrap_err();
    assert_named_by_another(&err);
    let err = d
        .destroy_all(Node::query().filter(expr!(name == "root" or name == "child")))
        .await
        .unwrap_err();
    assert_named_by_another(&err);
    assert_eq!(names(d).await, ["root", "child", "grandchild", "other"]);
    // The whole tree in one destroy_all, records as they were, in order.
    let gone = d
        .destroy_all(Node::query().filter(expr!(name != "other")))
        .await?;
    let gone: Vec<&str> = gone.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(gone, ["root", "child", "grandchild"]);
    assert_eq!(names(d).await, ["other"]);
    // Two records naming each other.
    let a = node(d, "a", None).await;
    let b = node(d, "b", Some(a.id)).await;
    d.update(&a, Node::changeset().set(Node::parent_id(), Some(b.id)))
        .await?;
    let err = d.destroy(&b).await.unwrap_err();
    assert_named_by_another(&err);
    let gone = d
        .destroy_all(Node::query().filter(expr!(name == "a" or name == "b")))
        .await?;
    assert_eq!(gone.len(), 2);
    assert_eq!(names(d).await, ["other"]);
    Ok(())
}

layers!(a_key_of_no_record_inside_a_transaction_names_the_key);
async fn a_key_of_no_record_inside_a_transaction_names_the_key(run: Run) -> Result<()> {
    let d = &domain(&run, |b| b.resource::<Node>()).await;
    let root = node(d, "root", None).await;
    let ghost = root.id + 100;
    let of_ghost = |name: &str| {
        Node::changeset()
            .set(Node::name(), name)
            .set(Node::parent_id(), Some(ghost))
    };
    let assert_parent_key = |err: &Error| match err.kind() {
        ErrorKind::Constraint {
            resource: "Node",
            attribute: Some("parent_id"),
            constraint: Constraint::ForeignKey,
            ..
        } => {}
        _ => panic!("not the parent key's error: {err:?}"),
    };
    let kept = root.clone();
    d.transaction(|tx| async move {
        assert_parent_key(&tx.create(of_ghost("lost")).await.unwrap_err());
        let err = tx
            .create(of_ghost("root"))
            .upsert_on(Node::unique_name())
            .await
            .unwrap_err();
        assert_parent_key(&err);
        let err = tx
            .create_many([of_ghost("lost"), of_ghost("found")])
            .upsert_on(Node::unique_name())
            .await
            .unwrap_err();
        assert_parent_key(&err);
        let err = tx
            .update(&root, Node::changeset().set(Node::parent_id(), Some(ghost)))
            .await
            .unwrap_err();
        assert_parent_key(&err);
        // Nothing of them was kept, and the transaction goes on.
        assert_eq!(names(&tx).await, ["root"]);
        node(&tx, "leaf", Some(root.id)).await;
        Ok::<_, Error>(())
    })
    .await?;
    assert_eq!(names(d).await, ["root", "leaf"]);
    let stored = d.read(Node::query()).await?;
    assert_eq!(stored[0], kept);
    Ok(())
}
