//! What a data layer is asked: one read ([`ReadRequest`]), the partition of a
//! relationship load ([`Partition`], [`PartitionBy`]) and the conditions the
//! tenant and read policies put on each resource ([`Visibility`]); what an
//! update or destroy may not be asked (`check_request`).

use std::borrow::Borrow;
use std::hash::Hash;

use foldhash::{HashMap, HashMapExt};

use crate::error::{Error, ErrorKind, Result};
use crate::expr::Expr;
use crate::resource::{RelationshipInfo, Schema};
use crate::sort::Sort;
use crate::value::Value;

/// One read, as the domain and the loader ask it of a data layer. Code below
/// queries (a raw manual loader, a data layer wrapping another) can make its own.
#[derive(Clone, Debug)]
pub struct ReadRequest {
    /// The resource read.
    pub schema: &'static Schema,
    /// Records must make this true (three-valued: nil does not match).
    pub filter: Option<Expr>,
    /// Sort keys; ties keep insertion order.
    pub sort: Vec<Sort>,
    /// At most this many records (per partition key when partitioned).
    pub limit: Option<usize>,
    /// Skip this many records (per partition key when partitioned).
    pub offset: usize,
    /// Restricts the read to records linked to these keys and tags each record.
    pub partition: Option<Partition>,
    /// Conditions on the records of some resources (tenant and read policies),
    /// wherever the read meets them.
    pub visibility: Visibility,
}

/// Conditions on the records of some resources that hold wherever a read meets
/// those resources: at its root, and at every relationship hop of its filter
/// (to-one joins, `exists` and to-many paths, and a many_to_many's join
/// records), exactly where a relationship's own `filter` applies. The domain
/// makes them from the tenant and the read policies; a data layer only applies
/// them, so a record the actor may not see neither comes back nor makes a
/// filter path match. The conditions' own relationship paths are not scoped
/// (they see every stored record): a record's visibility depends on the record
/// alone, whatever path reached it, and conditions that reach each other's
/// resources cannot recurse.
///
/// A resource the conditions do not list is unrestricted, unless the domain
/// said which resources the read may meet ([`Visibility::hiding_the_rest`]):
/// then any other resource a data layer meets is hidden, so a resource the
/// domain did not foresee fails closed.
#[derive(Clone, Debug, Default)]
pub struct Visibility(Option<std::sync::Arc<Conditions>>);

