//! The resource of the `self_reference` suite, declared with `resource!` (the
//! derive's in `tests/derive_parity/self_reference_resources.rs`): `Node`,
//! whose belongs_to names its own resource, with a unique name.

use ashore::prelude::*;

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
        identities {
            identity unique_name [name];
        }
    }
}
