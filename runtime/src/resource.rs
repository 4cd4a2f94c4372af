//! The `Resource` trait and the static schema every resource carries: its
//! attributes, primary key and relationships, as `resource!` declared them.

use std::any::Any;
use std::fmt;
use std::marker::PhantomData;

use crate::columns::ColumnReader;
use crate::error::Result;
use crate::expr::{Expr, Fields};
use crate::policy::{AuthorizeReadWith, Multitenancy, Policy};
use crate::query::{Order, Query, Sort};
use crate::store::Table;
use crate::value::{Scalar, Value, ValueType};

/// One record's attribute values, in the schema's attribute order.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let row: Row = vec![
///     Value::Uuid(Uuid::new_v4()),
///     Value::from("Toner low".to_string()),
///     Value::Null,
///     Value::Null,
/// ];
/// let ticket = Ticket::from_row(row)?;
/// assert_eq!(ticket.priority, None);
/// # Ok(()) }
/// ```
pub type Row = Vec<Value>;

/// A resource: a struct declared with `resource!`. Everything here is generated.
///
/// Besides the trait, `resource!` gives the struct one field reference per
/// attribute (`Ticket::priority()`, a [`Field`]) and one relationship marker per
/// relationship (`Representative::tickets()`, a [`Rel`](crate::Rel)).
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let ticket = support
///     .create(
///         Ticket::changeset()
///             .set(Ticket::subject(), "Toner low")
///             .set(Ticket::priority(), 1),
///     )
///     .await?;
/// assert_eq!(Ticket::schema().name, "Ticket");
/// assert_eq!(ticket.get(Ticket::priority().index()), Value::Int(1));
/// assert_eq!(ticket.primary_key(), ticket.id);
/// # Ok(()) }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an ashore resource",
    label = "not a resource",
    note = "declare it with `resource! {{ .. }}` (or `#[derive(Resource)]`)"
)]
pub trait Resource: Clone + Send + Sync + Sized + 'static {
    /// The primary key's type (`Uuid` or `i64`), as `Related::from_map` keys by.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let alice = representative(&support, "Alice").await?;
    /// let key: <Representative as Resource>::PrimaryKey = alice.primary_key();
    /// let by_key: std::collections::HashMap<Uuid, &str> = [(key, alice.name.as_str())].into();
    /// assert_eq!(by_key[&alice.id], "Alice");
    /// # Ok(()) }
    /// ```
    type PrimaryKey: Scalar + Eq + std::hash::Hash;
    /// Typed references to the attributes and relationships, for `expr!`: a
    /// filter is a closure from `&R::Fields` to a condition.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// /// `query`, filtered twice.
    /// fn both<R: Resource>(
    ///     query: Query<R>,
    ///     a: impl FnOnce(&R::Fields) -> Term<kind::Bool>,
    ///     b: impl FnOnce(&R::Fields) -> Term<kind::Bool>,
    /// ) -> Query<R> {
    ///     query.filter(a).filter(b)
    /// }
    /// let q = both(Ticket::query(), expr!(priority > 1), expr!(priority < 5));
    /// assert_eq!(
    ///     subjects(&support.read(q).await?),
    ///     ["VPN down", "Coffee machine empty"]
    /// );
    /// # Ok(()) }
    /// ```
    type Fields: Fields;

    /// The static description of this resource.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// let schema = Ticket::schema();
    /// assert_eq!(schema.name, "Ticket");
    /// assert_eq!(schema.table, "ticket");
    /// let names: Vec<&str> = schema.attributes.iter().map(|a| a.name).collect();
    /// assert_eq!(names, ["id", "subject", "priority", "representative_id"]);
    /// # }
    /// ```
    fn schema() -> &'static Schema;

    /// The value of the attribute at `index` in [`Schema::attributes`].
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let badge = support
    ///     .read(Ticket::query().filter(expr!(subject == "Lost badge")))
    ///     .await?;
    /// let priority = Ticket::schema().attribute_index("priority").unwrap();
    /// assert_eq!(badge[0].get(priority), Value::Null);
    /// assert_eq!(
    ///     badge[0].get(Ticket::subject().index()),
    ///     Value::from("Lost badge".to_string())
    /// );
    /// # Ok(()) }
    /// ```
    fn get(&self, index: usize) -> Value;

    /// The primary key.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let alice = representative(&support, "Alice").await?;
    /// let key: Uuid = alice.primary_key();
    /// assert_eq!(key, alice.id);
    /// # Ok(()) }
    /// ```
    fn primary_key(&self) -> Self::PrimaryKey;

    /// Builds a record from a row in attribute order; relationships start not
    /// loaded. An `Err` names the attribute whose value does not fit.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let id = Uuid::new_v4();
    /// let ticket = Ticket::from_row(vec![
    ///     Value::Uuid(id),
    ///     Value::from("Toner low".to_string()),
    ///     Value::Int(1),
    ///     Value::Null,
    /// ])?;
    /// assert_eq!(ticket.id, id);
    /// assert_eq!(ticket.priority, Some(1));
    /// assert!(!ticket.representative.is_loaded());
    ///
    /// let err = Ticket::from_row(vec![
    ///     Value::Uuid(id),
    ///     Value::Int(7),
    ///     Value::Null,
    ///     Value::Null,
    /// ])
    /// .unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "attribute `subject` of Ticket expects String, found 7"
    /// );
    /// # Ok(()) }
    /// ```
    fn from_row(row: Row) -> Result<Self>;

    /// Builds a record from a data layer's result row, reading each attribute
    /// straight into its field's type (see [`ColumnReader`]); relationships start
    /// not loaded. `resource!` generates it; the default reads a [`Row`] and calls
    /// [`Resource::from_row`].
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() -> ashore::Result<()> {
    /// use ashore::data_layer::ColumnReader;
    /// use chrono::{DateTime, Utc};
    ///
    /// /// A representative's row: id, name, priority_threshold.
    /// struct RepRow(Uuid);
    ///
    /// impl ColumnReader for RepRow {
    ///     fn bool(&mut self, _: usize) -> ashore::Result<Option<bool>> { Ok(None) }
    ///     fn int(&mut self, _: usize) -> ashore::Result<Option<i64>> { Ok(Some(3)) }
    ///     fn float(&mut self, _: usize) -> ashore::Result<Option<f64>> { Ok(None) }
    ///     fn string(&mut self, _: usize) -> ashore::Result<Option<String>> {
    ///         Ok(Some("Alice".into()))
    ///     }
    ///     fn uuid(&mut self, _: usize) -> ashore::Result<Option<Uuid>> { Ok(Some(self.0)) }
    ///     fn datetime(&mut self, _: usize) -> ashore::Result<Option<DateTime<Utc>>> {
    ///         Ok(None)
    ///     }
    /// }
    ///
    /// let id = Uuid::new_v4();
    /// let alice = Representative::from_columns(&mut RepRow(id))?;
    /// assert_eq!((alice.id, alice.name.as_str(), alice.priority_threshold), (id, "Alice", 3));
    /// assert!(!alice.tickets.is_loaded());
    /// # Ok(()) }
    /// ```
    fn from_columns(reader: &mut dyn ColumnReader) -> Result<Self> {
        crate::columns::from_columns_by_row(reader)
    }

    /// A query for records of this resource: every record, until refined.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let q = Ticket::query()
    ///     .sort(Ticket::priority().desc_nils_last())
    ///     .limit(3);
    /// let top = support.read(q).await?;
    /// assert_eq!(
    ///     subjects(&top),
    ///     ["Server room flooded", "Printer on fire", "VPN down"]
    /// );
    /// # Ok(()) }
    /// ```
    fn query() -> Query<Self> {
        Query::new()
    }

    /// The values of a record to create: `support.create(Ticket::changeset().set(..))`.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let bob = support
    ///     .create(
    ///         Representative::changeset()
    ///             .set(Representative::name(), "Bob")
    ///             .set(Representative::priority_threshold(), 5),
    ///     )
    ///     .await?;
    /// assert_eq!(bob.name, "Bob");
    /// # Ok(()) }
    /// ```
    fn changeset() -> crate::changeset::Changeset<Self> {
        crate::changeset::Changeset::new()
    }
}

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