#[derive(Debug)]
struct Conditions {
    conditions: Vec<(&'static Schema, Expr)>,
    /// With `hiding_the_rest`: the listed resources without a condition.
    unrestricted: Option<Vec<&'static Schema>>,
    /// `false`, the condition on a resource neither list holds.
    hidden: Expr,
    /// The read's own records held to another condition than their
    /// resource's (see [`Visibility::of_root`]).
    root: Option<(&'static Schema, Option<Expr>)>,
}

impl Visibility {
    /// The condition on each listed resource's records; every other resource
    /// is unrestricted.
    pub fn new(conditions: Vec<(&'static Schema, Expr)>) -> Self {
        if conditions.is_empty() {
            Visibility(None)
        } else {
            Visibility(Some(std::sync::Arc::new(Conditions {
                conditions,
                unrestricted: None,
                hidden: Expr::Value(Value::Bool(false)),
                root: None,
            })))
        }
    }

    /// The condition on each resource of `conditions`, none on those of
    /// `unrestricted`, and every other resource hidden.
    pub fn hiding_the_rest(
        conditions: Vec<(&'static Schema, Expr)>,
        unrestricted: Vec<&'static Schema>,
    ) -> Self {
        Visibility(Some(std::sync::Arc::new(Conditions {
            conditions,
            unrestricted: Some(unrestricted),
            hidden: Expr::Value(Value::Bool(false)),
            root: None,
        })))
    }

    /// The condition on `schema`'s records, if any.
    pub fn of(&self, schema: &'static Schema) -> Option<&Expr> {
        let all = self.0.as_deref()?;
        if let Some((_, e)) = all
            .conditions
            .iter()
            .find(|(s, _)| std::ptr::eq(*s, schema))
        {
            return Some(e);
        }
        match &all.unrestricted {
            Some(free) if !free.iter().any(|s| std::ptr::eq(*s, schema)) => Some(&all.hidden),
            _ => None,
        }
    }

    /// Whether no resource has a condition.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The same conditions, with `condition` added (`and`) to `schema`'s: how
    /// a write narrows what it may touch to what its policies allow.
    pub(crate) fn and_on(&self, schema: &'static Schema, condition: Expr) -> Visibility {
        let Some(all) = self.0.as_deref() else {
            return Visibility::new(vec![(schema, condition)]);
        };
        let mut conditions = all.conditions.clone();
        match conditions
            .iter_mut()
            .find(|(s, _)| std::ptr::eq(*s, schema))
        {
            Some((_, existing)) => *existing = existing.clone().and(condition),
            None => conditions.push((schema, condition)),
        }
        let unrestricted = all.unrestricted.as_ref().map(|free| {
            free.iter()
                .copied()
                .filter(|s| !std::ptr::eq(*s, schema))
                .collect()
        });
        Visibility(Some(std::sync::Arc::new(Conditions {
            conditions,
            unrestricted,
            hidden: all.hidden.clone(),
            root: all.root.clone(),
        })))
    }

    /// The condition on the read's own records, `schema`'s (those it
    /// returns, or counts or aggregates for): [`of`](Self::of) unless the
    /// domain held them to another (a load that reports the records its
    /// policies hide reads them all in its tenant). A
    /// data layer applies this one at the root of a read and `of` wherever a
    /// filter's or sort's path meets a resource (the root's own included).
    pub fn of_root(&self, schema: &'static Schema) -> Option<&Expr> {
        match self.0.as_deref().and_then(|all| all.root.as_ref()) {
            Some((root, condition)) if std::ptr::eq(*root, schema) => condition.as_ref(),
            _ => self.of(schema),
        }
    }

    /// The same conditions, the read's own records of `schema` held to
    /// `condition` instead (`None`: none): how a load that reports the
    /// records its policies hide (`authorize_read_with error`) reads them all
    /// in its tenant, while its filter's paths still see only what the actor
    /// may read.
    pub(crate) fn with_root(&self, schema: &'static Schema, condition: Option<Expr>) -> Visibility {
        let all = self.0.as_deref();
        Visibility(Some(std::sync::Arc::new(Conditions {
            conditions: all.map(|a| a.conditions.clone()).unwrap_or_default(),
            unrestricted: all.and_then(|a| a.unrestricted.clone()),
            hidden: Expr::Value(Value::Bool(false)),
            root: Some((schema, condition)),
        })))
    }
}

impl ReadRequest {
    /// A read of every record of `schema`.
    pub fn new(schema: &'static Schema) -> Self {
        ReadRequest {
            schema,
            filter: None,
            sort: Vec::new(),
            limit: None,
            offset: 0,
            partition: None,
            visibility: Visibility::default(),
        }
    }
}

/// A partitioned read: the records linked to each key, tagged with the key. Sort,
/// offset and limit apply per key.
#[derive(Clone, Debug)]
pub struct Partition {
    /// How records are linked to keys.
    pub by: PartitionBy,
    /// The keys: distinct and never nil.
    pub keys: Vec<Value>,
}

/// How records are linked to partition keys: a has_many or has_one reads its
/// destination partitioned by `Attribute(destination_attribute)`; a many_to_many
/// by `Through` its join resource; a `no_attributes` relationship by its
/// `Parent` records' keys and its filter.
#[derive(Clone, Debug)]
pub enum PartitionBy {
    /// The record's attribute equals the key.
    Attribute(&'static str),
    /// A join record has the key in `source_attribute_on_join` and the record's
    /// `destination_attribute` in `destination_attribute_on_join`. A record linked
    /// to several keys appears once per key.
    Through {
        /// The join resource.
        join: &'static Schema,
        /// Join attribute matched against the keys.
        source_attribute_on_join: &'static str,
        /// Join attribute matched against the record's `destination_attribute`.
        destination_attribute_on_join: &'static str,
        /// The record's attribute.
        destination_attribute: &'static str,
    },
    /// The keys are primary keys of records of `source`, and a record is
    /// linked to a key when the filter of `relationship` (a `no_attributes`
    /// relationship of `source`) is true on it, its `parent(..)` reading the
    /// stored source record with that key. A record linked to several keys
    /// appears once per key.
    Parent {
        /// The resource the relationship is declared on.
        source: &'static Schema,
        /// The `no_attributes` relationship.
        relationship: &'static RelationshipInfo,
    },
}

impl Partition {
    /// The attribute of `schema` that holds each record's key: the attribute a
    /// partition by an attribute names (`None` when `schema` has no such
    /// attribute), and `None` through a join, whose key comes from the join.
    pub fn key_attribute(&self, schema: &Schema) -> Option<usize> {
        match &self.by {
            PartitionBy::Attribute(name) => schema.attribute_index(name),
            PartitionBy::Through { .. } | PartitionBy::Parent { .. } => None,
        }
    }
}

/// The group of each key: its position among `keys` (the first, for a key
/// given twice), which is the group its records go to. A nil key links nothing
/// (nil equals nothing) and has no group. Every layer groups by it.
pub(crate) fn group_positions<K: Borrow<Value> + Hash + Eq>(
    keys: impl ExactSizeIterator<Item = K>,
) -> HashMap<K, usize> {
    let mut positions = HashMap::with_capacity(keys.len());
    for (i, key) in keys.enumerate() {
        if !key.borrow().is_null() {
            positions.entry(key).or_insert(i);
        }
    }
    positions
}

/// Checks the request of an update or destroy: not partitioned (an
/// [`ErrorKind::InvalidQuery`]).
pub(crate) fn check_request(request: &ReadRequest, what: &str) -> Result<()> {
    if request.partition.is_some() {
        return Err(Error::new(ErrorKind::InvalidQuery {
            resource: request.schema.name,
            message: format!("a partitioned request cannot {what} records"),
        }));
    }
    Ok(())
}
