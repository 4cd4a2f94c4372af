//! What `resource!` generates, written out by hand for two Helpdesk resources: the
//! contract between the macros and the runtime. If the runtime's `__private` API
//! changes, this file fails to compile before any macro does.
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

// ---------------------------------------------------------------- Representative

#[derive(Debug, Clone, PartialEq)]
pub struct Representative {
    pub id: Uuid,
    pub name: String,
    pub priority_threshold: i64,
    pub tickets: ap::Loaded<Vec<Ticket>>,
    pub tickets_above_threshold: ap::Loaded<Vec<Ticket>>,
}

/// Field references of `Representative` for `expr!`.
#[doc(hidden)]
pub struct RepresentativeFields {
    path: ap::Path,
}

impl ap::Fields for RepresentativeFields {
    #[inline]
    fn at(path: ap::Path) -> Self {
        RepresentativeFields { path }
    }
    #[inline]
    fn path(&self) -> &ap::Path {
        &self.path
    }
}

#[allow(dead_code)]
impl RepresentativeFields {
    #[inline]
    pub fn id(&self) -> ap::Term<<Uuid as ap::Scalar>::Kind> {
        ap::attr(&self.path, "id")
    }
    #[inline]
    pub fn name(&self) -> ap::Term<<String as ap::Scalar>::Kind> {
        ap::attr(&self.path, "name")
    }
    #[inline]
    pub fn priority_threshold(&self) -> ap::Term<<i64 as ap::Scalar>::Kind> {
        ap::attr(&self.path, "priority_threshold")
    }
    #[inline]
    pub fn tickets(&self) -> <Ticket as ap::Resource>::Fields {
        ap::fields_at(ap::child(&self.path, "tickets"))
    }
    #[inline]
    pub fn tickets_above_threshold(&self) -> <Ticket as ap::Resource>::Fields {
        ap::fields_at(ap::child(&self.path, "tickets_above_threshold"))
    }
}

static REPRESENTATIVE_ATTRIBUTES: [ap::AttributeInfo; 3] = [
    ap::AttributeInfo::new(
        "id",
        <Uuid as ap::Scalar>::TYPE,
        <Uuid as ap::Scalar>::NULLABLE,
    )
    .with_generated(ap::Generated::Uuid),
    ap::AttributeInfo::new(
        "name",
        <String as ap::Scalar>::TYPE,
        <String as ap::Scalar>::NULLABLE,
    ),
    ap::AttributeInfo::new(
        "priority_threshold",
        <i64 as ap::Scalar>::TYPE,
        <i64 as ap::Scalar>::NULLABLE,
    ),
];

// Each relationship is `RelationshipInfo::new` with only the options it
// declares, as `with_` calls (here `with_manual`).
static REPRESENTATIVE_RELATIONSHIPS: [ap::RelationshipInfo; 2] = [
    ap::RelationshipInfo::new(
        "tickets",
        ap::RelationshipKind::HasMany,
        <Ticket as ap::Resource>::schema,
        "id",
        Some("representative_id"),
    ),
    ap::RelationshipInfo::new(
        "tickets_above_threshold",
        ap::RelationshipKind::HasMany,
        <Ticket as ap::Resource>::schema,
        "id",
        None,
    )
    .with_manual(),
];

static REPRESENTATIVE_SCHEMA: ap::Schema = ap::Schema {
    name: "Representative",
    table: "representative",
    attributes: &REPRESENTATIVE_ATTRIBUTES,
    primary_key: 0,
    relationships: &REPRESENTATIVE_RELATIONSHIPS,
    identities: &[],
    policies: &[],
    multitenancy: None,
    stored: true,
    new_table: ap::new_table::<Representative>,
};

impl ap::Resource for Representative {
    type PrimaryKey = Uuid;
    type Fields = RepresentativeFields;

    fn schema() -> &'static ap::Schema {
        &REPRESENTATIVE_SCHEMA
    }

    #[inline]
    fn visit<V: ap::AttributeVisitor>(&self, index: usize, visitor: V) -> V::Output {
        match index {
            0 => <Uuid as ap::Scalar>::visit(&self.id, visitor),
            1 => <String as ap::Scalar>::visit(&self.name, visitor),
            2 => <i64 as ap::Scalar>::visit(&self.priority_threshold, visitor),
            _ => visitor.missing(),
        }
    }

    #[inline]
    fn primary_key(&self) -> Uuid {
        ::core::clone::Clone::clone(&self.id)
    }

    fn read_columns(reader: &mut dyn ap::ColumnReader) -> ap::Result<Self> {
        Ok(Representative {
            id: ap::checked(
                <Uuid as ap::Scalar>::read_column(reader, 0),
                &REPRESENTATIVE_SCHEMA,
                0,
            )?,
            name: ap::checked(
                <String as ap::Scalar>::read_column(reader, 1),
                &REPRESENTATIVE_SCHEMA,
                1,
            )?,
            priority_threshold: ap::checked(
                <i64 as ap::Scalar>::read_column(reader, 2),
                &REPRESENTATIVE_SCHEMA,
                2,
            )?,
            tickets: ap::Loaded::NotLoaded,
            tickets_above_threshold: ap::Loaded::NotLoaded,
        })
    }
}

