//! The static description of a resource: [`Schema`], its attributes
//! ([`AttributeInfo`], [`Generated`]) and relationships ([`RelationshipInfo`],
//! [`RelationshipKind`], [`Through`]).

use std::fmt;

use super::Table;
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::policy::{AuthorizeReadWith, Multitenancy, Policy};
use crate::sort::Sort;
use crate::value::{Value, ValueType};

/// The static description of a resource: what data layers and the loader know
/// of it. [`Resource::schema`] gives it; [`Domain::schemas`](crate::Domain::schemas)
/// lists those of a domain.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # fn main() {
/// let schema = Ticket::schema();
/// assert_eq!(schema.primary_key().name, "id");
/// assert_eq!(schema.attribute("priority").map(|a| a.nullable), Some(true));
/// let representative = schema.relationship("representative").unwrap();
/// assert_eq!(representative.kind, RelationshipKind::BelongsTo);
/// assert_eq!(representative.source_attribute, "representative_id");
/// # }
/// ```
pub struct Schema {
    /// The resource's name (the struct's name).
    pub name: &'static str,
    /// The table SQL data layers keep it in (`table "name";`, by default the
    /// snake_case of the name).
    pub table: &'static str,
    /// The attributes, in declaration order (belongs_to foreign keys included).
    pub attributes: &'static [AttributeInfo],
    /// Index of the primary key in `attributes`.
    pub primary_key: usize,
    /// The relationships, in declaration order.
    pub relationships: &'static [RelationshipInfo],
    /// The read policies (`policies { .. }`), in order.
    pub policies: &'static [Policy],
    /// The `multitenancy { .. }` block.
    pub multitenancy: Option<Multitenancy>,
    /// Makes an empty typed table for the in-memory data layer.
    #[doc(hidden)]
    pub new_table: fn() -> Box<dyn Table>,
}

impl Schema {
    /// Index of the attribute named `name`, as [`Resource::get`] and rows take it.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// assert_eq!(Ticket::schema().attribute_index("priority"), Some(2));
    /// assert_eq!(
    ///     Ticket::schema().attribute_index("representative_id"),
    ///     Some(3)
    /// );
    /// assert_eq!(Ticket::schema().attribute_index("representative"), None); // a relationship
    /// # }
    /// ```
    pub fn attribute_index(&self, name: &str) -> Option<usize> {
        self.attributes.iter().position(|a| a.name == name)
    }

    /// Checks that `row` has one value per attribute, as every row a data layer
    /// stores or returns must: the one wording of that error on every layer.
    pub fn check_row(&self, row: &[Value]) -> Result<()> {
        if row.len() == self.attributes.len() {
            Ok(())
        } else {
            Err(Error::data_layer(format!(
                "a row of {} has {} values, expected {} (one per attribute)",
                self.name,
                row.len(),
                self.attributes.len()
            )))
        }
    }

    /// The attribute named `name`.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// let priority = Ticket::schema().attribute("priority").unwrap();
    /// assert_eq!(priority.value_type, ValueType::I64);
    /// assert!(priority.nullable);
    /// assert!(Ticket::schema().attribute("urgency").is_none());
    /// # }
    /// ```
    pub fn attribute(&self, name: &str) -> Option<&'static AttributeInfo> {
        let attributes: &'static [AttributeInfo] = self.attributes;
        attributes.iter().find(|a| a.name == name)
    }

    /// The relationship named `name`.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// let schema = Representative::schema();
    /// let manual = schema.relationship("tickets_above_threshold").unwrap();
    /// assert!(manual.manual);
    /// assert_eq!(manual.kind, RelationshipKind::HasMany);
    /// assert!(schema.relationship("name").is_none()); // an attribute
    /// # }
    /// ```
    pub fn relationship(&self, name: &str) -> Option<&'static RelationshipInfo> {
        let relationships: &'static [RelationshipInfo] = self.relationships;
        relationships.iter().find(|r| r.name == name)
    }

    /// The primary key attribute.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// let pk = Ticket::schema().primary_key();
    /// assert_eq!(pk.name, "id");
    /// assert_eq!(pk.value_type, ValueType::Uuid);
    /// assert_eq!(pk.generated, Some(Generated::Uuid));
    /// # }
    /// ```
    pub fn primary_key(&self) -> &'static AttributeInfo {
        let attributes: &'static [AttributeInfo] = self.attributes;
        &attributes[self.primary_key]
    }
}

impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Schema")
            .field("name", &self.name)
            .field("attributes", &self.attributes)
            .field("relationships", &self.relationships)
            .finish()
    }
}

/// One attribute.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # fn main() {
/// let subject = Ticket::schema().attribute("subject").unwrap();
/// assert_eq!(subject.name, "subject");
/// assert_eq!(subject.value_type, ValueType::String);
/// assert!(!subject.nullable);
/// assert_eq!(subject.generated, None);
/// # }
/// ```
#[derive(Debug)]
pub struct AttributeInfo {
    /// Its name.
    pub name: &'static str,
    /// Its value type.
    pub value_type: ValueType,
    /// Whether it may be nil (`Option<T>`).
    pub nullable: bool,
    /// How the primary key is generated, if this is the primary key.
    pub generated: Option<Generated>,
}

/// How a primary key gets its value when a create leaves it unset.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk! { many_to_many skills: Skill { through RepresentativeSkill; } }
/// # resource! {
/// #     #[derive(Debug, Clone, PartialEq)]
/// #     pub struct Skill {
/// #         attributes { integer_primary_key id; attribute name: String; }
/// #     }
/// # }
/// # resource! {
/// #     #[derive(Debug, Clone, PartialEq)]
/// #     pub struct RepresentativeSkill {
/// #         attributes { uuid_primary_key id; }
/// #         relationships { belongs_to representative: Representative; belongs_to skill: Skill; }
/// #     }
/// # }
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// assert_eq!(
///     Skill::schema().primary_key().generated,
///     Some(Generated::Integer)
/// );
/// let support = Domain::builder()
///     .resource::<Representative>()
///     .resource::<Ticket>()
///     .resource::<Skill>()
///     .resource::<RepresentativeSkill>()
///     .build()?;
/// let skills = support
///     .create_many(["Printers", "Networks"].map(|n| Skill::changeset().set(Skill::name(), n)))
///     .await?;
/// assert_eq!(skills[0].id, 1);
/// assert_eq!(skills[1].id, 2);
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Generated {
    /// A random v4 UUID (`uuid_primary_key`).
    Uuid,
    /// The next integer, assigned by the data layer (`integer_primary_key`).
    Integer,
}

/// The kind of a relationship.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk! { many_to_many skills: Skill { through RepresentativeSkill; } }
/// # resource! {
/// #     #[derive(Debug, Clone, PartialEq)]
/// #     pub struct Skill {
/// #         attributes { integer_primary_key id; attribute name: String; }
/// #     }
/// # }
/// # resource! {
/// #     #[derive(Debug, Clone, PartialEq)]
/// #     pub struct RepresentativeSkill {
/// #         attributes { uuid_primary_key id; }
/// #         relationships { belongs_to representative: Representative; belongs_to skill: Skill; }
/// #     }
/// # }
/// # fn main() {
/// let kind = |name| Representative::schema().relationship(name).unwrap().kind;
/// assert_eq!(kind("tickets"), RelationshipKind::HasMany);
/// assert_eq!(kind("skills"), RelationshipKind::ManyToMany);
/// assert_eq!(
///     Ticket::schema()
///         .relationship("representative")
///         .unwrap()
///         .kind,
///     RelationshipKind::BelongsTo
/// );
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelationshipKind {
    /// The source holds the key of one destination record.
    BelongsTo,
    /// One destination record holds the source's key.
    HasOne,
    /// Many destination records hold the source's key.
    HasMany,
    /// Linked through records of a join resource.
    ManyToMany,
}

impl RelationshipKind {
    /// Whether a load attaches a list (has_many, many_to_many).
    ///
    /// ```
    /// # extern crate ashore_runtime as ashore;
    /// use ashore::RelationshipKind;
    /// assert!(RelationshipKind::HasMany.is_many());
    /// assert!(RelationshipKind::ManyToMany.is_many());
    /// assert!(!RelationshipKind::HasOne.is_many());
    /// assert!(!RelationshipKind::BelongsTo.is_many());
    /// ```
    pub fn is_many(self) -> bool {
        matches!(
            self,
            RelationshipKind::HasMany | RelationshipKind::ManyToMany
        )
    }
}

