//! The static description of a resource: [`Schema`], its attributes
//! ([`AttributeInfo`], [`Generated`]) and relationships ([`RelationshipInfo`],
//! [`RelationshipKind`], [`Through`]).

use std::fmt;

use super::{Identity, Table};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::policy::{AuthorizeReadWith, Multitenancy, Policy};
use crate::sort::Sort;
use crate::value::{Value, ValueType};

/// The static description of a resource: what data layers and the loader know
/// of it. [`Resource::schema`](crate::Resource::schema) gives it; [`Domain::schemas`](crate::Domain::schemas)
/// lists those of a domain.
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
    /// The identities (`identities { .. }`), in declaration order: sets of
    /// attributes no two records share (within a tenant).
    pub identities: &'static [Identity],
    /// The policies (`policies { .. }`), in order; each governs the actions
    /// its condition selects.
    pub policies: &'static [Policy],
    /// The `multitenancy { .. }` block.
    pub multitenancy: Option<Multitenancy>,
    /// Whether a data layer keeps its records: `false` for a resource declared
    /// `not_stored;`, whose records only manual loaders make (it has no table,
    /// and is reached only through manual relationships).
    pub stored: bool,
    /// Makes an empty typed table for the in-memory data layer.
    #[doc(hidden)]
    pub new_table: fn() -> Box<dyn Table>,
}

impl Schema {
    /// Index of the attribute named `name`, as [`Resource::get`](crate::Resource::get) and rows take it.
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
                "a row of {} has {} value{}, expected {} (one per attribute)",
                self.name,
                row.len(),
                if row.len() == 1 { "" } else { "s" },
                self.attributes.len()
            )))
        }
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

    /// The identity named `name`.
    pub fn identity(&self, name: &str) -> Option<&'static Identity> {
        let identities: &'static [Identity] = self.identities;
        identities.iter().find(|i| i.name == name)
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
            .field("identities", &self.identities)
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

impl AttributeInfo {
    /// An attribute whose value is never generated, of a column type
    /// (`<T as Scalar>::COLUMN`). `resource!` builds each attribute with it
    /// (and [`with_generated`](AttributeInfo::with_generated) for a primary
    /// key): fewer tokens per attribute than a struct literal.
    #[doc(hidden)]
    pub const fn new(name: &'static str, column: crate::scalar::ColumnType) -> Self {
        AttributeInfo {
            name,
            value_type: column.value_type,
            nullable: column.nullable,
            generated: None,
        }
    }

    /// A primary key generated as `generated` when a create leaves it unset.
    #[doc(hidden)]
    pub const fn with_generated(mut self, generated: Generated) -> Self {
        self.generated = Some(generated);
        self
    }
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

/// One relationship, as declared (defaults filled in).
pub struct RelationshipInfo {
    /// Its name.
    pub name: &'static str,
    /// Its kind.
    pub kind: RelationshipKind,
    /// Whether it is loaded by a manual loader.
    pub manual: bool,
    /// The destination resource.
    pub destination: fn() -> &'static Schema,
    /// Whether no attributes link the records (`no_attributes;`, Ash's
    /// `no_attributes? true`): its `filter`, where `parent(x)` reads the
    /// source record's attribute `x`, says which destination records are
    /// related to a source record (every one, without a filter). Its
    /// `source_attribute` is then the source's primary key, which its loads
    /// group by, and `destination_attribute` is `None`.
    pub no_attributes: bool,
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
    /// A manual relationship's `condition`: how its loader's records relate
    /// to a source record, `parent(x)` reading the source's attribute `x`.
    /// With one, filters, `exists`, paths and aggregates go through the
    /// relationship by it (and its `filter`), as through a `no_attributes`
    /// relationship, without calling the loader; loads still call it.
    pub condition: Option<fn() -> Expr>,
    /// The relationship's `sort` option.
    pub sort: fn() -> Vec<Sort>,
    /// What a load does with a related record the actor may not read.
    pub authorize_read_with: AuthorizeReadWith,
}

/// How a many_to_many relationship reaches its destination. When
/// `Representative` declares `many_to_many skills: Skill { through
/// RepresentativeSkill; }`, and `RepresentativeSkill` belongs to both, the join
/// resource is `RepresentativeSkill`, holding the source's key in
/// `representative_id` and the destination's in `skill_id`.
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
    /// A relationship with every option at its default: not manual, linked by
    /// attributes, no join resource, no `filter`, `condition` or `sort`, and
    /// records the actor may not read left out. `resource!` builds on it with
    /// the `with_` functions below, naming only what a declaration changes
    /// (fewer tokens per relationship for rustc to read).
    #[doc(hidden)]
    pub const fn new(
        name: &'static str,
        kind: RelationshipKind,
        destination: fn() -> &'static Schema,
        source_attribute: &'static str,
        destination_attribute: Option<&'static str>,
    ) -> Self {
        RelationshipInfo {
            name,
            kind,
            manual: false,
            destination,
            no_attributes: false,
            source_attribute,
            destination_attribute,
            through: None,
            filter: None,
            condition: None,
            sort: Vec::new,
            authorize_read_with: AuthorizeReadWith::Filter,
        }
    }