#[allow(dead_code)]
impl Representative {
    #[doc = " A query of every `Representative` record, to filter, sort, window and load."]
    #[inline]
    pub fn query() -> ap::Query<Self> {
        ap::Query::new()
    }
    #[doc = " The values of a `Representative` to create: nothing set yet."]
    #[inline]
    pub fn changeset() -> ap::Changeset<Self> {
        ap::Changeset::new()
    }
    #[inline]
    pub fn id() -> ap::Field<Self, Uuid> {
        ap::Field::new("id", 0)
    }
    #[inline]
    pub fn name() -> ap::Field<Self, String> {
        ap::Field::new("name", 1)
    }
    #[inline]
    pub fn priority_threshold() -> ap::Field<Self, i64> {
        ap::Field::new("priority_threshold", 2)
    }
    #[inline]
    pub fn tickets() -> ap::Rel<Self, Ticket, ap::ToMany> {
        ap::Rel::<Self, Ticket, ap::ToMany>::many(
            &REPRESENTATIVE_RELATIONSHIPS[0],
            |record, value| record.tickets = ap::Loaded::new(value),
        )
    }
    #[inline]
    pub fn tickets_above_threshold() -> ap::Rel<Self, Ticket, ap::ToMany> {
        ap::Rel::<Self, Ticket, ap::ToMany>::many(
            &REPRESENTATIVE_RELATIONSHIPS[1],
            |record, value| record.tickets_above_threshold = ap::Loaded::new(value),
        )
        .with_manual(ap::manual::<Self, Ticket, _>(TicketsAboveThreshold))
    }
}

// Compile-time checks the macro emits with the user's spans: the default
// destination attribute exists, and the two keys can match (a name the type
// lacks falls back to `Absent`, reported by the first check only).
const _: () = {
    #[allow(dead_code)]
    trait Keys {
        fn id() -> ap::Absent {
            ap::Absent
        }
        fn representative_id() -> ap::Absent {
            ap::Absent
        }
    }
    impl<T: ?Sized> Keys for T {}
    const _: () = if !ap::found::<<Ticket as ap::Resource>::Fields, _>(<Ticket>::representative_id)
    {
        panic!("`Ticket` has no attribute `representative_id`")
    };
    const _: () = ap::keys_match(<Representative>::id, <Ticket>::representative_id);
};

// ---------------------------------------------------------------- Ticket

#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    pub id: Uuid,
    pub subject: String,
    pub priority: Option<i64>,
    // The generated code below names `<Representative as ap::Resource>::PrimaryKey`:
    // the same type, reached here through a constant so that a destination that is
    // not a resource is one error (see `__private::foreign_key`).
    /// The key of the belongs_to `representative`: the primary key of a `Representative`.
    pub representative_id:
        Option<<Representative as ap::PrimaryKeyOf<{ ap::is_key(Ticket::__ASHORE_KEY_3) }>>::Key>,
    pub representative: ap::Loaded<Option<Representative>>,
}

#[doc(hidden)]
pub struct TicketFields {
    path: ap::Path,
}

impl ap::Fields for TicketFields {
    #[inline]
    fn at(path: ap::Path) -> Self {
        TicketFields { path }
    }
    #[inline]
    fn path(&self) -> &ap::Path {
        &self.path
    }
}

#[allow(dead_code)]
impl TicketFields {
    #[inline]
    pub fn id(&self) -> ap::Term<<Uuid as ap::Scalar>::Kind> {
        ap::attr(&self.path, "id")
    }
    #[inline]
    pub fn subject(&self) -> ap::Term<<String as ap::Scalar>::Kind> {
        ap::attr(&self.path, "subject")
    }
    #[inline]
    pub fn priority(&self) -> ap::Term<<Option<i64> as ap::Scalar>::Kind> {
        ap::attr(&self.path, "priority")
    }
    #[inline]
    pub fn representative_id(
        &self,
    ) -> ap::Term<<Option<<Representative as ap::Resource>::PrimaryKey> as ap::Scalar>::Kind> {
        ap::attr(&self.path, "representative_id")
    }
    #[inline]
    pub fn representative(&self) -> <Representative as ap::Resource>::Fields {
        ap::fields_at(ap::child(&self.path, "representative"))
    }
}

