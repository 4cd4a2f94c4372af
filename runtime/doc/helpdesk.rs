extern crate ashore_runtime as ashore;
#[allow(unused_imports)]
use ashore::{uuid::Uuid, *};
#[allow(unused_imports)]
use ashore_macros::{expr, resource};

macro_rules! helpdesk {
    () => {
        helpdesk! { has_many tickets_above_threshold: Ticket { manual TicketsAboveThreshold; } }
        struct TicketsAboveThreshold;
        impl ManualRelationship for TicketsAboveThreshold {
            type Source = Representative;
            type Destination = Ticket;
            async fn load(&self, reps: &[Representative], ctx: &LoadContext<'_, Ticket>)
                -> ashore::Result<Related<Representative, Ticket>> {
                let ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
                let tickets = ctx.query.clone()
                    .filter(expr!(representative_id in ^ids))
                    .filter(expr!(priority > representative.priority_threshold))
                    .read(ctx).await?;
                Ok(Related::group_by(tickets, |t| t.representative_id))
            }
        }
    };
    ($($extra:tt)+) => {
        resource! {
            #[derive(Debug, Clone, PartialEq)]
            pub struct Representative {
                attributes { uuid_primary_key id; attribute name: String; attribute priority_threshold: i64; }
                relationships { has_many tickets: Ticket; $($extra)+ }
            }
        }
        resource! {
            #[derive(Debug, Clone, PartialEq)]
            pub struct Ticket {
                attributes { uuid_primary_key id; attribute subject: String; attribute priority: Option<i64>; }
                relationships { belongs_to representative: Representative; }
            }
        }
    };
}
