//! `Representative` as `resource!` generates it: the struct, its field
//! references, its schema (attributes, relationships), `Resource` and the
//! inherent accessors, and the compile-time checks the macro emits.

use ashore_runtime::__private as ap;
use ashore_runtime::uuid::Uuid;

use super::TicketsAboveThreshold;
use super::ticket::Ticket;

#[derive(Debug, Clone, PartialEq)]
pub struct Representative {
    pub id: Uuid,
    pub name: String,
    pub priority_threshold: i64,
    pub tickets: ap::Loaded<Vec<Ticket>>,
    pub tickets_above_threshold: ap::Loaded<Vec<Ticket>>,
}

// As `TicketFields`: a manual relationship without a `condition` is a field
// that `through` refuses, so no filter goes through it.
#[doc(hidden)]
#[allow(dead_code)]
pub struct RepresentativeFields {
    pub id: ap::Attr<Uuid>,
    pub name: ap::Attr<String>,
    pub priority_threshold: ap::Attr<i64>,
    pub tickets: ap::Relationship<Ticket>,
    pub tickets_above_threshold: ap::ManualWithoutCondition<Ticket>,
}

// `VALUE` is the trait's default (the struct holds zero-sized markers only).
impl ap::Fields for RepresentativeFields {}

static REPRESENTATIVE_ATTRIBUTES: [ap::AttributeInfo; 3] = [
    ap::attribute_info("id", <Uuid as ap::Scalar>::COLUMN).with_generated(ap::Generated::Uuid),
    ap::attribute_info("name", <String as ap::Scalar>::COLUMN),
    ap::attribute_info("priority_threshold", <i64 as ap::Scalar>::COLUMN),
];

// Each relationship is `relationship_info` (`RelationshipInfo::new`) with only the options it
// declares, as `with_` calls (here `with_manual`).
static REPRESENTATIVE_RELATIONSHIPS: [ap::RelationshipInfo; 2] = [
    ap::relationship_info(
        "tickets",
        ap::RelationshipKind::HasMany,
        <Ticket as ap::Resource>::schema,
        "id",
        Some("representative_id"),
    ),
    ap::relationship_info(
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

    // The columns read a chunk at a time, each chunk into an `Option`, one
    // `let .. else` for all (the template's shape; `ticket.rs` shows the
    // equivalent `checked(..)?` per field).
    fn read_columns(reader: &mut dyn ap::ColumnReader) -> ap::Result<Self> {
        let mut errors = ap::read_errors(&REPRESENTATIVE_SCHEMA);
        let (Some((id, name, priority_threshold)),) = (ap::read3(
            reader,
            &mut errors,
            0,
            (
                <Uuid as ap::Scalar>::read_column,
                <String as ap::Scalar>::read_column,
                <i64 as ap::Scalar>::read_column,
            ),
        ),) else {
            return Err(errors.error());
        };
        Ok(Representative {
            id,
            name,
            priority_threshold,
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
        ap::new_query()
    }
    #[doc = " The values of a `Representative` to create: nothing set yet."]
    #[inline]
    pub fn changeset() -> ap::Changeset<Self> {
        ap::new_changeset()
    }
    #[inline]
    pub fn id() -> ap::Field<Self, Uuid> {
        ap::new_field("id", 0)
    }
    #[inline]
    pub fn name() -> ap::Field<Self, String> {
        ap::new_field("name", 1)
    }
    #[inline]
    pub fn priority_threshold() -> ap::Field<Self, i64> {
        ap::new_field("priority_threshold", 2)
    }
    #[inline]
    pub fn tickets() -> ap::Rel<Self, Ticket, ap::ToMany> {
        ap::rel_many(&REPRESENTATIVE_RELATIONSHIPS[0], |record, value| {
            record.tickets = ap::loaded(value)
        })
    }
    #[inline]
    pub fn tickets_above_threshold() -> ap::Rel<Self, Ticket, ap::ToMany> {
        ap::Rel::<Self, Ticket, ap::ToMany>::many(
            &REPRESENTATIVE_RELATIONSHIPS[1],
            |record, value| record.tickets_above_threshold = ap::loaded(value),
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