/// One relationship, as declared (defaults filled in).
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # fn main() {
/// let tickets = Representative::schema().relationship("tickets").unwrap();
/// assert_eq!(tickets.kind, RelationshipKind::HasMany);
/// assert!(!tickets.manual);
/// assert_eq!((tickets.destination)().name, "Ticket");
/// assert_eq!(tickets.source_attribute, "id");
/// assert_eq!(tickets.destination_attribute, Some("representative_id"));
/// assert!(tickets.through.is_none());
/// assert!(tickets.filter.is_none());
/// assert!((tickets.sort)().is_empty());
/// # }
/// ```
pub struct RelationshipInfo {
    /// Its name.
    pub name: &'static str,
    /// Its kind.
    pub kind: RelationshipKind,
    /// Whether it is loaded by a manual loader.
    pub manual: bool,
    /// The destination resource.
    pub destination: fn() -> &'static Schema,
    /// The attribute on the source whose value links the records (a manual
    /// relationship keys by the source's primary key).
    pub source_attribute: &'static str,
    /// The attribute on the destination (or on the join resource's destination
    /// side for many_to_many) that links the records; `None` means the
    /// destination's primary key.
    pub destination_attribute: Option<&'static str>,
    /// many_to_many: the join resource and its two attributes.
    pub through: Option<Through>,
    /// The relationship's `filter` option.
    pub filter: Option<fn() -> Expr>,
    /// The relationship's `sort` option.
    pub sort: fn() -> Vec<Sort>,
    /// What a load does with a related record the actor may not read.
    pub authorize_read_with: AuthorizeReadWith,
}

/// How a many_to_many relationship reaches its destination. Here
/// `Representative` declares `many_to_many skills: Skill { through
/// RepresentativeSkill; }`, and `RepresentativeSkill` belongs to both:
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk! { many_to_many skills: Skill { through RepresentativeSkill; } }
/// # resource! {
/// #     #[derive(Debug, Clone, PartialEq)]
/// #     pub struct Skill {
/// #         attributes { integer_primary_key id; attribute name: String; }
/// #     }
/// # }
/// # resource! {
/// #     #[derive(Debug, Clone, PartialEq)]
/// #     pub struct RepresentativeSkill {
/// #         attributes { uuid_primary_key id; }
/// #         relationships { belongs_to representative: Representative; belongs_to skill: Skill; }
/// #     }
/// # }
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// let skills = Representative::schema().relationship("skills").unwrap();
/// let through = skills.through.as_ref().unwrap();
/// assert_eq!((through.resource)().name, "RepresentativeSkill");
/// assert_eq!(
///     through.source_attribute_on_join_resource,
///     "representative_id"
/// );
/// assert_eq!(through.destination_attribute_on_join_resource, "skill_id");
///
/// let support = Domain::builder()
///     .resource::<Representative>()
///     .resource::<Ticket>()
///     .resource::<Skill>()
///     .resource::<RepresentativeSkill>()
///     .build()?;
/// let alice = support
///     .create(
///         Representative::changeset()
///             .set(Representative::name(), "Alice")
///             .set(Representative::priority_threshold(), 3),
///     )
///     .await?;
/// let printers = support
///     .create(Skill::changeset().set(Skill::name(), "Printers"))
///     .await?;
/// support
///     .create(
///         RepresentativeSkill::changeset()
///             .set(RepresentativeSkill::representative_id(), alice.id)
///             .set(RepresentativeSkill::skill_id(), printers.id),
///     )
///     .await?;
/// let reps = support
///     .read(Representative::query().load(Representative::skills()))
///     .await?;
/// assert_eq!(reps[0].skills.get()?, &[printers]);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Through {
    /// The join resource.
    pub resource: fn() -> &'static Schema,
    /// Attribute of the join resource holding the source's key.
    pub source_attribute_on_join_resource: &'static str,
    /// Attribute of the join resource holding the destination's key.
    pub destination_attribute_on_join_resource: &'static str,
}

impl RelationshipInfo {
    /// The destination attribute, with the default (the destination's primary key)
    /// resolved.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// let representative = Ticket::schema().relationship("representative").unwrap();
    /// assert_eq!(representative.destination_attribute, None);
    /// assert_eq!(representative.destination_attribute(), "id");
    /// # }
    /// ```
    pub fn destination_attribute(&self) -> &'static str {
        self.destination_attribute
            .unwrap_or_else(|| (self.destination)().primary_key().name)
    }
}

impl fmt::Debug for RelationshipInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RelationshipInfo")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("manual", &self.manual)
            .field("destination", &(self.destination)().name)
            .field("source_attribute", &self.source_attribute)
            .field("destination_attribute", &self.destination_attribute)
            .field("through", &self.through)
            .finish_non_exhaustive()
    }
}
