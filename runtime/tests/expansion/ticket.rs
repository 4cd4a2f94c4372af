//! `Ticket` as `resource!` generates it: the struct with its belongs_to key,
//! its field references, its schema, `Resource` and the inherent accessors.

use ashore_runtime::__private as ap;
use ashore_runtime::uuid::Uuid;

use super::representative::Representative;

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

// Inside the `const _` block the macro emits, so named only as
// `<Ticket as Resource>::Fields`: zero-sized, one field per attribute and
// relationship, which `expr!` reads for its type.
#[doc(hidden)]
#[allow(dead_code)]
pub struct TicketFields {
    pub id: ap::Attr<Uuid>,
    pub subject: ap::Attr<String>,
    pub priority: ap::Attr<Option<i64>>,
    pub representative_id: ap::ForeignKey<Representative>,
    pub representative: ap::Relationship<Representative>,
}

// `VALUE` is the trait's default (the struct holds zero-sized markers only).
impl ap::Fields for TicketFields {}

static TICKET_ATTRIBUTES: [ap::AttributeInfo; 4] = [
    ap::AttributeInfo {
        name: "id",
        value_type: <Uuid as ap::Scalar>::TYPE,
        nullable: false,
        generated: Some(ap::Generated::Uuid),
    },
    ap::attribute_info("subject", <String as ap::Scalar>::COLUMN),
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

static TICKET_RELATIONSHIPS: [ap::RelationshipInfo; 1] = [ap::relationship_info(
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
        ap::new_query()
    }
    #[doc = " The values of a `Ticket` to create: nothing set yet."]
    #[inline]
    pub fn changeset() -> ap::Changeset<Self> {
        ap::new_changeset()
    }
    #[inline]
    pub fn id() -> ap::Field<Self, Uuid> {
        ap::new_field("id", 0)
    }
    #[inline]
    pub fn subject() -> ap::Field<Self, String> {
        ap::new_field("subject", 1)
    }
    #[inline]
    pub fn priority() -> ap::Field<Self, Option<i64>> {
        ap::new_field("priority", 2)
    }
    /// The key of the belongs_to `representative`: the primary key of a `Representative`.
    #[inline]
    #[must_use]
    pub fn representative_id()
    -> ap::Field<Self, Option<<Representative as ap::Resource>::PrimaryKey>> {
        ap::new_field("representative_id", 3)
    }
    #[inline]
    pub fn representative() -> ap::Rel<Self, Representative, ap::ToOne> {
        ap::rel_one(&TICKET_RELATIONSHIPS[0], |record, value| {
            record.representative = ap::loaded(value)
        })
    }
    #[doc(hidden)]
    const __ASHORE_KEY_3: std::marker::PhantomData<<Representative as ap::Resource>::PrimaryKey> =
        std::marker::PhantomData;
}
