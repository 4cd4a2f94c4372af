//! `resource!`: a relationship whose two keys have different types would load
//! nothing, so it is a compile error on the option naming the key (on the
//! relationship's name when the keys are defaults; on the destination for the
//! second pair of a many_to_many), naming both types. A nullable key against a
//! non-null one of the same type is fine, and integers of any width match. A
//! key naming a relationship is an error.
use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            attribute badge: i64;
        }
        relationships {
            // Ticket's `subject` is a String, the key here a Uuid.
            has_many by_subject: Ticket {
                destination_attribute subject;
            }
            // A source_attribute of another type than the destination key.
            has_many by_badge: Ticket {
                source_attribute badge;
            }
            // A relationship of Ticket, not an attribute.
            has_many by_relationship: Ticket {
                destination_attribute representative;
            }
            // Fine: `representative_id` is an `Option<Uuid>`, `id` a `Uuid`.
            has_many tickets: Ticket;
            // Fine: integers of any width match (`badge` is an `i64`).
            has_many by_code: Tag {
                source_attribute badge;
                destination_attribute code;
            }
        }
    }
}

resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
            attribute priority: Option<i64>;
        }
        relationships {
            belongs_to representative: Representative;
            // Reuses `priority` (an `Option<i64>`) as the key of a Uuid primary key.
            belongs_to reviewer: Representative {
                source_attribute priority;
            }
            // Defined with the type of `Representative`'s primary key, not `name`'s.
            belongs_to named: Representative {
                destination_attribute name;
            }
            many_to_many tags: Tag {
                through TicketTag;
            }
        }
    }
}

resource! {
    #[derive(Debug, Clone)]
    pub struct Tag {
        attributes {
            integer_primary_key id;
            attribute code: Option<i32>;
        }
    }
}

resource! {
    #[derive(Debug, Clone)]
    pub struct TicketTag {
        attributes {
            uuid_primary_key id;
            // Both join attributes have the other key's type.
            attribute ticket_id: i64;
            attribute tag_id: Uuid;
        }
    }
}

fn main() {}
