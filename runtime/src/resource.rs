//! The `Resource` trait and the static schema every resource carries: its
//! attributes, primary key and relationships, as `resource!` declared them.

use std::any::Any;
use std::fmt;
use std::marker::PhantomData;

use crate::error::Result;
use crate::expr::{Expr, Fields};
use crate::query::{Order, Query, Sort};
use crate::store::Table;
use crate::value::{Scalar, Value, ValueType};

/// One record's attribute values, in the schema's attribute order.
pub type Row = Vec<Value>;

/// A resource: a struct declared with `resource!`. Everything here is generated.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an ashore resource",
    label = "not a resource",
    note = "declare it with `resource! {{ .. }}` (or `#[derive(Resource)]`)"
)]
pub trait Resource: Clone + Send + Sync + Sized + 'static {
    /// The primary key's type (`Uuid` or `i64`).
    type PrimaryKey: Scalar + Eq + std::hash::Hash;
    /// Typed references to the attributes and relationships, for `expr!`.
    type Fields: Fields;

    /// The static description of this resource.
    fn schema() -> &'static Schema;

    /// The value of the attribute at `index` in [`Schema::attributes`].
    fn get(&self, index: usize) -> Value;

    /// The primary key.
    fn primary_key(&self) -> Self::PrimaryKey;

    /// Builds a record from a row in attribute order; relationships start not
    /// loaded. An `Err` names the attribute whose value does not fit.
    fn from_row(row: Row) -> Result<Self>;

    /// A query for records of this resource.
    ///
    /// ```ignore
    /// let q = Ticket::query().sort(Ticket::priority().desc()).limit(10);
    /// ```
    fn query() -> Query<Self> {
        Query::new()
    }

    /// The values of a record to create: `support.create(Ticket::changeset().set(..))`.
    fn changeset() -> crate::changeset::Changeset<Self> {
        crate::changeset::Changeset::new()
    }
}

/// The static description of a resource.
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
    /// Makes an empty typed table for the in-memory data layer.
    #[doc(hidden)]
    pub new_table: fn() -> Box<dyn Table>,
}

impl Schema {
    /// Index of the attribute named `name`.
    pub fn attribute_index(&self, name: &str) -> Option<usize> {
        self.attributes.iter().position(|a| a.name == name)
    }

    /// The attribute named `name`.
    pub fn attribute(&self, name: &str) -> Option<&'static AttributeInfo> {
        let attributes: &'static [AttributeInfo] = self.attributes;
        attributes.iter().find(|a| a.name == name)
    }

    /// The relationship named `name`.
    pub fn relationship(&self, name: &str) -> Option<&'static RelationshipInfo> {
        let relationships: &'static [RelationshipInfo] = self.relationships;
        relationships.iter().find(|r| r.name == name)
    }

    /// The primary key attribute.
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Generated {
    /// A random v4 UUID (`uuid_primary_key`).
    Uuid,
    /// The next integer, assigned by the data layer (`integer_primary_key`).
    Integer,
}

/// The kind of a relationship.
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
    pub fn is_many(self) -> bool {
        matches!(
            self,
            RelationshipKind::HasMany | RelationshipKind::ManyToMany
        )
    }
}

/// One relationship.
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
}

/// How a many_to_many relationship reaches its destination.
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
/// to set values on a create.
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
    pub fn name(&self) -> &'static str {
        self.name
    }
    /// The attribute's index in the schema.
    pub fn index(&self) -> usize {
        self.index
    }
    /// Ascending, nils last.
    pub fn asc(self) -> Sort {
        Sort::new(self.name, Order::Asc)
    }
    /// Descending, nils first.
    pub fn desc(self) -> Sort {
        Sort::new(self.name, Order::Desc)
    }
    /// Ascending, nils first.
    pub fn asc_nils_first(self) -> Sort {
        Sort::new(self.name, Order::AscNilsFirst)
    }
    /// Descending, nils last.
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
pub trait Actor: Send + Sync + 'static {
    /// The value of the actor's field `name`, or `None` when it has no such field.
    fn attribute(&self, name: &str) -> Option<Value>;
    /// The actor as `Any`, so a manual loader can downcast to its own type.
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