static TICKET_ATTRIBUTES: [ap::AttributeInfo; 4] = [
    ap::AttributeInfo {
        name: "id",
        value_type: <Uuid as ap::Scalar>::TYPE,
        nullable: false,
        generated: Some(ap::Generated::Uuid),
    },
    ap::AttributeInfo::new(
        "subject",
        <String as ap::Scalar>::TYPE,
        <String as ap::Scalar>::NULLABLE,
    ),
    ap::AttributeInfo {
        name: "priority",
        value_type: <Option<i64> as ap::Scalar>::TYPE,
        nullable: <Option<i64> as ap::Scalar>::NULLABLE,
        generated: None,
    },
    ap::AttributeInfo {
        name: "representative_id",
        value_type: <Option<<Representative as ap::Resource>::PrimaryKey> as ap::Scalar>::TYPE,
        nullable: true,
        generated: None,
    },
];

static TICKET_RELATIONSHIPS: [ap::RelationshipInfo; 1] = [ap::RelationshipInfo::new(
    "representative",
    ap::RelationshipKind::BelongsTo,
    <Representative as ap::Resource>::schema,
    "representative_id",
    None,
)];

static TICKET_SCHEMA: ap::Schema = ap::Schema {
    name: "Ticket",
    table: "ticket",
    attributes: &TICKET_ATTRIBUTES,
    primary_key: 0,
    relationships: &TICKET_RELATIONSHIPS,
    identities: &[],
    policies: &[],
    multitenancy: None,
    stored: true,
    new_table: ap::new_table::<Ticket>,
};

impl ap::Resource for Ticket {
    type PrimaryKey = Uuid;
    type Fields = TicketFields;

    fn schema() -> &'static ap::Schema {
        &TICKET_SCHEMA
    }

    #[inline]
    fn visit<V: ap::AttributeVisitor>(&self, index: usize, visitor: V) -> V::Output {
        match index {
            0 => ap::Scalar::visit(&self.id, visitor),
            1 => ap::Scalar::visit(&self.subject, visitor),
            2 => ap::Scalar::visit(&self.priority, visitor),
            3 => ap::Scalar::visit(&self.representative_id, visitor),
            _ => visitor.missing(),
        }
    }

    #[inline]
    fn primary_key(&self) -> Uuid {
        ::core::clone::Clone::clone(&self.id)
    }

    fn read_columns(reader: &mut dyn ap::ColumnReader) -> ap::Result<Self> {
        Ok(Ticket {
            id: ap::checked(
                <Uuid as ap::Scalar>::read_column(reader, 0),
                &TICKET_SCHEMA,
                0,
            )?,
            subject: ap::checked(
                <String as ap::Scalar>::read_column(reader, 1),
                &TICKET_SCHEMA,
                1,
            )?,
            priority: ap::checked(
                <Option<i64> as ap::Scalar>::read_column(reader, 2),
                &TICKET_SCHEMA,
                2,
            )?,
            representative_id: ap::checked(
                <Option<Uuid> as ap::Scalar>::read_column(reader, 3),
                &TICKET_SCHEMA,
                3,
            )?,
            representative: ap::Loaded::NotLoaded,
        })
    }
}

#[allow(dead_code)]
impl Ticket {
    #[doc = " A query of every `Ticket` record, to filter, sort, window and load."]
    #[inline]
    pub fn query() -> ap::Query<Self> {
        ap::Query::new()
    }
    #[doc = " The values of a `Ticket` to create: nothing set yet."]
    #[inline]
    pub fn changeset() -> ap::Changeset<Self> {
        ap::Changeset::new()
    }
    #[inline]
    pub fn id() -> ap::Field<Self, Uuid> {
        ap::Field::new("id", 0)
    }
    #[inline]
    pub fn subject() -> ap::Field<Self, String> {
        ap::Field::new("subject", 1)
    }
    #[inline]
    pub fn priority() -> ap::Field<Self, Option<i64>> {
        ap::Field::new("priority", 2)
    }
    #[inline]
    pub fn representative_id()
    -> ap::Field<Self, Option<<Representative as ap::Resource>::PrimaryKey>> {
        ap::Field::new("representative_id", 3)
    }
    #[inline]
    pub fn representative() -> ap::Rel<Self, Representative, ap::ToOne> {
        ap::Rel::<Self, Representative, ap::ToOne>::one(
            &TICKET_RELATIONSHIPS[0],
            |record, value| record.representative = ap::Loaded::new(value),
        )
    }
    #[doc(hidden)]
    const __ASHORE_KEY_3: std::marker::PhantomData<<Representative as ap::Resource>::PrimaryKey> =
        std::marker::PhantomData;
}

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
            .filter(|f| ap::condition(ap::in_list(f.representative_id(), &(ids))))
            .filter(|f| {
                ap::condition(ap::cmp(
                    ap::CmpOp::Gt,
                    f.priority(),
                    f.representative().priority_threshold(),
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
static EVERY_OPTION: ap::RelationshipInfo = ap::RelationshipInfo::new(
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
    let plain = &TICKET_RELATIONSHIPS[0];
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
    assert!(REPRESENTATIVE_RELATIONSHIPS[1].manual);

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