    /// Loaded by a manual loader.
    #[doc(hidden)]
    pub const fn with_manual(mut self) -> Self {
        self.manual = true;
        self
    }

    /// Linked by no attributes (see [`RelationshipInfo::no_attributes`]).
    #[doc(hidden)]
    pub const fn with_no_attributes(mut self) -> Self {
        self.no_attributes = true;
        self
    }

    /// A many_to_many's join resource.
    #[doc(hidden)]
    pub const fn with_through(mut self, through: Through) -> Self {
        self.through = Some(through);
        self
    }

    /// The `filter` option.
    #[doc(hidden)]
    pub const fn with_filter(mut self, filter: fn() -> Expr) -> Self {
        self.filter = Some(filter);
        self
    }

    /// A manual relationship's `condition`.
    #[doc(hidden)]
    pub const fn with_condition(mut self, condition: fn() -> Expr) -> Self {
        self.condition = Some(condition);
        self
    }

    /// The `sort` option.
    #[doc(hidden)]
    pub const fn with_sort(mut self, sort: fn() -> Vec<Sort>) -> Self {
        self.sort = sort;
        self
    }

    /// What a load does with a related record the actor may not read.
    #[doc(hidden)]
    pub const fn with_authorize_read_with(mut self, with: AuthorizeReadWith) -> Self {
        self.authorize_read_with = with;
        self
    }

    /// The destination attribute, with the default (the destination's primary key)
    /// resolved.
    pub fn destination_attribute(&self) -> &'static str {
        self.destination_attribute
            .unwrap_or_else(|| (self.destination)().primary_key().name)
    }

    /// Its `filter` option, checked against `MAX_FILTER_DEPTH` for a read of
    /// `root` (the error names `root`): what every layer compiles at a hop
    /// through it from `source`, the resource declaring it.
    pub(crate) fn checked_filter(
        &self,
        source: &Schema,
        root: &'static str,
    ) -> Result<Option<Expr>> {
        let Some(filter) = self.filter else {
            return Ok(None);
        };
        let filter = filter();
        filter.check_depth(
            root,
            &format_args!(
                "the filter of relationship `{}` of {}",
                self.name, source.name
            ),
        )?;
        Ok(Some(filter))
    }

    /// Whether a condition, not keys, links its records in filters and
    /// aggregates: a `no_attributes` relationship (its `filter`), or a manual
    /// one with a `condition`.
    pub fn linked_by_condition(&self) -> bool {
        self.no_attributes || (self.manual && self.condition.is_some())
    }

    /// What relates a destination record to a source record when
    /// [`linked_by_condition`](Self::linked_by_condition): the `filter` of a
    /// `no_attributes` relationship; a manual relationship's `condition` and
    /// its `filter`. Checked against `MAX_FILTER_DEPTH` for a read of `root`
    /// (the error names `root`).
    pub(crate) fn linking_condition(
        &self,
        source: &Schema,
        root: &'static str,
    ) -> Result<Option<Expr>> {
        let Some(condition) = self.condition.filter(|_| self.manual) else {
            return self.checked_filter(source, root);
        };
        let linking = match self.filter {
            Some(filter) => condition().and(filter()),
            None => condition(),
        };
        linking.check_depth(
            root,
            &format_args!(
                "the condition of relationship `{}` of {}",
                self.name, source.name
            ),
        )?;
        Ok(Some(linking))
    }

    /// Whether it reaches at most one destination record from each source
    /// record: it links straight to the destination's primary key (no join
    /// resource). A belongs_to does by default; a has_one only when its
    /// destination attribute is the primary key. (An identity makes other
    /// attributes unique; this does not count on them.)
    pub fn reaches_at_most_one(&self) -> bool {
        self.through.is_none()
            && !self.linked_by_condition()
            && self.kind != RelationshipKind::ManyToMany
            && self.destination_attribute() == (self.destination)().primary_key().name
    }
}

impl fmt::Debug for RelationshipInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RelationshipInfo")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("manual", &self.manual)
            .field("no_attributes", &self.no_attributes)
            .field("destination", &(self.destination)().name)
            .field("source_attribute", &self.source_attribute)
            .field("destination_attribute", &self.destination_attribute)
            .field("through", &self.through)
            .finish_non_exhaustive()
    }
}
