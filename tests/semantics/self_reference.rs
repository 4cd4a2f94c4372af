//! A resource whose belongs_to names its own resource (`Node.parent`): the
//! README's "records that name each other go together in one `destroy_all`",
//! on every layer. A parent named by a child that stays is refused
//! (`Constraint::ForeignKey` on the resource, no attribute, nothing
//! destroyed); a parent and its child in one `destroy_all` go together, and so
//! do two records naming each other.

use ashore::prelude::*;
use ashore::Constraint;

use crate::common::{Run, domain, layers};

resource! {
    /// A node of a tree.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Node {
        attributes {
            integer_primary_key id;
            attribute name: String;
        }
        relationships {
            belongs_to parent: Node;
        }
    }
}

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
