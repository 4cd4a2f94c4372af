//! The resources of the `hidden_in_hand` suite, declared with `resource!` (the
//! derive's in `tests/derive_parity/hidden_in_hand_resources.rs`): `Bin`,
//! readable when public, with a count, a sum and a list of its parts' sizes;
//! `Part`, in a bin.

use ashore::prelude::*;

resource! {
    /// A crate of parts, readable when public.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Bin {
        attributes {
            integer_primary_key id;
            attribute label: String;
            attribute public: bool;
        }
        relationships {
            has_many parts: Part;
        }
        aggregates {
            count part_count: parts;
            sum total_size: parts.size as i64;
            list sizes: parts.size as i64;
        }
        policies {
            policy action_type(read) {
                authorize_if expr(public == true);
            }
        }
    }
}

resource! {
    /// A part in a bin.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Part {
        attributes {
            integer_primary_key id;
            attribute size: i64;
        }
        relationships {
            belongs_to bin: Bin;
        }
    }
}
