//! A manual relationship without a `condition` cannot be filtered through,
//! named by `exists` or aggregated: a compile error on its name that says to
//! add one. `condition` needs `manual`, and a manual relationship's `filter`
//! (its loader's query) cannot read the source.
use ashore::prelude::*;

resource! {
    #[derive(Debug, Clone)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute priority_threshold: i64;
        }
        relationships {
            has_many urgent: Ticket { manual Urgent; }
            has_many keyed: Ticket {
                condition priority > parent(priority_threshold);
            }
            has_many filtered: Ticket {
                manual Urgent;
                filter priority > parent(priority_threshold);
            }
        }
        aggregates {
            count urgent_count: urgent;
            sum urgent_total: urgent.priority as i64;
            count through_urgent: urgent.representative;
        }
    }
}

resource! {
    #[derive(Debug, Clone)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute priority: i64;
        }
        relationships {
            belongs_to representative: Representative;
        }
    }
}

struct Urgent;

impl ManualRelationship for Urgent {
    type Source = Representative;
    type Destination = Ticket;

    async fn load(
        &self,
        _records: &[Representative],
        _ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Representative, Ticket>> {
        Ok(Related::empty())
    }
}

fn main() {
    let _ = Representative::query().filter(expr!(exists(urgent, priority > 3)));
    let _ = Representative::query().filter(expr!(urgent.priority > 3));
}