/// A typed reference to one attribute, e.g. `Ticket::priority()`: used to sort and
/// to set values on a create. Its type parameters are the resource and the
/// attribute's type, so the compiler rejects a value of the wrong type.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let priority: Field<Ticket, Option<i64>> = Ticket::priority();
/// assert_eq!(priority.name(), "priority");
/// let ticket = support
///     .create(
///         Ticket::changeset()
///             .set(Ticket::subject(), "Toner low")
///             .set(priority, 0),
///     )
///     .await?;
/// let low = support
///     .read(Ticket::query().sort(priority).limit(2))
///     .await?;
/// assert_eq!(subjects(&low), ["Toner low", "Password reset"]);
/// assert_eq!(low[0], ticket);
/// # Ok(()) }
/// ```
pub struct Field<R, T> {
    name: &'static str,
    index: usize,
    _marker: PhantomData<fn() -> (R, T)>,
}

impl<R, T> Clone for Field<R, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R, T> Copy for Field<R, T> {}

impl<R, T> fmt::Debug for Field<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Field({})", self.name)
    }
}

impl<R: Resource, T: Scalar> Field<R, T> {
    /// Generated code makes these; `index` is the attribute's place in the schema.
    #[doc(hidden)]
    pub const fn new(name: &'static str, index: usize) -> Self {
        Field {
            name,
            index,
            _marker: PhantomData,
        }
    }
    /// The attribute's name.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// assert_eq!(Ticket::representative_id().name(), "representative_id");
    /// # }
    /// ```
    pub fn name(&self) -> &'static str {
        self.name
    }
    /// The attribute's index in the schema, as [`Resource::get`] takes it.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// assert_eq!(Ticket::subject().index(), 1);
    /// assert_eq!(
    ///     Ticket::schema().attributes[Ticket::subject().index()].name,
    ///     "subject"
    /// );
    /// # }
    /// ```
    pub fn index(&self) -> usize {
        self.index
    }
    /// Ascending, nils last.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let tickets = support
    ///     .read(Ticket::query().sort(Ticket::priority().asc()))
    ///     .await?;
    /// assert_eq!(tickets[0].subject, "Password reset");
    /// assert_eq!(tickets[5].subject, "Lost badge"); // nil
    /// # Ok(()) }
    /// ```
    pub fn asc(self) -> Sort {
        Sort::new(self.name, Order::Asc)
    }
    /// Descending, nils first.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let tickets = support
    ///     .read(Ticket::query().sort(Ticket::priority().desc()))
    ///     .await?;
    /// assert_eq!(tickets[0].subject, "Lost badge"); // nil
    /// assert_eq!(tickets[1].subject, "Server room flooded");
    /// # Ok(()) }
    /// ```
    pub fn desc(self) -> Sort {
        Sort::new(self.name, Order::Desc)
    }
    /// Ascending, nils first.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let tickets = support
    ///     .read(Ticket::query().sort(Ticket::priority().asc_nils_first()))
    ///     .await?;
    /// assert_eq!(tickets[0].subject, "Lost badge"); // nil
    /// assert_eq!(tickets[1].subject, "Password reset");
    /// # Ok(()) }
    /// ```
    pub fn asc_nils_first(self) -> Sort {
        Sort::new(self.name, Order::AscNilsFirst)
    }
    /// Descending, nils last.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let tickets = support
    ///     .read(Ticket::query().sort(Ticket::priority().desc_nils_last()))
    ///     .await?;
    /// assert_eq!(tickets[0].subject, "Server room flooded");
    /// assert_eq!(tickets[5].subject, "Lost badge"); // nil
    /// # Ok(()) }
    /// ```
    pub fn desc_nils_last(self) -> Sort {
        Sort::new(self.name, Order::DescNilsLast)
    }
}

