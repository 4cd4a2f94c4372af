//! What `resource!` generates, written out by hand for two Helpdesk resources: the
//! contract between the macros and the runtime. If the runtime's `__private` API
//! changes, this test fails to compile before any macro does. One module per
//! resource (`representative`, `ticket`; `resource!` puts them in the user's
//! module), and here the manual loader and the tests. Most of it is what the
//! templates of `runtime/src/__private/template.rs` write from `resource!`'s
//! call: a change to them is a change here.
//!
//! Declared in the DSL as:
//!
//! ```text
//! resource! {
//!     #[derive(Debug, Clone, PartialEq)]
//!     pub struct Representative {
//!         attributes {
//!             uuid_primary_key id;
//!             attribute name: String;
//!             attribute priority_threshold: i64;
//!         }
//!         relationships {
//!             has_many tickets: Ticket;
//!             has_many tickets_above_threshold: Ticket { manual TicketsAboveThreshold; }
//!         }
//!     }
//! }
//! resource! {
//!     #[derive(Debug, Clone, PartialEq)]
//!     pub struct Ticket {
//!         attributes {
//!             uuid_primary_key id;
//!             attribute subject: String;
//!             attribute priority: Option<i64>;
//!         }
//!         relationships {
//!             belongs_to representative: Representative;
//!         }
//!     }
//! }
//! ```

use ashore_runtime::__private as ap;
use ashore_runtime::uuid::Uuid;
use ashore_runtime::{Domain, LoadContext, ManualRelationship, Memory, Related};

mod representative;
mod ticket;

use representative::Representative;
use ticket::Ticket;

// ---------------------------------------------------------------- the manual loader

/// `expr!(representative_id in ^ids)` and
/// `expr!(priority > representative.priority_threshold)`, expanded by hand.
struct TicketsAboveThreshold;

impl ManualRelationship for TicketsAboveThreshold {
    type Source = Representative;
    type Destination = Ticket;

    async fn load(
        &self,
        reps: &[Representative],
        ctx: &LoadContext<'_, Ticket>,
    ) -> ashore_runtime::Result<Related<Representative, Ticket>> {
        let ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
        let tickets = ctx
            .query
            .clone()
            .filter(|f| {
                ap::condition(ap::in_list(
                    ap::field(&f.representative_id, &[], "representative_id"),
                    &(ids),
                ))
            })
            .filter(|f| {
                ap::condition(ap::cmp(
                    ap::CmpOp::Gt,
                    ap::field(&f.priority, &[], "priority"),
                    ap::field(
                        &ap::through(&f.representative).priority_threshold,
                        &["representative"],
                        "priority_threshold",
                    ),
                ))
            })
            .read(ctx)
            .await?;
        Ok(Related::group_by(tickets, |t| t.representative_id))
    }
}

#[tokio::test]
async fn hand_expanded_resources_load() -> ashore_runtime::Result<()> {
    let support = Domain::builder()
        .data_layer(Memory::new())
        .resource::<Representative>()
        .resource::<Ticket>()
        .build()?;
    let rep = support
        .create(
            Representative::changeset()
                .set(Representative::name(), "Ada")
                .set(Representative::priority_threshold(), 3),
        )
        .await?;
    for p in [1, 5, 9] {
        support
            .create(
                Ticket::changeset()
                    .set(Ticket::subject(), format!("p{p}"))
                    .set(Ticket::priority(), p)
                    .set(Ticket::representative_id(), rep.id),
            )
            .await?;
    }
    let reps = support
        .read(
            Representative::query()
                .load(
                    Representative::tickets()
                        .sort(Ticket::priority().desc())
                        .limit(2),
                )
                .load(Representative::tickets_above_threshold()),
        )
        .await?;
    let top: Vec<_> = reps[0].tickets.get()?.iter().map(|t| t.priority).collect();
    assert_eq!(top, [Some(9), Some(5)]);
    let above: Vec<_> = reps[0]
        .tickets_above_threshold
        .get()?
        .iter()
        .map(|t| t.priority)
        .collect();
    assert_eq!(above.len(), 2);
    assert!(above.iter().all(|p| p.unwrap() > 3));
    Ok(())
}

fn closed_only() -> ap::Expr {
    ap::Expr::cmp(
        ap::CmpOp::Eq,
        ap::Expr::attr("subject"),
        ap::Expr::Value(ashore_runtime::Value::String("closed".into())),
    )
}

fn by_subject() -> Vec<ap::Sort> {
    vec![ap::Sort::new("subject", ap::Order::Asc)]
}

/// Every option `resource!` may set on a relationship, through its `with_`
/// function.
static EVERY_OPTION: ap::RelationshipInfo = ap::relationship_info(
    "every",
    ap::RelationshipKind::ManyToMany,
    <Ticket as ap::Resource>::schema,
    "id",
    Some("representative_id"),
)
.with_manual()
.with_no_attributes()
.with_through(ap::Through {
    resource: <Representative as ap::Resource>::schema,
    source_attribute_on_join_resource: "a",
    destination_attribute_on_join_resource: "b",
})
.with_filter(closed_only)
.with_condition(closed_only)
.with_sort(by_subject)
.with_authorize_read_with(ap::AuthorizeReadWith::Error);

#[test]
fn relationship_infos_keep_defaults_and_take_each_option() {
    let plain = &<Ticket as ap::Resource>::schema().relationships[0];
    assert_eq!(
        (plain.name, plain.kind, plain.source_attribute),
        (
            "representative",
            ap::RelationshipKind::BelongsTo,
            "representative_id"
        )
    );
    assert!(!plain.manual && !plain.no_attributes && plain.destination_attribute.is_none());
    assert!(plain.through.is_none() && plain.filter.is_none() && plain.condition.is_none());
    assert!((plain.sort)().is_empty());
    assert_eq!(plain.authorize_read_with, ap::AuthorizeReadWith::Filter);
    assert_eq!((plain.destination)().name, "Representative");
    assert!(<Representative as ap::Resource>::schema().relationships[1].manual);

    let every = &EVERY_OPTION;
    assert!(every.manual && every.no_attributes);
    assert_eq!(every.destination_attribute, Some("representative_id"));
    let through = every.through.as_ref().expect("a join resource");
    assert_eq!((through.resource)().name, "Representative");
    assert_eq!(
        (
            through.source_attribute_on_join_resource,
            through.destination_attribute_on_join_resource
        ),
        ("a", "b")
    );
    let debug = |f: Option<fn() -> ap::Expr>| f.map(|f| format!("{:?}", f()));
    let closed = Some(format!("{:?}", closed_only()));
    assert_eq!(
        (debug(every.filter), debug(every.condition)),
        (closed.clone(), closed)
    );
    assert_eq!(
        format!("{:?}", (every.sort)()),
        format!("{:?}", by_subject())
    );
    assert_eq!(every.authorize_read_with, ap::AuthorizeReadWith::Error);
}