impl<R: Resource, T: Scalar> From<Field<R, T>> for Sort {
    fn from(f: Field<R, T>) -> Sort {
        f.asc()
    }
}

/// Who is reading: any resource, or a user type that gives its fields by name.
/// Carried to every load and to manual loaders (`LoadContext::actor`).
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk! { has_many visible: Ticket { manual Visible; } }
/// /// A user of the API, who may see the tickets of one representative.
/// #[derive(Clone)]
/// struct ApiUser {
///     team: String,
/// }
///
/// impl Actor for ApiUser {
///     fn attribute(&self, name: &str) -> Option<Value> {
///         (name == "team").then(|| Value::from(self.team.clone()))
///     }
///     fn as_any(&self) -> &dyn std::any::Any {
///         self
///     }
/// }
///
/// // In this example, `Representative` declares `has_many visible: Ticket { manual Visible; }`.
/// /// The tickets the actor may see: those of the representative named by its team.
/// struct Visible;
///
/// impl ManualRelationship for Visible {
///     type Source = Representative;
///     type Destination = Ticket;
///
///     async fn load(
///         &self,
///         reps: &[Representative],
///         ctx: &LoadContext<'_, Ticket>,
///     ) -> ashore::Result<Related<Representative, Ticket>> {
///         let team = ctx.actor.and_then(|a| a.attribute("team"));
///         let ids: Vec<Uuid> = reps
///             .iter()
///             .filter(|r| team == Some(Value::from(r.name.clone())))
///             .map(|r| r.id)
///             .collect();
///         let tickets = ctx
///             .query
///             .clone()
///             .filter(expr!(representative_id in ^ids))
///             .read(ctx)
///             .await?;
///         Ok(Related::group_by(tickets, |t| t.representative_id))
///     }
/// }
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let reps = support
///     .read(
///         Representative::query()
///             .sort(Representative::name())
///             .load(Representative::visible()),
///     )
///     .actor(&ApiUser {
///         team: "Alice".into(),
///     })
///     .await?;
/// assert_eq!(reps[0].visible.get()?.len(), 3);
/// assert!(reps[1].visible.get()?.is_empty());
/// # Ok(()) }
/// ```
pub trait Actor: Send + Sync + 'static {
    /// The value of the actor's field `name`, or `None` when it has no such field.
    /// A resource gives its attributes.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let alice = representative(&support, "Alice").await?;
    /// let actor: &dyn Actor = &alice;
    /// assert_eq!(actor.attribute("priority_threshold"), Some(Value::Int(3)));
    /// assert_eq!(actor.attribute("tickets"), None); // a relationship, not an attribute
    /// # Ok(()) }
    /// ```
    fn attribute(&self, name: &str) -> Option<Value>;
    /// The actor as `Any`, so a manual loader can downcast to its own type.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let alice = representative(&support, "Alice").await?;
    /// let actor: &dyn Actor = &alice;
    /// let rep = actor.as_any().downcast_ref::<Representative>().unwrap();
    /// assert_eq!(rep.name, "Alice");
    /// assert!(actor.as_any().downcast_ref::<Ticket>().is_none());
    /// # Ok(()) }
    /// ```
    fn as_any(&self) -> &dyn Any;
}

impl<R: Resource> Actor for R {
    fn attribute(&self, name: &str) -> Option<Value> {
        R::schema().attribute_index(name).map(|i| self.get(i))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
